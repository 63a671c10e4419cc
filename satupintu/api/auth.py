"""
Bearer-token authentication for API v1 and the endpoints that issue and revoke tokens.

Sign-in through the API goes through the one throttle of every door (``accounts.throttle``:
the same progressive delays and the same attempt log as the web and the admin login), so the
API is no side door for guessing passwords.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.security import HttpBearer

from satupintu.accounts.models import User
from satupintu.accounts.throttle import LoginFailed, login_authenticate
from satupintu.api.models import ApiToken
from satupintu.api.schemas import Error, TokenIn, TokenOut
from satupintu.api.tokens import token_authenticate, token_issue, token_revoke
from satupintu.core.errors import DomainError


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


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: Error, 422: Error, 429: Error},
    summary="Minta token akses",
)
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    """
    Exchange a username and password for a bearer token.

    Every attempt is recorded; while the throttle says wait (too many recent failures for this
    name from this address, or from this address), answer 429 (``throttled``, with
    ``Retry-After``) without checking the password.
    """
    try:
        user = login_authenticate(request=request, username=payload.username, password=payload.password, door="api")
    except LoginFailed as exc:
        raise Unauthenticated(exc.message) from None
    row, token = token_issue(user=user)
    return {"token": token, "expires_at": row.expires_at}


@router.delete("/auth/token", auth=bearer, response={204: None, 401: Error}, summary="Cabut token akses")
def token_delete(request: HttpRequest) -> HttpResponse:
    """Revoke the token this request was made with."""
    token_revoke(token=request.auth)  # type: ignore[attr-defined]
    return HttpResponse(status=204)
