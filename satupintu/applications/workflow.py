"""
The SOP engine's rules: where an outcome of a step leads, read from the service definition and
the one table of step kinds (``catalogue.step_kinds``, ADR 0007).

This module decides; ``services.step_complete`` carries the decision out (locks, card entries,
clocks, numbers). Nothing is service-specific and nothing here names a kind or an outcome: the
table says where each outcome leads (next step, an end status, back to the nearest submit or
draft step) and how the service clock changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from satupintu.applications.models import Status
from satupintu.catalogue.schema import ServiceStandardSpec, SopStep
from satupintu.catalogue.step_kinds import KINDS, ClockChange, Outcome, StepKind
from satupintu.core.errors import DomainError
from satupintu.core.models import Office
from satupintu.workdays import WorkingDuration, add_duration

#: The kind a "back to …" outcome returns the file to.
BACK_TO_KIND = {"back_to_submit": "submit", "back_to_draft": "draft"}


@dataclass(frozen=True)
class Transition:
    to_step: SopStep | None
    status: Status
    clock: ClockChange = None
    outcome: Outcome | None = None


def kind(step: SopStep) -> StepKind:
    return KINDS[step.kind]


def status_at(step: SopStep) -> Status:
    """The status an application has while it waits at ``step``."""
    return Status(kind(step).waiting_status)


def _previous_of_kind(spec: ServiceStandardSpec, step: SopStep, kind_code: str) -> SopStep:
    for candidate in reversed(spec.sop.steps[: step.number - 1]):
        if candidate.kind == kind_code:
            return candidate
    raise DomainError(
        _("Standar layanan tidak memiliki langkah %(kind)s sebelum langkah %(step)s.")
        % {"kind": KINDS[kind_code].label, "step": step.label or step.number},
        code="definition_error",
    )


def outcome_at(step: SopStep, outcome: str) -> Outcome:
    """The table's row for ``outcome`` at ``step``; DomainError when the step does not allow it."""
    if outcome not in step.outcomes:
        allowed = ", ".join(step.outcomes)
        raise DomainError(
            _("Hasil “%(outcome)s” tidak dikenal untuk langkah ini. Yang boleh: %(allowed)s.")
            % {"outcome": outcome, "allowed": allowed},
            code="invalid_outcome",
        )
    return kind(step).outcome(outcome)


def back_step(spec: ServiceStandardSpec, step: SopStep, row: Outcome) -> SopStep | None:
    """The step a "back to …" outcome returns the file to (None for outcomes that do not go back)."""
    target = BACK_TO_KIND.get(row.leads)
    return _previous_of_kind(spec, step, target) if target else None


def transition(spec: ServiceStandardSpec, step: SopStep, outcome: str) -> Transition:
    """Where ``outcome`` at ``step`` leads; raise DomainError if the step does not allow it."""
    row = outcome_at(step, outcome)
    if row.leads == "end":
        return Transition(None, Status(row.end_status), row.clock, row)
    back = back_step(spec, step, row)
    if back is not None:
        return Transition(back, status_at(back), row.clock, row)
    if step.number >= len(spec.sop.steps):
        raise DomainError(_("Langkah terakhir SOP hanya dapat diakhiri dengan penyerahan."), code="definition_error")
    following = spec.step(step.number + 1)
    return Transition(following, status_at(following), row.clock, row)


def applicant_may_act(step: SopStep) -> bool:
    """Whether the applicant (pemohon) works this step: submitting, or downloading the product."""
    return "pemohon" in step.roles


def office_time(step: SopStep) -> bool:
    """
    Whether time spent at this step counts against the office.

    Not while the file is with the applicant: being completed (``submit``) or, once the product is
    ready, waiting to be collected (``handover``; the seed's one-month notice covers that wait).
    """
    return kind(step).office_time


def takes_number(step: SopStep, row: Outcome) -> bool:
    """
    Whether completing this step allocates the permit's number (once per application).

    The approving signature does (ADR 0006): an electronic signature cannot precede the number
    it covers, so the number is taken in the signing transaction and printed in the signed PDF;
    the SOP's later ``number`` step records the number in the register without taking another.
    Where no signature comes first (a standard without a sign step, or numbering before it),
    the ``number`` step takes it.
    """
    return kind(step).takes_number and row.leads == "next"


def records_at(step: SopStep) -> set[str]:
    """What the outcomes this step allows record (``checklist``, ``bap``, ``handover``, ``signature``…)."""
    return {r for o in step.outcomes if (r := kind(step).outcome(o).records)}


def outcome_pairs(test: Callable[[Outcome], bool]) -> list[tuple[str, str]]:
    """The (kind, outcome) pairs of the table whose outcome passes ``test``, as the card stores them."""
    return [(code, o.code) for code, k in KINDS.items() for o in k.outcomes if test(o)]


def sign_steps_from(spec: ServiceStandardSpec, number: int) -> list[SopStep]:
    """The signing steps at or after step ``number`` (those with an outcome that records a signature)."""
    return [s for s in spec.sop.steps if s.number >= number and "signature" in records_at(s)]


def download_outcome(step: SopStep) -> Outcome | None:
    """The outcome by which the applicant receives the product themselves at this step (the download)."""
    for code in step.outcomes:
        row = kind(step).outcome(code)
        if row.recorded_by == "applicant" and row.leads == "end" and row.records is None:
            return row
    return None


def return_deadline(spec: ServiceStandardSpec, office: Office) -> WorkingDuration | None:
    """
    How long a returned file may stay with the applicant before the application is closed: the
    standard's ``guarantees.return_deadline`` when it sets one, else the office's setting, else no limit.
    """
    if spec.guarantees.return_deadline is not None:
        return WorkingDuration.parse(spec.guarantees.return_deadline)
    if office.return_deadline_days:
        return WorkingDuration(office.return_deadline_days, "day")
    return None


def return_due_at(spec: ServiceStandardSpec, office: Office, returned_at: dt.datetime) -> dt.datetime | None:
    """When a file returned at ``returned_at`` closes unless the applicant submits it again."""
    deadline = return_deadline(spec, office)
    return add_duration(returned_at, deadline, office=office) if deadline else None
