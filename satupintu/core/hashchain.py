"""
Keyed hash chains for append-only histories (the control card, a complaint's history).

Each row's hash is HMAC-SHA256, under a per-office key, over the canonical JSON of its recorded
facts, a version marker and the previous row's hash (``GENESIS`` for the first). Changing any
fact, deleting a row or reordering rows breaks the chain from that row on; comparing the last hash
with the one the owner recorded also catches a removed last row.

The key is what makes the chain worth checking: a plain hash can be recomputed by anyone who can
write to the database, so a rewritten row with a recomputed chain would look intact. The master
secret lives outside the database (``SATUPINTU_CARD_KEY`` or the file ``SATUPINTU_CARD_KEY_FILE``;
in development a key file under ``var/`` is made on first use), and each office's key is derived
from it (HMAC of the master over the purpose and the office id), so one office's key says nothing
about another's.

Version 1 rows (plain SHA-256, written before the chain was keyed) are verified only where the
deployment says it has them (``SATUPINTU_CARD_UNKEYED_MAX_ID``, a setting outside the database:
the last row id written before the upgrade; 0, the default, accepts none) and only as the leading
part of a chain. Anything else claiming version 1 is a downgrade by someone without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS = "0" * 64
#: Plain SHA-256 over the v1 facts (rows written before the chain was keyed).
UNKEYED = 1
#: HMAC-SHA256 under the office's key over every fact the history shows.
KEYED = 2


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def _canonical(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


# --- keys ------------------------------------------------------------------------------------------


def _read_key(value: str) -> bytes:
    value = value.strip()
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = value.encode()
    if len(raw) < 16:
        raise ImproperlyConfigured("The chain key must hold at least 16 bytes (32 hex digits).")
    return raw


def _key_from(setting: str, file_setting: str, *, create: bool) -> bytes | None:
    value = getattr(settings, setting, "") or ""
    if value:
        return _read_key(value)
    path = getattr(settings, file_setting, "") or ""
    if not path:
        return None
    file = Path(path)
    if not file.exists() and create:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    if not file.exists():
        raise ImproperlyConfigured(f"The chain key file {file} does not exist.")
    return _read_key(file.read_text())


@lru_cache(maxsize=4)
def _master(kind: str) -> bytes:
    """The master secret of ``kind`` ("card" or "anchor"), read once per process."""
    create = bool(settings.DEBUG)
    if kind == "anchor":
        anchor = _key_from("SATUPINTU_CARD_ANCHOR_KEY", "SATUPINTU_CARD_ANCHOR_KEY_FILE", create=create)
        if anchor is not None:
            return anchor
        # No separate anchor secret: derive one, so the two keys differ at least in use.
        return hmac.new(_master("card"), b"satupintu/anchor", hashlib.sha256).digest()
    card = _key_from("SATUPINTU_CARD_KEY", "SATUPINTU_CARD_KEY_FILE", create=create)
    if card is None:
        raise ImproperlyConfigured(
            "Set SATUPINTU_CARD_KEY or SATUPINTU_CARD_KEY_FILE: the control card's chain is keyed with a "
            "secret kept outside the database (docs/security.md)."
        )
    return card


def clear_key_cache() -> None:
    """Forget the master secrets read so far (tests that change the key settings)."""
    _master.cache_clear()


def office_key(office_id: int, purpose: str) -> bytes:
    """The office's key for one purpose ("card", "complaint", "anchor")."""
    kind = "anchor" if purpose == "anchor" else "card"
    return hmac.new(_master(kind), f"satupintu/{purpose}/{office_id}".encode(), hashlib.sha256).digest()


def sign(payload: bytes, *, office_id: int, purpose: str) -> str:
    """HMAC-SHA256 of ``payload`` under the office's key for ``purpose``, as hex."""
    return hmac.new(office_key(office_id, purpose), payload, hashlib.sha256).hexdigest()


# --- chains ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainMessages:
    """What to tell people when a chain is broken, in the words of the history concerned (lazy text)."""

    gap: Any
    unlinked: Any
    altered: Any
    last_missing: Any
    downgraded: Any = "version 1 entry after a keyed entry"


@dataclass(frozen=True)
class ChainSpec:
    """
    One kind of history: its key purpose, the facts a keyed hash covers, and the facts of its
    version 1 rows (``None`` when the history never had unkeyed rows worth accepting).
    """

    purpose: str
    fields: Sequence[str]
    messages: ChainMessages
    legacy_fields: Sequence[str] | None = None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    broken_at: int | None = None
    reason: str = ""
    #: How many leading entries are version 1 (unkeyed: they prove less).
    unkeyed: int = 0


def chain_hash(
    spec: ChainSpec, facts: Mapping[str, Any], prev_hash: str, *, office_id: int, version: int = KEYED
) -> str:
    """The hash of a row with these facts following ``prev_hash``, in the given chain version."""
    if version == UNKEYED:
        if spec.legacy_fields is None:
            raise ValueError(f"{spec.purpose} has no unkeyed rows")
        payload = {name: _plain(facts.get(name)) for name in spec.legacy_fields}
        payload["prev_hash"] = prev_hash
        return hashlib.sha256(_canonical(payload)).hexdigest()
    payload = {name: _plain(facts.get(name)) for name in spec.fields}
    payload["prev_hash"] = prev_hash
    payload["v"] = KEYED
    return sign(_canonical(payload), office_id=office_id, purpose=spec.purpose)


def facts_of(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def chain_check(
    rows: Sequence[Any],
    *,
    spec: ChainSpec,
    office_id: int,
    head_hash: str | None = None,
    unkeyed_max_id: int = 0,
) -> ChainReport:
    """
    Check rows ordered by ``seq``: numbering from 1, links and hashes, and (when given) that the
    owner's recorded ``head_hash`` is the last row's hash (an empty head means no rows).

    A row's version is its ``chain_version`` (keyed when the row has none or it is empty and the
    history has no legacy rows). Version 1 rows count only before the first keyed row and only
    with an id up to ``unkeyed_max_id``.
    """
    messages = spec.messages
    prev = GENESIS
    unkeyed = 0
    seen_keyed = False
    fields = tuple(spec.fields) + tuple(spec.legacy_fields or ())
    for expected_seq, row in enumerate(rows, start=1):
        version = getattr(row, "chain_version", None) or (UNKEYED if spec.legacy_fields else KEYED)
        if row.seq != expected_seq:
            return ChainReport(False, len(rows), row.seq, str(messages.gap), unkeyed)
        if row.prev_hash != prev:
            return ChainReport(False, len(rows), row.seq, str(messages.unlinked), unkeyed)
        if version == UNKEYED and (seen_keyed or spec.legacy_fields is None or (row.pk or 0) > unkeyed_max_id):
            return ChainReport(False, len(rows), row.seq, str(messages.downgraded), unkeyed)
        expected = chain_hash(spec, facts_of(row, fields), row.prev_hash, office_id=office_id, version=version)
        if not hmac.compare_digest(expected, row.hash):
            return ChainReport(False, len(rows), row.seq, str(messages.altered), unkeyed)
        if version == UNKEYED:
            unkeyed += 1
        else:
            seen_keyed = True
        prev = row.hash
    if head_hash is not None and (head_hash or GENESIS) != prev:
        return ChainReport(False, len(rows), len(rows), str(messages.last_missing), unkeyed)
    return ChainReport(True, len(rows), unkeyed=unkeyed)
