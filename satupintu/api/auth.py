"""
Bearer-token authentication for API v1 and the endpoints that issue and revoke tokens.

Sign-in through the API goes through the one throttle of every door (``accounts.throttle``:
the same progressive delays and the same attempt log as the web and the admin login), so the
API is no side door for guessing passwords.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from satupintu.accounts.models import User
from satupintu.accounts.services import password_change
from satupintu.accounts.sessions import session_end, sessions_active, token_end, tokens_active
from satupintu.accounts.throttle import LoginFailed, login_authenticate
from satupintu.accounts.twofactor import otp_check_for_token
from satupintu.api.models import ApiToken
from satupintu.api.schemas import Error, TokenIn, TokenOut
from satupintu.api.tokens import token_authenticate, token_issue, token_revoke
from satupintu.core.errors import DomainError, InvalidData


class Unauthenticated(DomainError):
    """No valid credentials: wrong username or password, or a missing, expired or revoked token."""

    code = "unauthorized"
    http_status = 401


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``; ``request.auth`` becomes the token's row."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return token_authenticate(token.strip())


bearer = BearerAuth()


def caller(request: HttpRequest) -> User:
    """The user a bearer-authenticated request acts for."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.user


router = Router(tags=["autentikasi"])


class TokenRequest(TokenIn):
    otp: str | None = Field(
        None,
        description="kode 6 angka dari aplikasi autentikator (atau kode pemulihan); wajib bagi akun petugas",
    )


class SessionOut(Schema):
    id: int
    user_agent: str = Field(description="perangkat (User-Agent)")
    ip_address: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime


class TokenInfoOut(Schema):
    id: int
    prefix: str = Field(description="8 karakter pertama SHA-256 token (token sendiri tidak disimpan)")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    current: bool = Field(description="token yang dipakai permintaan ini")


class CredentialsOut(Schema):
    sessions: list[SessionOut]
    tokens: list[TokenInfoOut]


class PasswordIn(Schema):
    old_password: str
    new_password: str


class PasswordOut(Schema):
    sessions_ended: int
    tokens_revoked: int


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: Error, 403: Error, 422: Error, 429: Error},
    summary="Minta token akses",
)
def token_create(request: HttpRequest, payload: TokenRequest) -> dict:
    """
    Exchange a username and password for a bearer token.

    Every attempt is recorded; while the throttle says wait (too many recent failures for this
    name from this address, or from this address), answer 429 (``throttled``, with
    ``Retry-After``) without checking the password. An account that signs in with a second
    factor (every officer of an office whose policy requires it) must send ``otp`` too: 401
    ``otp_required`` without it, 401 ``otp_invalid`` for a wrong one, 403
    ``otp_enrolment_required`` when no authenticator is enrolled yet (enrol on the web).
    """
    try:
        user = login_authenticate(request=request, username=payload.username, password=payload.password, door="api")
    except LoginFailed as exc:
        raise Unauthenticated(exc.message) from None
    otp_check_for_token(user=user, code=payload.otp, request=request)
    row, token = token_issue(user=user)
    return {"token": token, "expires_at": row.expires_at}


@router.delete("/auth/token", auth=bearer, response={204: None, 401: Error}, summary="Cabut token akses")
def token_delete(request: HttpRequest) -> HttpResponse:
    """Revoke the token this request was made with."""
    token_revoke(token=request.auth)  # type: ignore[attr-defined]
    return HttpResponse(status=204)


@router.get("/auth/sessions", auth=bearer, response={200: CredentialsOut, 401: Error}, summary="Sesi dan token aktif")
def credentials_list(request: HttpRequest) -> dict:
    """The caller's signed-in browser sessions and live API tokens (the page "Sesi dan token aktif")."""
    user = caller(request)
    current: ApiToken = request.auth  # type: ignore[attr-defined]
    return {
        "sessions": [
            {
                "id": s.pk,
                "user_agent": s.user_agent,
                "ip_address": s.ip_address,
                "created_at": s.created_at,
                "last_seen_at": s.last_seen_at,
            }
            for s in sessions_active(user=user)
        ],
        "tokens": [
            {
                "id": t.pk,
                "prefix": t.key_hash[:8],
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "expires_at": t.expires_at,
                "current": t.pk == current.pk,
            }
            for t in tokens_active(user=user)
        ],
    }


@router.delete(
    "/auth/sessions/{session_id}", auth=bearer, response={204: None, 401: Error, 404: Error}, summary="Akhiri sesi"
)
def credentials_session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    """End one of the caller's browser sessions."""
    user = caller(request)
    session_end(user=user, session_id=session_id, actor=user)
    return HttpResponse(status=204)


@router.delete(
    "/auth/tokens/{token_id}", auth=bearer, response={204: None, 401: Error, 404: Error}, summary="Cabut token"
)
def credentials_token_end(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the caller's API tokens (this one included)."""
    user = caller(request)
    token_end(user=user, token_id=token_id, actor=user)
    return HttpResponse(status=204)


@router.post(
    "/auth/password", auth=bearer, response={200: PasswordOut, 401: Error, 422: Error}, summary="Ganti kata sandi"
)
def password_set(request: HttpRequest, payload: PasswordIn) -> dict:
    """
    Change the caller's password. Every browser session and every other API token is ended;
    the token of this request stays valid.
    """
    user = caller(request)
    if not user.check_password(payload.old_password):
        raise InvalidData(_("Kata sandi lama salah."), errors={"old_password": _("Kata sandi lama salah.")})
    try:
        sessions, tokens = password_change(
            user=user,
            new_password=payload.new_password,
            actor=user,
            keep_token_id=request.auth.pk,  # type: ignore[attr-defined]
        )
    except ValidationError as exc:
        raise InvalidData(
            _("Kata sandi baru tidak memenuhi syarat."), errors={"new_password": " ".join(exc.messages)}
        ) from None
    return {"sessions_ended": sessions, "tokens_revoked": tokens}
