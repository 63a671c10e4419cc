"""Reads of control cards and the delays they show."""

from __future__ import annotations

from django.db.models import QuerySet

from satupintu.control_card.chain import ChainReport, chain_verify
from satupintu.control_card.models import ControlCardEntry


def card_entries(application_id: int) -> QuerySet[ControlCardEntry]:
    return ControlCardEntry.objects.filter(application_id=application_id).select_related("actor", "acting_for")


def card_check(application_id: int, *, head_hash: str | None = None) -> ChainReport:
    """Verify the hash chain of an application's card."""
    return chain_verify(list(card_entries(application_id).order_by("seq")), head_hash=head_hash)


def delays_of(entries: list[ControlCardEntry]) -> list[ControlCardEntry]:
    """The office's steps that exceeded their time standard: where a delay happened (seed, Pengawasan c)."""
    return [e for e in entries if e.late and e.office_time]
