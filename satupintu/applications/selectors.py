"""Reads of applications: queues, pages, tracking, and what a user may do with a file now."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, grant_for, roles_in
from satupintu.accounts.roles import Role
from satupintu.applications.models import FINAL_STATUSES, Application, Channel, Document, Status
from satupintu.applications.services import APPLICANT_OUTCOMES, spec_for
from satupintu.applications.workflow import OUTCOME_LABELS
from satupintu.catalogue.schema import SopStep
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_entries
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.core.throttle import throttle_check, throttle_fail

ACTIVE = [s for s in Status.values if s not in FINAL_STATUSES and s != Status.DRAFT]


def queue_for(*, office: Office, role: str, now: dt.datetime | None = None) -> QuerySet[Application]:
    """What waits for ``role`` in the office: overdue first, then by due time, then by arrival."""
    now = now or timezone.now()
    return (
        Application.objects.filter(office=office, current_role=role, status__in=ACTIVE)
        .select_related("service", "claimed_by")
        .annotate(overdue=Case(When(step_due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("overdue", F("step_due_at").asc(nulls_last=True), "step_received_at")
    )


#: Where a file stands in its queue: (due time or None, received time, id). Files without a due
#: time come after all the others; the order is queue_for's, with the id to break ties.
QueueKey = tuple[dt.datetime | None, dt.datetime | None, int]


def queue_key(application: Application) -> QueueKey:
    return (application.step_due_at, application.step_received_at, application.pk)


def _later(received: dt.datetime | None, pk: int) -> Q:
    """Files after (received, pk) among those due at the same time (a file at a step always has a received time)."""
    if received is None:
        return Q(step_received_at__isnull=True, pk__gt=pk)
    return Q(step_received_at__gt=received) | Q(step_received_at=received, pk__gt=pk)


def queue_page(*, office: Office, role: str, after: QueueKey | None = None, limit: int = 50) -> list[Application]:
    """
    Up to ``limit`` files of the queue, in ``queue_for``'s order, after the file whose key is ``after``.

    Keyset pagination: each page is one range of the index on (office, role, due, received, id)
    of open files, so the last page costs what the first does whatever the queue's length.
    Overdue first then by due time is the same order as by due time alone (every overdue file is
    due before every file that is not), so the order does not depend on the moment of the query.
    """
    base = Application.objects.filter(office=office, current_role=role, status__in=ACTIVE).select_related(
        "service", "claimed_by"
    )
    rows: list[Application] = []
    if after is None or after[0] is not None:
        timed = base.filter(step_due_at__isnull=False)
        if after is not None:
            due, received, pk = after
            timed = timed.filter(step_due_at__gte=due).filter(
                Q(step_due_at__gt=due) | Q(step_due_at=due) & _later(received, pk)
            )
        rows = list(timed.order_by("step_due_at", "step_received_at", "pk")[:limit])
    if len(rows) < limit:
        untimed = base.filter(step_due_at__isnull=True)
        if after is not None and after[0] is None:
            _due, received, pk = after
            untimed = untimed.filter(_later(received, pk))
        rows += list(untimed.order_by("step_received_at", "pk")[: limit - len(rows)])
    return rows


def queue_counts(*, user: Any, office: Office) -> dict[str, int]:
    """How many files wait in each of the user's role queues in the office."""
    return {role: queue_for(office=office, role=role).count() for role in sorted(roles_in(user, office))}


def application_by_number(number: str) -> Application:
    application = (
        Application.objects.select_related("office", "service", "standard_version", "applicant", "claimed_by")
        .filter(number=number)
        .first()
    )
    if application is None:
        raise NotFound(_("Permohonan %(number)s tidak ditemukan.") % {"number": number})
    return application


def application_for_staff(*, number: str, user: Any) -> Application:
    """The application, if the user is an officer of its office now (PermissionDenied otherwise)."""
    application = application_by_number(number)
    if not can(user, Action.VIEW_STAFF_PAGES, application.office):
        raise PermissionDenied(_("Anda bukan petugas kantor yang menangani permohonan ini."))
    return application


def application_for_applicant(*, number: str, user: Any) -> Application:
    """The application, if the user is its applicant (NotFound otherwise: do not reveal it exists)."""
    application = application_by_number(number)
    if application.applicant_id is None or application.applicant_id != getattr(user, "pk", None):
        raise NotFound(_("Permohonan %(number)s tidak ditemukan.") % {"number": number})
    return application


def applications_of(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("service", "office").order_by("-created_at")


#: Wrong number/code pairs one client may try per window before tracking refuses it (Throttled, 429).
TRACK_FAILURE_LIMIT = 20
TRACK_WINDOW_SECONDS = 15 * 60


def application_track(*, number: str, code: str, client: str = "") -> Application | None:
    """
    The application for the public tracking page, when number and receipt code match.

    ``client`` (the caller's address) is throttled after repeated wrong pairs, so the six-letter
    code cannot be guessed by trying.
    """
    if client:
        throttle_check(f"track:{client}", limit=TRACK_FAILURE_LIMIT)
    application = Application.objects.select_related("service", "office").filter(number=number.strip()).first()
    if application is None or not hmac.compare_digest(application.tracking_code, code.strip().upper()):
        if client:
            throttle_fail(f"track:{client}", window_seconds=TRACK_WINDOW_SECONDS)
        return None
    return application


def document_for_staff(*, pk: int, user: Any) -> Document:
    """
    The uploaded file, if the user may see personal data in its office now.

    NotFound for an unknown id; PermissionDenied for anyone who is not an officer of the
    document's office, or whose roles there do not cover personal data.
    """
    document = Document.objects.select_related("office", "application").filter(pk=pk).first()
    if document is None:
        raise NotFound(_("Berkas tidak ditemukan."))
    if not can(user, Action.VIEW_STAFF_PAGES, document.office):
        raise PermissionDenied(_("Anda bukan petugas kantor yang menangani berkas ini."))
    if not can(user, Action.VIEW_PERSONAL_DATA, document.office):
        raise PermissionDenied(_("Peran Anda tidak berwenang membuka berkas pemohon (data pribadi)."))
    return document


def counter_drafts(*, office: Office) -> QuerySet[Application]:
    """Files registered at the office's counter and not handed in yet, newest first (they are in no queue)."""
    return (
        Application.objects.filter(office=office, channel=Channel.COUNTER, status=Status.DRAFT)
        .select_related("service", "registered_by")
        .order_by("-created_at")
    )


def documents_of(application: Application, *, include_replaced: bool = False) -> QuerySet[Document]:
    documents = Document.objects.filter(application=application)
    if not include_replaced:
        documents = documents.filter(active=True)
    return documents.order_by("requirement_key", "-uploaded_at")


@dataclass
class AvailableActions:
    """What the user may do with the file right now; the pages show exactly these buttons."""

    step: SopStep | None = None
    role: str = ""
    acting_for: Any = None
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    can_claim: bool = False
    can_release: bool = False
    can_withdraw: bool = False
    can_edit: bool = False
    claimed_by_other: bool = False


def available_actions(application: Application, user: Any) -> AvailableActions:
    actions = AvailableActions()
    if application.is_final or application.current_step is None or not getattr(user, "is_authenticated", False):
        return actions
    step = spec_for(application).step(application.current_step)
    actions.step = step
    is_owner = application.applicant_id == user.pk
    if is_owner:
        actions.can_withdraw = application.status != Status.DRAFT
        if Role.PEMOHON in step.roles:
            actions.role = Role.PEMOHON
            actions.outcomes = [(o, OUTCOME_LABELS.get(o, o)) for o in step.outcomes if o in APPLICANT_OUTCOMES]
            actions.can_edit = step.kind == "submit"
        return actions
    if grant_for(user, application.office, Role.FRONT_OFFICE) is not None:
        actions.can_withdraw = application.status != Status.DRAFT
    for role in step.roles:
        if role == Role.PEMOHON:
            continue
        grant = grant_for(user, application.office, role)
        if grant is None:
            continue
        actions.role, actions.acting_for = role, grant.acting_for
        claimed_by = application.claimed_by_id
        actions.claimed_by_other = bool(claimed_by and claimed_by != user.pk)
        if not actions.claimed_by_other:
            actions.outcomes = [(o, OUTCOME_LABELS.get(o, o)) for o in step.outcomes if o not in {"download"}]
            actions.can_edit = step.kind == "submit"
        actions.can_claim = not claimed_by
        actions.can_release = claimed_by == user.pk
        break
    return actions


def status_text(application: Application) -> str:
    """The status in plain Indonesian for the applicant and the public."""
    return str(Status(application.status).label)


@dataclass
class CardView:
    entries: list[ControlCardEntry]
    open_step: SopStep | None
    open_received_at: dt.datetime | None
    open_due_at: dt.datetime | None
    delays: list[ControlCardEntry]


def card_view(application: Application) -> CardView:
    """The kartu kendali as the seed describes it: closed steps plus the step the file is at now."""
    entries = list(card_entries(application.pk).order_by("seq"))
    step = spec_for(application).step(application.current_step) if application.current_step else None
    return CardView(
        entries=entries,
        open_step=step,
        open_received_at=application.step_received_at,
        open_due_at=application.step_due_at,
        delays=[e for e in entries if e.late and e.office_time],
    )


def mask(value: str, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """Hide the middle of a personal number: ``1471********0002``."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
