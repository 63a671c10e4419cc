"""
Issue 13, part 6: faults survived without a person.

Finding: "After a PostgreSQL restart the scheduler keeps running but every job fails each minute
('connection is closed') until someone restarts it; the worker dies if the restart hits during a
task." Here a PostgreSQL cluster of the test's own (port 5436, never the shared one) is restarted
under a real ``manage.py worker`` and ``manage.py scheduler``; afterwards both are still running,
the scheduler's sweeper enqueues again, and every queued notice reaches the gateway exactly once.

Runs only as root where ``pg_createcluster`` exists (it creates and drops a cluster); about 30 s.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLUSTER, PORT = "fault", 5436
DATABASE = f"postgres://postgres@127.0.0.1:{PORT}/satupintu"
DEADLINE_SECONDS = 30

pytestmark = pytest.mark.skipif(
    shutil.which("pg_createcluster") is None or not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs pg_createcluster and root to run a PostgreSQL cluster of its own",
)


def sh(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)


def pg_version() -> str:
    return sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]


@pytest.fixture
def cluster():
    """A PostgreSQL cluster on port 5436 with trust auth and a ``satupintu`` database; dropped afterwards."""
    version = pg_version()
    sh("pg_dropcluster", "--stop", version, CLUSTER)  # a leftover of an interrupted run
    made = sh("pg_createcluster", version, CLUSTER, "--port", str(PORT))
    assert made.returncode == 0, made.stderr
    hba = Path(f"/etc/postgresql/{version}/{CLUSTER}/pg_hba.conf")
    hba.write_text("local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n")
    try:
        started = sh("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, "start")
        assert started.returncode == 0, started.stderr
        created = sh("psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-c", "CREATE DATABASE satupintu")
        assert created.returncode == 0, created.stderr
        yield version
    finally:
        sh("pg_dropcluster", "--stop", version, CLUSTER)


def query(sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(DATABASE, connect_timeout=3) as conn:
        return list(conn.execute(sql).fetchall())


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def queue(prefix: str, n: int, env: dict[str, str]) -> dict:
    done = manage(
        "shell", "-c", f"from satupintu.notifications.tests.fault_setup import run; run({prefix!r}, {n})", env=env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_all_sent(ids: set[int], processes: list[subprocess.Popen]) -> dict[int, str]:
    statuses: dict[int, str] = {}
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and all(p.poll() is None for p in processes):
        statuses = dict(query("SELECT id, status FROM notifications_notice"))
        if ids <= set(statuses) and all(statuses[i] == "sent" for i in ids):
            break
        time.sleep(0.5)
    return statuses


def test_finding_faults_worker_and_scheduler_go_on_after_a_postgresql_restart(cluster, tmp_path):
    """
    Finding "after a PostgreSQL restart the scheduler keeps running but every job fails … the
    worker dies": both survive a restart of the database under them, with nobody restarting
    anything, and every notice queued before and after it is sent exactly once.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"SATUPINTU_TEST_DB_NAME", "DJANGO_DEBUG"}}
    sent_file = tmp_path / "sent.jsonl"
    env.update(
        DATABASE_URL=DATABASE,
        # Long-lived connections, as in production: what the restart breaks.
        DATABASE_CONN_MAX_AGE="600",
        SATUPINTU_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="x",
        SATUPINTU_SMS_BACKEND="file",
        SATUPINTU_NOTICE_FILE=str(sent_file),
        SATUPINTU_NOTICE_SWEEP_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    before = queue("before", 5, env)

    worker = start("worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", env=env, log=tmp_path / "w.log")
    scheduler = start("scheduler", "--no-heartbeat", env=env, log=tmp_path / "s.log")
    processes = [worker, scheduler]
    try:
        first = {*before["queued"], before["lost"]}
        statuses = wait_all_sent(first, processes)
        assert all(statuses.get(i) == "sent" for i in first), statuses

        restarted = sh("pg_ctlcluster", "--skip-systemctl-redirect", cluster, CLUSTER, "restart", timeout=60)
        assert restarted.returncode == 0, restarted.stderr
        (restart_at,) = query("SELECT pg_postmaster_start_time()")[0]
        time.sleep(2)  # both processes meet the restart with their old connections
        after = queue("after", 5, env)
        second = {*after["queued"], after["lost"]}
        statuses = wait_all_sent(first | second, processes)
        alive = (worker.poll(), scheduler.poll())
    finally:
        stop(scheduler)
        stop(worker)
    logs = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in tmp_path.glob("*.log"))
    assert alive == (None, None), f"a process died\n{logs}"
    assert all(statuses.get(i) == "sent" for i in first | second), f"{statuses}\n{logs}"

    # The lost notice of the second lot went out through the sweeper the scheduler enqueued
    # after the restart; every notice reached the gateway once.
    sweeps = query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%.dispatch_due_notices'"
        f" AND status = 'SUCCESSFUL' AND enqueued_at > '{restart_at.isoformat()}'"
    )[0][0]
    assert sweeps >= 1, logs
    lines = [json.loads(line) for line in sent_file.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(first | second), logs
