"""Applicants create their own account and sign in with a username, e-mail or mobile number."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from satupintu.accounts.models import User
from satupintu.accounts.services import applicant_register
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Pekanbaru-Bertuah-2026"
SIGNUP = {
    "full_name": "Rina Marlina, A.Md.Rad.",
    "nik": "1471015503900002",
    "email": "Rina@Example.com",
    "phone": "0812 3456 7890",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _signed_in_after_signup(client, identifier, password=PASSWORD):
    """Follow the sign-up's redirect to the sign-in page and sign in there."""
    return client.post(reverse("accounts:login"), {"username": identifier, "password": password})


def test_signing_up_creates_the_account_then_the_applicant_signs_in(client):
    """Username = e-mail lowercased; the phone is stored in E.164; the sign-up is audited."""
    response = client.post(reverse("portal:signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fpermohonan%2F"
    user = User.objects.get()
    assert (user.username, user.email, user.phone, user.nik) == (
        "rina@example.com",
        "rina@example.com",
        "+6281234567890",
        "1471015503900002",
    )
    assert user.full_name == "Rina Marlina, A.Md.Rad."
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="applicant.register", target=f"user:{user.pk}").exists()
    assert _signed_in_after_signup(client, "rina@example.com").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_after_signing_up_the_applicant_continues_where_they_were_going(client):
    """``next`` (e.g. the application form) is carried to the sign-in page; an outside address is not."""
    response = client.post(reverse("portal:signup"), {**SIGNUP, "next": "/layanan/izin-x/ajukan/"})
    assert response["Location"] == reverse("accounts:login") + "?next=%2Flayanan%2Fizin-x%2Fajukan%2F"
    other = {**SIGNUP, "nik": "1471011001850003", "email": "", "phone": "081298765432"}
    response = client.post(reverse("portal:signup"), {**other, "next": "https://contoh.jahat/"})
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fpermohonan%2F"


def test_a_phone_alone_is_enough_and_becomes_the_username(client):
    """Without an e-mail the username is the E.164 phone number."""
    client.post(reverse("portal:signup"), {**SIGNUP, "email": ""})
    assert User.objects.get().username == "+6281234567890"


def test_a_bad_nik_is_explained_in_indonesian(client):
    """The NIK is checked by its structure (parse_nik); the message says what is wrong."""
    response = client.post(reverse("portal:signup"), {**SIGNUP, "nik": "9971015503900002"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ada masalah" in body and 'href="#id_nik"' in body
    assert "Kode provinsi 99 pada NIK tidak dikenal" in body
    assert not User.objects.exists()


def test_an_email_or_a_phone_is_required(client):
    """At least one way to sign in and be reached."""
    body = client.post(reverse("portal:signup"), {**SIGNUP, "email": "", "phone": ""}).content.decode()
    assert "Isi surel atau nomor HP" in body and 'href="#id_email"' in body
    assert not User.objects.exists()


def test_the_two_passwords_must_match(client):
    body = client.post(reverse("portal:signup"), {**SIGNUP, "password2": "lain-sekali-123"}).content.decode()
    assert "Kedua kata sandi tidak sama." in body
    assert not User.objects.exists()


def test_django_password_rules_speak_indonesian(client):
    """Django's own validators, through its Indonesian catalogue."""
    response = client.post(reverse("portal:signup"), {**SIGNUP, "password1": "12345", "password2": "12345"})
    body = response.content.decode()
    assert "Kata sandi terlalu pendek" in body and 'href="#id_password1"' in body
    assert not User.objects.exists()


def test_a_registered_nik_email_or_phone_is_refused_at_the_counter(make_user):
    """One account per person: ``applicant_register`` (counter, admin) refuses the same NIK, e-mail or phone."""
    applicant_register(full_name="Rina", nik=SIGNUP["nik"], email="rina@example.com", phone="", password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        applicant_register(
            full_name="Rina", nik=SIGNUP["nik"], email="lain@example.com", phone="+6281234567890", password=PASSWORD
        )
    assert "NIK ini sudah terdaftar" in refused.value.message_dict["nik"][0]
    applicant_register(full_name="Agus", nik="1471011001850003", email="", phone="081234567890", password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        applicant_register(
            full_name="X", nik="1471014506950001", email="", phone="+62 812-3456-7890", password=PASSWORD
        )
    assert "Nomor HP ini sudah terdaftar" in refused.value.message_dict["phone"][0]
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"nik": "1471011001850003", "phone": ""},  # the e-mail is registered
        {"email": "baru@example.com", "phone": ""},  # the NIK is registered
        {"nik": "1471011001850003", "email": ""},  # the phone is registered
    ],
)
def test_sign_up_tells_whether_a_nik_email_or_phone_is_registered_now_same_answer(client, office, changes):
    """
    Finding "sign-up tells whether a NIK, e-mail or phone is registered": the answer to a sign-up
    with registered data is the answer to a new one; the owner is told instead, through the outbox.
    """
    from satupintu.notifications.models import Notice

    owner = applicant_register(
        full_name="Rina", nik=SIGNUP["nik"], email="rina@example.com", phone="081234567890", password=PASSWORD
    )
    fresh = client.post(
        reverse("portal:signup"),
        {**SIGNUP, "nik": "1471014506950001", "email": "orang.baru@example.com", "phone": "081377778888"},
    )
    client.cookies.clear()
    repeat = client.post(
        reverse("portal:signup"),
        {**SIGNUP, **changes, "password1": "Tebakan-Orang-Lain-9", "password2": "Tebakan-Orang-Lain-9"},
    )
    assert (repeat.status_code, repeat["Location"]) == (fresh.status_code, fresh["Location"])
    assert [str(m) for m in repeat.wsgi_request._messages] == [str(m) for m in fresh.wsgi_request._messages]
    assert User.objects.count() == 2  # the owner and the fresh one; nothing created for the repeat
    notices = Notice.objects.filter(user=owner, template_key="account.signup_existing")
    assert set(notices.values_list("channel", flat=True)) == {"email", "sms"}
    assert "Tebakan" not in notices.first().text
    assert AuditEvent.objects.filter(action="applicant.register_existing", target=f"user:{owner.pk}").exists()


@pytest.mark.parametrize("identifier", ["081234567890", "+6281234567890", "RINA@example.com", "rina@example.com"])
def test_sign_in_works_with_the_phone_in_any_form_or_the_email(client, identifier):
    """The login page accepts the username, the e-mail (any case) or the phone (08… or +62…)."""
    applicant_register(
        full_name="Rina", nik=SIGNUP["nik"], email="rina@example.com", phone="081234567890", password=PASSWORD
    )
    response = client.post(reverse("accounts:login"), {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_by_phone_is_refused(client):
    applicant_register(full_name="Rina", nik=SIGNUP["nik"], email="", phone="081234567890", password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "081234567890", "password": "salah-sekali"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


@override_settings(SATUPINTU_LOGIN_THROTTLE={"FREE_FAILURES": 3})
def test_the_login_throttle_still_delays_when_signing_in_by_phone(client):
    """Guessing by phone number is throttled like guessing by username."""
    applicant_register(full_name="Rina", nik=SIGNUP["nik"], email="", phone="081234567890", password=PASSWORD)
    url = reverse("accounts:login")
    for _ in range(3):
        client.post(url, {"username": "081234567890", "password": "tebakan"})
    response = client.post(url, {"username": "081234567890", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in_by_email(client):
    user = applicant_register(
        full_name="Rina", nik=SIGNUP["nik"], email="rina@example.com", phone="", password=PASSWORD
    )
    user.is_active = False
    user.save()
    response = client.post(reverse("accounts:login"), {"username": "rina@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
