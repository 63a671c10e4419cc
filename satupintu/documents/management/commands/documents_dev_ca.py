"""Create the development CA and a signing certificate per office (development and demo only)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.models import Office
from satupintu.documents.devca import dev_ca, dev_office_certificate
from satupintu.documents.signing import signer_cache_clear, signing_settings


class Command(BaseCommand):
    help = "Buat CA pengembangan dan sertifikat penanda tangan per kantor (bukan untuk produksi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help="kode kantor (slug); bawaan: semua kantor")
        parser.add_argument("--force", action="store_true", help="buat ulang sertifikat kantor yang sudah ada")

    def handle(self, *args: Any, **options: Any) -> None:
        cert, _key = dev_ca()
        self.stdout.write(f"CA pengembangan: {signing_settings()['DIR'] / 'ca.pem'} ({cert.subject.rfc4514_string()})")
        offices = Office.objects.all()
        if options.get("office"):
            offices = offices.filter(slug=options["office"])
        for office in offices:
            path = dev_office_certificate(office, force=options["force"])
            self.stdout.write(f"{office.slug}: {path}")
        signer_cache_clear()
