"""
The Kepala Dinas signs three permits in one action (ADR 0009), at phone and desktop sizes: the
batch page, the progress page while the worker has not yet signed ("sedang diproses"), and after
the worker ran (each file signed, with its PDF). axe-core on every page; no serious or critical
violation. Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set.
"""

import datetime as dt
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections

from satupintu.applications import services
from satupintu.applications.models import SignatureRequest, SignatureState
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
from satupintu.documents.signing import signer_cache_clear
from satupintu.documents.tests.conftest import RADIOGRAFER, walk
from satupintu.notifications.tests.conftest import run_queued
from tests.browser.test_officer_journey import SIZES, _check, _shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_at_sign(services_loaded, staff, applicant, settings, tmp_path):
    settings.SATUPINTU_SIGNING = {"DIR": tmp_path / "signing", "AUTO_DEV_CA": True, "EAGER": False}
    signer_cache_clear()
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    apps = []
    for _ in range(3):
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
        apps.append(walk(app, staff, applicant, clock, stop_kind="sign"))
    yield apps
    signer_cache_clear()


def _worker():
    """Run the queued tasks as the worker would, in a thread of its own (Playwright's loop runs in this one)."""
    ran = []

    def work():
        try:
            ran.extend(run_queued())
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    return ran


@pytest.mark.parametrize("size", list(SIZES))
def test_the_kepala_dinas_signs_three_files_at_once(live_server, browser, three_at_sign, office, size, tmp_path):
    axe = Axe()
    shots = _shots(tmp_path)
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(live_server.url + "/akun/masuk/")
        page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("kepala_dinas-1")
        page.get_by_label("Kata sandi").fill("rahasia-sekali-123")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/petugas/")
        page.get_by_role("link", name="Tanda tangan sekaligus").first.click()
        page.wait_for_url(f"**/petugas/{office.slug}/tanda-tangan/")
        assert page.get_by_role("heading", name="Tanda tangan sekaligus").is_visible()
        for app in three_at_sign:
            page.get_by_label(f"Pilih {app.number}").check()
        _check(page, axe, shots, f"{size}-tanda-tangan-1-pilih")
        page.get_by_role("button", name="Tandatangani yang dipilih").click()
        page.wait_for_url(f"**/petugas/{office.slug}/tanda-tangan/*/")
        # No worker yet: every file has its number and waits for its signature; the page polls itself.
        assert "0 dari 3 berkas selesai" in page.content()
        assert page.locator("[data-poll]").count() == 1
        _check(page, axe, shots, f"{size}-tanda-tangan-2-proses")
        ran = _worker()
        assert any(name.endswith("sign_batch") for name, _args, _value in ran)
        # The page updates itself (progress.js), without a reload or a <meta refresh>.
        page.locator("#kemajuan").get_by_text("3 dari 3 berkas selesai").wait_for(timeout=20_000)
        assert page.locator("[data-poll]").count() == 0
        assert page.get_by_role("link", name="Surat izin (PDF)").count() == 3
        _check(page, axe, shots, f"{size}-tanda-tangan-3-selesai")
    finally:
        context.close()
    assert SignatureRequest.objects.filter(state=SignatureState.SIGNED).count() == 3
