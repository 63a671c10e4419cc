"""
The worker and the scheduler, for real: ``manage.py db_worker`` and ``manage.py crontask`` as
separate processes on a file SQLite database (issue 5: "The worker and scheduler run in CI for
real (not only eager mode)").

Seed, Jaminan pelayanan a (the ready SMS reaches the gateway through the worker) and the crash
guarantee (the scheduler's sweeper recovers a lost and a stuck notice; each is sent once).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 45


def manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_worker_sends_and_the_scheduler_sweeps_in_their_own_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SATUPINTU_TEST_DB_NAME", "DJANGO_DEBUG"}}
    sent_file = tmp_path / "sent.jsonl"
    env.update(
        SATUPINTU_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="x",
        SATUPINTU_SMS_BACKEND="file",
        SATUPINTU_EMAIL_BACKEND="file",
        SATUPINTU_NOTICE_FILE=str(sent_file),
        SATUPINTU_NOTICE_SWEEP_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    try:
        migrated = manage("migrate", "--noinput", env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot start manage.py in a subprocess here: {exc}")
    assert migrated.returncode == 0, migrated.stderr
    setup = manage("shell", "-c", "from satupintu.notifications.tests.process_setup import run; run()", env=env)
    assert setup.returncode == 0, setup.stderr
    ids = json.loads(setup.stdout.strip().splitlines()[-1])
    expected = {*ids["ready"], ids["lost"], ids["stuck"]}
    assert len(ids["ready"]) == 2  # the ready SMS and e-mail

    database = tmp_path / "satupintu.sqlite3"
    worker = start(
        "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", env=env, log=tmp_path / "w.log"
    )
    scheduler = start("crontask", "--no-heartbeat", env=env, log=tmp_path / "s.log")
    statuses: dict[int, str] = {}
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if worker.poll() is not None or scheduler.poll() is not None:
                break
            with sqlite3.connect(database, timeout=20) as db:
                statuses = dict(db.execute("SELECT id, status FROM notifications_notice"))
            if statuses and all(status == "sent" for status in statuses.values()):
                break
            time.sleep(0.5)
    finally:
        stop(scheduler)
        stop(worker)
    logs = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in tmp_path.glob("*.log"))
    assert expected <= set(statuses), statuses
    assert set(statuses.values()) == {"sent"}, f"{statuses}\n{logs}"

    # Every notice (submitted, accepted, ready ×2, lost, stuck) reached the gateway exactly once.
    lines = [json.loads(line) for line in sent_file.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(statuses)
    sms = next(line for line in lines if line["id"] in ids["ready"] and line["channel"] == "sms")
    assert sms["to"] == "+6281234567890" and ids["number"] in sms["text"]
    with sqlite3.connect(database) as db:
        (sweeps,) = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%.dispatch_due_notices'"
            " AND status = 'SUCCESSFUL'"
        ).fetchone()
        attempts = dict(db.execute("SELECT id, attempts FROM notifications_notice"))
    assert sweeps >= 1, logs  # the scheduler enqueued the sweeper and the worker ran it
    assert attempts[ids["stuck"]] == 2 and attempts[ids["lost"]] == 1
