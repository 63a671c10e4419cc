"""
Demo data: DPMPTSP Kota Pekanbaru from the seeds' addresses and numbers, one user per role.

The head of office is a fictional placeholder, clearly marked: a real deployment enters its own.
Demo data exists only when asked for (``make run`` / ``manage.py seed_demo``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.roles import Role
from satupintu.accounts.services import membership_grant
from satupintu.catalogue.loader import LoadResult, standard_files, standard_load_file
from satupintu.core.audit import audit_record
from satupintu.core.models import Office

PEKANBARU = {
    "slug": "dpmptsp-kota-pekanbaru",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pekanbaru",
    "region": "Kota Pekanbaru",
    "region_code": "14.71",
    "address": "Jalan Jenderal Sudirman No. 464 Pekanbaru",
    "phone": "(0761) 28262",
    "fax": "(0761) 42003",
    "sms": "+628117515133",
    "email": "dpmptsppekanbaru@gmail.com",
    "website": "www.dpmptsp.pekanbaru.go.id",
    "letterhead_lines": [
        "PEMERINTAH KOTA PEKANBARU",
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "Jalan Jenderal Sudirman No. 464 Pekanbaru, Telp. (0761) 28262, Fax (0761) 42003",
        "Email: dpmptsppekanbaru@gmail.com  Website: www.dpmptsp.pekanbaru.go.id",
    ],
    "time_zone": "Asia/Jakarta",
    "registration_prefix": "PKU",
    "head_name": "Contoh Kepala Dinas, S.T., M.Si. (data demo)",
    "head_rank": "Pembina Utama Muda (IV/c)",
    "head_nip": "197001011995031001",
    # Not in the seeds: the demo's choice, which an office sets for itself (Kantor → batas waktu).
    "return_deadline_days": 14,
}


@dataclass
class DemoResult:
    office: Office
    created_office: bool
    passwords: dict[str, str]
    standards: list[LoadResult]


def _password() -> str:
    return os.environ.get("SATUPINTU_DEMO_PASSWORD") or secrets.token_urlsafe(12)


#: The demo applicant's identity (a NIK of Pekanbaru, a woman born 15 March 1990).
DEMO_APPLICANT = {"full_name": "Rina Marlina, A.Md.Rad.", "nik": "1471015503900002"}


#: The demo's US dollar rate, so the charged service (perpanjangan IMTA) can issue its SKRD.
DEMO_USD_RATE = "16250"


def _demo_rate(office: Office, today: Any) -> None:
    """Today's demo rate, when the office has none (a real office records the KMK rate each week)."""
    from satupintu.payments.models import ExchangeRate

    if not ExchangeRate.objects.filter(office=office, currency="USD", date=today).exists():
        ExchangeRate.objects.create(
            office=office,
            currency="USD",
            date=today,
            rate=DEMO_USD_RATE,
            source="Kurs contoh (demo), bukan KMK",
            recorded_at=timezone.now(),
        )


@transaction.atomic
def demo_seed(*, reset_passwords: bool = False, standards_dir: Path | None = None) -> DemoResult:
    """
    Create (or complete) the demo office, one user per role named by its code, and load the standards.

    Return the passwords of users created now (or reset), to be printed once.
    """
    office, created_office = Office.objects.get_or_create(slug=PEKANBARU["slug"], defaults=PEKANBARU)
    if created_office:
        audit_record(action="demo.seed", office=office, target=f"office:{office.slug}")
    passwords: dict[str, str] = {}
    today = timezone.localdate()
    for role in Role:
        user = User.objects.filter(username=role.value).first()
        if user is None or reset_passwords:
            password = _password()
            if user is None:
                user = User(username=role.value, full_name=f"{role.label} (demo)")
                if role is Role.PEMOHON:
                    # The demo applicant applies online: identity comes from the account (issue 10).
                    user.full_name, user.nik = DEMO_APPLICANT["full_name"], DEMO_APPLICANT["nik"]
            user.set_password(password)
            if role is Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
            passwords[role.value] = password
        is_member = RoleMembership.objects.filter(user=user, office=office, role=role.value).exists()
        if role is not Role.PEMOHON and not is_member:
            membership_grant(office=office, user=user, role=role.value, valid_from=today)
    results = [
        standard_load_file(office=office, path=path, base=Path(settings.BASE_DIR))
        for path in standard_files(standards_dir or Path(settings.SATUPINTU_STANDARDS_DIR))
    ]
    _demo_rate(office, today)
    return DemoResult(office=office, created_office=created_office, passwords=passwords, standards=results)
