"""
A realistic data set at scale: many offices, a year of applications through their SOPs.

    python bench/data.py --n 100000 [--offices 20] [--seed 1] [--database-url URL]
    make bench-data N=100000

Drops and recreates the database named in ``--database-url`` (default
postgres://postgres@127.0.0.1:5432/satupintu_scale; the name must start with ``satupintu_``),
migrates it and fills it:

- ``--offices`` offices (sizes skewed like real kab/kota: the biggest serves ~6× the smallest),
  each with the two shipped standards loaded and its officers per role;
- N applications created over the last 365 days (in office hours), each walked through its
  service's SOP the way the engine does it: the workflow table decides where an outcome leads
  and what the status and the service clock do, due times come from the project's working-time
  functions, the control-card entries carry the paraf, the working time taken vs the standard,
  and a valid hash chain computed with the project's own ``entry_hash``. Files are returned for
  completion, revised at a paraf, rejected at inspection, withdrawn, left in a queue (the last 90
  days keep a backlog), ready and not yet collected; a few stay drafts;
- a permit for every signed application (numbered per office, service and year in issue order),
  the number series, survey answers for about one in ten finished files, and complaints
  registered through the complaints service.

Rows are written with COPY (psycopg) in chunks, with the session in ``replica`` role so foreign
keys are not re-checked row by row (the generator writes them consistently); the card's
append-only triggers refuse only UPDATE/DELETE, which this never does. Reproducible: the same
seed and N give the same rows. Prints the time each phase took.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_scale"
BENCH_CARD_KEY = "bench-only-card-key-not-a-secret-0123456789abcdef"
CHUNK = 20_000
#: From this many applications, indexes are dropped before the COPY and built once after it.
REBUILD_FROM = int(os.environ.get("BENCH_REBUILD_FROM", "200000"))
#: Officers per role in an office of average size (scaled by the office's share).
# Files per service, by the service's code: the two seed standards' shares. A shipped standard not
# named here (the IMTA renewal, whose SOP has a payment step with its SKRD) is loaded into every
# office's catalogue but gets no simulated files.
SERVICE_WEIGHTS = {
    "izin-kerja-radiografer": 55,
    "izin-praktik-paramedik-asisten-teknik-reproduksi": 45,
}

STAFF = {
    "front_office": 4,
    "back_office": 3,
    "tim_teknis": 3,
    "analis_muda": 2,
    "analis_madya": 2,
    "sekretaris": 1,
    "kepala_dinas": 1,
    "pengelola_pengaduan": 1,
    "kepala_bidang": 1,
    "kepegawaian": 1,
    "admin": 1,
}
REGIONS = [
    ("Kota Pekanbaru", "14.71", "PKU"),
    ("Kabupaten Kampar", "14.06", "KMP"),
    ("Kota Dumai", "14.72", "DUM"),
    ("Kabupaten Bengkalis", "14.03", "BKS"),
    ("Kabupaten Siak", "14.08", "SIK"),
    ("Kabupaten Pelalawan", "14.05", "PLW"),
    ("Kabupaten Rokan Hulu", "14.07", "RHL"),
    ("Kabupaten Rokan Hilir", "14.09", "RHI"),
    ("Kabupaten Indragiri Hulu", "14.02", "INH"),
    ("Kabupaten Indragiri Hilir", "14.04", "INL"),
    ("Kabupaten Kuantan Singingi", "14.01", "KSG"),
    ("Kabupaten Kepulauan Meranti", "14.10", "KMR"),
    ("Kota Padang", "13.71", "PDG"),
    ("Kota Medan", "12.71", "MDN"),
    ("Kota Batam", "21.71", "BTM"),
    ("Kota Jambi", "15.71", "JMB"),
    ("Kota Palembang", "16.71", "PLG"),
    ("Kota Bengkulu", "17.71", "BKL"),
    ("Kota Bandar Lampung", "18.71", "BDL"),
    ("Kota Tanjungpinang", "21.72", "TPI"),
]
FIRST = ["Rina", "Budi", "Siti", "Agus", "Dewi", "Andi", "Sri", "Joko", "Putri", "Rudi", "Nur", "Eko", "Ayu", "Hadi"]
LAST = ["Marlina", "Santoso", "Rahmawati", "Saputra", "Lestari", "Hidayat", "Wahyuni", "Pratama", "Siregar", "Nasution"]
STREETS = ["Jalan Sudirman", "Jalan Diponegoro", "Jalan Tuanku Tambusai", "Jalan Soekarno-Hatta", "Jalan Riau"]
WORKPLACES = ["RSUD Arifin Achmad", "RS Awal Bros", "Klinik Pratama Sehat", "RS Eka Hospital", "Puskesmas Sidomulyo"]


def _database_setup(url: str) -> None:
    """Drop and create the bench database, point Django at it and migrate."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("satupintu_") or not name.replace("_", "").isalnum():
        sys.exit(f"refusing to drop {name!r}: the bench database's name must start with 'satupintu_'")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    # Walked in one process without a worker: the signature is made in the approving step (ADR 0009).
    os.environ.setdefault("SATUPINTU_SIGNING_EAGER", "1")
    os.environ.setdefault("SATUPINTU_VAR_DIR", tempfile.mkdtemp(prefix="satupintu-scale-"))
    # The card chain is keyed (docs/security.md); generator and benchmark share this bench-only key.
    os.environ.setdefault("SATUPINTU_CARD_KEY", BENCH_CARD_KEY)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the database cache, where there is no Redis


class Copier:
    """COPY rows of a model, as dicts keyed by attribute name, filling model defaults for the rest."""

    def __init__(self, conn: Any, model: Any) -> None:
        from django.db import models

        self.conn, self.model = conn, model
        self.count = 0
        self.columns: dict[bool, tuple[str, list[tuple[str, Any, bool]]]] = {}
        for with_pk in (True, False):
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            spec = []
            for f in fields:
                default = f.get_default() if f.has_default() else (None if f.null else "")
                if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                    default = None  # always given explicitly
                spec.append((f.attname, default, isinstance(f, models.JSONField)))
            names = ", ".join(f'"{f.column}"' for f in fields)
            self.columns[with_pk] = (f"COPY {model._meta.db_table} ({names}) FROM STDIN", spec)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, spec = self.columns["id" in rows[0]]
        dumps = json.dumps
        with self.conn.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        dumps(row.get(name, default), ensure_ascii=False, separators=(",", ":"))
                        if js
                        else row.get(name, default)
                        for name, default, js in spec
                    ]
                )
        self.count += len(rows)


class Calendar:
    """The project's working-time functions for one office, memoised (timestamps are whole minutes)."""

    def __init__(self, office: Any) -> None:
        self.office = office
        self._due: dict[tuple[dt.datetime, str], dt.datetime] = {}

    def due(self, start: dt.datetime, time_text: str) -> dt.datetime:
        from satupintu.workdays import WorkingDuration, add_duration

        key = (start, time_text)
        value = self._due.get(key)
        if value is None:
            value = self._due[key] = add_duration(start, WorkingDuration.parse(time_text), office=self.office)
        return value

    def add(self, start: dt.datetime, seconds: int) -> dt.datetime:
        from satupintu.workdays import add_working_time

        return add_working_time(start, dt.timedelta(seconds=seconds), office=self.office)

    def between(self, a: dt.datetime, b: dt.datetime) -> int:
        from satupintu.workdays import working_time_between

        return int(working_time_between(a, b, office=self.office).total_seconds())


def _standard_seconds(time_text: str) -> int | None:
    from satupintu.workdays import WorkingDuration

    duration = WorkingDuration.parse(time_text)
    if duration.unit == "minute":
        return duration.value * 60
    if duration.unit == "hour":
        return duration.value * 3600
    return None


def _nik(i: int, region_code: str, rng: random.Random) -> str:
    """A unique, well-formed NIK: region (6 digits), birth date (women +40), serial."""
    born = dt.date(1965, 1, 1) + dt.timedelta(days=(i // 9000) % 12000)
    day = born.day + (40 if rng.random() < 0.5 else 0)
    region = region_code.replace(".", "") + f"{rng.randint(1, 15):02d}"
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{i % 9000 + 1:04d}"


def _chain_hasher(office_id: int) -> tuple[Any, dict[str, Any]]:
    """
    The project's own entry hash for this office, and the extra facts its chain version records.

    Whether the chain is keyed per office (``entry_hash(..., office_id=)``, ``chain_version``) or
    plain, the generator computes exactly what ``card_entry_append`` would.
    """
    import functools
    import inspect

    from satupintu.control_card import chain

    if "office_id" in inspect.signature(chain.entry_hash).parameters:
        extra = {"chain_version": chain.KEYED} if hasattr(chain, "KEYED") else {}
        return functools.partial(chain.entry_hash, office_id=office_id), extra
    return chain.entry_hash, {}


class Simulation:
    """One office's applications walked through their SOPs, as the engine would record them."""

    def __init__(
        self, *, rng: random.Random, office: Any, services: list[Any], staff: dict[str, list[Any]], now: dt.datetime
    ):
        from satupintu.applications import workflow
        from satupintu.catalogue.selectors import current_version_of, spec_of

        self.rng, self.office, self.staff, self.now = rng, office, staff, now
        self.hash, self.chain_facts = _chain_hasher(office.pk)
        self.workflow = workflow
        self.cal = Calendar(office)
        self.services = []
        for service in services:
            if service.code not in SERVICE_WEIGHTS:
                continue
            version = current_version_of(service)
            spec = spec_of(version)
            steps = spec.sop.steps
            self.services.append(
                {
                    "service": service,
                    "weight": SERVICE_WEIGHTS[service.code],
                    "version": version,
                    "spec": spec,
                    "requirements": [(r.key, r.label) for r in spec.requirements_for(renewal=False)],
                    "activity": {s.number: s.activity.splitlines()[0][:300] for s in steps},
                    "standard": {s.number: _standard_seconds(s.time) for s in steps},
                }
            )

    # -- who acts ---------------------------------------------------------------------------------

    def officer(self, role: str) -> Any:
        return self.rng.choice(self.staff[role])

    def worked(self, step: Any, standard: int | None, late_share: float) -> int:
        """Working seconds a step takes: mostly within its standard, ``late_share`` beyond it."""
        rng = self.rng
        limit = standard if standard is not None else 7 * 3600  # one working day, about
        if rng.random() < late_share:
            return int(limit * rng.uniform(1.05, 3.0)) // 60 * 60 + 60
        return max(60, int(limit * rng.uniform(0.1, 0.95)) // 60 * 60)

    # -- one application ---------------------------------------------------------------------------

    def run(self, app: dict[str, Any], applicant: Any, fate: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
        """Fill ``app``'s lifecycle fields; return its card entries and the permit facts (or None)."""
        from satupintu.control_card.chain import GENESIS

        wf, rng, cal, now = self.workflow, self.rng, self.cal, self.now
        svc = fate["service"]
        spec = svc["spec"]
        steps = {s.number: s for s in spec.sop.steps}
        entries: list[dict[str, Any]] = []
        prev = GENESIS
        permit = None
        t = app["created_at"]
        step = steps[1]
        state = {
            "clock_started_at": None,
            "clock_paused_at": None,
            "due_at": None,
            "submitted_at": None,
            "completed_at": None,
            "closed_at": None,
        }
        received, step_due = t, None
        returned_once = revised_once = False
        late_share = fate["late_share"]

        def enter(to_step: Any, at: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
            return at, (cal.due(at, to_step.time) if wf.office_time(to_step) else None)

        def stay_open(at_step: Any, status: str, rec: dt.datetime, due: dt.datetime | None) -> None:
            role = at_step.roles[0]
            if role == "pemohon" and applicant is None:
                role = next((r for r in at_step.roles if r != "pemohon"), role)
            app.update(status=status, current_step=at_step.number, current_role=role)
            app.update(step_received_at=rec, step_due_at=due)
            if role != "pemohon" and rng.random() < 0.3:
                app.update(
                    claimed_by_id=self.officer(role).pk, claimed_at=rec + dt.timedelta(minutes=rng.randint(1, 30))
                )

        if fate["draft"]:
            stay_open(step, "draft", received, None)
            app.update(state, card_seq=0, card_head_hash="", updated_at=app["created_at"])
            return entries, None

        status = "draft"  # as application_create leaves it, until the first submit
        for _guard in range(40):
            kind = step.kind
            standard = svc["standard"][step.number]
            # What happens at this step, and who does it.
            if kind == "submit":
                wait = rng.randint(1, 30) * 60 if not entries else rng.randint(1, 8) * 7 * 3600
                done = cal.add(received, wait)
                outcome = "submitted"
            else:
                done = cal.add(received, self.worked(step, standard, late_share))
                outcome = step.outcomes[0]
                if kind == "completeness_check" and not returned_once and rng.random() < fate["return_rate"]:
                    outcome = "incomplete"
                elif kind == "inspection" and rng.random() < 0.03:
                    outcome = "reject"
                elif kind in {"initial", "sign"} and not revised_once and rng.random() < 0.03:
                    outcome = "revise"
                elif kind == "handover":
                    done = cal.add(received, rng.randint(1, 15) * 7 * 3600)
                    outcome = "download" if applicant is not None and rng.random() < 0.5 else "pickup"
            if fate["stuck_at"] == step.number and kind not in {"submit"}:
                done = now + dt.timedelta(days=1)  # still waiting in this queue
            if fate["withdraw_at"] == step.number and done <= now:
                outcome = "withdrawn"
            if done > now:
                stay_open(step, status, received, step_due)
                break
            # The paraf: who recorded it, in which role.
            if kind == "submit":
                actor, role = (
                    (applicant, "pemohon") if applicant is not None else (self.officer("front_office"), "front_office")
                )
            elif outcome == "download" or (outcome == "withdrawn" and applicant is not None):
                actor, role = applicant, "pemohon"
            elif outcome == "withdrawn":
                actor, role = self.officer("front_office"), "front_office"
            else:
                role = next(r for r in step.roles if r != "pemohon")
                actor = self.officer(role)
            note, data = "", {}
            if outcome == "incomplete":
                missing = rng.sample(svc["requirements"], k=min(2, len(svc["requirements"])))
                keys = {k for k, _ in missing}
                data["checklist"] = [
                    {
                        "key": k,
                        "label": label,
                        "ok": k not in keys,
                        "reason": "Berkas tidak terbaca." if k in keys else "",
                    }
                    for k, label in svc["requirements"]
                ]
                note = "Mohon unggah ulang berkas yang belum terbaca."
            elif outcome == "complete":
                data["checklist"] = [
                    {"key": k, "label": label, "ok": True, "reason": ""} for k, label in svc["requirements"]
                ]
            elif kind == "inspection" and outcome == "recommend":
                data["bap"] = {
                    "date": done.date().isoformat(),
                    "team": ["Tim Teknis " + self.office.registration_prefix],
                    "findings": "Sarana dan prasarana sesuai persyaratan.",
                    "recommendation": "Layak diberikan izin.",
                }
                app["bap"] = data["bap"]
            elif outcome in {"revise", "reject"}:
                note = "Perbaiki redaksi surat." if outcome == "revise" else "Tidak memenuhi persyaratan teknis."
            elif outcome == "withdrawn":
                note = "Permohonan tidak dilanjutkan."
            worked = cal.between(received, done)
            facts = {
                "application_id": app["id"],
                "seq": len(entries) + 1,
                "step_number": step.number,
                "step_label": step.label or str(step.number),
                "step_kind": kind,
                "role": role,
                "received_at": received,
                "due_at": step_due,
                "completed_at": done,
                "actor_id": actor.pk,
                "actor_name": actor.display_name[:200],
                "acting_for_id": None,
                "acting_for_name": "",
                "outcome": outcome,
                "note": note,
                "data": data,
                "time_standard": step.time,
                "worked_seconds": worked,
                "late": step_due is not None and done > step_due,
                "office_time": wf.office_time(step),
            }
            facts.update(office_id=app["office_id"], activity=svc["activity"][step.number], standard_seconds=standard)
            facts.update(self.chain_facts)
            row = dict(facts, id=fate["next_entry_id"](), prev_hash=prev)
            row["hash"] = prev = self.hash(facts, prev)
            entries.append(row)
            if kind == "submit" and state["submitted_at"] is None:
                state["submitted_at"] = done
            if outcome == "withdrawn":
                app.update(status="withdrawn", withdrawal_reason=note)
                state["closed_at"] = done
                break
            move = wf.transition(spec, step, outcome)
            # The service clock, as the engine moves it.
            if move.clock == "start" and state["clock_started_at"] is None:
                state["clock_started_at"] = done
                state["due_at"] = cal.due(done, spec.completion_time.duration)
            elif move.clock in {"start", "resume"} and state["clock_paused_at"] is not None:
                paused = cal.between(state["clock_paused_at"], done)
                if state["due_at"] is not None:
                    state["due_at"] = cal.add(state["due_at"], paused)
                state["clock_paused_at"] = None
            elif move.clock == "pause" and state["clock_started_at"] is not None and state["clock_paused_at"] is None:
                state["clock_paused_at"] = done
            status = str(move.status)
            if outcome == "incomplete":
                returned_once = True
                app["return_reasons"] = [r for r in data["checklist"] if not r["ok"]] + [
                    {"key": "", "label": "Catatan", "reason": note}
                ]
                if not fate["comes_back"]:
                    received, step_due = enter(move.to_step, done)
                    stay_open(move.to_step, status, received, step_due)
                    break
            if outcome == "revise":
                revised_once = True
                app["revision_note"] = note
            elif kind in {"draft", "initial", "sign"}:
                app["revision_note"] = ""
            if kind == "sign" and outcome == "approve" and permit is None:
                permit = {"issued_at": done, "spec": spec, "service": svc["service"]}
            if move.to_step is None:
                state["closed_at"] = done
                if outcome == "reject":
                    app["rejection_reason"] = note
                app["status"] = status
                break
            step = move.to_step
            received, step_due = enter(step, done)
            if status == "ready" and state["completed_at"] is None:
                state["completed_at"] = done
        app.update(state)
        if app.get("status") in {"collected", "rejected", "withdrawn"}:
            app.update(current_step=None, current_role="", step_received_at=None, step_due_at=None)
        app["card_seq"] = len(entries)
        app["card_head_hash"] = entries[-1]["hash"] if entries else ""
        app["updated_at"] = entries[-1]["completed_at"] if entries else app["created_at"]
        return entries, permit


def _form_data(spec: Any, person: dict[str, str], rng: random.Random) -> dict[str, Any]:
    """Answers to the service's form: the applicant's identity where a field carries it, plausible text elsewhere."""
    by_purpose = {
        "applicant_name": person["name"],
        "applicant_nik": person["nik"],
        "applicant_phone": person["phone"],
        "applicant_email": person["email"],
        "applicant_address": person["address"],
    }
    data: dict[str, Any] = {}
    for field in spec.form_fields():
        if field.renewal_only:
            continue
        if field.purpose in by_purpose:
            value: Any = by_purpose[field.purpose]
        elif field.type == "date":
            value = (dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))).isoformat()
            if "lahir" in field.key:
                value = (dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 12000))).isoformat()
        elif field.type == "select":
            value = rng.choice(field.choices)
        elif field.type == "checkbox":
            value = False
        elif field.type == "number":
            value = rng.randint(1, 20)
        elif "alamat" in field.key:
            value = f"{rng.choice(STREETS)} No. {rng.randint(1, 300)}"
        elif "tempat" in field.key:
            value = rng.choice(WORKPLACES)
        else:
            value = f"{field.label[:20]} {rng.randint(1000, 99999)}"
        if not field.required and rng.random() < 0.5:
            continue
        data[field.key] = value
    return data


def _valid_until(spec: Any, data: dict[str, Any], issued: dt.date) -> dt.date | None:
    terms = spec.permit
    if terms.validity == "years":
        try:
            return issued.replace(year=issued.year + (terms.years or 0))
        except ValueError:
            return issued.replace(year=issued.year + (terms.years or 0), day=28)
    if terms.validity == "follows_str":
        if terms.str_lifetime_field and data.get(terms.str_lifetime_field):
            return None
        value = data.get(terms.str_valid_until_field)
        return dt.date.fromisoformat(value) if value else None
    return None


def _indexes_drop(conn: Any, tables: list[str]) -> list[str]:
    """
    Drop the secondary indexes and unique constraints of ``tables`` (not primary keys); return
    the statements that recreate them exactly. Building an index once after a big COPY is many
    times faster than maintaining it row by row (the card's hash index is random).
    """
    statements, drops = [], []
    for table in tables:
        for name, definition in conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'u'",
            [table],
        ).fetchall():
            drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            statements.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in conn.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        ).fetchall():
            drops.append(f'DROP INDEX "{name}"')
            # A partitioned table's index reads "ON ONLY": recreated so, it would be built for no
            # partition (the 1M card lost its (office, completed_at) index that way).
            statements.append(definition.replace(" ON ONLY ", " ON ", 1))
    for statement in drops:
        conn.execute(statement)
    conn.commit()
    return statements


def _sequence_reset(conn: Any, model: Any) -> None:
    table = model._meta.db_table
    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))")


def generate(n: int, offices_count: int, seed: int, url: str) -> dict[str, Any]:
    """Make the data set; return what was made and how long each phase took."""
    t0 = time.perf_counter()
    _database_setup(url)
    phases: list[tuple[str, float]] = [("create + migrate", time.perf_counter() - t0)]
    import psycopg
    from django.conf import settings
    from django.db import transaction

    from satupintu.accounts.models import RoleMembership, User
    from satupintu.applications.models import Application, NumberSeries, Permit
    from satupintu.applications.numbering import format_number
    from satupintu.catalogue.loader import standard_files, standard_load_file
    from satupintu.catalogue.models import Service
    from satupintu.control_card.models import ControlCardEntry
    from satupintu.core.models import Office
    from satupintu.surveys.models import SurveyResponse
    from satupintu.surveys.services import questionnaire_current

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    t = time.perf_counter()

    # Offices, standards and officers through the ORM (few rows; the loader is the project's own).
    weights = [1 / (i + 1) ** 0.6 for i in range(offices_count)]
    total_weight = sum(weights)
    shares = [w / total_weight for w in weights]
    offices, staff_of, services_of = [], {}, {}
    with transaction.atomic():
        for i in range(offices_count):
            region, code, prefix = REGIONS[i % len(REGIONS)]
            if i >= len(REGIONS):
                prefix = f"{prefix}{i // len(REGIONS)}"
            office = Office.objects.create(
                slug=f"dpmptsp-{region.lower().replace(' ', '-')}" + (f"-{i}" if i >= len(REGIONS) else ""),
                name=f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {region}",
                region=region,
                region_code=code,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 500)}, {region}",
                registration_prefix=prefix,
                head_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}, S.T., M.Si.",
                letterhead_lines=[f"PEMERINTAH {region.upper()}", "DINAS PENANAMAN MODAL DAN PTSP"],
            )
            for path in standard_files(Path(settings.SATUPINTU_STANDARDS_DIR)):
                standard_load_file(office=office, path=path, base=ROOT)
            services_of[office.pk] = list(Service.objects.filter(office=office).order_by("code"))
            scale = max(1.0, shares[i] * offices_count)
            staff: dict[str, list[Any]] = defaultdict(list)
            for role, count in STAFF.items():
                for k in range(max(1, round(count * (scale if count > 1 else 1)))):
                    user = User.objects.create(
                        username=f"{prefix.lower()}-{role}-{k + 1}",
                        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} ({role} {prefix})",
                        password="!",
                        nip=f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                        f"20{rng.randint(10, 24)}{rng.randint(1, 2)}{k + 1:03d}",
                    )
                    RoleMembership.objects.create(office=office, user=user, role=role, valid_from=dt.date(2020, 1, 1))
                    staff[role].append(user)
            staff_of[office.pk] = staff
            offices.append(office)
    phases.append(("offices, standards, officers", time.perf_counter() - t))

    # When each application was created (office hours, in creation order) and where.
    t = time.perf_counter()
    sims = {
        o.pk: Simulation(rng=rng, office=o, services=services_of[o.pk], staff=staff_of[o.pk], now=now) for o in offices
    }
    late_share = {o.pk: rng.uniform(0.04, 0.25) for o in offices}
    start = now - dt.timedelta(days=365)
    plan = []
    office_ids = [o.pk for o in offices]
    for _ in range(n):
        office_id = rng.choices(office_ids, weights=shares)[0]
        day = start + dt.timedelta(days=rng.randint(0, 363))
        local_midnight = day.astimezone(dt.timezone(dt.timedelta(hours=7))).replace(hour=0, minute=0)
        created = sims[office_id].cal.add(local_midnight, rng.randint(1, 7 * 60) * 60)
        plan.append((created, office_id))
    plan.sort()
    phases.append(("creation times", time.perf_counter() - t))

    t = time.perf_counter()
    conn = psycopg.connect(url)
    conn.execute("SET session_replication_role = replica")
    big_tables = [Application._meta.db_table, ControlCardEntry._meta.db_table, User._meta.db_table]
    rebuild = _indexes_drop(conn, big_tables) if n >= REBUILD_FROM else []
    copiers = {m: Copier(conn, m) for m in (User, Application, ControlCardEntry, Permit, NumberSeries, SurveyResponse)}
    questionnaire = questionnaire_current()
    next_user_id = User.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    entry_counter = [0]

    def next_entry_id() -> int:
        entry_counter[0] += 1
        return entry_counter[0]

    class Person:
        __slots__ = ("display_name", "pk")

        def __init__(self, pk: int, name: str) -> None:
            self.pk, self.display_name = pk, name

    registration_seq: dict[tuple[int, int], int] = defaultdict(int)
    applicants_of: dict[int, list[Any]] = defaultdict(list)
    permits: list[tuple[Any, ...]] = []
    counts: dict[str, int] = defaultdict(int)
    region_code = {o.pk: o.region_code for o in offices}
    prefix_of = {o.pk: o.registration_prefix for o in offices}
    surveys: list[dict[str, Any]] = []
    for chunk_start in range(0, n, CHUNK):
        users, apps, cards = [], [], []
        for i in range(chunk_start, min(n, chunk_start + CHUNK)):
            created, office_id = plan[i]
            sim = sims[office_id]
            app_id = i + 1
            local = created.astimezone(dt.timezone(dt.timedelta(hours=7)))
            registration_seq[(office_id, local.year)] += 1
            gender_first = rng.choice(FIRST)
            person = {
                "name": f"{gender_first} {rng.choice(LAST)}",
                "nik": _nik(app_id, region_code[office_id], rng),
                "phone": f"+62812{app_id:08d}",
                "email": f"pemohon{app_id}@contoh.id" if rng.random() < 0.6 else "",
                "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 300)}, RT {rng.randint(1, 9):03d}",
            }
            online = rng.random() < 0.7
            applicant = None
            if online:
                reuse = applicants_of[office_id]
                if reuse and rng.random() < 0.15:
                    applicant = rng.choice(reuse)
                else:
                    applicant = Person(next_user_id, person["name"])
                    next_user_id += 1
                    users.append(
                        {
                            "id": applicant.pk,
                            "password": "!",
                            "username": f"pemohon-{applicant.pk}",
                            "full_name": person["name"],
                            "nik": person["nik"],
                            "phone": person["phone"],
                            "email": person["email"],
                            "is_active": True,
                            "date_joined": created,
                        }
                    )
                    if len(reuse) < 5000:
                        reuse.append(applicant)
            svc = rng.choices(sim.services, weights=[s["weight"] for s in sim.services])[0]
            age = (now - created).days
            office_steps = [s.number for s in svc["spec"].sop.steps if s.kind not in {"submit"}]
            fate = {
                "service": svc,
                "draft": rng.random() < 0.01,
                "late_share": late_share[office_id],
                "return_rate": 0.10,
                "comes_back": rng.random() < (0.95 if age > 60 else 0.7),
                "stuck_at": rng.choice(office_steps) if age < 90 and rng.random() < 0.15 else None,
                "withdraw_at": rng.choice(office_steps) if rng.random() < 0.015 else None,
                "next_entry_id": next_entry_id,
            }
            data = _form_data(svc["spec"], person, rng)
            app = {
                "id": app_id,
                "office_id": office_id,
                "number": f"{prefix_of[office_id]}-{local.year}-{registration_seq[(office_id, local.year)]:06d}",
                "tracking_code": "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(6)),
                "service_id": svc["service"].pk,
                "standard_version_id": svc["version"].pk,
                "channel": "online" if online else "counter",
                "renewal": False,
                "applicant_id": applicant.pk if applicant else None,
                "registered_by_id": None if online else sim.officer("front_office").pk,
                "applicant_name": person["name"],
                "applicant_nik": person["nik"],
                "applicant_phone": person["phone"],
                "applicant_email": person["email"],
                "applicant_address": person["address"],
                "data": data,
                "status": "draft",
                "current_step": None,
                "current_role": "",
                "return_reasons": [],
                "bap": {},
                "created_at": created,
            }
            entries, permit = sim.run(app, applicant, fate)
            apps.append(app)
            cards.extend(entries)
            counts[app["status"]] += 1
            if permit is not None:
                issued = permit["issued_at"]
                issued_local = issued.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
                permits.append(
                    (
                        office_id,
                        permit["service"].pk,
                        issued_local.year,
                        issued,
                        app_id,
                        person["name"],
                        _valid_until(permit["spec"], data, issued_local),
                        permit["spec"],
                    )
                )
            if app["status"] == "collected" and rng.random() < 0.1:
                answered = app["closed_at"].astimezone(dt.timezone(dt.timedelta(hours=7))).date()
                good = rng.uniform(2.6, 3.6)
                surveys.append(
                    {
                        "office_id": office_id,
                        "questionnaire_id": questionnaire.pk,
                        "service_id": svc["service"].pk,
                        "channel": "online",
                        "period": str(answered.year),
                        "period_start": dt.date(answered.year, 1, 1),
                        "period_end": dt.date(answered.year, 12, 31),
                        **{f"u{k}": max(1, min(4, round(rng.gauss(good, 0.6)))) for k in range(1, 10)},
                        "sex": rng.choice("LP"),
                        "age_band": "",
                        "education": "",
                        "occupation": "",
                        "suggestion": "",
                        "created_on": answered,
                    }
                )
        copiers[User].write(users)
        copiers[Application].write(apps)
        copiers[ControlCardEntry].write(cards)
        conn.commit()
        print(
            f"  {min(n, chunk_start + CHUNK):>9,} applications, {entry_counter[0]:>10,} card entries  "
            f"({time.perf_counter() - t:6.1f} s)",
            flush=True,
        )
    phases.append(("applications + card entries (simulate, hash, COPY)", time.perf_counter() - t))
    if rebuild:
        t = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in rebuild:
            conn.execute(statement)
        conn.commit()
        phases.append((f"indexes and constraints rebuilt ({len(rebuild)})", time.perf_counter() - t))

    # Permits in issue order per office, service and year; the number series that produced them.
    t = time.perf_counter()
    permits.sort(key=lambda p: (p[0], p[1], p[2], p[3]))
    series: dict[tuple[int, str, int], int] = defaultdict(int)
    rows = []
    for pk, (office_id, _service_id, year, issued, app_id, holder, valid_until, spec) in enumerate(permits, start=1):
        key = (office_id, f"izin:{spec.code}", year)
        series[key] += 1
        number = format_number(
            spec.numbering.format,
            seq=series[key],
            when=issued.date(),
            short_code=spec.short_code,
            office_code=prefix_of[office_id],
        )
        rows.append(
            {
                "id": pk,
                "office_id": office_id,
                "application_id": app_id,
                "number": number,
                "year": year,
                "seq": series[key],
                "title": spec.permit.title,
                "holder_name": holder,
                "issued_at": issued,
                "valid_until": valid_until,
                "verification_code": base64.urlsafe_b64encode(rng.randbytes(18)).decode(),
                "status": "valid",
            }
        )
    copiers[Permit].write(rows)
    for (office_id, year), last in registration_seq.items():
        series[(office_id, "registrasi", year)] = last
    copiers[NumberSeries].write(
        [{"office_id": o, "key": k, "year": y, "last_value": v} for (o, k, y), v in series.items()]
    )
    copiers[SurveyResponse].write(surveys)
    conn.commit()
    for model in (User, Application, ControlCardEntry, Permit, NumberSeries, SurveyResponse):
        _sequence_reset(conn, model)
    conn.commit()
    phases.append(("permits, series, survey answers", time.perf_counter() - t))

    # A few complaints through the complaints service (its own hash-chained history).
    t = time.perf_counter()
    from satupintu.complaints.services import complaint_register

    complaints = max(20, n // 1000)
    channels = ["letter", "email", "website", "phone", "sms", "in_person"]
    for k in range(complaints):
        office = rng.choices(offices, weights=shares)[0]
        try:
            complaint_register(
                office=office,
                actor=staff_of[office.pk]["pengelola_pengaduan"][0],
                channel=rng.choice(channels),
                description="Proses izin saya lebih lama dari standar pelayanan.",
                subject="Keterlambatan",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                phone=f"+62813{k:08d}",
                email=f"pengadu{k}@contoh.id",
                application_number="",
                at=now - dt.timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 600)),
            )
        except Exception as exc:  # a channel name this version does not know: report, go on
            print(f"  complaint {k}: {exc} {getattr(exc, 'errors', '')}", file=sys.stderr)
            break
    phases.append(("complaints (service)", time.perf_counter() - t))

    # The performance rollup (reports.rollup), as the hourly job would have kept it.
    t = time.perf_counter()
    try:
        from satupintu.reports.rollup import rollup_run
    except ImportError:  # a version without the rollup
        pass
    else:
        rollup_run()
        phases.append(("performance rollup (reports.rollup)", time.perf_counter() - t))

    t = time.perf_counter()
    conn.autocommit = True
    conn.execute("VACUUM (ANALYZE)")
    conn.close()
    phases.append(("vacuum analyze", time.perf_counter() - t))
    return {
        "counts": dict(counts),
        "entries": entry_counter[0],
        "permits": len(rows),
        "surveys": len(surveys),
        "complaints": complaints,
        "users": copiers[User].count,
        "phases": phases,
        "total": time.perf_counter() - t0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--n", type=int, default=10_000, help="applications")
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    result = generate(args.n, args.offices, args.seed, args.database_url)
    print(f"\n{args.n:,} applications in {args.offices} offices -> {args.database_url}")
    for status, count in sorted(result["counts"].items(), key=lambda kv: -kv[1]):
        print(f"  {status:12s} {count:>9,}")
    print(
        f"  card entries {result['entries']:>9,}   permits {result['permits']:,}   users {result['users']:,}   "
        f"survey answers {result['surveys']:,}   complaints {result['complaints']:,}"
    )
    for name, seconds in result["phases"]:
        print(f"  {name:52s} {seconds:8.1f} s")
    print(f"  {'total':52s} {result['total']:8.1f} s")


if __name__ == "__main__":
    main()
