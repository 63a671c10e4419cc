"""
The hash chain of a control card: how an entry's hash is computed and how a card is verified.

hash = HMAC-SHA256 under the office's card key (``satupintu.core.hashchain``) over the canonical
JSON of every fact the card shows, a version marker and the previous entry's hash (``GENESIS``
for the first). Changing any fact of any entry, deleting one or reordering them breaks the chain
from that entry on, and without the key nobody can compute a replacement chain. Entries written
before the chain was keyed (``chain_version`` empty) are checked as version 1 (plain SHA-256 over
fewer facts) when the deployment declares them (``SATUPINTU_CARD_UNKEYED_MAX_ID``) and they lead
the chain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from satupintu.control_card.models import ControlCardEntry
from satupintu.core.hashchain import GENESIS, KEYED, ChainMessages, ChainReport, ChainSpec, chain_check, chain_hash
from satupintu.core.hashchain import facts_of as _facts_of

__all__ = ["GENESIS", "HASHED_FIELDS", "KEYED", "ChainReport", "chain_verify", "entry_hash", "facts_of"]

#: The facts a version 1 (unkeyed) entry's hash covers, in a fixed order.
V1_FIELDS = (
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

#: The facts a keyed entry's hash covers: everything the card shows and the office it belongs to.
HASHED_FIELDS = (
    "office_id",
    "chain_version",
    *V1_FIELDS[:6],
    "activity",
    *V1_FIELDS[6:],
    "standard_seconds",
)

MESSAGES = ChainMessages(
    gap=_("Urutan entri terputus (ada entri yang hilang)."),
    unlinked=_("Entri tidak tersambung dengan entri sebelumnya."),
    altered=_("Isi entri telah diubah setelah dicatat."),
    last_missing=_("Entri terakhir kartu kendali hilang."),
    downgraded=_("Entri tanpa kunci yang tidak diakui (rantai diturunkan versinya)."),
)

SPEC = ChainSpec(purpose="card", fields=HASHED_FIELDS, messages=MESSAGES, legacy_fields=V1_FIELDS)


def entry_hash(facts: dict[str, Any], prev_hash: str, *, office_id: int) -> str:
    """The keyed hash of an entry with these facts following ``prev_hash``."""
    return chain_hash(SPEC, facts, prev_hash, office_id=office_id, version=KEYED)


def facts_of(entry: ControlCardEntry) -> dict[str, Any]:
    return _facts_of(entry, HASHED_FIELDS)


def chain_verify(
    entries: list[ControlCardEntry], *, office_id: int | None = None, head_hash: str | None = None
) -> ChainReport:
    """
    Check a card's entries (ordered by seq): numbering, links and keyed hashes.

    ``head_hash``, when given, is the hash the application recorded for its latest entry, so a
    deleted last entry is detected too. ``office_id`` defaults to the first entry's office.
    """
    if office_id is None:
        office_id = entries[0].office_id if entries else 0
    return chain_check(
        entries,
        spec=SPEC,
        office_id=office_id,
        head_hash=head_hash,
        unkeyed_max_id=int(getattr(settings, "SATUPINTU_CARD_UNKEYED_MAX_ID", 0) or 0),
    )
