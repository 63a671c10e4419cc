from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.catalogue.loader import StandardFileError, parse_standard, standard_files, standard_load_file
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_get


class Command(BaseCommand):
    help = (
        "Muat berkas standar pelayanan (YAML) ke sebuah kantor. Idempoten: berkas yang tidak berubah "
        "tidak membuat versi baru. Tanpa argumen: semua berkas di folder standards/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="berkas .yaml atau folder")
        parser.add_argument("--office", default=settings.SATUPINTU_DEFAULT_OFFICE, help="kode (slug) kantor")
        parser.add_argument("--check", action="store_true", help="hanya periksa berkas, tanpa memuat")

    def handle(self, *args: Any, **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        targets = [Path(p) for p in options["paths"]] or [Path(settings.SATUPINTU_STANDARDS_DIR)]
        files: list[Path] = []
        for target in targets:
            target = target if target.is_absolute() else Path.cwd() / target
            if target.is_dir():
                files.extend(standard_files(target))
            elif target.exists():
                files.append(target)
            else:
                raise CommandError(f"{target}: berkas atau folder tidak ditemukan")
        if not files:
            raise CommandError("Tidak ada berkas standar (.yaml) yang ditemukan.")
        failures: list[str] = []
        if options["check"]:
            for path in files:
                try:
                    parse_standard(path.read_text(encoding="utf-8"), path=str(path))
                    self.stdout.write(f"sah: {path}")
                except StandardFileError as exc:
                    failures.append(exc.message)
        else:
            try:
                office = office_get(options["office"])
            except NotFound as exc:
                raise CommandError(exc.message) from None
            for path in files:
                try:
                    result = standard_load_file(office=office, path=path, base=base)
                except StandardFileError as exc:
                    failures.append(exc.message)
                    continue
                state = "versi baru" if result.created else "tidak berubah"
                self.stdout.write(f"{result.service.code}: v{result.version.version} ({state})")
        if failures:
            raise CommandError("Berkas standar tidak sah:\n" + "\n".join(failures))
