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


def test_signing_up_creates_the_account_signs_in_and_goes_to_my_applications(client):
    """Username = e-mail lowercased; the phone is stored in E.164; the sign-up is audited."""
    response = client.post(reverse("portal:signup"), SIGNUP)
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_applications")
    user = User.objects.get()
    assert (user.username, user.email, user.phone, user.nik) == (
        "rina@example.com",
        "rina@example.com",
        "+6281234567890",
        "1471015503900002",
    )
    assert user.full_name == "Rina Marlina, A.Md.Rad."
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(action="applicant.register", target=f"user:{user.pk}").exists()


def test_after_signing_up_the_applicant_continues_where_they_were_going(client):
    """``next`` (e.g. the application form) is followed; an outside address is not."""
    response = client.post(reverse("portal:signup"), {**SIGNUP, "next": "/layanan/izin-x/ajukan/"})
    assert response["Location"] == "/layanan/izin-x/ajukan/"
    client.logout()
    other = {**SIGNUP, "nik": "1471011001850003", "email": "", "phone": "081298765432"}
    response = client.post(reverse("portal:signup"), {**other, "next": "https://contoh.jahat/"})
    assert response["Location"] == reverse("portal:my_applications")


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


def test_a_registered_nik_email_or_phone_is_refused(client, make_user):
    """One account per person: the same NIK, e-mail (any case) or phone cannot sign up again."""
    applicant_register(full_name="Rina", nik=SIGNUP["nik"], email="rina@example.com", phone="", password=PASSWORD)
    response = client.post(reverse("portal:signup"), {**SIGNUP, "nik": "1471011001850003", "phone": ""})
    assert "Surel ini sudah terdaftar" in response.content.decode()
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
