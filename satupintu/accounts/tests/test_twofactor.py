"""
Issue 13, accounts: "No second factor for anyone." Officers now sign in with a TOTP code (or a
one-time recovery code) at every door: the web login, /admin/login/ and the API token.
"""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import LoginAttempt, OfficeAccountPolicy
from satupintu.accounts.twofactor import otp_required, totp_device_pending, totp_enrol_confirm
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-petugas-1"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def policy_on(office):
    return OfficeAccountPolicy.objects.create(office=office, staff_otp_required=True)


@pytest.fixture
def officer(office, make_user, policy_on):
    return make_user("loket", office=office, roles=["front_office"], password=PASSWORD)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = totp_device_pending(user=user)
    codes = totp_enrol_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    # The code just used may not be used twice: step the device's memory back for the next one.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


def test_office_policy_decides_who_needs_the_second_factor(office, make_user, applicant):
    """ "Wajib 2FA untuk petugas" is per office; applicants never need it; without a row the default applies."""
    officer = make_user("bo", office=office, roles=["back_office"])
    with override_settings(SATUPINTU_ACCOUNTS={"STAFF_OTP_REQUIRED_DEFAULT": False}):
        assert not otp_required(officer)
        OfficeAccountPolicy.objects.create(office=office, staff_otp_required=True)
        assert otp_required(officer)
        assert not otp_required(applicant)
    OfficeAccountPolicy.objects.filter(office=office).update(staff_otp_required=False)
    assert not otp_required(officer)
    with override_settings(SATUPINTU_ACCOUNTS={"STAFF_OTP_REQUIRED_DEFAULT": True}):
        OfficeAccountPolicy.objects.all().delete()
        assert otp_required(officer)
        assert not otp_required(applicant)


def test_web_login_requires_otp_for_staff(client, officer):
    """After the right password an enrolled officer reaches only the code step; the code opens the staff pages."""
    device, _codes = enrol(officer)
    response = client.post(reverse("accounts:login"), {"username": "loket", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    blocked = client.get(reverse("staff:home"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("accounts:otp_verify"))

    wrong = client.post(reverse("accounts:otp_verify"), {"code": "000000", "next": "/petugas/"})
    assert wrong.status_code == 200
    assert "Kode verifikasi salah" in wrong.content.decode()
    assert client.get(reverse("staff:home")).status_code == 302

    # django-otp slows repeated wrong codes per device; let this one through.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post(reverse("accounts:otp_verify"), {"code": code_for(device), "next": "/petugas/"})
    assert ok.status_code == 302 and ok["Location"] == "/petugas/"
    assert client.get(reverse("staff:home")).status_code == 200
    doors = list(LoginAttempt.objects.filter(username="loket").values_list("door", "succeeded"))
    assert ("web", True) in doors and ("web-otp", False) in doors and ("web-otp", True) in doors


def test_first_login_without_a_device_leads_to_enrolment_only(client, officer):
    """The grace path: an officer of a 2FA office without an authenticator may only enrol (or sign out)."""
    response = client.post(reverse("accounts:login"), {"username": "loket", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_enrol"))
    assert client.get(reverse("staff:home"))["Location"].startswith(reverse("accounts:otp_enrol"))
    assert client.get(reverse("accounts:sessions"))["Location"].startswith(reverse("accounts:otp_enrol"))

    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "data:image/svg+xml" in body and "Daftarkan aplikasi autentikator" in body
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert "otpauth" in device.config_url

    bad = client.post(reverse("accounts:otp_enrol"), {"action": "confirm", "code": "123456"})
    assert "Kode tidak cocok" in bad.content.decode()
    done = client.post(reverse("accounts:otp_enrol"), {"action": "confirm", "code": code_for(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get(reverse("staff:home")).status_code == 200
    assert AuditEvent.objects.filter(action="otp.enrol", target=f"user:{officer.pk}").exists()
    # Shown once: the status page tells how many are left, never the codes.
    status = client.get(reverse("accounts:otp_enrol")).content.decode()
    assert "10" in status and codes[0] not in status


def test_recovery_code_works_once(client, officer):
    """A recovery code signs in once; the same code a second time is refused."""
    _device, codes = enrol(officer)
    client.post(reverse("accounts:login"), {"username": "loket", "password": PASSWORD})
    ok = client.post(reverse("accounts:otp_verify"), {"code": codes[0].upper(), "next": "/petugas/"})
    assert ok.status_code == 302
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    assert AuditEvent.objects.filter(action="otp.recovery_code_used").exists()
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "loket", "password": PASSWORD})
    again = client.post(reverse("accounts:otp_verify"), {"code": codes[0], "next": "/petugas/"})
    assert again.status_code == 200
    assert client.get(reverse("staff:home")).status_code == 302


def test_admin_login_requires_otp(client, make_user, office):
    """/admin/login/ with the right password alone does not open the admin for an enrolled superuser."""
    admin_user = make_user("it-admin", office=office, roles=["admin"], password=PASSWORD)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    device, _codes = enrol(admin_user)
    response = client.post("/admin/login/?next=/admin/", {"username": "it-admin", "password": PASSWORD})
    assert response.status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 302 and index["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get("/admin/accounts/user/").status_code == 302
    client.post(reverse("accounts:otp_verify"), {"code": code_for(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200
    assert LoginAttempt.objects.filter(username="it-admin", door="admin", succeeded=True).exists()


@override_settings(SATUPINTU_ACCOUNTS={"STAFF_OTP_REQUIRED_DEFAULT": True})
def test_admin_superuser_without_office_needs_otp_by_default(client, make_user):
    """The admin (a superuser in no office) is held to the production default."""
    admin_user = make_user("root", password=PASSWORD)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_api_token_requires_otp_for_staff(client, officer, applicant):
    """POST /auth/token: an officer's password alone gets no token; with the code it does. Applicants need none."""
    url = "/api/v1/auth/token"
    not_enrolled = client.post(url, {"username": "loket", "password": PASSWORD}, content_type="application/json")
    assert not_enrolled.status_code == 403 and not_enrolled.json()["code"] == "otp_enrolment_required"

    device, _codes = enrol(officer)
    missing = client.post(url, {"username": "loket", "password": PASSWORD}, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    wrong = client.post(
        url, {"username": "loket", "password": PASSWORD, "otp": "000000"}, content_type="application/json"
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post(
        url, {"username": "loket", "password": PASSWORD, "otp": code_for(device)}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["token"]
    assert LoginAttempt.objects.filter(username="loket", door="api-otp", succeeded=True).exists()

    pemohon = client.post(
        url, {"username": "pemohon-1", "password": "rahasia-sekali-123"}, content_type="application/json"
    )
    assert pemohon.status_code == 200


def test_staff_without_policy_sign_in_with_password_only(client, office, make_user):
    """Development and the demo: the default policy is off (SATUPINTU_ACCOUNTS), officers are not asked."""
    make_user("bo", office=office, roles=["back_office"], password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "bo", "password": PASSWORD})
    assert response["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:home")).status_code == 200
