"""
The hash chain of a control card: how an entry's hash is computed and how a card is verified.

hash = SHA-256 over the canonical JSON of the entry's recorded facts and the previous entry's
hash (``GENESIS`` for the first). Changing any fact of any entry, deleting one or reordering
them breaks the chain from that entry on.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from satupintu.control_card.models import ControlCardEntry
from satupintu.core.hashchain import GENESIS, ChainMessages, ChainReport, chain_check, chain_hash
from satupintu.core.hashchain import facts_of as _facts_of

__all__ = ["GENESIS", "HASHED_FIELDS", "ChainReport", "chain_verify", "entry_hash", "facts_of"]

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

MESSAGES = ChainMessages(
    gap=_("Urutan entri terputus (ada entri yang hilang)."),
    unlinked=_("Entri tidak tersambung dengan entri sebelumnya."),
    altered=_("Isi entri telah diubah setelah dicatat."),
    last_missing=_("Entri terakhir kartu kendali hilang."),
)


def entry_hash(facts: dict[str, Any], prev_hash: str) -> str:
    """The hash of an entry with these facts following ``prev_hash``."""
    return chain_hash(facts, HASHED_FIELDS, prev_hash)


def facts_of(entry: ControlCardEntry) -> dict[str, Any]:
    return _facts_of(entry, HASHED_FIELDS)


def chain_verify(entries: list[ControlCardEntry], *, head_hash: str | None = None) -> ChainReport:
    """
    Check a card's entries (ordered by seq): numbering, links and hashes.

    ``head_hash``, when given, is the hash the application recorded for its latest entry, so a
    deleted last entry is detected too.
    """
    return chain_check(entries, fields=HASHED_FIELDS, messages=MESSAGES, head_hash=head_hash)
