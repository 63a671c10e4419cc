"""
One sign-in throttle for every door (issue 13 part 1): progressive delays keyed by the name from
an address and by the address, never a lock of a named official; every attempt logged.
"""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from satupintu.accounts.models import LoginAttempt
from satupintu.accounts.throttle import login_verdict

pytestmark = pytest.mark.django_db
PASSWORD = "kata-sandi-benar-1"
ATTACKER = "203.0.113.66"
KADIS_DESK = "198.51.100.10"
OFFICE_NAT = "192.0.2.1"


def _login(client, username, password, address):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _age_attempts(seconds):
    """Move every recorded attempt ``seconds`` into the past (the clock moves on)."""
    for row in LoginAttempt.objects.all():
        row.attempted_at -= dt.timedelta(seconds=seconds)
        row.save(update_fields=["attempted_at"])


def test_admin_login_is_neither_throttled_nor_logged_now_it_is(client, make_user):
    """Finding "/admin/login/ is neither throttled nor logged (30 wrong passwords, then a superuser login)"."""
    admin_user = make_user("it-officer", password=PASSWORD)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    url = reverse("admin:login")
    for _ in range(30):
        client.post(url, {"username": "it-officer", "password": "tebakan"}, REMOTE_ADDR=ATTACKER)
    response = client.post(url, {"username": "it-officer", "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 200  # not signed in
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    rows = LoginAttempt.objects.filter(username="it-officer", door="admin")
    assert rows.count() == 31
    assert rows.filter(succeeded=False, throttled=False).count() >= 5
    assert rows.filter(throttled=True).exists()


def test_lockout_locks_any_named_account_kadis_signs_in_while_an_attacker_hammers_her_name(client, make_user):
    """Finding "the Kepala Dinas can be locked out by anyone": guessing from another address does not stop her."""
    make_user("kepala_dinas", password=PASSWORD)
    for _ in range(30):
        _login(client, "kepala_dinas", "tebakan", ATTACKER)
    assert not login_verdict(username="kepala_dinas", address=ATTACKER).allowed
    response = _login(client, "kepala_dinas", PASSWORD, KADIS_DESK)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    # the API door answers the same for her
    token = client.post(
        "/api/v1/auth/token",
        {"username": "kepala_dinas", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=KADIS_DESK,
    )
    assert token.status_code == 200


@override_settings(SATUPINTU_LOGIN_THROTTLE={"ADDRESS_FREE_FAILURES": 20})
def test_lockout_locks_everyone_behind_one_address_known_officers_still_sign_in(client, make_user):
    """Finding "and everyone behind one address after 20": officers who used the office address before pass."""
    make_user("front_office", password=PASSWORD)
    make_user("pendatang", password=PASSWORD)
    assert _login(client, "front_office", PASSWORD, OFFICE_NAT).status_code == 302
    client.logout()
    for n in range(25):
        _login(client, f"tebak-{n}", "tebakan", OFFICE_NAT)
    assert _login(client, "front_office", PASSWORD, OFFICE_NAT).status_code == 302
    client.logout()
    # a name never used from this address waits (a delay, not a lock)
    response = _login(client, "pendatang", PASSWORD, OFFICE_NAT)
    assert response.status_code == 200 and "coba lagi dalam" in response.content.decode()
    _age_attempts(16 * 60)
    assert _login(client, "pendatang", PASSWORD, OFFICE_NAT).status_code == 302


def test_delays_grow_progressively_and_end(make_user, client):
    """After 5 free failures: 2 s, then 4 s, 8 s …; once the delay has passed, the name may try again."""
    make_user("petugas", password=PASSWORD)
    for _ in range(5):
        _login(client, "petugas", "tebakan", ATTACKER)
    first = login_verdict(username="petugas", address=ATTACKER)
    assert 1 <= first.wait_seconds <= 2
    _age_attempts(3)
    assert login_verdict(username="petugas", address=ATTACKER).allowed
    _login(client, "petugas", "tebakan", ATTACKER)  # the 6th failure
    assert 3 <= login_verdict(username="petugas", address=ATTACKER).wait_seconds <= 4
    _age_attempts(5)
    _login(client, "petugas", "tebakan", ATTACKER)  # the 7th
    assert 7 <= login_verdict(username="petugas", address=ATTACKER).wait_seconds <= 8
    _age_attempts(9)
    assert _login(client, "petugas", PASSWORD, ATTACKER).status_code == 302
    # a success resets the count for the name from that address
    assert login_verdict(username="petugas", address=ATTACKER).allowed


def test_every_door_logs_every_attempt(client, make_user):
    """Web, admin and API attempts each append one row naming the door."""
    make_user("petugas", password=PASSWORD)
    _login(client, "petugas", "salah", KADIS_DESK)
    client.post(reverse("admin:login"), {"username": "petugas", "password": "salah"}, REMOTE_ADDR=KADIS_DESK)
    client.post(
        "/api/v1/auth/token",
        {"username": "petugas", "password": "salah"},
        content_type="application/json",
        REMOTE_ADDR=KADIS_DESK,
    )
    doors = sorted(LoginAttempt.objects.values_list("door", flat=True))
    assert doors == ["admin", "api", "web"]
