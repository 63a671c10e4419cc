"""
The load test's smoke run (issue 12 part 6): ``bench/loadtest.py run`` on PostgreSQL with a few
users for a few seconds, and its integrity check must hold.

The production profile (deploy/serve.sh) on a fresh database, the demo office, submitted files,
then locust's mix (public, officers reading, steps completed over the API) and the check: every
step that answered 200 is on the card once, the chains verify, numbers are gap-free. Runs when
DATABASE_URL points at PostgreSQL; the load itself is 12 s, start-up and the check take ~40 s more.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="the load test runs on PostgreSQL"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_short_load_run_loses_and_doubles_no_step_and_keeps_chains_and_numbers():
    name = f"satupintu_loadsmoke_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(DATABASE_URL)._replace(path="/" + name))
    env = {k: v for k, v in os.environ.items() if k not in {"SATUPINTU_TESTING", "SATUPINTU_TEST_DB_NAME"}}
    done = subprocess.run(
        [
            sys.executable,
            "bench/loadtest.py",
            "run",
            "--database-url",
            url,
            "--users",
            "12",
            "--spawn-rate",
            "12",
            "--run-time",
            "12s",
            "--files",
            "8",
            "--port",
            str(free_port()),
            "--web-processes",
            "2",
            "--quiet",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    assert done.stdout.strip(), done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"], report
    assert report["steps_confirmed"] > 0, report
    assert not report["missing_on_card"] and not report["doubled_on_card"] and not report["number_gaps"]
    assert all(ok for _slug, ok, _text in report["chains"])
    total = next(r for r in report["requests"] if r["name"] == "Aggregated")
    assert total["count"] > 50 and total["failures"] == 0, report["requests"]
    kinds = {r["name"] for r in report["requests"]}
    assert {"public catalogue /", "public tracking", "officer queue API"} <= kinds
