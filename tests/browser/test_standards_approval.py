"""
A new office gets its catalogue (issue 11, items 4 and 5), at phone and desktop sizes: its admin
copies a template and sends the draft for review; the Kepala Dinas approves it with the decree;
the admin publishes it; the service appears in that office's public catalogue and takes
applications. axe-core runs on every page; screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set.
"""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from satupintu.catalogue.models import ServiceStandardVersion
from tests.browser.test_officer_journey import PASSWORD, SIZES, _check, _shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture
def dumai(make_office, make_user):
    office = make_office(slug="dpmptsp-kota-dumai", name="DPMPTSP Kota Dumai", region="Kota Dumai")
    make_user("admin-dumai", office=office, roles=["admin"], password=PASSWORD)
    make_user("kadis-dumai", office=office, roles=["kepala_dinas"], password=PASSWORD)
    return office


def _sign_in(browser, live_server, size, username):
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/petugas/**")
    return context, page


@pytest.mark.parametrize("size", list(SIZES))
def test_a_new_office_copies_a_template_has_it_approved_and_publishes_it(live_server, browser, dumai, size, tmp_path):
    axe = Axe()
    shots = _shots(tmp_path)
    base = f"{live_server.url}/petugas/{dumai.slug}/standar/"
    today = timezone.localdate()
    admin_context, admin = _sign_in(browser, live_server, size, "admin-dumai")
    kadis_context, kadis = _sign_in(browser, live_server, size, "kadis-dumai")
    try:
        # Nothing yet: the public catalogue of the new office is empty.
        admin.goto(f"{live_server.url}/kantor/{dumai.slug}/layanan/")
        assert "Izin Kerja Radiografer" not in admin.locator("main").inner_text()

        admin.goto(base)
        assert "Belum ada layanan" in admin.locator("main").inner_text()
        admin.get_by_label("Templat").select_option(RADIOGRAFER)
        admin.get_by_role("button", name="Salin dari templat").click()
        admin.wait_for_url(base)
        _check(admin, axe, shots, f"{size}-standar-1-daftar")
        admin.get_by_role("link", name="v1").click()
        admin.get_by_role("button", name="Ajukan untuk persetujuan").click()
        assert "Diajukan untuk persetujuan" in admin.locator("dl.facts").first.inner_text()

        kadis.goto(f"{base}{RADIOGRAFER}/v1/")
        kadis.get_by_role("button", name="Setujui dan tetapkan dengan Keputusan").click()
        assert "Isi nomor Keputusan Kepala Dinas." in kadis.locator("main").inner_text()
        _check(kadis, axe, shots, f"{size}-standar-2-persetujuan-galat")
        kadis.get_by_label("Nomor Keputusan Kepala Dinas").fill("503/45/DPMPTSP-DUM/XI/2026")
        kadis.get_by_label("Tanggal Keputusan").fill((today - dt.timedelta(days=2)).isoformat())
        kadis.get_by_role("button", name="Setujui dan tetapkan dengan Keputusan").click()
        kadis.wait_for_url(f"**/{RADIOGRAFER}/v1/")
        assert "Disetujui Kepala Dinas" in kadis.locator("dl.facts").first.inner_text()
        _check(kadis, axe, shots, f"{size}-standar-3-disetujui")

        admin.reload()
        admin.get_by_label("Berlaku mulai tanggal").fill((today - dt.timedelta(days=1)).isoformat())
        admin.get_by_role("button", name="Umumkan").click()
        admin.wait_for_url(f"**/{RADIOGRAFER}/v1/")
        assert ServiceStandardVersion.objects.get(service__office=dumai).status == "published"

        # The public catalogue of that office now has the service, and it takes applications.
        admin.goto(f"{live_server.url}/kantor/{dumai.slug}/layanan/")
        assert "Izin Kerja Radiografer" in admin.locator("main").inner_text()
        _check(admin, axe, shots, f"{size}-standar-4-katalog-publik")
        admin.get_by_role("link", name="Izin Kerja Radiografer").click()
        assert admin.get_by_role("link", name="Ajukan permohonan").first.is_visible()
        assert "503/45/DPMPTSP-DUM/XI/2026" in admin.locator("dl.facts").first.inner_text()
        _check(admin, axe, shots, f"{size}-standar-5-layanan-publik")
        width = admin.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["viewport"]["width"], "the page must not scroll sideways"
    finally:
        admin_context.close()
        kadis_context.close()
