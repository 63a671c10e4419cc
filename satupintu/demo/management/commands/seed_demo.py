from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from satupintu.demo.data import demo_seed

#: The command that makes new demo passwords, named in full so it can be copied from the output.
RESET = "DJANGO_DEBUG=1 .venv/bin/python manage.py seed_demo --reset-passwords"


class Command(BaseCommand):
    help = "Buat data demo: DPMPTSP Kota Pekanbaru, satu pengguna per peran, dan kedua standar pelayanan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset-passwords", action="store_true", help="buat ulang kata sandi semua pengguna demo")

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_seed(reset_passwords=options["reset_passwords"])
        sign_in = settings.SATUPINTU_PUBLIC_URL.rstrip("/") + reverse("accounts:login")
        self.stdout.write(f"Kantor: {result.office.name} ({'baru' if result.created_office else 'sudah ada'})")
        for loaded in result.standards:
            state = "versi baru" if loaded.created else "tidak berubah"
            self.stdout.write(f"Standar {loaded.service.code}: v{loaded.version.version} ({state})")
        if result.passwords:
            self.stdout.write(self.style.WARNING("Akun demo (kata sandi hanya ditampilkan sekali ini):"))
            for username, password in result.passwords.items():
                self.stdout.write(f"  {username:<22} {password}")
            self.stdout.write(f"Masuk di {sign_in}; kata sandi hilang? {RESET}")
        else:
            self.stdout.write(f"Akun demo sudah ada; kata sandi baru: {RESET}")
