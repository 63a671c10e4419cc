"""
Fixtures for the documents tests: a signing directory per test session (its development CA), and
applications walked through the SOP to the issued, signed permit.
"""

import datetime as dt
import io
import re

import png
import pytest
import zxingcpp
from django.conf import settings

from satupintu.applications.tests.conftest import forward_data

if "satupintu.documents" not in settings.INSTALLED_APPS:
    # Until the app is wired into INSTALLED_APPS its models cannot load; collect nothing here.
    collect_ignore_glob = ["test_*.py"]

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all

BAP_DATA = {
    "date": "2026-03-10",
    "team": ["tim_teknis-1"],
    "findings": "Tempat kerja sesuai; alat radiologi berizin BAPETEN.",
    "recommendation": "Layak diberikan izin kerja.",
}

FORWARD = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
}
RADIOGRAFER = "izin-kerja-radiografer"
PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def signing(settings, _signing_dir):
    """Sign with the development CA in a directory of this test session; public URL fixed."""
    from satupintu.documents.signing import signer_cache_clear

    settings.SATUPINTU_SIGNING = {"DIR": _signing_dir, "AUTO_DEV_CA": True, "PASSPHRASE": "uji-rahasia"}
    settings.SATUPINTU_PUBLIC_URL = "https://izin.example.go.id"
    signer_cache_clear()
    yield _signing_dir
    signer_cache_clear()


@pytest.fixture
def head(office):
    """The office's head on record: name, rank and NIP printed in the signature block."""
    office.head_name = "Dr. H. Akmal Prasetyo, S.T., M.Si."
    office.head_rank = "Pembina Utama Muda (IV/c)"
    office.head_nip = "197001011995031001"
    office.letterhead_lines = [
        "Pemerintah Kota Pekanbaru",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Jalan Jenderal Sudirman No. 464, Pekanbaru 28121, Telepon (0761) 28262",
        "Laman dpmptsp.pekanbaru.go.id · Surel dpmptsp@pekanbaru.go.id",
    ]
    office.save()
    return office


def walk(app, staff, applicant, clock, *, stop_kind="handover", actors=None):
    """Complete the steps with their forward outcome, each by its role, until ``stop_kind``."""
    spec = services.spec_for(app)
    actors = actors or {}
    while app.current_step is not None and spec.step(app.current_step).kind != stop_kind:
        step = spec.step(app.current_step)
        actor = applicant if app.current_role == "pemohon" else actors.get(app.current_role, staff[app.current_role])
        app = services.step_complete(
            application=app,
            actor=actor,
            step_number=step.number,
            outcome=FORWARD[step.kind],
            data=forward_data(app, step.kind, clock.now),
            at=clock.tick(minutes=7),
        )
    return app


@pytest.fixture
def issue(services_loaded, staff, applicant, head):
    """Walk an application of a service to the handover step: the permit is signed and stored."""

    def make(code=RADIOGRAFER, *, data=None, actors=None, renewal=False, start=None):
        clock = Clock(start or dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
        service = services_loaded[code]
        app = services.application_create(
            office=service.office,
            service=service,
            actor=applicant,
            data={**FORM_DATA[code], **(data or {})},
            renewal=renewal,
            at=clock.now,
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
        return walk(app, staff, applicant, clock, actors=actors)

    return make


def qr_texts_of_page(png_bytes: bytes) -> list[str]:
    """Decode every QR code on a rendered page (zxing-cpp on the page's pixels)."""
    width, height, rows, _info = png.Reader(bytes=png_bytes).asRGBA8()
    gray = bytearray()
    for row in rows:
        gray.extend(row[1::4])
    return [r.text for r in zxingcpp.read_barcodes(memoryview(gray).cast("B", shape=[height, width]))]


def pdf_text(pdf: bytes, *, sample: str = "") -> str:
    """
    The PDF's text as pypdf reads it back. With ``SATUPINTU_PDF_SAMPLES=<dir>`` set, the PDF is
    also written there as ``<sample>.pdf``, or named after the test reading it (to render with
    ``pdftoppm -png -r 60`` and look at).
    """
    import os
    from pathlib import Path

    import pypdf

    folder = os.environ.get("SATUPINTU_PDF_SAMPLES")
    if folder:
        # Unnamed PDFs are named after the test that reads them.
        test = os.environ.get("PYTEST_CURRENT_TEST", "pdf").split("::")[-1].split(" ")[0]
        name = sample or re.sub(r"[^\w-]+", "-", test)[:80]
        Path(folder).mkdir(parents=True, exist_ok=True)
        target = Path(folder) / f"{name}.pdf"
        n = 2
        while not sample and target.exists():
            target, n = Path(folder) / f"{name}-{n}.pdf", n + 1
        target.write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)
