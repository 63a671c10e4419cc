"""
Issue 15 (organisations and proxies) at phone (390x844) and desktop sizes, axe-core on every page:
a hospital's admin on its page (people, files, permits with expiry), applying for one of its
radiographers, then the front office handing a permit to a proxy with the power of attorney and
the holder seeing that a proxy collected it. No serious or critical violation is allowed.

Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set (else the test's temporary folder).
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from satupintu.applications.tests.conftest import PDF, WIB, Clock
from satupintu.organisations.tests.test_on_behalf import apply_for, walk_to_handover

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-sekali-123"  # make_user's
CODE = "izin-kerja-radiografer"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
BLOCKING = {"serious", "critical"}


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SATUPINTU_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check(page, axe, shots: Path, name: str) -> None:
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


def _sign_in(page, base, username):
    page.goto(base + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


@pytest.fixture
def ready(services_loaded, staff, hospital, hospital_admin, radiographers):
    """
    Rina's permit, applied for by the hospital, signed and waiting at the counter. Built on a
    worker thread: the signing runs its own asyncio loop, which cannot start inside Playwright's.
    """
    from concurrent.futures import ThreadPoolExecutor

    def build():
        clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
        app = apply_for(services_loaded[CODE], hospital_admin, hospital, radiographers[0], clock)
        return walk_to_handover(app, staff, hospital_admin, clock)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build).result()


@pytest.mark.parametrize("size", list(SIZES))
def test_an_organisation_applies_for_its_people_and_a_proxy_collects_a_permit(
    live_server, ready, browser, staff, hospital, hospital_admin, radiographers, size, tmp_path
):
    axe, shots = Axe(), _shots(tmp_path)
    base = live_server.url
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, base, hospital_admin.username)
        page.goto(base + f"/organisasi/{hospital.pk}/")
        assert page.get_by_role("heading", name="RSUD Arifin Achmad", level=1).is_visible()
        assert page.get_by_text("31 Desember 2029").is_visible()
        _check(page, axe, shots, f"{size}-1-organisasi")

        page.locator("#ajukan + ul").get_by_role("link", name="Izin Kerja Radiografer").click()
        page.wait_for_url(f"**/organisasi/{hospital.pk}/ajukan/{CODE}/")
        _check(page, axe, shots, f"{size}-2-ajukan-untuk")
        page.get_by_label("Budi Santoso, A.Md.Rad. — Radiografer").check()
        page.get_by_label("Permohonan baru").check()
        page.get_by_role("button", name="Lanjut").click()
        page.wait_for_load_state()
        assert page.get_by_text("Nama dan NIK diambil dari akun Budi Santoso, A.Md.Rad. sendiri").is_visible()
        _check(page, axe, shots, f"{size}-3-formulir-untuk")

        # The front office hands Rina's permit to a proxy with the power of attorney.
        page.context.clear_cookies()
        _sign_in(page, base, staff["front_office"].username)
        page.goto(base + f"/petugas/permohonan/{ready.number}/")
        page.get_by_label("Kuasa pemohon (dengan surat kuasa)").check()
        page.get_by_label("Nama penerima").fill("Joko Susilo")
        page.get_by_label("Nomor identitas penerima (NIK/KTP)").fill("1471010707700010")
        page.get_by_label("Surat kuasa (bila diambil oleh kuasa)").set_input_files(
            files=[{"name": "surat-kuasa.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        _check(page, axe, shots, f"{size}-4-penyerahan-kuasa")
        page.get_by_role("button", name="Catat penyerahan surat izin").click()
        page.wait_for_load_state()
        assert page.get_by_text("Diambil kuasa: Joko Susilo untuk Rina Marlina, A.Md.Rad.").is_visible()
        assert page.get_by_text("RSUD Arifin Achmad · NIB 9120001234567").is_visible()
        _check(page, axe, shots, f"{size}-5-kartu-kuasa")

        # Rina, the holder, sees that a proxy collected it.
        page.context.clear_cookies()
        _sign_in(page, base, radiographers[0].username)
        page.goto(base + f"/permohonan/{ready.number}/")
        assert page.get_by_text("Surat izin diambil oleh kuasa: Joko Susilo").is_visible()
        _check(page, axe, shots, f"{size}-6-pemegang-melihat-kuasa")
    finally:
        context.close()
