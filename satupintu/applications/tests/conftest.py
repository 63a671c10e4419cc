"""
Data and helpers for lifecycle tests. The fixtures (``services_loaded``, ``staff``, ``applicant``)
live in the root conftest.py so every interface's tests can use them.
"""

import datetime as dt
import io
import itertools
from pathlib import Path

from satupintu.applications import services
from satupintu.applications.models import Application

DATA = Path(__file__).parent / "data"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
#: Another valid PDF: a replacement upload whose content differs from ``PDF``.
PDF_REPLACEMENT = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /Lang (id-ID)")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WIB = dt.timezone(dt.timedelta(hours=7))

RADIOGRAFER_DATA = {
    "nama_lengkap": "Rina Marlina, A.Md.Rad.",
    "nik": "1471015503900002",
    "tempat_lahir": "Pekanbaru",
    "tanggal_lahir": "1990-03-15",
    "jenis_kelamin": "Perempuan",
    "alamat": "Jalan Sudirman No. 1, Pekanbaru",
    "no_hp": "081234567890",
    "surel": "rina@example.com",
    "nomor_str": "RG00001234567890",
    "str_seumur_hidup": False,
    "str_berlaku_sampai": "2029-12-31",
    "tempat_kerja": "RSUD Arifin Achmad",
    "alamat_tempat_kerja": "Jalan Diponegoro No. 2, Pekanbaru",
}
PARAMEDIK_DATA = {
    **{
        k: RADIOGRAFER_DATA[k]
        for k in ("nama_lengkap", "nik", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "no_hp")
    },
    "nama_lengkap": "Agus Salim, A.Md.Pt.",
    "nik": "1471011001850003",
    "jenis_kelamin": "Laki-laki",
    "nomor_sertifikat_kompetensi": "ATR-2024-0099",
    "dokter_hewan_penyelia": "drh. Siti Aminah",
    "tempat_praktik": "Pos IB Rumbai",
    "alamat_tempat_praktik": "Jalan Yos Sudarso, Rumbai",
}
REKLAME_DATA = {"nama": "Toko Maju", "nik": "1471011001850003", "lokasi": "Jalan Riau No. 5", "ukuran": "2"}
FORM_DATA = {
    "izin-kerja-radiografer": RADIOGRAFER_DATA,
    "izin-praktik-paramedik-asisten-teknik-reproduksi": PARAMEDIK_DATA,
    "izin-reklame-kecil": REKLAME_DATA,
}


_scans = itertools.count(1)


def scan_of(key: str) -> bytes:
    """A PDF "scan" for a requirement; every call gives different content, as a new scan would."""
    return PDF.replace(b"/Type /Catalog", f"/Type /Catalog /Title ({key} {next(_scans)})".encode())


def upload_all(application: Application, actor, *, skip=()):
    for requirement in services.spec_for(application).requirements_for(renewal=application.renewal):
        if requirement.key not in skip:
            services.document_attach(
                application=application,
                actor=actor,
                requirement_key=requirement.key,
                stream=io.BytesIO(scan_of(requirement.key)),
                filename=f"{requirement.key}.pdf",
            )


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


class Clock:
    """A test clock in office time (WIB) that only moves forward."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def tick(self, **delta) -> dt.datetime:
        self.now = self.now + dt.timedelta(**delta)
        return self.now


def all_sesuai(application: Application, **flagged: str) -> dict:
    """A completeness checklist judging every applicable requirement: sesuai, or tidak sesuai with the reason given."""
    rows = {}
    for requirement in services.spec_for(application).requirements_for(renewal=application.renewal):
        if requirement.key in flagged:
            rows[requirement.key] = {"judgement": "tidak_sesuai", "reason": flagged[requirement.key]}
        else:
            rows[requirement.key] = {"judgement": "sesuai"}
    return {"checklist": rows}


def bap_for(application: Application, at: dt.datetime | None = None, **overrides) -> dict:
    """A BAP by the office's Tim Teknis (its first member), dated on the inspection day."""
    from django.utils import timezone

    from satupintu.accounts.permissions import holders_of

    day = timezone.localtime(at or timezone.now(), WIB).date()
    team = holders_of(application.office, "tim_teknis", at=at)
    bap = {
        "date": day.isoformat(),
        "team": [str(team[0].pk)] if team else [],
        "findings": "Tempat kerja memiliki ruang radiologi berizin dan alat pelindung diri.",
        "recommendation": "Direkomendasikan untuk diterbitkan izin.",
    }
    bap.update(overrides)
    return {"bap": bap}


def forward_data(application: Application, kind: str, at: dt.datetime | None = None) -> dict | None:
    """The data a step's forward outcome records: the checklist all sesuai, the BAP."""
    if kind == "completeness_check":
        return all_sesuai(application)
    if kind == "inspection":
        return bap_for(application, at)
    if kind == "handover":
        return HANDOVER_SELF
    return None


#: The handover record of an applicant collecting in person.
HANDOVER_SELF = {"handover": {"relation": "self", "name": "Rina Marlina", "id_number": "1471015503900002"}}
