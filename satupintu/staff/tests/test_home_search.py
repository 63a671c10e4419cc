"""
The staff home and the search page (issue 14, finding one's way): officers land on a home that
links every area their roles open, and find a file by number in any case, permit number or name.
"""

import pytest
from django.urls import reverse

from satupintu.staff.tests.conftest import app_url

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_lands_on_the_staff_home_after_signing_in(client, staff, make_user):
    """Sign-in sends an officer to /petugas/, an applicant to the portal (finding: officers landed on the portal)."""
    response = client.post(reverse("accounts:login"), {"username": "back_office-1", "password": "rahasia-sekali-123"})
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    client.logout()
    make_user("pemohon-9")
    response = client.post(reverse("accounts:login"), {"username": "pemohon-9", "password": "rahasia-sekali-123"})
    assert response["Location"] == reverse("portal:home")


def test_a_next_link_still_wins_over_the_staff_home(client, staff):
    url = reverse("accounts:login") + "?next=" + reverse("portal:track")
    response = client.post(url, {"username": "back_office-1", "password": "rahasia-sekali-123"})
    assert response["Location"] == reverse("portal:track")


def test_the_home_links_every_area_the_policy_opens_to_each_role(client, staff, office):
    """Links come from the policy: the complaint register for its handlers, performance and plans for
    kepegawaian, the outbox for the front office, /admin/ only for the admin (finding: no page linked them)."""
    slug = office.slug
    complaints = reverse("complaints_staff:register", args=[slug])
    performance = reverse("surveys_staff:performance", args=[slug])
    plans = reverse("surveys_staff:plans", args=[slug])
    paper = reverse("surveys_staff:paper_entry", args=[slug])
    survey_import = reverse("surveys_staff:import", args=[slug])
    outbox = reverse("staff:outbox", args=[slug])
    counter = reverse("staff:counter_start", args=[slug])

    page = _home(client, staff["pengelola_pengaduan"])
    assert complaints in page and paper in page and survey_import in page
    assert performance not in page and outbox not in page and counter not in page and "/admin/" not in page

    page = _home(client, staff["kepegawaian"])
    assert performance in page and plans in page and complaints not in page

    page = _home(client, staff["front_office"])
    assert outbox in page and counter in page and "Antrian Petugas Front Office (loket)" in page

    admin = staff["admin"]
    admin.is_staff = True
    admin.save()
    page = _home(client, admin)
    assert reverse("admin:index") in page and performance in page


def test_the_home_links_each_service_standard_and_its_pdfs(client, staff, services_loaded, office):
    page = _home(client, staff["back_office"])
    code = "izin-kerja-radiografer"
    assert reverse("portal:office_service", args=[office.slug, code]) in page
    assert reverse("staff:service_document_pdf", args=[office.slug, code, "standar"]) in page
    assert reverse("staff:service_document_pdf", args=[office.slug, code, "sop"]) in page


def test_the_search_box_hint_shows_the_real_number_format_and_nik_only_when_allowed(client, staff, office):
    page = _home(client, staff["front_office"])
    assert "DPMPTSP-KOTA-PEKANBARU-20" in page and "atau NIK" in page
    page = _home(client, staff["kepegawaian"])
    assert "atau NIK" not in page


def test_a_registration_number_in_lower_case_opens_the_application(client, submitted, staff):
    """The old box took only the exact, case-sensitive number; the search opens it in any case."""
    app = submitted()
    client.force_login(staff["back_office"])
    response = client.get(reverse("staff:search"), {"q": f"  {app.number.lower()} "})
    assert response.status_code == 302 and response["Location"] == app_url(app)


def test_a_name_lists_the_matching_files_with_their_status(client, submitted, staff):
    app = submitted()
    client.force_login(staff["back_office"])
    response = client.get(reverse("staff:search"), {"q": "agus"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 permohonan ditemukan" in page and app_url(app) in page
    assert "Menunggu pemeriksaan berkas" in page and "Agus Salim" in page


def test_filters_alone_list_files_and_a_bad_date_is_reported_on_its_field(client, submitted, staff, paramedik):
    app = submitted()
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:search"), {"layanan": paramedik.code, "status": "submitted"}).content.decode()
    assert app_url(app) in page
    page = client.get(reverse("staff:search"), {"status": "draft"}).content.decode()
    assert "0 permohonan ditemukan" in page
    response = client.get(reverse("staff:search"), {"dari": "31-03-2026"})
    page = response.content.decode()
    assert 'id="dari-error"' in page and "harus berupa tanggal" in page


def test_the_search_refuses_an_applicant(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("staff:search"), {"q": "x"}).status_code == 403
