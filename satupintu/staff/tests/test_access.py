"""
Who sees which staff page: officers of the office in their roles only (DESIGN §5, architecture
"Multi-office": every staff query is filtered by an office the user holds a role in now).
"""

import datetime as dt

import pytest
from django.urls import reverse

from satupintu.applications.tests.conftest import WIB
from satupintu.staff.tests.conftest import PARAMEDIK, app_url

pytestmark = pytest.mark.django_db


def queue_url(office, role):
    return reverse("staff:queue", args=[office.slug, role])


def test_every_staff_page_asks_for_sign_in(client, submitted):
    """An anonymous visitor is sent to the login page, whatever staff page they open."""
    app = submitted()
    for url in [reverse("staff:home"), queue_url(app.office, "front_office"), app_url(app), app_url(app, "staff:card")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_home_lists_the_users_queues_with_their_counts(client, submitted, staff):
    """Front office sees its queue with the file waiting, and the counter registration link."""
    submitted()
    client.force_login(staff["front_office"])
    response = client.get(reverse("staff:home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Antrian Petugas Front Office (loket)" in page
    assert "<strong>1</strong> berkas menunggu" in page
    assert "Pendaftaran di loket" in page
    assert queue_url(staff["front_office"].memberships.first().office, "front_office") in page


def test_home_shows_no_counter_link_to_back_office(client, submitted, staff):
    submitted()
    client.force_login(staff["back_office"])
    page = client.get(reverse("staff:home")).content.decode()
    assert "Antrian Petugas Back Office" in page and "<strong>0</strong> berkas menunggu" in page
    assert "Pendaftaran di loket" not in page


def test_an_applicant_gets_403_on_staff_pages(client, submitted, applicant):
    """An applicant account holds no office role: every staff page refuses it with a message."""
    app = submitted()
    client.force_login(applicant)
    for url in [
        reverse("staff:home"),
        queue_url(app.office, "front_office"),
        app_url(app),
        app_url(app, "staff:card"),
        reverse("staff:counter_start", args=[app.office.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Tidak diizinkan" in response.content.decode()


def test_the_queue_lists_the_files_at_that_roles_step(client, submitted, staff):
    """The front-office queue shows the file with its service, applicant, step and waiting time."""
    app = submitted()
    client.force_login(staff["front_office"])
    response = client.get(queue_url(app.office, "front_office"))
    page = response.content.decode()
    assert response.status_code == 200
    assert app.number in page and app_url(app) in page
    assert "Agus Salim, A.Md.Pt." in page
    assert "Izin Praktik Paramedik" in page
    assert "menit" in page  # waiting time in working time
    assert "WIB" in page


def test_a_role_not_held_gets_403_on_its_queue(client, submitted, staff):
    app = submitted()
    client.force_login(staff["back_office"])
    response = client.get(queue_url(app.office, "front_office"))
    assert response.status_code == 403
    assert "Anda tidak memegang peran Petugas Front Office (loket)" in response.content.decode()


def test_the_back_office_queue_does_not_show_a_file_at_the_front_office(client, submitted, staff):
    app = submitted()
    client.force_login(staff["back_office"])
    page = client.get(queue_url(app.office, "back_office")).content.decode()
    assert app.number not in page
    assert "Tidak ada berkas dalam antrian ini." in page


def test_another_offices_front_office_is_refused(client, submitted, make_office, make_user):
    """An officer of another office sees neither this office's queue nor its files."""
    app = submitted()
    elsewhere = make_office()
    other = make_user("front_office-lain", office=elsewhere, roles=["front_office"])
    client.force_login(other)
    assert client.get(queue_url(app.office, "front_office")).status_code in {403, 404}
    assert client.get(app_url(app)).status_code in {403, 404}
    assert client.get(app_url(app, "staff:card")).status_code in {403, 404}
    assert client.get(reverse("staff:counter_start", args=[app.office.slug])).status_code in {403, 404}
    # Their own office's queue is empty of it.
    page = client.get(queue_url(elsewhere, "front_office")).content.decode()
    assert app.number not in page


def test_unknown_office_application_or_queue_gives_404(client, submitted, staff):
    app = submitted()
    client.force_login(staff["front_office"])
    assert client.get(queue_url(app.office, "bendahara")).status_code == 404
    assert client.get(reverse("staff:queue", args=["tidak-ada", "front_office"])).status_code == 404
    assert client.get(reverse("staff:application", args=["TIDAK-ADA-1"])).status_code == 404


def test_an_overdue_file_comes_first_and_is_tagged(client, submitted, staff):
    """A file past its step's due time is listed first with the "Terlambat" tag."""
    late = submitted(at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    fresh_app = submitted()
    client.force_login(staff["front_office"])
    page = client.get(queue_url(late.office, "front_office")).content.decode()
    assert page.index(late.number) < page.index(fresh_app.number)
    assert page.count("Terlambat") >= 1
    assert "hari kerja" in page  # waited since March


def test_the_counter_is_for_the_front_office_only(client, services_loaded, staff):
    office = services_loaded[PARAMEDIK].office
    client.force_login(staff["analis_muda"])
    assert client.get(reverse("staff:counter_start", args=[office.slug])).status_code == 403
    assert client.get(reverse("staff:counter_new", args=[office.slug, PARAMEDIK])).status_code == 403
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:counter_start", args=[office.slug])).content.decode()
    assert reverse("staff:counter_new", args=[office.slug, PARAMEDIK]) in page
