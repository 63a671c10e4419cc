"""
Latency of the pages and API calls that grow with the data, against the bench database.

    python bench/latency.py [--database-url URL] [--repeat 30] [--steps 3] [--no-explain]
    make bench-latency

Run ``bench/data.py`` first (``make bench-data N=...``). The app runs in this process through
Django's test client (middleware, URL routing, views, templates, ORM and the database; no HTTP
server and no network in between), with DEBUG off, the production static-file storage and a
persistent database connection, so every figure is what a worker spends on the request.

For each request: ``--repeat`` timed runs after three warm-up runs, reported as p50 and p95 in
milliseconds and as a ratio to the p50 of a trivial request (a 404 through the whole middleware
stack) measured in the same run, before and after the others; the number of SQL queries it
makes; and EXPLAIN (ANALYZE, BUFFERS) of its slowest query.

Then the steps: ``--steps`` fresh applications in the biggest office walked through every SOP
step by the domain services, with the queries and the time of each step kind, and the same
process's bare committed single-row INSERT as the floor (``bench/baseline.py``). The step
figures are reported, not judged. The applications it adds stay in the bench database.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_scale"
BENCH_CARD_KEY = "bench-only-card-key-not-a-secret-0123456789abcdef"


def _setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("SATUPINTU_TESTING", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    # Walked in one process without a worker: the signature is made in the approving step (ADR 0009).
    os.environ.setdefault("SATUPINTU_SIGNING_EAGER", "1")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    os.environ["SATUPINTU_VAR_DIR"] = tempfile.mkdtemp(prefix="satupintu-latency-")
    # The card chain is keyed (docs/security.md); generator and benchmark share this bench-only key.
    os.environ.setdefault("SATUPINTU_CARD_KEY", BENCH_CARD_KEY)
    # The shared cache as the production profile picks it, with keys of its own.
    from baseline import shared_cache_url  # bench/ is on sys.path when run as a script

    os.environ["SATUPINTU_CACHE_URL"] = shared_cache_url()
    os.environ.setdefault("SATUPINTU_CACHE_PREFIX", "satupintu_bench_latency")
    import logging

    import django

    django.setup()
    from django.core.management import call_command

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the baseline's 404s
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the database cache (sessions, throttles) if used


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _time(call: Callable[[], Any], repeat: int) -> list[float]:
    for _ in range(3):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def _queries(call: Callable[[], Any]) -> tuple[int, dict[str, Any] | None, int]:
    """How many queries one call makes, its slowest one, and the response size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = call()
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
    return len(ctx.captured_queries), slowest, len(getattr(response, "content", b""))


def _officer_client(user: Any) -> Any:
    """A test client signed in as ``user`` with the second factor given, as production asks of officers."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages(repeat: int, explain: bool) -> str:
    import datetime as dt

    from django.db.models import Count
    from django.test import Client

    from satupintu.accounts.models import RoleMembership, User
    from satupintu.api.tokens import token_issue
    from satupintu.applications.models import Application
    from satupintu.applications.selectors import ACTIVE
    from satupintu.core.models import Office

    biggest = (
        Application.objects.filter(status__in=ACTIVE)
        .exclude(current_role__in=["", "pemohon"])
        .values("office", "current_role")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if biggest is None:
        sys.exit("the bench database has no open applications: run bench/data.py first")
    office = Office.objects.get(pk=biggest["office"])
    role = biggest["current_role"]
    officer = User.objects.get(pk=RoleMembership.objects.filter(office=office, role=role).values("user")[:1])
    evaluator = User.objects.get(pk=RoleMembership.objects.filter(office=office, role="kepegawaian").values("user")[:1])
    queued = Application.objects.filter(office=office, current_role=role, status__in=ACTIVE).order_by("pk").first()
    year = dt.datetime.now(dt.UTC).date().year
    finished = list(
        Application.objects.filter(office=office, status="collected")
        .order_by("?")
        .values_list("number", "tracking_code")[:50]
    )
    total = Application.objects.count()
    from django.conf import settings

    print(f"{total:,} applications; biggest queue: {biggest['n']:,} files for {role} in {office.slug}")
    print(f"cache: {settings.CACHES['default']['BACKEND']}")

    staff = _officer_client(officer)
    evaluator_client = _officer_client(evaluator)
    _record, token = token_issue(user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    public = Client()
    tracked = iter(finished * (repeat + 10))

    def track() -> Any:
        number, code = next(tracked)
        return public.get("/lacak/", {"nomor": number, "kode": code}, REMOTE_ADDR="10.0.0.1")

    requests: list[tuple[str, Callable[[], Any]]] = [
        ("trivial request (404)", lambda: public.get("/__bench_trivial__/")),
        ("public catalogue /", lambda: public.get("/")),
        ("public tracking /lacak/", track),
        (f"staff queue ({biggest['n']:,} files), page 1", lambda: staff.get(f"/petugas/{office.slug}/antrian/{role}/")),
        (
            "staff queue, last page",
            lambda: staff.get(f"/petugas/{office.slug}/antrian/{role}/", {"halaman": "last"}),
        ),
        ("GET /api/v1/queue", lambda: api.get("/api/v1/queue", {"office": office.slug, "role": role})),
        ("staff application page", lambda: staff.get(f"/petugas/permohonan/{queued.number}/")),
        (
            f"performance + SLA, {office.slug} {year}",
            lambda: evaluator_client.get(f"/petugas/survei/{office.slug}/kinerja/", {"periode": str(year)}),
        ),
    ]
    results = []
    for name, call in requests:
        status = call().status_code
        count, slowest, size = _queries(call)
        samples = _time(call, repeat if "performance" not in name else max(5, repeat // 3))
        results.append((name, status, samples, count, slowest, size))
    baseline_after = _time(requests[0][1], repeat)
    base = statistics.median(results[0][2] + baseline_after)
    print(f"\nrepeat {repeat}; baseline = median of the trivial request before and after: {base:.2f} ms\n")
    print(
        f"{'request':44s} {'HTTP':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'p50/base':>9s} {'p95/base':>9s} "
        f"{'queries':>7s} {'KB':>7s}"
    )
    for name, status, samples, count, _slowest, size in results:
        p50, p95 = _percentile(samples, 0.5), _percentile(samples, 0.95)
        print(
            f"{name:44s} {status:>4d} {p50:8.1f} {p95:8.1f} {p50 / base:8.1f}x {p95 / base:8.1f}x "
            f"{count:>7d} {size / 1024:7.1f}"
        )
    if explain:
        for name, _status, _samples, count, slowest, _size in results[1:]:
            if slowest is None:
                continue
            print(f"\n--- {name}: slowest of {count} queries ({float(slowest['time']) * 1000:.1f} ms)")
            sql = slowest["sql"]
            print("    " + (sql if len(sql) < 600 else sql[:600] + " …"))
            for line in _explain(sql):
                print("    " + line)
    return office.slug


def steps(count: int, office_slug: str) -> None:
    """Queries and time per step kind for fresh applications in the biggest office (reported only)."""
    import datetime as dt

    from baseline import FORWARD_OUTCOME, RADIOGRAPHER_FORM, bare_insert_rate, forward_data  # bench/ on sys.path
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.accounts.models import RoleMembership, User
    from satupintu.applications import services
    from satupintu.catalogue.models import Service
    from satupintu.core.models import Office

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("documents_dev_ca", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_row")
    insert_rate = bare_insert_rate(2000)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_row")
    insert_ms = 1000 / insert_rate
    office = Office.objects.get(slug=office_slug)
    service = Service.objects.get(office=office, code="izin-kerja-radiografer")
    staff = {m.role: m.user for m in RoleMembership.objects.filter(office=office).select_related("user").order_by("pk")}
    stamp = time.time_ns()
    applicant = User.objects.create(
        username=f"bench-steps-{stamp}",
        full_name="Rina Marlina, A.Md.Rad.",
        nik=f"1471015503{stamp % 1000000:06d}",  # unique per run: one account per NIK
        phone=f"+62819{stamp % 100000000:08d}",
    )
    data = RADIOGRAPHER_FORM
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    bap = {
        "date": today,
        "team": [str(staff["tim_teknis"].pk)],
        "findings": "Tempat kerja memiliki ruang radiologi berizin.",
        "recommendation": "Direkomendasikan untuk diterbitkan izin.",
    }

    handover = {"relation": "self", "name": data["nama_lengkap"], "id_number": data["nik"]}

    def step_data(app: Any, kind: str) -> dict[str, Any] | None:
        keys = [r.key for r in services.spec_for(app).requirements_for(renewal=app.renewal)]
        return forward_data(kind, requirement_keys=keys, bap=bap, handover=handover)

    from satupintu.applications.tests.conftest import scan_of

    queries: dict[str, list[int]] = defaultdict(list)
    millis: dict[str, list[float]] = defaultdict(list)
    for _ in range(count):
        app = services.application_create(office=office, service=service, actor=applicant, data=data)
        spec = services.spec_for(app)
        for requirement in spec.requirements_for(renewal=False):
            services.document_attach(
                application=app,
                actor=applicant,
                requirement_key=requirement.key,
                stream=io.BytesIO(scan_of(requirement.key)),  # a real PDF: uploads are parsed
                filename="a.pdf",
            )
        for step in spec.sop.steps:
            actor = applicant if step.kind == "submit" else staff[step.roles[0]]
            kind = "paraf" if step.kind == "initial" else step.kind
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                app = services.step_complete(
                    application=app,
                    actor=actor,
                    step_number=step.number,
                    outcome=FORWARD_OUTCOME[step.kind],
                    data=step_data(app, step.kind),
                )
                millis[kind].append((time.perf_counter() - start) * 1000)
            queries[kind].append(len(ctx.captured_queries))
            if os.environ.get("BENCH_PRINT_SQL"):
                print(f"== {kind}: {len(ctx.captured_queries)}")
                for q in ctx.captured_queries:
                    print("   ", q["sql"][:160])
    print(
        f"\nsteps in {office.slug} ({count} applications; bare committed INSERT {insert_ms:.2f} ms, "
        f"{insert_rate:,.0f}/s, same process and database)"
    )
    # Queries: the most any file made (the first pays the cold caches: calendar, templates) and
    # the fewest (a warm process), counting BEGIN, COMMIT and what runs after commit (the notices'
    # tasks on the database queue).
    print(f"{'step kind':20s} {'queries max':>11s} {'warm':>5s} {'median ms':>10s} {'÷ insert':>9s}")
    for kind in queries:
        median = statistics.median(millis[kind])
        print(
            f"{kind:20s} {max(queries[kind]):>11d} {min(queries[kind]):>5d} {median:10.2f} {median / insert_ms:8.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--steps", type=int, default=3, help="applications walked through the SOP (0: none)")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--no-pages", action="store_true", help="only the steps (in the biggest office)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    _setup(args.database_url)
    if args.no_pages:
        from django.db.models import Count

        from satupintu.applications.models import Application

        biggest = Application.objects.values("office__slug").annotate(n=Count("pk")).order_by("-n").first()
        office_slug = biggest["office__slug"] if biggest else sys.exit("no applications: run bench/data.py first")
    else:
        office_slug = pages(args.repeat, not args.no_explain)
    if args.steps:
        steps(args.steps, office_slug)


if __name__ == "__main__":
    main()
