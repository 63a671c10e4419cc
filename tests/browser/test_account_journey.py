"""
An officer's account (issue 13), at phone and desktop sizes: the first sign-in of an office that
requires a second factor leads to enrolment (QR code, then the recovery codes shown once); the
next sign-in asks for the code; the password is changed; "Sesi dan token aktif" lists the
sessions. axe-core runs on every page; no violation of impact serious or critical is allowed.

Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set (else the test's temporary folder).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import OfficeAccountPolicy
from tests.browser.test_officer_journey import SIZES, _check, _shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-uji-123"
NEW_PASSWORD = "kata-sandi-baru-uji-456"


def _fits(page) -> None:
    """Nothing sticks out sideways: the page is no wider than the screen."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the screen"


def _code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username)
    # A code is accepted once per 30-second step; let the next one through at once.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("size", list(SIZES))
def test_an_officer_enrols_signs_in_with_a_code_and_changes_the_password(
    live_server, browser, office, make_user, size, tmp_path
):
    OfficeAccountPolicy.objects.create(office=office, staff_otp_required=True)
    make_user("loket-1", office=office, roles=["front_office"], password=PASSWORD)
    axe = Axe()
    shots = _shots(tmp_path)
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("loket-1")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/akun/dua-langkah/"))
    assert page.get_by_role("img", name="Kode QR untuk aplikasi autentikator").is_visible()
    _check(page, axe, shots, f"account-{size}-1-daftar-autentikator")
    _fits(page)

    page.get_by_label("Kode dari aplikasi").fill(_code("loket-1"))
    page.get_by_role("button", name="Aktifkan").click()
    page.get_by_role("heading", name="Simpan kode pemulihan Anda").wait_for()
    assert page.locator("ol.recovery-codes li").count() == 10
    _check(page, axe, shots, f"account-{size}-2-kode-pemulihan")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    page.wait_for_url(re.compile(r"/petugas/$"))

    page.get_by_role("button", name="Keluar").first.click()
    page.goto(live_server.url + "/akun/masuk/?next=/akun/sesi/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("loket-1")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/akun/verifikasi/"))
    _check(page, axe, shots, f"account-{size}-3-verifikasi")
    page.get_by_label("Kode verifikasi").fill("000000")
    page.get_by_role("button", name="Lanjut").click()
    assert page.get_by_role("alert").is_visible()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page.get_by_label("Kode verifikasi").fill(_code("loket-1"))
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url(re.compile(r"/akun/sesi/$"))
    _check(page, axe, shots, f"account-{size}-4-sesi")
    _fits(page)

    page.get_by_role("link", name="Ganti kata sandi").click()
    page.get_by_label("Kata sandi sekarang").fill(PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    _check(page, axe, shots, f"account-{size}-5-ganti-kata-sandi")
    page.get_by_role("button", name="Ganti kata sandi").click()
    page.wait_for_url(re.compile(r"/akun/sesi/$"))
    assert page.get_by_text("Kata sandi sudah diganti").is_visible()
    _check(page, axe, shots, f"account-{size}-6-sesi-setelah-ganti")
    _fits(page)
    context.close()


def test_an_officer_adds_a_security_key_and_signs_in_with_it(live_server, browser, office, make_user, tmp_path):
    """WebAuthn as the option: Chromium's virtual authenticator stands in for a USB key."""
    from satupintu.accounts.models import SecurityKey
    from satupintu.accounts.twofactor import totp_device_pending, totp_enrol_confirm

    OfficeAccountPolicy.objects.create(office=office, staff_otp_required=True)
    user = make_user("bo-1", office=office, roles=["back_office"], password=PASSWORD)
    device = totp_device_pending(user=user)
    totp_enrol_confirm(user=user, device=device, code=_code("bo-1"))
    axe = Axe()
    shots = _shots(tmp_path)
    context = browser.new_context(locale="id-ID", **SIZES["desktop"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    def sign_in() -> None:
        page.goto(live_server.url + "/akun/masuk/?next=/akun/kunci-keamanan/")
        page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("bo-1")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(re.compile(r"/akun/verifikasi/"))

    sign_in()
    page.get_by_label("Kode verifikasi").fill(_code("bo-1"))
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url(re.compile(r"/akun/kunci-keamanan/$"))
    page.get_by_label("Nama kunci").fill("kunci USB biru")
    page.get_by_role("button", name="Tambah kunci keamanan").click()
    page.get_by_text("Kunci keamanan sudah didaftarkan").wait_for()
    assert SecurityKey.objects.filter(user=user, name="kunci USB biru").count() == 1
    _check(page, axe, shots, "account-desktop-7-kunci-keamanan")

    page.get_by_role("button", name="Keluar").first.click()
    sign_in()
    _check(page, axe, shots, "account-desktop-8-verifikasi-dengan-kunci")
    page.get_by_role("button", name="Pakai kunci keamanan").click()
    page.wait_for_url(re.compile(r"/akun/kunci-keamanan/$"))
    key = SecurityKey.objects.get(user=user)
    assert key.last_used_at is not None and key.sign_count >= 1
    context.close()
