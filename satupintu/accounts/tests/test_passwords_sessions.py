"""
Issue 13, accounts: "No password change or reset; sessions last 14 days with no idle timeout;
API tokens (30 days) survive a password change." And a page listing one's sessions and tokens.
"""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.models import UserSession
from satupintu.accounts.sessions import LAST_SEEN_KEY
from satupintu.api.models import ApiToken
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notice

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-sekali-123"
NEW_PASSWORD = "kata-sandi-baru-yang-panjang-7"


def signed_in(username: str, password: str = PASSWORD, agent: str = "Mozilla/5.0 (Android 14)") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client


def api_token(username: str, password: str = PASSWORD) -> str:
    response = Client().post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_tokens_revoked_on_password_change(make_user):
    """Changing the password ends every other session and every API token; this session stays."""
    user = make_user("pemohon-a")
    laptop, phone = signed_in("pemohon-a", agent="laptop"), signed_in("pemohon-a", agent="phone")
    token = api_token("pemohon-a")
    assert ApiToken.objects.filter(user=user).count() == 1

    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert ApiToken.objects.filter(user=user).count() == 0
    assert Client().get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert phone.get(reverse("accounts:sessions")).status_code == 302  # signed out
    assert laptop.get(reverse("accounts:sessions")).status_code == 200  # still in
    assert UserSession.objects.filter(user=user).count() == 1
    event = AuditEvent.objects.get(action="password.change", target=f"user:{user.pk}")
    assert event.data == {"sessions_ended": 1, "tokens_revoked": 1}
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_wrong_old_password_or_a_weak_new_one(make_user):
    make_user("pemohon-b")
    client = signed_in("pemohon-b")
    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    weak = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200 and "error" in weak.content.decode()


def test_api_password_change_keeps_only_the_calling_token(make_user):
    """POST /auth/password: the same rule through the API; the caller's token stays valid."""
    user = make_user("pemohon-c")
    browser = signed_in("pemohon-c")
    keep, other = api_token("pemohon-c"), api_token("pemohon-c")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {keep}")
    bad = api.post(
        "/api/v1/auth/password",
        {"old_password": "salah", "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert bad.status_code == 422
    ok = api.post(
        "/api/v1/auth/password",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json() == {"sessions_ended": 1, "tokens_revoked": 1}
    assert api.get("/api/v1/auth/sessions").status_code == 200
    assert Client().get("/api/v1/auth/sessions", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 401
    assert browser.get(reverse("accounts:sessions")).status_code == 302
    assert ApiToken.objects.filter(user=user).count() == 1


def reset_link(notice: Notice) -> str:
    match = re.search(r"https?://\S+/akun/lupa-kata-sandi/\S+?/\S+?/", notice.text)
    assert match, notice.text
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_password_reset_sends_a_single_use_link_through_the_outbox(office, make_user):
    """The link arrives by e-mail in the outbox, sets a new password once, and ends every session and token."""
    user = make_user("pemohon-d")
    user.email = "dina@contoh.id"
    user.save()
    old_session = signed_in("pemohon-d")
    api_token("pemohon-d")
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"identifier": "DINA@contoh.id"})
    assert response.status_code == 302
    notice = Notice.objects.get(user=user, template_key="account.password_reset")
    assert notice.channel == "email" and notice.recipient == "dina@contoh.id"
    link = reset_link(notice)

    page = client.get(link, follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert ApiToken.objects.filter(user=user).count() == 0
    assert old_session.get(reverse("accounts:sessions")).status_code == 302
    assert AuditEvent.objects.filter(action="password.reset", target=f"user:{user.pk}").exists()

    again = Client().get(link, follow=True)
    assert "Tautan ini tidak berlaku" in again.content.decode()


def test_password_reset_answers_the_same_whether_the_account_exists(office, make_user):
    """The form's answer does not tell whether an account exists; only the owner is sent anything."""
    user = make_user("pemohon-e")
    user.phone = "+6281234567890"
    user.save()
    known = Client().post(reverse("accounts:password_reset"), {"identifier": "081234567890"}, follow=True)
    unknown = Client().post(reverse("accounts:password_reset"), {"identifier": "tidak-ada@contoh.id"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert Notice.objects.filter(template_key="account.password_reset").count() == 1
    assert Notice.objects.get(template_key="account.password_reset").channel == "sms"


def test_password_reset_links_are_limited_per_hour(office, make_user):
    user = make_user("pemohon-f")
    user.email = "fitri@contoh.id"
    user.save()
    for _ in range(5):
        Client().post(reverse("accounts:password_reset"), {"identifier": "pemohon-f"})
    # Three links queued (the same link within one second is one notice), the rest refused unsent.
    assert AuditEvent.objects.filter(action="password.reset_request", target=f"user:{user.pk}").count() == 3
    assert Notice.objects.filter(user=user, template_key="account.password_reset").exists()


@override_settings(SESSION_COOKIE_AGE=12 * 3600)
def test_staff_session_ends_after_30_idle_minutes(office, make_user):
    """An officer idle for more than STAFF_IDLE_MINUTES is signed out; an applicant is not, yet."""
    make_user("bo", office=office, roles=["back_office"])
    make_user("pemohon-g")
    officer, applicant = signed_in("bo"), signed_in("pemohon-g")
    for client in (officer, applicant):
        session = client.session
        session[LAST_SEEN_KEY] = (timezone.now() - dt.timedelta(minutes=31)).timestamp()
        session.save()
    response = officer.get(reverse("staff:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in officer.session
    assert applicant.get(reverse("accounts:sessions")).status_code == 200
    session = applicant.session
    session[LAST_SEEN_KEY] = (timezone.now() - dt.timedelta(hours=5)).timestamp()
    session.save()
    assert applicant.get(reverse("accounts:sessions")).status_code == 302


@override_settings(SATUPINTU_ACCOUNTS={"STAFF_IDLE_MINUTES": 5, "STAFF_OTP_REQUIRED_DEFAULT": False})
def test_staff_idle_timeout_is_a_setting(office, make_user):
    make_user("bo", office=office, roles=["back_office"])
    officer = signed_in("bo")
    session = officer.session
    session[LAST_SEEN_KEY] = (timezone.now() - dt.timedelta(minutes=6)).timestamp()
    session.save()
    assert officer.get(reverse("staff:home")).status_code == 302


def test_sessions_page_lists_sessions_and_tokens_and_ends_them(make_user):
    """ "Sesi dan token aktif": each device with its user agent and address; the buttons end them."""
    user = make_user("pemohon-h")
    here, there = signed_in("pemohon-h", agent="Firefox di laptop"), signed_in("pemohon-h", agent="Chrome di HP")
    api_token("pemohon-h")
    page = here.get(reverse("accounts:sessions"))
    body = page.content.decode()
    assert "Firefox di laptop" in body and "Chrome di HP" in body and "perangkat ini" in body
    assert "127.0.0.1" in body
    token = ApiToken.objects.get(user=user)
    assert token.key_hash[:8] in body

    other = UserSession.objects.get(user=user, user_agent="Chrome di HP")
    assert here.post(reverse("accounts:session_end", args=[other.pk])).status_code == 302
    assert there.get(reverse("accounts:sessions")).status_code == 302
    assert not Session.objects.filter(session_key=other.session_key).exists()
    here.post(reverse("accounts:token_end", args=[token.pk]))
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEvent.objects.filter(action="session.end", actor=user).exists()
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=user).exists()


def test_sessions_cannot_be_ended_for_someone_else(make_user):
    make_user("pemohon-i")
    make_user("pemohon-j")
    mine, theirs = signed_in("pemohon-i"), signed_in("pemohon-j")
    their_session = UserSession.objects.get(user__username="pemohon-j")
    mine.post(reverse("accounts:session_end", args=[their_session.pk]))
    assert theirs.get(reverse("accounts:sessions")).status_code == 200


def test_api_lists_and_ends_sessions_and_tokens(make_user):
    """The API equivalent: GET /auth/sessions, DELETE /auth/sessions/{id}, DELETE /auth/tokens/{id}."""
    make_user("pemohon-k")
    browser = signed_in("pemohon-k", agent="Safari")
    keep, other = api_token("pemohon-k"), api_token("pemohon-k")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {keep}")
    listing = api.get("/api/v1/auth/sessions").json()
    assert [s["user_agent"] for s in listing["sessions"]] == ["Safari"]
    assert sorted(t["current"] for t in listing["tokens"]) == [False, True]
    other_id = next(t["id"] for t in listing["tokens"] if not t["current"])
    assert api.delete(f"/api/v1/auth/tokens/{other_id}").status_code == 204
    assert Client().get("/api/v1/auth/sessions", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 401
    assert api.delete(f"/api/v1/auth/sessions/{listing['sessions'][0]['id']}").status_code == 204
    assert browser.get(reverse("accounts:sessions")).status_code == 302
    assert api.delete("/api/v1/auth/sessions/999999").status_code == 404


def test_admin_password_set_revokes_sessions_and_tokens(make_user):
    """A password set by an admin (/admin/…/password/) ends the user's sessions and tokens, on record."""
    admin_user = make_user("it-admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    user = make_user("pemohon-l")
    browser = signed_in("pemohon-l")
    api_token("pemohon-l")
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert browser.get(reverse("accounts:sessions")).status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="password.admin_set")
    assert event.actor == admin_user and event.data["tokens_revoked"] == 1


def test_sessions_last_at_most_12_hours_not_14_days(settings):
    """The audit found 14-day sessions; a session now lives 12 hours at most, idle ones far less."""
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SATUPINTU_ACCOUNTS["STAFF_IDLE_MINUTES"] == 30
    assert settings.SATUPINTU_ACCOUNTS["APPLICANT_IDLE_MINUTES"] > 30
