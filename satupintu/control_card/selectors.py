"""Reads of control cards, the delays they show, and the checks of their chains and anchors."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.control_card.anchors import AnchorCheck, anchors_read
from satupintu.control_card.chain import ChainReport, chain_verify
from satupintu.control_card.models import CardAnchor, ControlCardEntry
from satupintu.core.models import Office


def card_latest(application_id: int, *, outcomes: list[tuple[str, str]]) -> ControlCardEntry | None:
    """The application's latest card entry whose (step kind, outcome) is one of ``outcomes``."""
    if not outcomes:
        return None
    match = Q()
    for step_kind, outcome in outcomes:
        match |= Q(step_kind=step_kind, outcome=outcome)
    return card_entries(application_id).filter(match).order_by("-seq").first()


def card_entries(application_id: int) -> QuerySet[ControlCardEntry]:
    return ControlCardEntry.objects.filter(application_id=application_id).select_related("actor", "acting_for")


def card_check(application_id: int, *, head_hash: str | None = None) -> ChainReport:
    """Verify the keyed hash chain of an application's card."""
    return chain_verify(list(card_entries(application_id).order_by("seq")), head_hash=head_hash)


def delays_of(entries: list[ControlCardEntry]) -> list[ControlCardEntry]:
    """The office's steps that exceeded their time standard: where a delay happened (seed, Pengawasan c)."""
    return [e for e in entries if e.late and e.office_time]


@dataclass(frozen=True)
class BrokenCard:
    application_id: int
    number: str
    broken_at: int | None
    reason: str


@dataclass
class OfficeCardsReport:
    """Every card of an office checked against its keyed chain and the office's anchors."""

    cards: int = 0
    entries: int = 0
    unkeyed: int = 0
    anchors: int = 0
    anchored_cards: int = 0
    broken: list[BrokenCard] = field(default_factory=list)
    anchor_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.anchor_problems


def _cards(office: Office) -> Iterator[tuple[int, list[ControlCardEntry]]]:
    rows = ControlCardEntry.objects.filter(office=office).order_by("application_id", "seq").iterator(chunk_size=2000)
    for application_id, group in itertools.groupby(rows, key=lambda e: e.application_id):
        yield application_id, list(group)


def _against_anchors(entries: list[ControlCardEntry], anchored: list[tuple[int, str, str]]) -> tuple[int, str] | None:
    """
    The first entry that may have been rewritten after it was anchored: just after the last
    anchored position the card still holds, up to the first one it no longer holds.
    """
    by_seq = {e.seq: e.hash for e in entries}
    still = 0
    for seq, head, day in sorted(anchored):
        if by_seq.get(seq) != head:
            first = still + 1
            return first, _(
                "Kartu tidak lagi sama dengan jangkar harian %(day)s: salah satu entri %(first)s sampai "
                "%(seq)s telah diubah sesudah dijangkar."
            ) % {"day": day, "first": first, "seq": seq}
        still = seq
    return None


def office_cards_verify(office: Office) -> OfficeCardsReport:
    """
    Check every card of the office: its keyed chain, its end against the head the application
    recorded, and every head the office's anchors hold for it. Report the first broken entry of
    each broken card, and whatever is wrong with the anchors themselves.
    """
    rows = list(CardAnchor.objects.filter(office=office).order_by("seq"))
    anchors: AnchorCheck = anchors_read(office.pk, rows)
    report = OfficeCardsReport(anchors=anchors.anchors, anchor_problems=list(anchors.problems))
    # What each application recorded as its card's head, read through the entries' link.
    firsts = ControlCardEntry.objects.filter(office=office, seq=1)
    recorded = dict(firsts.values_list("application_id", "application__card_head_hash"))
    numbers = dict(firsts.values_list("application_id", "application__number"))
    seen = set()
    for application_id, entries in _cards(office):
        seen.add(application_id)
        report.cards += 1
        report.entries += len(entries)
        check = chain_verify(entries, office_id=office.pk, head_hash=recorded.get(application_id))
        report.unkeyed += check.unkeyed
        found: list[tuple[int, str]] = []
        if not check.ok:
            found.append((check.broken_at or 0, check.reason))
        anchored = anchors.heads.get(application_id)
        if anchored:
            report.anchored_cards += 1
            moved = _against_anchors(entries, anchored)
            if moved:
                found.append(moved)
        if found:
            seq, reason = min(found)
            report.broken.append(
                BrokenCard(
                    application_id, numbers.get(application_id) or anchors.numbers.get(application_id, "?"), seq, reason
                )
            )
    for application_id in sorted(set(anchors.heads) - seen):
        report.broken.append(
            BrokenCard(
                application_id,
                anchors.numbers.get(application_id, "?"),
                1,
                _("Semua entri kartu yang pernah dijangkar telah hilang."),
            )
        )
    return report
