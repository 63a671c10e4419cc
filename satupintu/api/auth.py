"""
Bearer-token authentication for API v1 and the endpoints that issue and revoke tokens.

Sign-in through the API is throttled exactly like the web login (the same lock and the same
attempt log in ``accounts.services``), so the API is no side door for guessing passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import HttpBearer

from satupintu.accounts.forms import client_address
from satupintu.accounts.models import User
from satupintu.accounts.services import login_attempt_record, login_is_locked
from satupintu.api.models import ApiToken
from satupintu.api.schemas import Error, TokenIn, TokenOut
from satupintu.api.tokens import token_authenticate, token_issue, token_revoke
from satupintu.core.errors import DomainError


class Unauthenticated(DomainError):
    """No valid credentials: wrong username or password, or a missing, expired or revoked token."""

    code = "unauthorized"
    http_status = 401


class Locked(DomainError):
    """Too many failed sign-ins for this username or address in the window."""

    code = "locked"
    http_status = 429


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


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: Error, 422: Error, 429: Error},
    summary="Minta token akses",
)
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    """
    Exchange a username and password for a bearer token.

    Every attempt is recorded; while too many recent attempts failed for the username or the
    address, answer 429 (``locked``) without checking the password.
    """
    username = payload.username.strip()
    address = client_address(request)
    if login_is_locked(username=username, ip_address=address):
        login_attempt_record(username=username, ip_address=address, succeeded=False)
        raise Locked(
            _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi setelah %(minutes)s menit.")
            % {"minutes": settings.SATUPINTU_LOGIN_WINDOW_MINUTES}
        )
    user = authenticate(request, username=username, password=payload.password) if username else None
    if user is None or not user.is_active:
        login_attempt_record(username=username, ip_address=address, succeeded=False)
        raise Unauthenticated(_("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."))
    login_attempt_record(username=username, ip_address=address, succeeded=True)
    row, token = token_issue(user=user)
    return {"token": token, "expires_at": row.expires_at}


@router.delete("/auth/token", auth=bearer, response={204: None, 401: Error}, summary="Cabut token akses")
def token_delete(request: HttpRequest) -> HttpResponse:
    """Revoke the token this request was made with."""
    token_revoke(token=request.auth)  # type: ignore[attr-defined]
    return HttpResponse(status=204)
