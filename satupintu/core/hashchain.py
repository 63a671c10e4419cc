"""
Hash chains for append-only histories (the control card, a complaint's history).

Each row's hash is SHA-256 over the canonical JSON of its recorded facts and the previous row's
hash (``GENESIS`` for the first). Changing any fact, deleting a row or reordering rows breaks the
chain from that row on; comparing the last hash with the one the owner recorded also catches a
removed last row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def chain_hash(facts: Mapping[str, Any], fields: Sequence[str], prev_hash: str) -> str:
    """The hash of a row with these facts (only ``fields`` count) following ``prev_hash``."""
    payload = {name: _plain(facts.get(name)) for name in fields}
    payload["prev_hash"] = prev_hash
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def facts_of(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


@dataclass(frozen=True)
class ChainMessages:
    """What to tell people when a chain is broken, in the words of the history concerned (lazy text)."""

    gap: Any
    unlinked: Any
    altered: Any
    last_missing: Any


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    broken_at: int | None = None
    reason: str = ""


def chain_check(
    rows: Sequence[Any], *, fields: Sequence[str], messages: ChainMessages, head_hash: str | None = None
) -> ChainReport:
    """
    Check rows ordered by ``seq``: numbering from 1, links and hashes, and (when given) that the
    owner's recorded ``head_hash`` is the last row's hash (an empty head means no rows).
    """
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainReport(False, len(rows), row.seq, str(messages.gap))
        if row.prev_hash != prev:
            return ChainReport(False, len(rows), row.seq, str(messages.unlinked))
        if chain_hash(facts_of(row, fields), fields, row.prev_hash) != row.hash:
            return ChainReport(False, len(rows), row.seq, str(messages.altered))
        prev = row.hash
    if head_hash is not None and (head_hash or GENESIS) != prev:
        return ChainReport(False, len(rows), len(rows), str(messages.last_missing))
    return ChainReport(True, len(rows))
