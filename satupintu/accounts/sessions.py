"""
Signed-in sessions and API tokens as their owner sees them: listed, ended one by one, ended all
at once when the password changes; idle sessions end by themselves.

Every browser sign-in (web, admin, tests' ``force_login``) goes through ``django.contrib.auth.login``,
whose ``user_logged_in`` signal registers a ``UserSession`` row (``apps.py``). API tokens are the
``api`` app's rows, reached here through the user's ``api_tokens`` relation (``api`` sits above
``accounts`` in the layers and is not imported).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User, UserSession
from satupintu.accounts.throttle import client_address
from satupintu.accounts.twofactor import account_settings
from satupintu.core.audit import audit_record
from satupintu.core.errors import NotFound

#: Session keys this module keeps: when the session was last seen (POSIX seconds), and whether
#: its user is an officer (idle limit, second factor) with when that was worked out.
LAST_SEEN_KEY = "_satupintu_last_seen"
STATE_KEY = "_satupintu_account_state"
#: How long the officer/second-factor answer stored in the session is trusted (roles change).
STATE_SECONDS = 300


def _store(session_key: str) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def session_register(*, request: HttpRequest, user: User, at: dt.datetime | None = None) -> UserSession | None:
    """Record the session just signed in (called on ``user_logged_in``)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    now = at or timezone.now()
    session[LAST_SEEN_KEY] = now.timestamp()
    session.pop(STATE_KEY, None)
    agent = (request.META.get("HTTP_USER_AGENT") or "")[:300] if hasattr(request, "META") else ""
    # Rows of the user's sessions that can no longer be alive are dropped as the user signs in.
    longest = max(idle_limit(staff=True), idle_limit(staff=False))
    UserSession.objects.filter(user=user, last_seen_at__lt=now - longest).delete()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": agent,
            "ip_address": client_address(request),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    return row


def session_forget(*, session_key: str | None) -> None:
    """Drop the row of a session that signed out (``user_logged_out``)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """The session kept its sign-in under a new key (``update_session_auth_hash`` cycles it)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def idle_limit(*, staff: bool) -> dt.timedelta:
    conf = account_settings()
    return dt.timedelta(minutes=int(conf["STAFF_IDLE_MINUTES" if staff else "APPLICANT_IDLE_MINUTES"]))


def session_touch(*, request: HttpRequest, now: dt.datetime) -> None:
    """Refresh "last seen" of the request's session, at most once per ``LAST_SEEN_PRECISION_SECONDS``."""
    last = request.session.get(LAST_SEEN_KEY)
    precision = int(account_settings()["LAST_SEEN_PRECISION_SECONDS"])
    if last is not None and now.timestamp() - float(last) < precision:
        return
    request.session[LAST_SEEN_KEY] = now.timestamp()
    UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=now)


def session_idle_expired(*, request: HttpRequest, staff: bool, now: dt.datetime) -> bool:
    """Whether the request's session has been idle longer than its limit."""
    last = request.session.get(LAST_SEEN_KEY)
    if last is None:
        return False
    return now.timestamp() - float(last) > idle_limit(staff=staff).total_seconds()


def sessions_active(*, user: User, at: dt.datetime | None = None) -> QuerySet[UserSession]:
    """The user's sessions that may still be in use, most recently seen first."""
    now = at or timezone.now()
    longest = max(idle_limit(staff=True), idle_limit(staff=False))
    return UserSession.objects.filter(
        user=user,
        last_seen_at__gte=now - longest,
        created_at__gte=now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).order_by("-last_seen_at")


def tokens_active(*, user: User, at: dt.datetime | None = None) -> QuerySet[Any]:
    """The user's API tokens that have not expired, newest first."""
    now = at or timezone.now()
    return user.api_tokens.filter(expires_at__gt=now).order_by("-created_at")


def _end(row: UserSession) -> None:
    _store(row.session_key).delete()
    row.delete()


@transaction.atomic
def session_end(*, user: User, session_id: int, actor: Any) -> None:
    """End one of the user's sessions (it is signed out at its next request). Raise NotFound."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        raise NotFound(_("Sesi ini tidak ada atau sudah berakhir."), code="session_not_found")
    audit_record(action="session.end", actor=actor, target=f"user:{user.pk}", session=row.pk)
    _end(row)


@transaction.atomic
def token_end(*, user: User, token_id: int, actor: Any) -> None:
    """Revoke one of the user's API tokens. Raise NotFound."""
    token = user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("Token ini tidak ada atau sudah dicabut."), code="token_not_found")
    audit_record(action="api_token.revoke", actor=actor, target=f"user:{user.pk}", token=token.pk)
    token.delete()


def credentials_revoke(
    *, user: User, keep_session_key: str | None = None, keep_token_id: int | None = None
) -> tuple[int, int]:
    """
    End every session and API token of the user but the one named (the request that changed
    the password); return how many sessions and tokens were ended. The caller writes the audit row.
    """
    sessions = list(UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""))
    for row in sessions:
        _end(row)
    tokens = user.api_tokens.all()
    if keep_token_id is not None:
        tokens = tokens.exclude(pk=keep_token_id)
    revoked, _detail = tokens.delete()
    return len(sessions), revoked


@transaction.atomic
def sessions_end_others(*, user: User, keep_session_key: str | None, actor: Any) -> tuple[int, int]:
    """ "Keluar dari semua perangkat lain": end every other session and every API token."""
    sessions, tokens = credentials_revoke(user=user, keep_session_key=keep_session_key)
    audit_record(
        action="session.end_others",
        actor=actor,
        target=f"user:{user.pk}",
        sessions_ended=sessions,
        tokens_revoked=tokens,
    )
    return sessions, tokens
