"""
The holder's photo on the permit letter (DOMAIN, Letter content: the letter carries the photo).

The standard names the photo requirement (``permit.photo_requirement``); a JPEG or PNG upload is
embedded in a 3x4 frame, a PDF upload (or none) leaves an empty box labelled "Pas foto 3x4".
"""

import datetime as dt
import io
import re
from pathlib import Path

import png
import pypdf
import pytest
import yaml
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from satupintu.applications import services
from satupintu.applications.models import Permit
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
from satupintu.catalogue.loader import StandardFileError, parse_standard
from satupintu.documents import context as ctx
from satupintu.documents.models import IssuedDocument
from satupintu.documents.selectors import read_file
from satupintu.documents.services import permit_pdf_render
from satupintu.documents.tests.conftest import PARAMEDIK, RADIOGRAFER, pdf_text, walk
from satupintu.documents.verification import trust_roots

pytestmark = pytest.mark.django_db

IMAGE_XOBJECT = re.compile(rb"/Subtype\s*/Image\b")
STANDARDS = Path(__file__).resolve().parents[3] / "standards"


def small_png(width=30, height=40) -> bytes:
    """A small valid RGB PNG (a blue-grey portrait-shaped block)."""
    out = io.BytesIO()
    png.Writer(width, height, greyscale=False).write(out, [[70, 90, 160] * width for _ in range(height)])
    return out.getvalue()


@pytest.fixture
def issue_with_photo(services_loaded, staff, applicant):
    """Walk an application whose photo requirement has the given upload to its issued permit."""

    def make(content: bytes, filename: str, code=RADIOGRAFER, stored: bytes | None = None):
        clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
        service = services_loaded[code]
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[code], at=clock.now
        )
        upload_all(app, applicant, skip={"pas_foto"})
        photo = services.document_attach(
            application=app,
            actor=applicant,
            requirement_key="pas_foto",
            stream=io.BytesIO(content),
            filename=filename,
        )
        if stored is not None:  # a file kept from before the upload check parsed images
            with photo.file.open("wb") as handle:
                handle.write(stored)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
        return walk(app, staff, applicant, clock)

    return make


def _signed(app) -> bytes:
    return read_file(IssuedDocument.objects.get(application=app, kind="permit", version=1))


def _images(pdf: bytes) -> list:
    return [image for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def _signature_valid(pdf: bytes) -> bool:
    reader = PdfFileReader(io.BytesIO(pdf))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    )
    return bool(status.bottom_line and status.intact and status.valid and status.trusted)


def test_both_seed_standards_name_their_photo_requirement(services_loaded):
    for code in (RADIOGRAFER, PARAMEDIK):
        spec = parse_standard((STANDARDS / f"{code}.yaml").read_text(encoding="utf-8"))
        assert spec.permit.photo_requirement == "pas_foto"
        assert "pas_foto" in {r.key for r in spec.requirements}


def test_a_photo_requirement_must_name_an_existing_requirement():
    data = yaml.safe_load((STANDARDS / f"{RADIOGRAFER}.yaml").read_text(encoding="utf-8"))
    data["permit"]["photo_requirement"] = "foto_tidak_ada"
    with pytest.raises(StandardFileError) as excinfo:
        parse_standard(yaml.safe_dump(data, allow_unicode=True), path="standards/rusak.yaml")
    assert "foto_tidak_ada" in excinfo.value.message


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_a_png_photo_is_embedded_and_the_signature_still_validates(code, issue_with_photo):
    photo = small_png()
    app = issue_with_photo(photo, "foto.png", code=code)
    pdf = _signed(app)
    images = _images(pdf)
    assert len(images) == 1  # the photo (emblem and QR are vector SVG)
    width, height, rows, _info = png.Reader(bytes=images[0].data).asRGBA8()
    assert (width, height) == (30, 40) and tuple(next(iter(rows))[:3]) == (70, 90, 160)
    assert IMAGE_XOBJECT.search(pdf)
    assert "Pas foto 3x4" not in pdf_text(pdf)
    assert _signature_valid(pdf)


def test_a_pdf_photo_upload_leaves_the_labelled_empty_box(issue_with_photo):
    from satupintu.applications.tests.conftest import PDF

    pdf = _signed(issue_with_photo(PDF, "foto.pdf"))
    assert _images(pdf) == [] and not IMAGE_XOBJECT.search(pdf)
    assert "Pas foto 3x4" in pdf_text(pdf)
    assert _signature_valid(pdf)


def test_an_undecodable_photo_does_not_stop_the_permit(issue_with_photo):
    """A stored file that is not an image (kept from before uploads were parsed): the empty box, still signed."""
    pdf = _signed(issue_with_photo(small_png(), "foto.png", stored=b"\x89PNG\r\n\x1a\n" + b"rusak" * 50))
    assert _images(pdf) == [] and "Pas foto 3x4" in pdf_text(pdf)
    assert _signature_valid(pdf)


def test_a_stored_pixel_bomb_prints_the_empty_box(issue_with_photo):
    """
    Finding "a 1.5 MB PNG of 40000×40000 pixels as the pas foto adds 1.5 GB on every render": a
    photo stored before uploads were parsed is measured from its header and not handed to Typst.
    """
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 40000, 40000, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    app = issue_with_photo(small_png(), "foto.png", stored=bomb)
    assert ctx.holder_photo(app) is None  # never read into the Typst root
    pdf = _signed(app)
    assert _images(pdf) == [] and "Pas foto 3x4" in pdf_text(pdf)


def test_the_draft_carries_the_photo_too_and_the_letter_stays_one_page(issue_with_photo):
    app = issue_with_photo(small_png(), "foto.png")
    draft = permit_pdf_render(app, None, draft=True)
    assert len(_images(draft)) == 1
    assert len(pypdf.PdfReader(io.BytesIO(_signed(app))).pages) == 1
    assert Permit.objects.filter(application=app).exists()


def test_no_photo_slot_where_the_standard_names_no_photo_requirement(services_loaded, staff, applicant, office):
    """The third YAML-only service names no photo requirement: its letter keeps the two-column foot."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock)
    assert ctx.permit_context(app, None, draft=True)["photo"] is None and ctx.holder_photo(app) is None
    assert "Pas foto 3x4" not in pdf_text(_signed(app))


def test_a_render_with_files_uses_a_temporary_root_removed_afterwards(monkeypatch, tmp_path):
    """The photo is readable for its own render only; the next render has ``typst/`` as its root again."""
    import tempfile

    from satupintu.documents.rendering import compile_pdf, render_png

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = '#import "/naskah.typ": *\n#image("/pas-foto.png", width: 3cm)'
    assert len(_images(compile_pdf(source, {}, files={"pas-foto.png": small_png()}))) == 1
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(Exception, match="not found"):
        compile_pdf(source, {})
    assert render_png('#import "/naskah.typ": *\nx', {}, ppi=10)
    with pytest.raises(ValueError):
        compile_pdf(source, {}, files={"../pas-foto.png": b"x"})
