"""
Benchmark: the IKM and staff performance over large tables on PostgreSQL.

    python bench/surveys.py [--answers 1000000] [--card-rows 10000000] [--repeat 3] [--keep]

Creates the database `satupintu_bench_surveys` on $BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/), migrates it, and fills it in SQL (`INSERT … SELECT` over
`generate_series`, no Python loops): one office, the seed services, 40 officers, `--answers`
survey responses over two years, and `--card-rows` control-card entries (ten steps per
application, so `--card-rows / 10` applications, completed over two years). Then, in the same
run, it times each selector against a bare aggregate query over the same rows:

- IKM of one year: `surveys.selectors.ikm_of(...)` vs `SELECT count(*), sum(u1)…sum(u9)`;
- IKM per service: `ikm_by_service` vs the same grouped by service;
- performance per officer × step × service for one year: `reports.selectors.performance_rows`
  (counts, sums, median and p90 by `percentile_cont`) vs `SELECT count(*), sum(worked_seconds)`
  over the same entries, and vs a hand-written SQL of the same grouping;
- SLA per service: `sla_by_service` vs a bare count.

Prints each time (best of `--repeat`) and the ratio selector ÷ bare. The database is dropped at
the end unless `--keep`. Nothing here is a test; numbers vary by machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
DB_NAME = "satupintu_bench_surveys"


def server(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--answers", type=int, default=1_000_000, help="survey responses to generate")
    parser.add_argument("--card-rows", type=int, default=10_000_000, help="control-card entries to generate")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (best is kept)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    # Walked in one process without a worker: the signature is made in the approving step (ADR 0009).
    os.environ.setdefault("SATUPINTU_SIGNING_EAGER", "1")
    os.environ.setdefault("SATUPINTU_CARD_KEY", "bench-only-card-key-0123456789abcdef")
    os.environ["SATUPINTU_VAR_DIR"] = tempfile.mkdtemp(prefix="satupintu-bench-")
    os.environ["DATABASE_URL"] = PG_SERVER + DB_NAME
    server(f"DROP DATABASE IF EXISTS {DB_NAME}")
    server(f"CREATE DATABASE {DB_NAME}")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            server(f"DROP DATABASE IF EXISTS {DB_NAME}")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from satupintu.accounts.models import User
    from satupintu.applications.models import Application
    from satupintu.catalogue.loader import standard_files, standard_load_file
    from satupintu.catalogue.models import Service, ServiceStandardVersion
    from satupintu.core.models import Office
    from satupintu.reports import selectors as reports
    from satupintu.surveys import selectors as surveys
    from satupintu.surveys.models import Questionnaire
    from satupintu.surveys.periods import period_parse

    print(f"PostgreSQL {DB_NAME}: {args.answers:,} answers, {args.card_rows:,} card rows", flush=True)
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    t = step("migrate", t)
    office = Office.objects.create(
        slug="bench", name="DPMPTSP Bench", region="Kota Bench", address="Jl. Bench", time_zone="Asia/Jakarta"
    )
    for path in standard_files(Path(settings.SATUPINTU_STANDARDS_DIR)):
        standard_load_file(office=office, path=path)
    services = list(Service.objects.filter(office=office).order_by("pk"))
    versions = {s.pk: ServiceStandardVersion.objects.filter(service=s).first() for s in services}
    officers = [User(username=f"petugas{i}", full_name=f"Petugas {i}") for i in range(40)]
    User.objects.bulk_create(officers)
    officer_ids = list(User.objects.filter(username__startswith="petugas").values_list("pk", flat=True))
    questionnaire = Questionnaire.objects.get()
    n_apps = max(1, args.card_rows // 10)
    service_ids = [s.pk for s in services]
    version_ids = [versions[s].pk for s in service_ids]

    app_table = Application._meta.db_table
    # Every column of Application gets an expression: new non-null columns make this fail loudly.
    exprs: dict[str, str] = {
        "office_id": str(office.pk),
        "number": "'BENCH-' || i",
        "tracking_code": "'ABCDEF'",
        "service_id": f"(ARRAY{service_ids})[1 + i % {len(service_ids)}]",
        "standard_version_id": f"(ARRAY{version_ids})[1 + i % {len(version_ids)}]",
        "channel": "'online'",
        "renewal": "false",
        "applicant_id": "NULL",
        "registered_by_id": "NULL",
        "applicant_name": "'Pemohon ' || i",
        "applicant_nik": "'1471010101900001'",
        "applicant_phone": "''",
        "applicant_email": "''",
        "applicant_address": "''",
        "data": "'{}'::jsonb",
        # One in a thousand still open (the backlog), the rest collected.
        "status": "CASE WHEN i % 1000 = 0 THEN 'in_process' ELSE 'collected' END",
        "current_step": "CASE WHEN i % 1000 = 0 THEN 5 END",
        "current_role": "CASE WHEN i % 1000 = 0 THEN 'analis_muda' ELSE '' END",
        "step_received_at": "NULL",
        "step_due_at": "CASE WHEN i % 1000 = 0 THEN t0 + interval '1 hour' END",
        "claimed_by_id": "NULL",
        "claimed_at": "NULL",
        "submitted_at": "t0",
        "clock_started_at": "t0",
        "clock_paused_at": "NULL",
        "due_at": "t0 + interval '2 days'",
        "completed_at": "t0 + (i % 4) * interval '20 hours'",
        "closed_at": "CASE WHEN i % 1000 = 0 THEN NULL ELSE t0 + (i % 4) * interval '20 hours' + interval '1 hour' END",
        "return_reasons": "'[]'::jsonb",
        "revision_note": "''",
        "rejection_reason": "''",
        "withdrawal_reason": "''",
        "bap": "'{}'::jsonb",
        "card_seq": "10",
        "card_head_hash": "''",
        "created_at": "t0",
        "updated_at": "t0",
    }
    columns = [f.column for f in Application._meta.concrete_fields if not f.primary_key]
    missing = set(columns) - set(exprs)
    if missing:
        raise SystemExit(f"bench/surveys.py: no expression for Application columns {sorted(missing)}")
    base = "timestamptz '2025-01-01 01:00:00+00'"
    two_years = 2 * 365 * 24 * 3600
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {app_table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
            f"SELECT {', '.join(exprs[c] for c in columns)} FROM ("
            f"  SELECT i, {base} + ((i::bigint * 7919) % {two_years}) * interval '1 second' AS t0"
            f"  FROM generate_series(1, {n_apps}) AS i) AS g"
        )
        t = step(f"{n_apps:,} applications", t)
        cursor.execute(f"SELECT min(id) FROM {app_table}")
        first_app = cursor.fetchone()[0]
        roles = [
            "pemohon",
            "front_office",
            "tim_teknis",
            "back_office",
            "analis_muda",
            "analis_madya",
            "sekretaris",
            "kepala_dinas",
            "back_office",
            "front_office",
        ]
        kinds = [
            "submit",
            "completeness_check",
            "inspection",
            "draft",
            "initial",
            "initial",
            "initial",
            "sign",
            "number",
            "handover",
        ]
        standards = ["180", "2100", "NULL", "180", "300", "600", "600", "NULL", "180", "60"]
        # Bulk load as one would: drop the card's secondary indexes and constraints, load, rebuild.
        card = "control_card_controlcardentry"
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [card],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [card, card],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {card} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "INSERT INTO control_card_controlcardentry (office_id, application_id, seq, step_number, step_label,"
            " step_kind, role, activity, received_at, due_at, completed_at, actor_id, actor_name, acting_for_id,"
            " acting_for_name, outcome, note, data, time_standard, worked_seconds, standard_seconds, late,"
            " office_time, prev_hash, hash) "
            f"SELECT {office.pk}, {first_app} + a, s, s, s::text,"
            f" (ARRAY{kinds})[s], (ARRAY{roles})[s], 'langkah', t, t + interval '1 hour', t + w * interval '1 second',"
            f" (ARRAY{officer_ids})[1 + ((a * 10 + s) % {len(officer_ids)})],"
            f" 'Petugas ' || ((a * 10 + s) % {len(officer_ids)}), NULL, '', 'approve', '', '{{}}'::jsonb, '10 menit',"
            f" w, std, std IS NOT NULL AND w > std, s NOT IN (1, 10), '', md5((a * 10 + s)::text)"
            f" FROM (SELECT a, s, {base} + ((a::bigint * 7919) % {two_years}) * interval '1 second'"
            f"         + s * interval '10 minutes' AS t,"
            f"       (60 + ((a * 31 + s * 17) % 1800)) AS w,"
            f"       (ARRAY[{', '.join(standards)}]::int[])[s] AS std"
            f"   FROM generate_series(0, {n_apps - 1}) AS a, generate_series(1, 10) AS s) AS g"
        )
        t = step(f"{n_apps * 10:,} card rows", t)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {card} ADD CONSTRAINT "{name}" {definition}')
        t = step(f"rebuild {len(indexes)} indexes and {len(constraints)} constraints of the card", t)
        # Answers: skewed towards 3–4, the odd element lower, over two years, one service in three blank.
        answer = "1 + ((i * {k} + (i / 7)) % 4 + (i % {m}) % 2 + 1) / 2"
        cursor.execute(
            "INSERT INTO surveys_surveyresponse (office_id, questionnaire_id, service_id, batch_id, channel, period,"
            " period_start, period_end, u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age_band, education, occupation,"
            " suggestion, entered_by_id, created_on) "
            f"SELECT {office.pk}, {questionnaire.pk},"
            f" CASE WHEN i % 3 = 0 THEN NULL ELSE (ARRAY{service_ids})[1 + i % {len(service_ids)}] END,"
            " NULL, 'online', d::text, d, d, "
            + ", ".join(answer.format(k=k, m=k + 2) for k in (3, 5, 7, 11, 13, 17, 19, 23, 29))
            + ", CASE WHEN i % 2 = 0 THEN 'L' ELSE 'P' END, '30-39', 's1', 'swasta', '', NULL, d"
            f" FROM (SELECT i, date '2025-01-01' + (i % 730) AS d FROM generate_series(1, {args.answers}) AS i) g"
        )
        t = step(f"{args.answers:,} answers", t)
        cursor.execute("ANALYZE")
        t = step("ANALYZE", t)

    period = period_parse("2026")
    start, end = reports.period_bounds(office, period)
    results: list[tuple[str, float, float]] = []

    def compare(label: str, selector: Callable[[], Any], bare_sql: str, params: list[Any]) -> Any:
        def bare() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(bare_sql, params)
                return cursor.fetchall()

        bare_time, _rows = best(bare, args.repeat)
        selector_time, value = best(selector, args.repeat)
        results.append((label, selector_time, bare_time))
        print(
            f"  {label}: selector {selector_time * 1000:.0f} ms, bare {bare_time * 1000:.0f} ms, "
            f"ratio {selector_time / bare_time:.2f}",
            flush=True,
        )
        return value

    print(f"timings (best of {args.repeat}):", flush=True)
    ikm = compare(
        "IKM 2026 (1 query)",
        lambda: surveys.ikm_of(surveys.responses_for(office=office, period=period)),
        "SELECT count(*), " + ", ".join(f"sum(u{i})" for i in range(1, 10)) + " FROM surveys_surveyresponse"
        " WHERE office_id = %s AND period_start >= %s AND period_end <= %s",
        [office.pk, period.start, period.end],
    )
    print(f"    → {ikm.respondents:,} respondents, IKM {ikm.ikm} {ikm.grade.letter}, 0,111: {ikm.ikm_weight_0111}")
    compare(
        "IKM per service 2026",
        lambda: surveys.ikm_by_service(office=office, period=period),
        "SELECT service_id, count(*), "
        + ", ".join(f"sum(u{i})" for i in range(1, 10))
        + " FROM surveys_surveyresponse WHERE office_id = %s AND period_start >= %s AND period_end <= %s"
        " GROUP BY service_id",
        [office.pk, period.start, period.end],
    )
    bare_card = (
        "SELECT count(*), sum(worked_seconds) FROM control_card_controlcardentry"
        " WHERE office_id = %s AND office_time AND completed_at >= %s AND completed_at < %s"
    )
    rows = compare(
        "performance officer×step×service vs bare count/sum",
        lambda: reports.performance_rows(office=office, start=start, end=end, by=("officer", "step", "service")),
        bare_card,
        [office.pk, start, end],
    )
    print(f"    → {len(rows):,} groups, {sum(r.handled for r in rows):,} entries judged")
    compare(
        "performance officer×step×service vs same SQL by hand",
        lambda: reports.performance_rows(office=office, start=start, end=end, by=("officer", "step", "service")),
        "SELECT e.actor_id, e.step_label, e.step_kind, e.role, a.service_id, count(*),"
        " count(*) FILTER (WHERE e.late), sum(e.worked_seconds), max(e.standard_seconds), max(e.actor_name),"
        " sum(e.worked_seconds - e.standard_seconds) FILTER (WHERE e.late AND e.standard_seconds IS NOT NULL),"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY e.worked_seconds),"
        " percentile_cont(0.9) WITHIN GROUP (ORDER BY e.worked_seconds)"
        " FROM control_card_controlcardentry e JOIN applications_application a ON a.id = e.application_id"
        " WHERE e.office_id = %s AND e.office_time AND e.completed_at >= %s AND e.completed_at < %s"
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
        [office.pk, start, end],
    )
    compare(
        "performance per officer vs bare count/sum",
        lambda: reports.performance_rows(office=office, start=start, end=end, by=("officer",)),
        bare_card,
        [office.pk, start, end],
    )
    compare(
        "SLA per service vs bare count",
        lambda: reports.sla_by_service(office=office, start=start, end=end),
        f"SELECT count(*) FROM {app_table} WHERE office_id = %s AND due_at IS NOT NULL"
        " AND COALESCE(completed_at, closed_at) >= %s AND COALESCE(completed_at, closed_at) < %s",
        [office.pk, start, end],
    )
    compare(
        "backlog now vs bare count",
        lambda: reports.backlog(office=office, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)),
        f"SELECT count(*) FROM {app_table} WHERE office_id = %s AND status = 'in_process'",
        [office.pk],
    )
    print("summary: label, selector s, bare s, ratio")
    for label, selector_time, bare_time in results:
        print(f"  {label}\t{selector_time:.3f}\t{bare_time:.3f}\t{selector_time / bare_time:.2f}")


if __name__ == "__main__":
    main()
