"""Write control-card entries (called by the SOP engine inside its transaction)."""

from __future__ import annotations

from typing import Any

from satupintu.control_card.chain import entry_hash, facts_of
from satupintu.control_card.models import ControlCardEntry


def card_entry_append(*, prev_hash: str, **facts: Any) -> ControlCardEntry:
    """
    Append one entry whose hash chains to ``prev_hash``.

    The caller holds the lock on the application row, so ``seq`` and ``prev_hash`` cannot race.
    """
    entry = ControlCardEntry(prev_hash=prev_hash, **facts)
    entry.hash = entry_hash(facts_of(entry), prev_hash)
    entry.save(force_insert=True)
    return entry
