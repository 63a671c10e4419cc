"""
Several workers on one task queue (issue 12 part 5): two ``manage.py db_worker`` processes on a
PostgreSQL database take the same notices' tasks (each queued twice) at the same time, and every
notice reaches the gateway exactly once — the claim is a conditional UPDATE that one worker wins.
"""

import json
import os
import time
import urllib.parse
import uuid

import psycopg
import pytest

from satupintu.notifications.tests.test_worker_process import manage, start, stop

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="concurrent workers are tested on PostgreSQL"
)
DEADLINE_SECONDS = 60


def test_two_workers_send_each_notice_once(tmp_path):
    name = f"satupintu_workers_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = urllib.parse.urlunsplit(urllib.parse.urlsplit(DATABASE_URL)._replace(path="/postgres"))
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(DATABASE_URL)._replace(path="/" + name))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    sent_file = tmp_path / "sent.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in {"SATUPINTU_TEST_DB_NAME", "DJANGO_DEBUG"}}
    env.update(
        DATABASE_URL=url,
        SATUPINTU_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="x",
        SATUPINTU_SMS_BACKEND="file",
        SATUPINTU_EMAIL_BACKEND="file",
        SATUPINTU_NOTICE_FILE=str(sent_file),
        PYTHONUNBUFFERED="1",
    )
    workers = []
    try:
        migrated = manage("migrate", "--noinput", env=env, timeout=180)
        assert migrated.returncode == 0, migrated.stderr
        # Both workers are up and polling before the first notice is queued, so both take part.
        for k in (1, 2):
            workers.append(
                start(
                    "db_worker",
                    "--no-reload",
                    "--interval",
                    "0.1",
                    "--no-startup-delay",
                    env=env,
                    log=tmp_path / f"w{k}.log",
                )
            )
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline and not all(
            "Starting worker" in (tmp_path / f"w{k}.log").read_text() for k in (1, 2)
        ):
            time.sleep(0.2)
        setup = manage(
            "shell", "-c", "from satupintu.notifications.tests.workers_setup import run; run()", env=env, timeout=120
        )
        assert setup.returncode == 0, setup.stderr
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        with psycopg.connect(url) as db:
            (tasks,) = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%.send_notice'"
            ).fetchone()
        assert tasks == 2 * len(ids)
        statuses: dict[int, str] = {}
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            with psycopg.connect(url) as db:
                statuses = dict(db.execute("SELECT id, status FROM notifications_notice").fetchall())
                (waiting,) = db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()
            if statuses and set(statuses.values()) == {"sent"} and not waiting:
                break
            time.sleep(0.5)
    finally:
        for worker in workers:
            stop(worker)
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in tmp_path.glob("w*.log"))
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert set(statuses) == set(ids) and set(statuses.values()) == {"sent"}, f"{statuses}\n{logs}"
    lines = [json.loads(line) for line in sent_file.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids), logs  # each once, none twice
    # Both workers took part (each ran some of the 120 tasks).
    ran = [log.read_text().count("send_notice") for log in sorted(tmp_path.glob("w*.log"))]
    assert all(ran), (ran, logs)
