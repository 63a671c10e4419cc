"""A citizen reads the catalogue and a service's standard on a phone."""

from pathlib import Path

import pytest
from django.conf import settings

from satupintu.catalogue.loader import standard_files, standard_load_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(office):
    for path in standard_files(Path(settings.SATUPINTU_STANDARDS_DIR)):
        standard_load_file(office=office, path=path)
    return office


def test_a_citizen_finds_a_service_and_reads_its_standard(live_server, phone, catalogue):
    page = phone
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Layanan perizinan"
    links = page.locator("ul.cards h2 a")
    assert sorted(links.all_inner_texts()) == [
        "Izin Kerja Radiografer",
        "Izin Praktik Paramedik Asisten Teknik Reproduksi",
        "Perpanjangan Izin Mempekerjakan Tenaga Kerja Asing (IMTA)",
    ]

    # Search narrows the list.
    page.get_by_label("Cari layanan").fill("radiografer")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/?q=radiografer")
    assert page.locator("ul.cards h2 a").all_inner_texts() == ["Izin Kerja Radiografer"]

    page.get_by_role("link", name="Izin Kerja Radiografer").click()
    page.wait_for_url("**/layanan/izin-kerja-radiografer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Izin Kerja Radiografer"
    facts = page.locator("dl.facts").first.inner_text()
    assert "2 hari kerja (dengan persyaratan lengkap)" in facts
    assert "GRATIS" in facts

    requirements = page.locator("ol.requirements > li")
    assert requirements.count() == 10
    assert "Foto copy STR yang dilegalisir basah" in requirements.nth(4).inner_text()

    # The SOP: folded (issue 14: the page was 17,000 px tall), one card per step on a phone once
    # opened, with its role and time; the implied inspection marked.
    page.get_by_text("2. Sistem, mekanisme dan prosedur").click()
    rows = page.locator("table.sop tbody tr")
    assert rows.count() == 10
    assert "35 menit" in rows.nth(1).inner_text()
    inspection = rows.nth(2).inner_text()
    assert "Tim Teknis" in inspection and "Tidak berasal dari naskah Standar Pelayanan" in inspection
    assert "1 hari kerja" in rows.nth(7).inner_text() and "Kepala Dinas" in rows.nth(7).inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 412, "the page must not scroll sideways on a phone"

    # Complaint channels with the office's numbers (folded too).
    page.get_by_text("6. Penanganan pengaduan, saran dan masukan").click()
    channels = page.locator("ul.channels").inner_text()
    assert "(0761) 28262" in channels and "08117515133" in channels and "dpmptsppekanbaru@gmail.com" in channels


def test_the_truncated_standard_says_what_is_not_from_its_source(live_server, phone, catalogue):
    page = phone
    page.goto(live_server.url + "/layanan/izin-praktik-paramedik-asisten-teknik-reproduksi/")
    assert "Naskah sumber standar ini tidak lengkap." in page.locator("main").inner_text()
    assert "Biaya belum" not in page.locator("dl.facts").first.inner_text()
    # Each clause not from the source carries a small mark only; the curation notes stay with staff.
    assert page.locator(".provenance-mark").count() >= 5
    assert "Belum diverifikasi terhadap naskah resmi." in page.locator("#persyaratan + .provenance-mark").inner_text()
    assert "ringkasan sekunder" not in page.locator("main").inner_text()
    # Its fee is not set: it takes no applications.
    assert "Layanan ini belum menerima permohonan." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Ajukan permohonan").count() == 0


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_citizens_pages_pass_axe_at_phone_and_desktop_size(
    live_server, browser, services_loaded, applicant, size, tmp_path
):
    """
    Issue 14: the citizen's journey — the catalogue, a search, each service's page, tracking a
    file (a wrong pair, then the right one) — at 390x844 and at desktop size, axe-core on every
    page (no serious or critical violation), no sideways scrolling on the phone.
    """
    import os

    from axe_playwright_python.sync_playwright import Axe

    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, upload_all

    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code]
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant)

    shots = Path(os.environ.get("SATUPINTU_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    options = (
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
        if size == "phone"
        else {"viewport": {"width": 1280, "height": 900}}
    )
    context = browser.new_context(locale="id-ID", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe = Axe()

    def check(name):
        page.screenshot(path=str(shots / f"warga-{size}-{name}.png"), full_page=True)
        violations = axe.run(page).response["violations"]
        blocking = [f"{v['id']} ({v['impact']})" for v in violations if v.get("impact") in {"serious", "critical"}]
        assert blocking == [], f"{name}: {blocking}"
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} scrolls sideways"

    try:
        page.goto(live_server.url + "/")
        check("1-katalog")
        page.get_by_label("Cari layanan").fill("paramedik")
        page.get_by_role("button", name="Cari").click()
        page.wait_for_url("**/?q=paramedik")
        check("2-cari")
        for code in services_loaded:
            page.goto(f"{live_server.url}/layanan/{code}/")
            check(f"3-layanan-{code}")
        page.goto(live_server.url + "/lacak/")
        check("4-lacak")
        page.get_by_label("Nomor registrasi").fill(app.number)
        page.get_by_label("Kode pelacakan").fill("SALAH1")
        page.get_by_role("button", name="Lacak", exact=True).click()
        assert "tidak cocok" in page.locator("main").inner_text().lower() or page.locator(".error-summary").count()
        check("5-lacak-salah")
        page.get_by_label("Nomor registrasi").fill(app.number.lower())
        page.get_by_label("Kode pelacakan").fill(app.tracking_code.lower())
        page.get_by_role("button", name="Lacak", exact=True).click()
        main = page.locator("main").inner_text()
        assert app.number in main and "Rina Marlina" not in main
        check("6-lacak-hasil")
    finally:
        context.close()
