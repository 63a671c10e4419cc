"""
Public tracking by registration number and receipt code (DESIGN §11: track your application).

The public sees where a file is, never who applied.
"""

import datetime as dt

import pytest
from django.urls import reverse

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all

pytestmark = pytest.mark.django_db

CODE = "izin-kerja-radiografer"


@pytest.fixture
def submitted(services_loaded, applicant):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[CODE]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[CODE], at=clock.now
    )
    upload_all(app, applicant)
    return services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))


def test_the_right_code_shows_the_status_and_no_personal_data(client, submitted):
    """Service, status, step and dates only: no name, NIK, phone, address or documents."""
    response = client.post(reverse("portal:track"), {"nomor": submitted.number, "kode": submitted.tracking_code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Izin Kerja Radiografer" in body or submitted.service.name in body
    assert "Menunggu pemeriksaan berkas" in body
    assert "Petugas Front Office (loket)" in body
    assert "9 Maret 2026 09.05 WIB" in body
    assert "dihitung setelah berkas dinyatakan lengkap" in body
    for personal in [
        "Rina Marlina",
        "1471015503900002",
        "1471",
        "081234567890",
        "+6281234567890",
        "0812-3456-7890",
        "Jalan Sudirman",
        "rina@example.com",
        "surat_permohonan.pdf",
        "RSUD Arifin Achmad",
    ]:
        assert personal not in body, personal


def test_the_code_is_read_case_insensitively_and_works_from_a_link(client, submitted):
    """GET parameters work too (a link), and a code typed in lower case still matches."""
    response = client.get(reverse("portal:track"), {"nomor": submitted.number, "kode": submitted.tracking_code.lower()})
    assert "Menunggu pemeriksaan berkas" in response.content.decode()


def test_a_wrong_pair_gets_one_neutral_message(client, submitted):
    """A wrong code and an unknown number get the same message: it does not say which half was wrong."""
    wrong_code = client.post(reverse("portal:track"), {"nomor": submitted.number, "kode": "ZZZZZZ"})
    unknown = client.post(reverse("portal:track"), {"nomor": "TIDAK-ADA-2026-000001", "kode": "ZZZZZZ"})
    for response in (wrong_code, unknown):
        body = response.content.decode()
        assert "Nomor registrasi atau kode tidak cocok." in body
        assert "Menunggu pemeriksaan berkas" not in body


def test_the_receipt_link_prefills_the_number(client, submitted):
    """The receipt links to /lacak/?nomor=…: the form is filled in, no error is shown yet."""
    body = client.get(reverse("portal:track"), {"nomor": submitted.number}).content.decode()
    assert f'value="{submitted.number}"' in body
    assert "tidak cocok" not in body and "Ada masalah" not in body


def test_guessing_tracking_codes_is_throttled(client, services_loaded, applicant, settings):
    """After repeated wrong pairs from one address the page refuses, even for the right code."""
    from satupintu.applications import selectors as app_selectors
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA

    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code]
    )
    for _ in range(app_selectors.TRACK_FAILURE_LIMIT):
        client.post("/lacak/", {"nomor": app.number, "kode": "ZZZZZZ"})
    response = client.post("/lacak/", {"nomor": app.number, "kode": app.tracking_code})
    body = response.content.decode()
    assert "Terlalu banyak percobaan yang salah" in body
    assert "Izin Reklame Kecil" not in body
    api = client.get("/api/v1/track", {"number": app.number, "code": app.tracking_code})
    assert api.status_code == 429 and api.json()["code"] == "throttled"


def test_the_number_is_read_in_any_case_with_stray_spaces(client, submitted):
    """Issue 14: public tracking was case-sensitive; a number typed in lower case with spaces matches."""
    typed = f" {submitted.number.lower()} "
    response = client.post(reverse("portal:track"), {"nomor": typed, "kode": f"{submitted.tracking_code.lower()} "})
    assert "Menunggu pemeriksaan berkas" in response.content.decode()


def test_the_hint_shows_the_number_format_the_office_really_issues(client, submitted):
    """Issue 14: the hint showed a format that does not exist; it now shows prefix-year-six digits."""
    body = client.get(reverse("portal:track")).content.decode()
    prefix = submitted.number.rsplit("-", 2)[0]
    assert f"mis. {prefix}-{submitted.number.split('-')[-2]}-000123" in body


def test_the_api_track_reads_the_number_the_same_way(client, submitted):
    """GET /api/v1/track applies the same normalisation as the page."""
    response = client.get(
        "/api/v1/track", {"number": submitted.number.lower(), "code": submitted.tracking_code.lower()}
    )
    assert response.status_code == 200 and response.json()["number"] == submitted.number
