"""
The SOP engine's rules: where an outcome of a step leads, read from the service definition.

This module decides; ``services.step_complete`` carries the decision out (locks, card entries,
clocks, numbers). No service has code of its own: the step kinds of DESIGN §4 are the only
branches, and the steps, roles and times come from the standard.

| kind               | outcome            | leads to                                   | clock  |
|--------------------|--------------------|--------------------------------------------|--------|
| submit             | submitted          | next step                                  | resume |
| completeness_check | complete           | next step                                  | start  |
|                    | incomplete         | back to the submit step (with the applicant)| pause  |
|                    | reject             | end: rejected                              |        |
| inspection         | recommend          | next step                                  |        |
|                    | reject             | end: rejected                              |        |
| draft              | drafted            | next step                                  |        |
| initial, sign      | approve            | next step                                  |        |
|                    | revise             | back to the nearest draft step before it   |        |
| number             | numbered           | next step (the permit gets its number)     |        |
| handover           | pickup, download   | end: collected                             |        |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from satupintu.applications.models import Status
from satupintu.catalogue.schema import ServiceStandardSpec, SopStep
from satupintu.core.errors import DomainError

ClockChange = Literal["start", "pause", "resume"] | None

#: Outcomes that end the application, and the status each ends it in.
ENDINGS: dict[str, Status] = {"reject": Status.REJECTED, "pickup": Status.COLLECTED, "download": Status.COLLECTED}
#: Outcomes whose note is addressed to the applicant; other notes (a paraf's "revise") are internal.
NOTES_FOR_APPLICANT = frozenset({"submitted", "incomplete", "reject", "withdrawn", "pickup", "download"})
#: Outcomes whose note is the reason the applicant or the next officer must read.
NOTE_REQUIRED = frozenset({"reject", "revise", "incomplete"})

OUTCOME_LABELS: dict[str, str] = {
    "submitted": "Diajukan",
    "complete": "Lengkap",
    "incomplete": "Tidak lengkap — dikembalikan",
    "reject": "Ditolak",
    "recommend": "Direkomendasikan",
    "drafted": "Konsep dibuat",
    "approve": "Disetujui (paraf)",
    "revise": "Dikembalikan untuk diperbaiki",
    "numbered": "Diberi nomor",
    "pickup": "Diambil di loket",
    "download": "Diunduh pemohon",
    "withdrawn": "Dibatalkan pemohon",
    "notice_letter": "Surat pemberitahuan dibuat",
}


@dataclass(frozen=True)
class Transition:
    to_step: SopStep | None
    status: Status
    clock: ClockChange = None


def status_at(step: SopStep) -> Status:
    """The status an application has while it waits at ``step``."""
    if step.kind == "submit":
        return Status.RETURNED
    if step.kind == "completeness_check":
        return Status.SUBMITTED
    if step.kind == "handover":
        return Status.READY
    return Status.IN_PROCESS


def _previous_of_kind(spec: ServiceStandardSpec, step: SopStep, kind: str) -> SopStep:
    for candidate in reversed(spec.sop.steps[: step.number - 1]):
        if candidate.kind == kind:
            return candidate
    raise DomainError(
        _("Standar layanan tidak memiliki langkah %(kind)s sebelum langkah %(step)s.")
        % {"kind": kind, "step": step.label or step.number},
        code="definition_error",
    )


def transition(spec: ServiceStandardSpec, step: SopStep, outcome: str) -> Transition:
    """Where ``outcome`` at ``step`` leads; raise DomainError if the step does not allow it."""
    if outcome not in step.outcomes:
        allowed = ", ".join(step.outcomes)
        raise DomainError(
            _("Hasil “%(outcome)s” tidak dikenal untuk langkah ini. Yang boleh: %(allowed)s.")
            % {"outcome": outcome, "allowed": allowed},
            code="invalid_outcome",
        )
    if outcome in ENDINGS:
        return Transition(None, ENDINGS[outcome])
    if outcome == "incomplete":
        back = _previous_of_kind(spec, step, "submit")
        return Transition(back, status_at(back), "pause")
    if outcome == "revise":
        back = _previous_of_kind(spec, step, "draft")
        return Transition(back, status_at(back))
    if step.number >= len(spec.sop.steps):
        raise DomainError(_("Langkah terakhir SOP hanya dapat diakhiri dengan penyerahan."), code="definition_error")
    following = spec.step(step.number + 1)
    clock: ClockChange = "start" if outcome == "complete" else "resume" if step.kind == "submit" else None
    return Transition(following, status_at(following), clock)


def applicant_may_act(step: SopStep) -> bool:
    """Whether the applicant (pemohon) works this step: submitting, or downloading the product."""
    return "pemohon" in step.roles


def office_time(step: SopStep) -> bool:
    """
    Whether time spent at this step counts against the office.

    Not while the file is with the applicant: being completed (``submit``) or, once the product is
    ready, waiting to be collected (``handover``; the seed's one-month notice covers that wait).
    """
    return step.kind not in {"submit", "handover"}
