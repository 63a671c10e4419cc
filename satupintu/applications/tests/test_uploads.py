"""
Uploads are parsed and stored as a clean copy; replacements per requirement are capped (issue 13
part 3). The whole hostile corpus is in tests/hostile/.
"""

import hashlib
import io

import pytest
from PIL import Image

from satupintu.applications import services
from satupintu.applications.models import Document
from satupintu.applications.tests.conftest import FORM_DATA, PDF
from satupintu.applications.uploads import UploadRejected

pytestmark = pytest.mark.django_db
RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _new(services_loaded, applicant):
    service = services_loaded[RADIOGRAFER]
    return services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER]
    )


def _photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"
    exif[0x8825] = {1: "N", 2: (0.0, 31.0, 12.0)}
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 180, 160)).save(out, format="JPEG", exif=exif.tobytes(), comment=b"asli")
    return out.getvalue()


def test_uploads_judged_by_first_bytes_stored_file_is_the_clean_copy(services_loaded, applicant):
    """
    Finding "uploads are judged by their first bytes": what is stored is the decoded and re-encoded
    photo (no EXIF, no GPS, no comment), and its recorded size and SHA-256 are those of the stored bytes.
    """
    app = _new(services_loaded, applicant)
    original = _photo_with_gps()
    document = services.document_attach(
        application=app, actor=applicant, requirement_key="pas_foto", stream=io.BytesIO(original), filename="f.jpg"
    )
    stored = document.file.open("rb").read()
    assert stored != original
    assert document.size == len(stored) and document.sha256 == hashlib.sha256(stored).hexdigest()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and "comment" not in image.info
    assert b"KameraPonsel" not in stored


def test_uploads_judged_by_first_bytes_pdf_with_javascript_refused(services_loaded, applicant):
    """Finding "PDFs with JavaScript … accepted": refused with the reason, nothing stored."""
    app = _new(services_loaded, applicant)
    hostile = PDF.replace(b"<< /Type /Catalog", b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (1) >>")
    with pytest.raises(UploadRejected) as refused:
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=io.BytesIO(hostile), filename="ktp.pdf"
        )
    assert "JavaScript" in refused.value.message
    assert not Document.objects.exists()


def test_unlimited_replacement_uploads_capped_per_requirement(services_loaded, applicant, settings):
    """Finding "unlimited replacement uploads (267 on one draft)": past the cap the next upload is refused."""
    settings.SATUPINTU_UPLOADS = {"MAX_REPLACEMENTS": 3}
    app = _new(services_loaded, applicant)
    for _n in range(3):
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=io.BytesIO(PDF), filename="ktp.pdf"
        )
    with pytest.raises(UploadRejected) as refused:
        services.document_attach(
            application=app, actor=applicant, requirement_key="ktp", stream=io.BytesIO(PDF), filename="ktp.pdf"
        )
    assert refused.value.reason == "too_many_replacements" and "3 kali" in refused.value.message
    assert Document.objects.filter(requirement_key="ktp").count() == 3
    # another requirement of the same application is not affected
    services.document_attach(
        application=app, actor=applicant, requirement_key="ijazah", stream=io.BytesIO(PDF), filename="ijazah.pdf"
    )
