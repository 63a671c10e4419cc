import pytest
from django.test import override_settings
from django.urls import reverse

from satupintu.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db


def test_login_page_is_in_indonesian(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nama pengguna" in body and "Kata sandi" in body and '<html lang="id">' in body


def test_a_correct_password_signs_in_and_is_recorded(client, make_user):
    make_user("petugas", password="kata-sandi-benar-1")
    response = client.post(reverse("accounts:login"), {"username": "petugas", "password": "kata-sandi-benar-1"})
    assert response.status_code == 302
    assert LoginAttempt.objects.filter(username="petugas", succeeded=True).count() == 1


def test_a_wrong_password_is_refused_in_indonesian(client, make_user):
    make_user("petugas", password="kata-sandi-benar-1")
    response = client.post(reverse("accounts:login"), {"username": "petugas", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


@override_settings(SATUPINTU_LOGIN_THROTTLE={"FREE_FAILURES": 3})
def test_repeated_failures_delay_the_name_from_that_address_even_for_the_right_password(client, make_user):
    """Guessing is slowed: after the free failures, even the correct password waits, and is told how long."""
    make_user("petugas", password="kata-sandi-benar-1")
    url = reverse("accounts:login")
    for _ in range(3):
        client.post(url, {"username": "petugas", "password": "tebakan"})
    response = client.post(url, {"username": "petugas", "password": "kata-sandi-benar-1"})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "coba lagi dalam 2 detik" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user on the same address is not held up by someone else's guessing.
    make_user("lain", password="kata-sandi-lain-1")
    assert client.post(url, {"username": "lain", "password": "kata-sandi-lain-1"}).status_code == 302


def test_logout_needs_post_and_ends_the_session(client, make_user):
    user = make_user("petugas")
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_blank_post_is_not_recorded_as_a_successful_sign_in(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert not LoginAttempt.objects.filter(succeeded=True).exists()
    assert "_auth_user_id" not in client.session
