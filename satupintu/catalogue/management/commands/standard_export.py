from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.catalogue.importing import export_standard, version_for_export
from satupintu.core.errors import DomainError
from satupintu.core.selectors import office_get


class Command(BaseCommand):
    help = "Ekspor standar pelayanan sebuah layanan kantor sebagai YAML yang dapat dimuat kembali tanpa berubah."

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        # ``--version`` here is the standard's version, not the program's.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="kode (slug) kantor")
        parser.add_argument("--service", required=True, help="kode layanan")
        parser.add_argument("--version", type=int, help="nomor versi (bawaan: versi terbaru)")
        parser.add_argument("--out", required=True, help="berkas .yaml yang ditulis")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            office = office_get(options["office"])
            version = version_for_export(office=office, code=options["service"], version=options["version"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(options["out"]).write_text(export_standard(version), encoding="utf-8")
        self.stdout.write(f"{version.service.code}: v{version.version} → {options['out']} ({version.checksum[:12]})")
