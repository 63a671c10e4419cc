"""
The officer's way to a file (issue 14, finding one's way), at phone and desktop sizes: sign in →
the staff home → a search → the application, with axe-core run on every page visited; no
violation of impact serious or critical is allowed.

Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set (else the test's temporary folder).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from satupintu.applications import services
from satupintu.applications.models import Channel
from satupintu.applications.tests.conftest import FORM_DATA, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-uji-123"
PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def handed_in(services_loaded, make_user):
    """A paramedik file registered at the counter and handed in: it waits at the completeness check."""
    service = services_loaded[PARAMEDIK]
    front = make_user("loket-1", office=service.office, roles=["front_office"], password=PASSWORD)
    app = services.application_create(
        office=service.office, service=service, actor=front, data=FORM_DATA[PARAMEDIK], channel=Channel.COUNTER
    )
    upload_all(app, front)
    return services.application_submit(application=app, actor=front)


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SATUPINTU_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check(page, axe, shots: Path, name: str) -> None:
    """Screenshot the page and fail on any serious or critical axe-core violation."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    result = axe.run(page).response
    assert result["passes"] or result["violations"], "axe-core did not run"
    violations = result["violations"]
    (shots / f"{name}.axe.txt").write_text(
        "\n".join(f"{v['impact']}\t{v['id']}\t{len(v['nodes'])}" for v in violations) or "no violations\n"
    )
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in BLOCKING
    ]
    assert blocking == [], f"{name}: {blocking}"


@pytest.mark.parametrize("size", list(SIZES))
def test_an_officer_signs_in_finds_a_file_and_opens_it(live_server, browser, handed_in, size, tmp_path):
    axe = Axe()
    shots = _shots(tmp_path)
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/akun/masuk/")
        _check(page, axe, shots, f"{size}-1-masuk")
        page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("loket-1")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/petugas/")

        # The staff home: the queue with its count, the areas of the front office, the search box.
        assert page.get_by_role("heading", name="Beranda petugas").is_visible()
        queue = page.get_by_role("link", name="Antrian Petugas Front Office (loket)")
        assert queue.is_visible()
        assert page.get_by_role("link", name="Pendaftaran di loket").is_visible()
        assert page.get_by_role("link", name="Pemberitahuan (SMS, surel, WhatsApp)").is_visible()
        _check(page, axe, shots, f"{size}-2-beranda")

        # A name, typed in lower case, lists the file.
        page.get_by_role("search").get_by_label("Cari permohonan").fill("agus salim")
        page.get_by_role("search").get_by_role("button", name="Cari").click()
        page.wait_for_url("**/petugas/cari/**")
        assert page.get_by_role("heading", name="1 permohonan ditemukan").is_visible()
        _check(page, axe, shots, f"{size}-3-hasil-cari")

        # The filters on the same page (folded until used) narrow it; overdue only leaves nothing yet
        # (the completeness check is due 20 working minutes after the file was handed in).
        page.get_by_text("Saring menurut layanan, status, batas waktu, atau tanggal").click()
        page.get_by_label("Status").select_option("submitted")
        page.get_by_label("Batas waktu").select_option("1")
        page.locator("form.search-filters button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="0 permohonan ditemukan").is_visible()
        page.get_by_label("Batas waktu").select_option("")
        page.locator("form.search-filters button[type=submit]").click()
        page.wait_for_load_state()
        _check(page, axe, shots, f"{size}-4-saringan")

        page.get_by_role("link", name=handed_in.number).click()
        page.wait_for_url(f"**/petugas/permohonan/{handed_in.number}/")
        assert page.get_by_role("heading", level=1).is_visible()
        _check(page, axe, shots, f"{size}-5-permohonan")

        # The registration number in lower case from the box opens the file straight away.
        page.goto(live_server.url + "/petugas/")
        page.get_by_role("search").get_by_label("Cari permohonan").fill(handed_in.number.lower())
        page.get_by_role("search").get_by_role("button", name="Cari").click()
        page.wait_for_url(f"**/petugas/permohonan/{handed_in.number}/")
    finally:
        context.close()
