"""The organisation pages: register, invite, accept, apply for a member, see files and permits."""

import datetime as dt

import pytest
from django.urls import reverse

from satupintu.applications import selectors
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock
from satupintu.organisations.models import Membership, MemberStatus, Organisation
from satupintu.organisations.tests.data import RSUD
from satupintu.organisations.tests.test_on_behalf import apply_for, walk_to_handover

pytestmark = pytest.mark.django_db

CODE = "izin-kerja-radiografer"


def _form_post(data):
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_a_person_registers_an_organisation_and_becomes_its_admin(client, hospital_admin):
    client.force_login(hospital_admin)
    url = reverse("portal:organisations")
    refused = client.post(url, {**RSUD, "nib": "123", "npwp": ""})
    assert refused.status_code == 200
    assert "NIB terdiri atas 13 angka." in refused.content.decode()
    response = client.post(url, RSUD)
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:organisation", args=[organisation.pk]
    )
    assert Membership.objects.get().role == "admin"


def test_an_invited_person_accepts_from_their_own_account_and_can_then_be_chosen_as_holder(
    client, services_loaded, hospital, hospital_admin, person
):
    rina = person("rina", "Rina Marlina, A.Md.Rad.", "1471015503900002")
    client.force_login(hospital_admin)
    page = reverse("portal:organisation", args=[hospital.pk])
    assert client.post(page, {"identifier": rina.nik, "role": "member", "position": "Radiografer"}).status_code == 302
    invitation = Membership.objects.get(user=rina)
    apply_url = reverse("portal:organisation_apply", args=[hospital.pk, CODE])
    # Not yet accepted: not a choice, and posting its id is refused at the question.
    question = client.get(apply_url)
    assert "Rina Marlina" not in question.content.decode()
    forced = client.get(apply_url, {"pemegang": str(invitation.pk), "jenis": "baru"})
    assert "Pilih pemegang izin dari daftar." in forced.content.decode()
    # The invitation is answered by Rina only.
    client.post(reverse("portal:organisation_invitation", args=[invitation.pk]), {"jawab": "terima"})
    assert Membership.objects.get(pk=invitation.pk).status == MemberStatus.INVITED
    client.force_login(rina)
    assert "RSUD Arifin Achmad" in client.get(reverse("portal:organisations")).content.decode()
    client.post(reverse("portal:organisation_invitation", args=[invitation.pk]), {"jawab": "terima"})
    assert Membership.objects.get(pk=invitation.pk).status == MemberStatus.ACTIVE
    # Now the admin applies for her; the file carries her NIK and name whatever the form said.
    client.force_login(hospital_admin)
    assert "Rina Marlina" in client.get(apply_url).content.decode()
    form = client.get(apply_url, {"pemegang": str(invitation.pk), "jenis": "baru"})
    assert form.status_code == 200 and 'value="1471015503900002"' in form.content.decode()
    data = {**FORM_DATA[CODE], "nik": "1471010101800001", "nama_lengkap": "Orang Lain"}
    response = client.post(apply_url + f"?dijawab=1&pemegang={invitation.pk}&jenis=baru", _form_post(data))
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:documents", args=[app.number])
    assert (app.applicant, app.holder, app.organisation, app.applicant_nik) == (
        hospital_admin,
        rina,
        hospital,
        rina.nik,
    )
    # Rina sees the file in her own list and its status page, read-only.
    client.force_login(rina)
    assert app.number in client.get(reverse("portal:my_applications")).content.decode()
    status = client.get(reverse("portal:application", args=[app.number]))
    assert status.status_code == 200 and "RSUD Arifin Achmad" in status.content.decode()
    assert client.get(reverse("portal:documents", args=[app.number])).status_code == 404


def test_the_organisation_page_lists_its_peoples_permits_with_expiry_for_admins_only(
    client, services_loaded, staff, hospital, hospital_admin, radiographers
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[CODE]
    app = apply_for(service, hospital_admin, hospital, radiographers[0], clock)
    walk_to_handover(app, staff, hospital_admin, clock)
    client.force_login(hospital_admin)
    page = client.get(reverse("portal:organisation", args=[hospital.pk])).content.decode()
    assert "Rina Marlina, A.Md.Rad." in page and "31 Desember 2029" in page
    assert selectors.organisation_permits(hospital).get().number in page
    # A member who is not an admin sees the people, not the files.
    client.force_login(radiographers[1])
    page = client.get(reverse("portal:organisation", args=[hospital.pk])).content.decode()
    assert "31 Desember 2029" not in page and "Budi Santoso" in page
    assert client.get(reverse("portal:organisation_apply", args=[hospital.pk, CODE])).status_code == 403
    assert client.get(reverse("portal:application", args=[app.number])).status_code == 404
