"""
Issue 13, item 2: the API detail of an application is a door of the access log, answers
``no-store``, and the person reads who opened their data at ``GET /me/data-access``.
"""

import pytest

from satupintu.api.tests.test_applications_api import _apply
from satupintu.core.models import AccessKind, PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_access_log_api_detail_by_an_officer_and_the_persons_own_list(api, services_loaded, staff, applicant):
    anonymous, pemohon, officer = api(), api(applicant), api(staff["back_office"])
    number = _apply(pemohon, anonymous)

    own = pemohon.get(f"/applications/{number}")
    assert own.status_code == 200 and "no-store" in own["Cache-Control"]
    assert not PersonalDataAccess.objects.filter(kind=AccessKind.API_DETAIL).exists()  # one's own data: no row

    detail = officer.get(f"/applications/{number}")
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"] and "private" in detail["Cache-Control"]
    (row,) = PersonalDataAccess.objects.filter(kind=AccessKind.API_DETAIL)
    assert (row.actor, row.subject, row.target) == (staff["back_office"], applicant, f"application:{number}")
    assert row.ip_address == "127.0.0.1" and row.path == f"/api/v1/applications/{number}"

    mine = pemohon.get("/me/data-access")
    assert mine.status_code == 200 and "no-store" in mine["Cache-Control"]
    (entry,) = [e for e in mine.json() if e["kind"] == AccessKind.API_DETAIL]
    assert entry["reader"] == staff["back_office"].display_name
    assert entry["roles"] == ["Petugas Back Office"]
    assert entry["kind_text"] == "Rincian permohonan melalui API" and entry["target"] == f"application:{number}"
    assert entry["target_text"] == f"Permohonan {number}"
    assert entry["at"].endswith("Z") and "ip_address" not in entry
    assert officer.get("/me/data-access").json() == []  # nobody read the officer's data
    assert anonymous.get("/me/data-access").status_code == 401


def test_access_log_portal_page_siapa_yang_mengakses_data_saya(client, api, services_loaded, staff, applicant):
    number = _apply(api(applicant), api())
    api(staff["front_office"]).get(f"/applications/{number}")
    client.force_login(applicant)
    page = client.get("/data-saya/akses/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Siapa yang mengakses data saya" in text
    assert staff["front_office"].display_name in text and "Rincian permohonan melalui API" in text
    client.logout()
    assert client.get("/data-saya/akses/").status_code == 302  # to the sign-in page
