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


def _one_page_pdf(text: bytes = b"KTP") -> bytes:
    """A real one-page PDF (catalog, page tree, page, text) with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _small_png() -> bytes:
    """A real 30×40 PNG as Pillow writes it (so re-encoding it gives the same bytes)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (30, 40), (90, 110, 130)).save(out, format="PNG")
    return out.getvalue()


PDF = _one_page_pdf()
#: Another valid PDF: a replacement upload whose content (its page, which is what is kept) differs.
PDF_REPLACEMENT = _one_page_pdf(b"KTP yang diperbarui")
PNG = _small_png()
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
    return _one_page_pdf(f"{key} {next(_scans)}".encode())  # the page differs: it is what is kept


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
