"""
Issue, check and revoke API bearer tokens.

A token is ``secrets.token_urlsafe(32)``, handed to the client once; the database keeps only its
SHA-256, so a leaked database does not leak usable tokens. A token stops working when it expires,
when it is revoked (its row is deleted) or when its user is deactivated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.api.models import ApiToken
from satupintu.core.audit import audit_record

#: ``last_used_at`` is refreshed at most this often, so reads do not write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> tuple[ApiToken, str]:
    """Create a token for the user; return its row and the token itself (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, key_hash=token_digest(token))
    audit_record(action="api_token.issue", actor=user, target=f"user:{user.pk}", token=row.pk)
    return row, token


def token_authenticate(token: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token row for ``token`` (not expired, its user active), or None."""
    if not token:
        return None
    now = now or timezone.now()
    row = ApiToken.objects.select_related("user").filter(key_hash=token_digest(token), expires_at__gt=now).first()
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """Revoke the token: it stops working at once."""
    audit_record(action="api_token.revoke", actor=token.user, target=f"user:{token.user_id}", token=token.pk)
    ApiToken.objects.filter(pk=token.pk).delete()
