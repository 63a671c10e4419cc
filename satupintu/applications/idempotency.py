"""
Idempotency keys for step requests: a retry after a lost answer gets the first answer again.

A client that sends a step (``POST …/actions`` with an ``Idempotency-Key`` header, the staff
page's form with its hidden ``idempotency_key``) and loses the answer — the connection dropped,
the database restarted just after the commit — sends the same request again with the same key.
Without a key the retry meets the step already done and gets 409; with it the retry gets the
first answer (same status, same body) and nothing is done twice. The key is remembered per user
in ``IdempotencyRecord``, written in the same transaction as the step: if the step committed,
its answer did too. The same key with a different request is 422. Answers of 5xx are not kept
(the request may be retried as new). Records expire after ``SATUPINTU_IDEMPOTENCY_HOURS``
(default 24) and are purged daily (``tasks.purge_idempotency_keys``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.applications.models import IdempotencyRecord
from satupintu.core.errors import DomainError, InvalidData

MAX_KEY_LENGTH = 100
#: Request fields never hashed into the fingerprint (secrets typed for one signature, the form's own tokens).
UNHASHED_FIELDS = frozenset({"csrfmiddlewaretoken", "idempotency_key", "tte_passphrase", "tte_totp", "credentials"})


class IdempotencyKeyReused(DomainError):
    """The key was used before by this user for a different request."""

    code = "idempotency_key_reused"
    http_status = 422


@dataclass(frozen=True)
class Answer:
    """What a step request answered: kept and given again to a retry with the same key."""

    status: int
    body: bytes = b""
    content_type: str = ""
    location: str = ""
    #: The page's message (the staff form shows it again on a retry).
    message: str = ""


def key_clean(raw: str | None) -> str:
    """The key as sent, or ``""``; InvalidData (422) for a key that is too long or not printable ASCII."""
    key = (raw or "").strip()
    if not key:
        return ""
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidData(
            _("Idempotency-Key harus berupa teks ASCII paling panjang %(n)s karakter.") % {"n": MAX_KEY_LENGTH},
            {"Idempotency-Key": _("Kunci tidak sah.")},
        )
    return key


def _without_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in UNHASHED_FIELDS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


def fingerprint_json(body: bytes) -> str:
    """The fingerprint of a JSON request body, without the one-time signing credentials."""
    try:
        parsed: Any = json.loads(body or b"{}")
    except ValueError:
        return hashlib.sha256(body).hexdigest()
    return hashlib.sha256(json.dumps(_without_secrets(parsed), sort_keys=True).encode()).hexdigest()


def fingerprint_form(items: Iterable[tuple[str, Any]]) -> str:
    """The fingerprint of a form's fields (name, value pairs; uploaded files by name and size)."""
    kept = sorted((str(k), str(v)) for k, v in items if k not in UNHASHED_FIELDS)
    return hashlib.sha256(json.dumps(kept).encode()).hexdigest()


def _ttl() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "SATUPINTU_IDEMPOTENCY_HOURS", 24)))


def _answer_of(record: IdempotencyRecord, *, scope: str, fingerprint: str) -> Answer:
    if record.scope != scope or record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru untuk setiap "
                "permintaan baru; kirim kunci yang sama hanya untuk mengulang permintaan yang sama persis."
            )
        )
    return Answer(
        status=record.status,
        body=bytes(record.body),
        content_type=record.content_type,
        location=record.location,
        message=record.message,
    )


class _NotKept(Exception):
    def __init__(self, answer: Answer) -> None:
        self.answer = answer


def idempotent(
    *,
    user: Any,
    key: str,
    scope: str,
    fingerprint: str,
    run: Callable[[], Answer],
    now: dt.datetime | None = None,
) -> tuple[Answer, bool]:
    """
    Run a step request once per (user, key): ``run`` inside a transaction that also keeps its
    answer. Return the answer and whether it is a replay. ``run`` returns 4xx answers itself
    (the step's own transaction has rolled back by then); an exception or a 5xx answer keeps nothing.
    A concurrent request with the same key waits on the key's row and then replays the answer.
    """
    if not key or not getattr(user, "pk", None):
        return run(), False
    now = now or timezone.now()
    found = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if found is not None and found.expires_at <= now:
        found.delete()
        found = None
    if found is not None:
        return _answer_of(found, scope=scope, fingerprint=fingerprint), True
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user,
                key=key,
                scope=scope[:200],
                fingerprint=fingerprint,
                created_at=now,
                expires_at=now + _ttl(),
            )
            answer = run()
            if answer.status >= 500:
                raise _NotKept(answer)
            record.status = answer.status
            record.body = answer.body
            record.content_type = answer.content_type[:100]
            record.location = answer.location[:500]
            record.message = answer.message
            record.save(update_fields=["status", "body", "content_type", "location", "message"])
    except _NotKept as exc:
        return exc.answer, False
    except IntegrityError:
        # The same key committed meanwhile (a concurrent retry): give its answer.
        found = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if found is None or found.status == 0:
            raise
        return _answer_of(found, scope=scope, fingerprint=fingerprint), True
    return answer, False


def idempotency_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the expired keys; the number deleted."""
    deleted, _per_model = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
