"""
Benchmark: notices through the outbox — written, queued, and drained by the real worker loop.

    python bench/notices.py [--n 1000] [--inserts 2000] [--database sqlite|postgres|both]

For each database, in one run: (1) the rate of a bare single-row committed INSERT (the physical
floor), (2) N SMS notices written to the outbox, each in its own transaction the way an event
handler writes them (render the template, insert the row, enqueue ``send_notice`` after commit),
(3) the queue drained in this process by django-tasks-db's own ``db_worker`` loop (claim the
task, run ``send_notice``: claim the notice, send it through the fake gateway, record it, mark
the task done). Prints notices/s for the write, the drain and end to end, the bare inserts/s and
the ratio. A fresh database is made for each run (SQLite: a temporary file with the project's
settings; PostgreSQL: the database ``satupintu_bench_notices`` on $BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/). Nothing here is a test; numbers vary by machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time

from baseline import PG_SERVER, bare_insert_rate, fresh_django, postgres_reachable  # bench/ is on sys.path

PG_NAME = "satupintu_bench_notices"


def run_one(database: str, n: int, inserts: int) -> None:
    """Run in a child process so each database gets its own Django setup."""
    os.environ["SATUPINTU_SMS_BACKEND"] = "fake"
    os.environ["SATUPINTU_EMAIL_BACKEND"] = "fake"
    fresh_django(database, pg_name=PG_NAME, prefix="satupintu-bench-notices-")
    for name in ("django_tasks_db", "django.tasks", "satupintu"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker

    from satupintu.core.models import Office
    from satupintu.notifications.channels import fake_gateway
    from satupintu.notifications.models import Notice
    from satupintu.notifications.services import notice_queue

    office = Office.objects.create(
        slug="bench", name="DPMPTSP Kota Benchmark", region="Kota Benchmark", address="-", phone="(0761) 1"
    )
    context = {"nomor": "PKU-2026-000123", "kantor": office.name, "telepon_kantor": office.phone}

    # (1) The floor: one single-row INSERT per committed transaction, same connection settings.
    insert_rate = bare_insert_rate(inserts)

    # (2) The outbox write, one transaction per notice as an event handler does it.
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            notice_queue(
                office=office,
                channel="sms",
                recipient=f"+62812{i:08d}",
                event="application.ready",
                template_key="application.ready",
                context=context,
                idempotency_key=f"bench:{i}",
            )
    write_seconds = time.perf_counter() - start

    # (3) The drain: django-tasks-db's worker loop, in this process, until the queue is empty.
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    start = time.perf_counter()
    worker.run()
    drain_seconds = time.perf_counter() - start

    sent = Notice.objects.filter(status="sent").count()
    assert sent == n == len(fake_gateway.sent), (sent, n, len(fake_gateway.sent))
    drain_rate = n / drain_seconds
    print(
        f"{database:8s}  notices/s end to end {n / (write_seconds + drain_seconds):7.1f}   "
        f"outbox writes/s {n / write_seconds:7.1f}   worker sends/s {drain_rate:7.1f}   "
        f"bare inserts/s {insert_rate:7.1f}   insert rate / send rate {insert_rate / drain_rate:5.2f}x   (n={n})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--n", type=int, default=1000, help="notices per database")
    parser.add_argument("--inserts", type=int, default=2000, help="bare inserts for the baseline")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child, args.n, args.inserts)
        return
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for target in targets:
        if target == "postgres" and not postgres_reachable():
            print("postgres  skipped: no server at " + PG_SERVER)
            continue
        cmd = [sys.executable, __file__, "--child", target, "--n", str(args.n), "--inserts", str(args.inserts)]
        result = subprocess.run(cmd, check=False)
        if result.returncode:
            print(f"{target}: benchmark failed (exit {result.returncode})", file=sys.stderr)
            sys.exit(result.returncode)


if __name__ == "__main__":
    main()
