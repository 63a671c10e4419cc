"""Prepare a release to serve: deployment checks, static files, migrations, the cache table."""

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Siapkan rilis untuk dijalankan: pemeriksaan deploy, berkas statis, migrasi, tabel cache "
        "(dipakai oleh `make serve` dan unit systemd)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # One process for the four steps (each `manage.py` start costs seconds on a small server).
        # The static files (hashing and compressing, no database) are collected beside the
        # migrations (the database's work) rather than after them: a fresh install waits for the
        # longer of the two, not their sum.
        self._step("check", deploy=True, fail_level="ERROR")
        with ThreadPoolExecutor(max_workers=1) as pool:
            static = pool.submit(self._step, "collectstatic", interactive=False, verbosity=0)
            self._step("migrate", interactive=False, verbosity=1)
            self._step("createcachetable")
            static.result()

    def _step(self, name: str, **step_options: Any) -> None:
        started = time.monotonic()
        call_command(name, **step_options)
        self.stdout.write(f"release_prepare: {name} ({time.monotonic() - started:.1f} s)")
