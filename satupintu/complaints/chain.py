"""
The hash chain of a complaint's history, the same construction as the control card's.

hash = HMAC-SHA256 under the office's complaint key (``satupintu.core.hashchain``) over the
canonical JSON of the event's facts and the previous event's hash (``GENESIS`` for the first).
The complaint row keeps the last hash, so a removed last event is detected too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from satupintu.complaints.models import Complaint, ComplaintEvent
from satupintu.core.hashchain import GENESIS, ChainMessages, ChainSpec, chain_check, chain_hash
from satupintu.core.hashchain import ChainReport as HistoryReport
from satupintu.core.hashchain import facts_of as _facts_of

__all__ = ["GENESIS", "HASHED_FIELDS", "HistoryReport", "event_hash", "facts_of", "history_verify"]

HASHED_FIELDS = (
    "office_id",
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

MESSAGES = ChainMessages(
    gap=_("Urutan riwayat terputus (ada catatan yang hilang)."),
    unlinked=_("Catatan tidak tersambung dengan catatan sebelumnya."),
    altered=_("Isi catatan telah diubah setelah dicatat."),
    last_missing=_("Catatan terakhir riwayat pengaduan hilang."),
)


SPEC = ChainSpec(purpose="complaint", fields=HASHED_FIELDS, messages=MESSAGES)


def event_hash(facts: dict[str, Any], prev_hash: str, *, office_id: int) -> str:
    return chain_hash(SPEC, facts, prev_hash, office_id=office_id)


def facts_of(event: ComplaintEvent) -> dict[str, Any]:
    return _facts_of(event, HASHED_FIELDS)


def history_verify(complaint: Complaint) -> HistoryReport:
    """Recompute the complaint's chain from the database and compare it with the recorded head."""
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("seq"))
    report = chain_check(events, spec=SPEC, office_id=complaint.office_id, head_hash=complaint.head_hash)
    if report.ok and complaint.event_seq != len(events):
        return HistoryReport(False, len(events), len(events), str(MESSAGES.last_missing))
    return report
