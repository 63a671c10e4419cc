"""Bring the performance rollup up to yesterday (the hourly task runs the same)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.selectors import office_get
from satupintu.reports.rollup import rollup_office, rollup_run


class Command(BaseCommand):
    help = "Rekap kinerja dari kartu kendali: jumlahkan hari-hari yang belum direkap (atau semua, --rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help="kode (slug) kantor; tanpa ini semua kantor")
        parser.add_argument("--rebuild", action="store_true", help="hitung ulang semua hari dari kartu kendali")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["office"]:
            office = office_get(options["office"])
            written = {office.slug: rollup_office(office=office, rebuild=options["rebuild"])}
        else:
            written = rollup_run(rebuild=options["rebuild"])
        for slug, rows in written.items():
            self.stdout.write(f"{slug}: {rows} baris rekap")
