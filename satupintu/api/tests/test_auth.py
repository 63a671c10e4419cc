"""Token authentication: issue, use, throttle, revoke (DESIGN §12)."""

import datetime as dt
import hashlib

import pytest
from django.test import override_settings
from django.utils import timezone

from satupintu.accounts.models import LoginAttempt
from satupintu.api.models import ApiToken

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-sekali-123"


def _token(client, username, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_a_user_exchanges_username_and_password_for_a_bearer_token(client, make_user):
    """The token works as a bearer token; only its SHA-256 is stored; the attempt is logged as a success."""
    user = make_user("pemohon-a")
    response = _token(client, "pemohon-a")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40
    row = ApiToken.objects.get(user=user)
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert dt.timedelta(days=29) < row.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert LoginAttempt.objects.get(username="pemohon-a").succeeded

    mine = client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert mine.status_code == 200 and mine.json() == []
    row.refresh_from_db()
    assert row.last_used_at is not None


@override_settings(SATUPINTU_API_TOKEN_DAYS=2)
def test_the_token_lifetime_is_a_setting(client, make_user):
    make_user("pemohon-b")
    assert _token(client, "pemohon-b").status_code == 200
    assert ApiToken.objects.get().expires_at - timezone.now() <= dt.timedelta(days=2)


def test_wrong_credentials_get_401_and_are_logged(client, make_user):
    make_user("pemohon-c")
    response = _token(client, "pemohon-c", "salah")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil.",
        "code": "unauthorized",
    }
    assert _token(client, "tidak-ada").status_code == 401
    assert list(LoginAttempt.objects.values_list("succeeded", flat=True)) == [False, False]
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token_and_their_token_stops_working(api, client, make_user):
    user = make_user("pemohon-d")
    alice = api(user)
    user.is_active = False
    user.save()
    assert _token(client, "pemohon-d").status_code == 401
    assert alice.get("/applications").status_code == 401


@override_settings(SATUPINTU_LOGIN_THROTTLE={"FREE_FAILURES": 3})
def test_sign_in_is_throttled_like_the_web_login(client, make_user):
    """After the free failures even the right password gets 429 ``throttled`` with Retry-After; all recorded."""
    make_user("pemohon-e")
    for _ in range(3):
        assert _token(client, "pemohon-e", "salah").status_code == 401
    response = _token(client, "pemohon-e")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Terlalu banyak percobaan masuk yang gagal")
    assert response["Retry-After"] == "2"
    assert LoginAttempt.objects.filter(username="pemohon-e", succeeded=False).count() == 4
    assert LoginAttempt.objects.filter(username="pemohon-e", throttled=True, door="api").count() == 1
    assert not ApiToken.objects.exists()


def test_requests_without_a_valid_token_get_401_in_the_error_shape(client, make_user):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer bukan-token"}, {"HTTP_AUTHORIZATION": "Basic eDp5"}):
        response = client.get("/api/v1/applications", **headers)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_fails(api, make_user):
    user = make_user()
    session = api(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert session.get("/applications").status_code == 401


def test_delete_revokes_the_callers_token_only(api, make_user):
    user = make_user()
    first, second = api(user), api(user)
    response = first.client.delete("/api/v1/auth/token", **first.headers)
    assert response.status_code == 204
    assert first.get("/applications").status_code == 401
    assert second.get("/applications").status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 1
