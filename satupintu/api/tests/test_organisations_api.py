"""Organisations through the API: register, invite, accept, apply for a member, list files and permits."""

import datetime as dt

import pytest

from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock
from satupintu.organisations.models import Membership
from satupintu.organisations.tests.data import RSUD
from satupintu.organisations.tests.test_on_behalf import apply_for, walk_to_handover

pytestmark = pytest.mark.django_db

CODE = "izin-kerja-radiografer"


def test_an_organisation_applies_for_a_member_who_accepted_through_the_api(api, services_loaded, person):
    admin = person("admin-rs", "dr. Hendra Saputra", "1471010101800001")
    rina = person("rina", "Rina Marlina, A.Md.Rad.", "1471015503900002")
    as_admin, as_rina = api(admin), api(rina)
    bad = as_admin.post("/organisations", {**RSUD, "npwp": "12", "nib": ""})
    assert bad.status_code == 422 and "npwp" in bad.json()["errors"]
    created = as_admin.post("/organisations", RSUD)
    assert created.status_code == 201 and created.json()["is_admin"]
    pk = created.json()["id"]
    invited = as_admin.post(f"/organisations/{pk}/members", {"identifier": rina.email, "position": "Radiografer"})
    assert invited.status_code == 201 and invited.json()["status"] == "invited"
    membership = invited.json()["id"]
    # Before she accepts, the admin cannot name her on a file.
    early = as_admin.post(f"/organisations/{pk}/applications", {"service": CODE, "holder": membership, "data": {}})
    assert early.status_code == 404
    assert as_admin.post(f"/organisations/invitations/{membership}", {"accept": True}).status_code == 404
    assert [i["name"] for i in as_rina.get("/organisations/invitations").json()] == [RSUD["name"]]
    assert as_rina.post(f"/organisations/invitations/{membership}", {"accept": True}).json()["status"] == "active"
    data = {**FORM_DATA[CODE], "nik": admin.nik}
    applied = as_admin.post(f"/organisations/{pk}/applications", {"service": CODE, "holder": membership, "data": data})
    assert applied.status_code == 201, applied.content
    assert applied.json()["holder_name"] == rina.full_name
    assert Application.objects.get().applicant_nik == rina.nik
    rows = as_admin.get(f"/organisations/{pk}/applications").json()
    assert [(r["holder_name"], r["applied_by"]) for r in rows] == [(rina.full_name, admin.full_name)]
    # A member who is not an admin reads the organisation, not its files.
    assert as_rina.get(f"/organisations/{pk}").status_code == 200
    assert as_rina.get(f"/organisations/{pk}/applications").status_code == 403
    assert as_rina.get(f"/organisations/{pk}/permits").status_code == 403
    # The organisation itself cannot hold a personal permit.
    itself = as_admin.post(f"/organisations/{pk}/applications", {"service": CODE, "holder": None, "data": data})
    assert itself.status_code == 422 and itself.json()["code"] == "personal_only"


def test_the_permit_list_api_gives_each_permit_its_expiry(
    api, services_loaded, staff, hospital, hospital_admin, radiographers, person
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    app = apply_for(services_loaded[CODE], hospital_admin, hospital, radiographers[0], clock)
    walk_to_handover(app, staff, hospital_admin, clock)
    rows = api(hospital_admin).get(f"/organisations/{hospital.pk}/permits").json()
    assert [(r["holder_name"], r["valid_until"], r["application"]) for r in rows] == [
        (radiographers[0].full_name, "2029-12-31", app.number)
    ]
    stranger = person("asing", "Orang Asing", "1471016607920004")
    assert api(stranger).get(f"/organisations/{hospital.pk}/permits").status_code == 404


def test_the_front_office_registers_an_organisation_at_the_counter(api, office, staff, person):
    admin = person("admin-rs", "dr. Hendra Saputra", "1471010101800001")
    body = {**RSUD, "admin": admin.nik}
    assert api(admin).post("/organisations/counter", body).status_code == 403
    created = api(staff["front_office"]).post("/organisations/counter", body)
    assert created.status_code == 201, created.content
    membership = Membership.objects.get()
    assert (membership.user, membership.status, membership.role) == (admin, "invited", "admin")


def test_the_front_office_records_a_proxy_applicant_through_the_api(api, client, services_loaded, staff, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.applications import services
    from satupintu.applications.tests.conftest import PDF

    service = services_loaded[CODE]
    app = services.application_create(
        office=service.office, service=service, actor=staff["front_office"], data=FORM_DATA[CODE], channel="counter"
    )
    front = api(staff["front_office"])
    url = f"/api/v1/applications/{app.number}/proxy-applicant"

    def post(headers, content=PDF):
        file = SimpleUploadedFile("kuasa.pdf", content, content_type="application/pdf")
        body = {"name": "Joko Susilo", "id_number": "1471010707700010", "file": file}
        return client.post(url, body, **headers)

    assert post(api(applicant).headers).status_code == 403
    assert post(front.headers, content=b"not a pdf").status_code == 422
    recorded = post(front.headers)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["holder_name"] == "Rina Marlina, A.Md.Rad."
    assert Application.objects.get().proxy_name == "Joko Susilo"
