"""
Data and helpers for lifecycle tests. The fixtures (``services_loaded``, ``staff``, ``applicant``)
live in the root conftest.py so every interface's tests can use them.
"""

import datetime as dt
import io
from pathlib import Path

from satupintu.applications import services
from satupintu.applications.models import Application

DATA = Path(__file__).parent / "data"


def _one_page_pdf() -> bytes:
    """A real one-page PDF (catalog, page tree, page, text) with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 72 720 Td (KTP) Tj ET"
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


def upload_all(application: Application, actor, *, skip=()):
    for requirement in services.spec_for(application).requirements_for(renewal=application.renewal):
        if requirement.key not in skip:
            services.document_attach(
                application=application,
                actor=actor,
                requirement_key=requirement.key,
                stream=io.BytesIO(PDF),
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
