"""
The hash chain of a control card: how an entry's hash is computed and how a card is verified.

hash = SHA-256 over the canonical JSON of the entry's recorded facts and the previous entry's
hash (``GENESIS`` for the first). Changing any fact of any entry, deleting one or reordering
them breaks the chain from that entry on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from satupintu.control_card.models import ControlCardEntry

GENESIS = "0" * 64

#: The facts an entry's hash covers, in a fixed order.
HASHED_FIELDS = (
    "application_id",
    "seq",
    "step_number",
    "step_label",
    "step_kind",
    "role",
    "received_at",
    "due_at",
    "completed_at",
    "actor_id",
    "actor_name",
    "acting_for_id",
    "acting_for_name",
    "outcome",
    "note",
    "data",
    "time_standard",
    "worked_seconds",
    "late",
    "office_time",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(facts: dict[str, Any], prev_hash: str) -> str:
    """The hash of an entry with these facts following ``prev_hash``."""
    payload = {name: _plain(facts.get(name)) for name in HASHED_FIELDS}
    payload["prev_hash"] = prev_hash
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def facts_of(entry: ControlCardEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    broken_at: int | None = None
    reason: str = ""


def chain_verify(entries: list[ControlCardEntry], *, head_hash: str | None = None) -> ChainReport:
    """
    Check a card's entries (ordered by seq): numbering, links and hashes.

    ``head_hash``, when given, is the hash the application recorded for its latest entry, so a
    deleted last entry is detected too.
    """
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return ChainReport(False, len(entries), entry.seq, _("Urutan entri terputus (ada entri yang hilang)."))
        if entry.prev_hash != prev:
            return ChainReport(False, len(entries), entry.seq, _("Entri tidak tersambung dengan entri sebelumnya."))
        if entry_hash(facts_of(entry), entry.prev_hash) != entry.hash:
            return ChainReport(False, len(entries), entry.seq, _("Isi entri telah diubah setelah dicatat."))
        prev = entry.hash
    if head_hash is not None and (head_hash or GENESIS) != prev:
        return ChainReport(False, len(entries), len(entries), _("Entri terakhir kartu kendali hilang."))
    return ChainReport(True, len(entries))
