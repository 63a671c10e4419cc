from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.catalogue.importing import import_standard, role_map_parse
from satupintu.core.errors import DomainError
from satupintu.core.selectors import office_get


class Command(BaseCommand):
    help = (
        "Impor naskah Standar Pelayanan yang diterbitkan (teks halaman web, daftar bernomor, tabel HTML, "
        "PDF atau DOCX) menjadi draf berkas standar (YAML) dengan laporan impor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="naskah: .txt, .html, .pdf atau .docx")
        parser.add_argument("--office", required=True, help="kode (slug) kantor")
        parser.add_argument("--out", required=True, help="berkas draf .yaml yang ditulis")
        parser.add_argument("--report", help="berkas laporan impor .json")
        parser.add_argument("--roles", help="peta nama jabatan kantor → kode peran (.yaml)")
        parser.add_argument("--implied-time", default="1 hari", help="waktu langkah tersirat (mis. pemeriksaan BAP)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"{source}: berkas tidak ditemukan")
        try:
            office = office_get(options["office"])
            role_map = None
            if options["roles"]:
                role_map = role_map_parse(Path(options["roles"]).read_text(encoding="utf-8"))
            result = import_standard(
                source.read_bytes(),
                source.name,
                role_map=role_map,
                publisher=office.name,
                implied_time=options["implied_time"],
                office=office,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"berkas tidak dapat dibaca: {exc}") from None
        Path(options["out"]).write_text(result.yaml_text, encoding="utf-8")
        report = result.report
        if options["report"]:
            Path(options["report"]).write_text(report.as_json() + "\n", encoding="utf-8")
        self.stdout.write(
            f"draf: {options['out']} ({result.definition.code}, {len(result.definition.sop.steps)} langkah)"
        )
        self.stdout.write(
            f"baris: {report.total_lines}, ditempatkan {len(report.placed_lines)}, "
            f"tidak ditempatkan {len(report.unplaced_lines)}"
        )
        for entry in report.unmapped_roles:
            self.stdout.write(f"peran belum dipetakan: {entry.name} ({', '.join(entry.where)})")
        for line in report.unplaced_lines:
            self.stdout.write(f"baris {line.line} tidak ditempatkan ({line.reason}): {line.text[:80]}")
        if report.components_missing:
            self.stdout.write("komponen tidak ada: " + ", ".join(report.components_missing))
