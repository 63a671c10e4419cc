"""
Editor: the permit letter's Typst source per service (a DocumentTemplate for the service) and its
KONSEP preview with sample data; a source that does not compile is refused at the field.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from satupintu.catalogue.services import service_copy_from_template
from satupintu.core.errors import InvalidData, PermissionDenied
from satupintu.core.models import AuditEvent
from satupintu.documents import letter_templates
from satupintu.documents.models import DocumentTemplate
from satupintu.documents.rendering import default_source, template_source

pytestmark = pytest.mark.django_db
RADIOGRAFER = "izin-kerja-radiografer"


def _text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def draft(office, make_user):
    keeper = make_user("pengelola-surat", office=office, roles=["pengelola_standar"])
    return service_copy_from_template(office=office, template_code=RADIOGRAFER, actor=keeper), keeper


def test_the_permit_letter_is_previewed_as_konsep_with_sample_data_in_the_template_in_use(draft):
    version, _keeper = draft
    assert letter_templates.permit_template_of(version.office, RADIOGRAFER).origin == "default"
    text = _text(letter_templates.permit_preview_pdf(version))
    assert "KONSEP" in text and "SURAT IZIN KERJA RADIOGRAFER" in text
    assert "Nama Pemohon Contoh" in text


def test_a_service_template_is_saved_only_when_it_compiles_and_is_then_the_one_permits_use(draft, make_user):
    version, keeper = draft
    office = version.office
    with pytest.raises(InvalidData) as no_data:
        letter_templates.permit_template_save(version=version, source="= Surat", actor=keeper)
    assert "data()" in no_data.value.errors["source"]
    with pytest.raises(InvalidData) as broken:
        letter_templates.permit_template_save(version=version, source="#let d = data()\n#d.tidak_ada", actor=keeper)
    assert "tidak dapat dirender" in broken.value.errors["source"]
    own = default_source("permit").replace("Dengan ketentuan:", "Dengan ketentuan khusus layanan ini:")
    letter_templates.permit_template_save(version=version, source=own, actor=keeper)
    assert template_source("permit", office_id=office.pk, service_code=RADIOGRAFER) == own
    assert template_source("permit", office_id=office.pk, service_code="layanan-lain") == default_source("permit")
    assert "ketentuan khusus layanan ini" in _text(letter_templates.permit_preview_pdf(version))
    event = AuditEvent.objects.get(action="document_template.save")
    assert event.actor == keeper and event.target == f"service:{RADIOGRAFER}"
    letter_templates.permit_template_reset(version=version, actor=keeper)
    assert letter_templates.permit_template_of(office, RADIOGRAFER).origin == "default"
    assert AuditEvent.objects.filter(action="document_template.reset").count() == 1
    clerk = make_user("loket-surat", office=office, roles=["front_office"])
    with pytest.raises(PermissionDenied):
        letter_templates.permit_template_save(version=version, source=own, actor=clerk)


def test_the_letter_page_previews_saves_and_shows_the_compiler_message_at_the_field(client, draft):
    version, keeper = draft
    office = version.office
    client.force_login(keeper)
    url = reverse("staff:standard_letter", args=[office.slug, RADIOGRAFER])
    page = client.get(url)
    assert page.status_code == 200 and "templat bawaan satupintu" in page.content.decode()
    refused = client.post(url, {"source": "#let d = data()\n#d.tidak_ada", "simpan": "1"})
    body = refused.content.decode()
    assert refused.status_code == 422 and 'id="source-error"' in body and 'href="#source"' in body
    assert not DocumentTemplate.objects.filter(office=office).exists()
    preview = client.post(url, {"source": default_source("permit"), "pratinjau": "1"})
    assert preview["Content-Type"] == "application/pdf" and "KONSEP" in _text(preview.content)
    assert client.post(url, {"source": default_source("permit"), "simpan": "1"}).status_code == 302
    assert "templat layanan ini" in client.get(url).content.decode()
    pdf = client.get(
        reverse("staff:standard_version_pdf", args=[office.slug, RADIOGRAFER, version.version, "surat-izin"])
    )
    assert pdf.status_code == 200 and "KONSEP" in _text(pdf.content)
