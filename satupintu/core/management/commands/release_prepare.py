"""Prepare a release to serve: deployment checks, static files, migrations, the cache table."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Siapkan rilis untuk dijalankan: pemeriksaan deploy, berkas statis, migrasi, tabel cache "
        "(dipakai oleh `make serve` dan unit systemd)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # One process for the four steps: each `manage.py` start costs seconds on a small server.
        for name, step_args, step_options in (
            ("check", [], {"deploy": True, "fail_level": "ERROR"}),
            ("collectstatic", [], {"interactive": False, "verbosity": 0}),
            ("migrate", [], {"interactive": False, "verbosity": 1}),
            ("createcachetable", [], {}),
        ):
            started = time.monotonic()
            call_command(name, *step_args, **step_options)
            self.stdout.write(f"release_prepare: {name} ({time.monotonic() - started:.1f} s)")
