"""
For applicants (issue 14, item 6): the receipt lists the originals to bring, the service page
folds its long sections and keeps the apply button in reach on a phone, and the Surat Permohonan
and Surat Pernyataan come as letters filled in with the applicant's data.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, upload_all
from satupintu.portal.tests.test_applicant_journey import CODE, _apply

pytestmark = pytest.mark.django_db


def _submitted(client, applicant):
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    upload_all(app, applicant)
    response = client.post(reverse("portal:review", args=[app.number]))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Application.objects.get()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_receipt_lists_the_originals_and_legalised_copies_to_bring(client, services_loaded, applicant):
    """Nothing said which originals (legalised copies) to bring; the standard's flags now do."""
    app = _submitted(client, applicant)
    html = client.get(reverse("portal:receipt", args=[app.number])).content.decode()
    section = html.split('id="dokumen-asli"')[1].split("</section>")[0]
    assert "Foto copy ijazah yang dilegalisir basah" in section and "fotokopi dilegalisir basah" in section
    assert "Foto copy STR yang dilegalisir basah" in section
    assert "Foto copy KTP" not in section  # a plain copy needs no original at the counter
    assert "Surat izin praktik asli" not in section  # renewal only, and this is a new application


def test_the_service_page_folds_long_sections_and_keeps_the_apply_button_in_reach(client, services_loaded):
    """The phone page was 17,000 px tall with one "Ajukan" button at the top."""
    html = client.get(reverse("portal:service", args=[CODE])).content.decode()
    assert html.count('<details class="section"') >= 9
    assert 'id="apply-bar"' in html and html.count("Ajukan permohonan") >= 2
    persyaratan = html.split('id="persyaratan"')[1].split("<details")[0]
    assert "Surat Permohonan" in persyaratan and "templat tersedia" in persyaratan  # requirements stay open


def test_the_surat_permohonan_is_filled_in_with_the_applicants_data(client, services_loaded, applicant):
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    page = client.get(reverse("portal:documents", args=[app.number])).content.decode()
    url = reverse("portal:requirement_letter", args=[app.number, "surat_permohonan"])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    data = FORM_DATA[CODE]
    assert data["nama_lengkap"] in text and data["nik"] in text
    assert app.number in text and "Kepada Yth." in text and "Foto copy KTP" in text


def test_the_surat_pernyataan_states_what_the_requirement_names(client, services_loaded, applicant):
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    response = client.get(reverse("portal:requirement_letter", args=[app.number, "pernyataan_tempat_kerja"]))
    text = _text(response.content)
    assert "SURAT PERNYATAAN" in text and "memiliki tempat kerja di fasilitas pelayanan kesehatan" in text
    assert FORM_DATA[CODE]["nama_lengkap"] in text and "Meterai" in text


def test_a_letter_is_only_for_a_requirement_that_names_one_and_only_for_the_owner(
    client, services_loaded, applicant, make_user
):
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    assert client.get(reverse("portal:requirement_letter", args=[app.number, "ktp"])).status_code == 404
    client.force_login(make_user("orang-lain"))
    url = reverse("portal:requirement_letter", args=[app.number, "surat_permohonan"])
    assert client.get(url).status_code in {403, 404}
    assert services.spec_for(app) is not None


def test_render_letters_for_looking(client, services_loaded, applicant, tmp_path_factory):
    """Write both letters to /tmp/people-letters for a person to look at (always passes when they render)."""
    import os

    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    folder = os.environ.get("SATUPINTU_LOOK_DIR")
    for key in ("surat_permohonan", "pernyataan_tempat_kerja"):
        pdf = client.get(reverse("portal:requirement_letter", args=[app.number, key])).content
        assert pdf.startswith(b"%PDF")
        if folder:
            with open(os.path.join(folder, f"{key}.pdf"), "wb") as handle:
                handle.write(pdf)
