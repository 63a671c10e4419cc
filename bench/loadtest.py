"""
The load test (issue 12 part 6): the production profile under a bounded locust run, then integrity.

    python bench/loadtest.py run [--users 200] [--spawn-rate 20] [--run-time 60s] [--files 300]
    make loadtest                      # the same; LOADTEST_ARGS="--users 50 --run-time 30s"

``run`` drops and creates the database (``--database-url``, default
``postgres://postgres@127.0.0.1:5432/satupintu_load``; its name must start with ``satupintu_``),
starts ``deploy/serve.sh`` on it (gunicorn, worker and scheduler; 127.0.0.1, ``--port``), loads the
demo office (an officer per role, both shipped standards) and the development signing
certificate, and prepares ``--files`` submitted radiographer files with their uploads (``prepare``).
Then locust runs headless (``bench/locustfile.py``: 70 % public, 20 % officers reading, 10 %
completing steps) for ``--run-time``, the server is stopped, and ``check`` verifies:

- every step that answered 200 has exactly one card entry (step and outcome), and no step of the
  files walked is on the card twice;
- every card of the office verifies (``manage.py card_verify``: keyed chain, anchors);
- permit numbers are gap-free per office, series and year (1…n, and the series is at n), and so
  are registration numbers.

It prints locust's figures (requests, failures, req/s, p50/p95 per request kind) and the check,
and exits non-zero when a check fails. ``--keep`` leaves the database for a look afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_load"
PASSWORD = "loadtest-sandi-2026"
SERVICE = "izin-kerja-radiografer"
READING_ROLES = ["front_office", "back_office", "analis_muda", "analis_madya", "sekretaris", "kepala_dinas"]


# --- inside Django (prepare, check) ----------------------------------------------------------------


def _django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def prepare(url: str, files: int, out: Path) -> None:
    """Demo office, signing certificate, API tokens per role, and ``files`` submitted files; the pool file."""
    _django(url)
    import contextlib
    import io

    from baseline import FORWARD_OUTCOME, forward_data  # bench/ is on sys.path when run as a script
    from django.core.management import call_command
    from django.utils import timezone

    from satupintu.accounts.models import User
    from satupintu.api.tokens import token_issue
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, upload_all
    from satupintu.catalogue.models import Service
    from satupintu.core.models import Office

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("seed_demo")
        call_command("documents_dev_ca")
    office = Office.objects.get(slug="dpmptsp-kota-pekanbaru")
    service = Service.objects.get(office=office, code=SERVICE)
    applicant = User.objects.get(username="pemohon")
    roles = sorted({*READING_ROLES, "tim_teknis"})
    tokens = {role: token_issue(user=User.objects.get(username=role))[1] for role in roles}
    pool = []
    for _ in range(files):
        app = services.application_create(office=office, service=service, actor=applicant, data=FORM_DATA[SERVICE])
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant)
        pool.append({"number": app.number, "code": app.tracking_code})
    spec = services.spec_for(app)
    keys = [r.key for r in spec.requirements_for(renewal=False)]
    today = timezone.localdate(timezone.now(), timezone=__import__("zoneinfo").ZoneInfo(office.time_zone))
    bap = {
        "date": today.isoformat(),
        "team": ["tim_teknis"],
        "findings": "Tempat kerja sesuai.",
        "recommendation": "Layak diberikan izin kerja.",
    }
    handover = {"relation": "self", "name": applicant.full_name, "id_number": applicant.nik}
    steps = [
        {
            "number": s.number,
            "kind": s.kind,
            "role": s.roles[0] if s.roles[0] != "pemohon" else "front_office",
            "outcome": FORWARD_OUTCOME[s.kind],
            "data": forward_data(s.kind, requirement_keys=keys, bap=bap, handover=handover) or {},
        }
        for s in spec.sop.steps
        if s.kind != "submit"
    ]
    out.write_text(
        json.dumps(
            {
                "office": office.slug,
                "service": SERVICE,
                "tokens": tokens,
                "reading_roles": READING_ROLES,
                "steps": steps,
                "files": pool,
            }
        )
    )


def check(url: str, pool_path: Path, results_path: Path) -> dict[str, Any]:
    """The integrity check after a run; a dict of findings (``ok`` says whether all hold)."""
    _django(url)
    from collections import Counter

    from django.core.management import call_command
    from django.db.models import Count, Max

    from satupintu.applications.models import Application, NumberSeries, Permit
    from satupintu.applications.numbering import registration_format
    from satupintu.control_card.models import ControlCardEntry
    from satupintu.core.models import Office

    pool = json.loads(pool_path.read_text())
    results = json.loads(results_path.read_text())["steps"] if results_path.exists() else []
    numbers = [f["number"] for f in pool["files"]]
    ids = dict(Application.objects.filter(number__in=numbers).values_list("number", "pk"))
    on_card = Counter(
        (row["application_id"], row["step_number"], row["outcome"])
        for row in ControlCardEntry.objects.filter(application_id__in=ids.values()).values(
            "application_id", "step_number", "outcome"
        )
    )
    ok_steps = [(n, s, o) for n, s, o, status in results if status == 200]
    missing = [r for r in ok_steps if on_card[(ids[r[0]], r[1], r[2])] == 0]
    doubled = sorted(key for key, n in on_card.items() if n > 1)
    confirmed = {(ids[n], s, o) for n, s, o in ok_steps}
    walked = {step["number"] for step in pool["steps"]}
    # A step on the card whose request did not answer 200 (e.g. a timeout after commit).
    unconfirmed = sorted(k for k in on_card if k[1] in walked and k not in confirmed)

    chains = []
    for office in Office.objects.filter(pk__in=ControlCardEntry.objects.values("office_id")):
        out = __import__("io").StringIO()
        try:
            call_command("card_verify", office=office.slug, stdout=out)
            chains.append((office.slug, True, out.getvalue().strip()))
        except SystemExit:
            chains.append((office.slug, False, out.getvalue().strip()))

    gaps = []
    permits = (
        Permit.objects.values("office_id", "year", "application__service__code")
        .annotate(n=Count("pk"), top=Max("seq"))
        .order_by()
    )
    for row in permits:
        seqs = sorted(
            Permit.objects.filter(
                office_id=row["office_id"],
                year=row["year"],
                application__service__code=row["application__service__code"],
            ).values_list("seq", flat=True)
        )
        series = NumberSeries.objects.filter(
            office_id=row["office_id"], key=f"izin:{row['application__service__code']}", year=row["year"]
        ).first()
        if seqs != list(range(1, len(seqs) + 1)) or series is None or series.last_value != len(seqs):
            gaps.append(f"permits {row}: seqs {seqs[:5]}… series {series.last_value if series else None}")
    for series in NumberSeries.objects.filter(key="registrasi").select_related("office"):
        expected = {
            registration_format(office=series.office, year=series.year, seq=i) for i in range(1, series.last_value + 1)
        }
        actual = set(
            Application.objects.filter(office=series.office, number__in=expected).values_list("number", flat=True)
        )
        if actual != expected:
            gaps.append(f"registration {series.office.slug} {series.year}: {len(expected - actual)} numbers missing")

    statuses = Counter(status for *_rest, status in results)
    return {
        "ok": not missing and not doubled and all(c[1] for c in chains) and not gaps,
        "step_requests": len(results),
        "step_statuses": dict(statuses),
        "steps_confirmed": len(ok_steps),
        "missing_on_card": missing,
        "doubled_on_card": doubled,
        "on_card_without_200": unconfirmed,
        "chains": chains,
        "number_gaps": gaps,
        "permits": Permit.objects.filter(application_id__in=ids.values()).count(),
    }


# --- outside Django (run) ---------------------------------------------------------------------


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _wait_up(base: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("serve.sh stopped:\n" + log.read_text()[-3000:])
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s")


def _signatures_drain(url: str, timeout: float) -> int:
    """
    Wait until the worker has signed every approval the run made (ADR 0009: a sign step answers
    before its signature exists, and its card entry is written with the signature); return how
    many were still open when ``timeout`` passed.
    """
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            (open_,) = conn.execute(
                "SELECT count(*) FROM applications_signaturerequest WHERE state IN ('pending', 'signing')"
            ).fetchone()
            if not open_ or time.monotonic() > deadline:
                return int(open_)
            time.sleep(0.5)


def _summary(prefix: str) -> list[dict[str, str]]:
    with open(prefix + "_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Serve, prepare, load, stop, check; return the figures and the check."""
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    if not name.startswith("satupintu_"):
        raise SystemExit("the load-test database's name must start with satupintu_ (it is dropped)")
    work = Path(tempfile.mkdtemp(prefix="satupintu-loadtest-"))
    _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(args.database_url, f'CREATE DATABASE "{name}"')
    py = str(Path(sys.executable))
    drop = {"SATUPINTU_TESTING", "SATUPINTU_TEST_DB_NAME", "DJANGO_DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "PORT": str(args.port),
            "SATUPINTU_VAR_DIR": str(work / "var"),
            "DJANGO_SECRET_KEY": "loadtest-" + uuid.uuid4().hex * 2,
            "SATUPINTU_CARD_KEY": uuid.uuid4().hex * 2,
            "SATUPINTU_CACHE_PREFIX": name,
            "SATUPINTU_SMS_BACKEND": "file",
            "SATUPINTU_EMAIL_BACKEND": "file",
            "SATUPINTU_DEMO_PASSWORD": PASSWORD,
            "PY": py,
        }
    )
    if args.web_processes:
        env["WEB_CONCURRENCY"] = str(args.web_processes)
    log = work / "serve.log"
    base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    with log.open("wb") as log_handle:
        server = subprocess.Popen(
            ["bash", "deploy/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_up(base, server, log, timeout=600)  # migrations on a fresh database; slow on a busy machine
            pool = work / "pool.json"
            subprocess.run(
                [
                    py,
                    __file__,
                    "prepare",
                    "--database-url",
                    args.database_url,
                    "--files",
                    str(args.files),
                    "--out",
                    str(pool),
                ],
                cwd=ROOT,
                env={**env, "DJANGO_DEBUG": "1"},
                check=True,
            )
            ready = time.monotonic()
            results = work / "results.json"
            prefix = str(work / "locust")
            subprocess.run(
                [
                    str(Path(py).parent / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.run_time,
                    "--host",
                    base,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--exit-code-on-error",
                    "0",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**env, "LOADTEST_POOL": str(pool), "LOADTEST_RESULTS": str(results)},
                check=True,
                stdout=subprocess.DEVNULL if args.quiet else None,
            )
            loaded = time.monotonic()
            drained = _signatures_drain(args.database_url, timeout=120)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
    # The check in its own process (Django set up on the database, after the server stopped).
    found = subprocess.run(
        [py, __file__, "check", "--database-url", args.database_url, "--pool", str(pool), "--results", str(results)],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    if found.returncode not in (0, 1):
        raise SystemExit(found.stderr)
    report = json.loads(found.stdout.strip().splitlines()[-1])
    stats = _summary(prefix)
    report["requests"] = [
        {
            "name": row["Name"],
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "rps": float(row["Requests/s"] or 0),
        }
        for row in stats
    ]
    report["signatures_open_after_drain"] = drained
    report["ok"] = report["ok"] and not drained
    report["setup_s"] = round(ready - started, 1)
    report["load_s"] = round(loaded - ready, 1)
    report["users"] = args.users
    report["work_dir"] = str(work)
    if not args.keep:
        _admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _forget_cache(name)
    return report


def _forget_cache(prefix: str) -> None:
    try:
        import redis

        client = redis.Redis(socket_connect_timeout=1)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    except Exception:  # no Redis: the server used the database cache, dropped with the database
        pass


def print_report(report: dict[str, Any]) -> None:
    print(f"\n{report['users']} users, {report['load_s']} s of load (setup {report['setup_s']} s)")
    print(f"{'request':32s} {'count':>7s} {'fail':>5s} {'p50 ms':>7s} {'p95 ms':>7s} {'req/s':>7s}")
    for row in report["requests"]:
        print(
            f"{row['name'][:32]:32s} {row['count']:>7d} {row['failures']:>5d} {row['p50_ms']:>7.0f} "
            f"{row['p95_ms']:>7.0f} {row['rps']:>7.1f}"
        )
    print(
        f"\nsteps: {report['step_requests']} requests {report['step_statuses']}, {report['steps_confirmed']} "
        f"confirmed; missing on the card {len(report['missing_on_card'])}, twice on the card "
        f"{len(report['doubled_on_card'])}, on the card without a 200 {len(report['on_card_without_200'])}; "
        f"permits {report['permits']}"
    )
    for slug, ok, text in report["chains"]:
        print(f"card_verify {slug}: {'ok' if ok else 'BROKEN'} — {text.splitlines()[-1] if text else ''}")
    print("numbers: " + ("gap-free" if not report["number_gaps"] else "; ".join(report["number_gaps"])))
    print(f"signatures still open after the worker's drain: {report['signatures_open_after_drain']}")
    print("integrity: " + ("OK" if report["ok"] else "FAILED"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="serve, prepare, load, check")
    p_run.add_argument("--database-url", default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL))
    p_run.add_argument("--users", type=int, default=200)
    p_run.add_argument("--spawn-rate", type=float, default=20)
    p_run.add_argument("--run-time", default="60s")
    p_run.add_argument("--files", type=int, default=300, help="submitted files prepared for the step users")
    p_run.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", "8100")))
    p_run.add_argument("--web-processes", type=int, default=0, help="gunicorn processes (default: serve's)")
    p_run.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p_run.add_argument("--quiet", action="store_true", help="no locust output")
    p_run.add_argument("--json", action="store_true", help="print the report as JSON")
    p_prep = sub.add_parser("prepare")
    p_prep.add_argument("--database-url", required=True)
    p_prep.add_argument("--files", type=int, required=True)
    p_prep.add_argument("--out", type=Path, required=True)
    p_check = sub.add_parser("check")
    p_check.add_argument("--database-url", required=True)
    p_check.add_argument("--pool", type=Path, required=True)
    p_check.add_argument("--results", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.database_url, args.files, args.out)
    elif args.command == "check":
        report = check(args.database_url, args.pool, args.results)
        print(json.dumps(report, default=list))
        sys.exit(0 if report["ok"] else 1)
    else:
        report = run(args)
        print(json.dumps(report, default=list) if args.json else "", end="\n" if args.json else "")
        if not args.json:
            print_report(report)
        sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
