"""
The hash chain of a complaint's history, the same construction as the control card's.

hash = SHA-256 over the canonical JSON of the event's facts and the previous event's hash
(``GENESIS`` for the first). The complaint row keeps the last hash, so a removed last event is
detected too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from satupintu.complaints.models import Complaint, ComplaintEvent

GENESIS = "0" * 64

HASHED_FIELDS = (
    "complaint_id",
    "seq",
    "action",
    "from_status",
    "to_status",
    "at",
    "actor_id",
    "actor_name",
    "role",
    "acting_for_name",
    "note",
    "data",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def event_hash(facts: dict[str, Any], prev_hash: str) -> str:
    payload = {name: _plain(facts.get(name)) for name in HASHED_FIELDS}
    payload["prev_hash"] = prev_hash
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def facts_of(event: ComplaintEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


@dataclass(frozen=True)
class HistoryReport:
    ok: bool
    events: int
    broken_at: int | None = None
    reason: str = ""


def history_verify(complaint: Complaint) -> HistoryReport:
    """Recompute the complaint's chain from the database and compare it with the recorded head."""
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("seq"))
    prev = GENESIS
    for expected, event in enumerate(events, start=1):
        if event.seq != expected:
            return HistoryReport(False, len(events), event.seq, _("Urutan riwayat terputus (ada catatan yang hilang)."))
        if event.prev_hash != prev:
            return HistoryReport(
                False, len(events), event.seq, _("Catatan tidak tersambung dengan catatan sebelumnya.")
            )
        # JSON round-trips may reorder nothing but can change types; hash what the database holds.
        if event_hash(facts_of(event), event.prev_hash) != event.hash:
            return HistoryReport(False, len(events), event.seq, _("Isi catatan telah diubah setelah dicatat."))
        prev = event.hash
    if (complaint.head_hash or GENESIS) != prev or complaint.event_seq != len(events):
        return HistoryReport(False, len(events), len(events), _("Catatan terakhir riwayat pengaduan hilang."))
    return HistoryReport(True, len(events))
