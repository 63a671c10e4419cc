"""The front office's counter pages of issue 15: an organisation registered, a proxy applicant recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, PDF
from satupintu.organisations.models import Membership, Organisation
from satupintu.organisations.tests.data import RSUD

pytestmark = pytest.mark.django_db
CODE = "izin-kerja-radiografer"


def test_the_front_office_registers_an_organisation_whose_admin_is_invited(client, office, staff, hospital_admin):
    url = reverse("staff:counter_organisation", args=[office.slug])
    client.force_login(staff["back_office"])
    assert client.get(url).status_code == 403
    client.force_login(staff["front_office"])
    assert "Daftarkan organisasi" in client.get(reverse("staff:counter_start", args=[office.slug])).content.decode()
    refused = client.post(url, {**RSUD, "nib": "1", "admin": hospital_admin.nik})
    assert refused.status_code == 422 and "NIB terdiri atas 13 angka." in refused.content.decode()
    assert client.post(url, {**RSUD, "admin": hospital_admin.nik}).status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.registered_at_office == office
    assert Membership.objects.get().status == "invited"


def test_the_front_office_records_a_proxy_who_brings_a_file(client, services_loaded, staff):
    service = services_loaded[CODE]
    front = staff["front_office"]
    app = services.application_create(
        office=service.office, service=service, actor=front, data=FORM_DATA[CODE], channel="counter"
    )
    client.force_login(front)
    url = reverse("staff:proxy_applicant", args=[app.number])
    assert (
        "Catat kuasa pengajuan"
        in client.get(reverse("staff:counter_start", args=[service.office.slug])).content.decode()
    )
    missing = client.post(url, {"name": "Joko Susilo", "id_number": "1471010707700010"})
    assert missing.status_code == 422 and "Unggah surat kuasa." in missing.content.decode()
    letter = SimpleUploadedFile("kuasa.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"name": "Joko Susilo", "id_number": "1471010707700010", "letter": letter})
    assert response.status_code == 302
    assert Application.objects.get().proxy_name == "Joko Susilo"
