"""
Running it (issue 14): the public address follows HOST/PORT unless SATUPINTU_PUBLIC_URL is set,
and the scheduler's per-run lines stay out of the console.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _public_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "SATUPINTU_PUBLIC_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SATUPINTU_PUBLIC_URL)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_the_public_address_follows_host_and_port_unless_set():
    """`make run PORT=8123` no longer prints :8000 in QR codes, receipts and SMS links."""
    assert _public_url() == "http://127.0.0.1:8000"
    assert _public_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _public_url(PORT="8123", SATUPINTU_PUBLIC_URL="https://izin.example.go.id") == "https://izin.example.go.id"


def test_the_make_run_target_derives_the_address_from_host_and_port():
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export SATUPINTU_PUBLIC_URL := $(or $(SATUPINTU_PUBLIC_URL),http://$(HOST):$(PORT))" in makefile


def test_the_scheduler_executor_logs_quietly():
    """The lock is extended every 5 s; its "Running job"/"executed" lines must not bury the demo passwords."""
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.ERROR)
