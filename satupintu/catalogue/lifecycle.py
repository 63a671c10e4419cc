"""
The approval of a standard version as one table: from which status each transition goes, where
it leads, who may make it and what it must record.

``catalogue.services.standard_transition`` changes a version's status by this table; pages and
the API list the transitions a user may make from it too. The one exception is
``loader.standard_load`` (``manage.py load_standards``, the shipped files and the demo), which
publishes what it loads directly, with an audit row that says so (``direct=True``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from satupintu.accounts.permissions import Action
from satupintu.catalogue.models import VersionStatus


@dataclass(frozen=True)
class Transition:
    code: str
    label: object  # a lazy translation
    sources: frozenset[str]
    target: str
    action: Action
    #: What the person must give: "note", "decree" (number and date), "effective_from".
    needs: frozenset[str] = frozenset()
    #: The sender of a version may not make this transition on it (four eyes).
    not_by_sender: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in (
        Transition(
            code="send_for_review",
            label=_("Ajukan untuk persetujuan"),
            sources=frozenset({VersionStatus.DRAFT}),
            target=VersionStatus.IN_REVIEW,
            action=Action.PREPARE_STANDARDS,
        ),
        Transition(
            code="return",
            label=_("Kembalikan untuk diperbaiki"),
            sources=frozenset({VersionStatus.IN_REVIEW}),
            target=VersionStatus.DRAFT,
            action=Action.APPROVE_STANDARDS,
            needs=frozenset({"note"}),
        ),
        Transition(
            code="approve",
            label=_("Setujui dan tetapkan dengan Keputusan"),
            sources=frozenset({VersionStatus.IN_REVIEW}),
            target=VersionStatus.APPROVED,
            action=Action.APPROVE_STANDARDS,
            needs=frozenset({"decree"}),
            not_by_sender=True,
        ),
        Transition(
            code="publish",
            label=_("Umumkan"),
            sources=frozenset({VersionStatus.APPROVED}),
            target=VersionStatus.PUBLISHED,
            action=Action.PREPARE_STANDARDS,
            needs=frozenset({"effective_from"}),
        ),
        Transition(
            code="withdraw",
            label=_("Tarik konsep"),
            sources=frozenset({VersionStatus.DRAFT}),
            target=VersionStatus.WITHDRAWN,
            action=Action.PREPARE_STANDARDS,
        ),
    )
}
