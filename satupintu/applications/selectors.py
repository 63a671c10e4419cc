"""Reads of applications: queues, pages, tracking, and what a user may do with a file now."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, grant_for, roles_in
from satupintu.accounts.roles import Role
from satupintu.applications.models import (
    OPEN_STATUSES,
    Application,
    Channel,
    Document,
    Permit,
    SignatureState,
    Status,
)
from satupintu.applications.services import (
    PROXY_LETTER_KEY,
    acting_grant_or_none,
    draft_fields,
    last_return,
    may_record,
    replaced_since_return,
    signature_open,
    spec_for,
)
from satupintu.applications.workflow import kind, outcome_pairs, records_at
from satupintu.catalogue import step_kinds
from satupintu.catalogue.schema import FormField, ServiceStandardSpec, SopStep
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_entries, card_latest
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.core.privacy import Subject, personal_read
from satupintu.core.throttle import throttle_check, throttle_fail
from satupintu.core.validators import parse_nik
from satupintu.organisations.models import Organisation
from satupintu.organisations.selectors import admin_organisation_ids

ACTIVE = list(OPEN_STATUSES)


#: What a queue's rows show (the staff page and the API): a file's number, service, applicant's
#: name, step, times and who took it. Not its form data or the rest of the row.
QUEUE_ROW_FIELDS = (
    "number",
    "office",
    "standard_version",
    "applicant_name",
    "status",
    "current_step",
    "current_role",
    "step_received_at",
    "step_due_at",
    "service",
    "service__code",
    "service__name",
    "claimed_by",
    "claimed_by__username",
    "claimed_by__full_name",
    "claimed_by__first_name",
    "claimed_by__last_name",
)


def queue_for(*, office: Office, role: str, now: dt.datetime | None = None) -> QuerySet[Application]:
    """
    What waits for ``role`` in the office: overdue first, then by due time, then by arrival.

    "Overdue first, then by due time" is the order of the due time itself (every overdue file is
    due before every other), so the rows come in the open-files index's order with no sort of the
    whole queue; ``now`` is kept for the callers that mark the overdue rows.
    """
    return (
        Application.objects.filter(office=office, current_role=role, status__in=ACTIVE)
        .select_related("service", "claimed_by")
        .order_by(F("step_due_at").asc(nulls_last=True), "step_received_at", "pk")
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
    base = (
        Application.objects.filter(office=office, current_role=role, status__in=ACTIVE)
        .select_related("service", "claimed_by")
        .only(*QUEUE_ROW_FIELDS)
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
    """The user's files: those they applied for and those an organisation applied for in their name."""
    return (
        Application.objects.filter(Q(applicant=user) | Q(holder=user))
        .select_related("service", "office", "organisation")
        .order_by("-created_at")
    )


#: How a signed-in person who is not the applicant relates to a file applied for on behalf of an organisation.
HOLDER, ORGANISATION_ADMIN = "holder", "organisation_admin"


def on_behalf_relation(application: Application, user: Any) -> str:
    """
    ``HOLDER`` for the person the file names (their own identity: they see it unmasked),
    ``ORGANISATION_ADMIN`` for an admin of the organisation it was applied for on behalf of
    (personal data masked unless they applied themselves), else "".
    """
    if not getattr(user, "is_authenticated", False):
        return ""
    if application.holder_id is not None and application.holder_id == user.pk:
        return HOLDER
    if application.organisation_id is not None and application.organisation_id in admin_organisation_ids(user):
        return ORGANISATION_ADMIN
    return ""


def application_for_viewer(*, number: str, user: Any) -> Application:
    """
    The application for its status page: its applicant, the holder it names, or an admin of the
    organisation it was applied for (NotFound otherwise: do not reveal it exists).
    """
    application = application_by_number(number)
    is_applicant = application.applicant_id is not None and application.applicant_id == getattr(user, "pk", None)
    if not (is_applicant or on_behalf_relation(application, user)):
        raise NotFound(_("Permohonan %(number)s tidak ditemukan.") % {"number": number})
    return application


def organisation_applications(organisation: Organisation) -> QuerySet[Application]:
    """The files applied for on behalf of the organisation, newest first (its admins' list)."""
    return (
        Application.objects.filter(organisation=organisation)
        .select_related("service", "office", "applicant", "holder")
        .order_by("-created_at")
    )


def organisation_permits(organisation: Organisation) -> QuerySet[Permit]:
    """
    The permits issued on the organisation's files — to its people or to itself — soonest expiry
    first (permits without an end last): what the organisation must renew and when.
    """
    return (
        Permit.objects.filter(Q(application__organisation=organisation) | Q(holder_organisation=organisation))
        .select_related("application", "application__service", "office")
        .order_by(F("valid_until").asc(nulls_last=True), "number")
    )


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
    if application is None or not hmac.compare_digest(
        application.tracking_code.encode(), code.strip().upper().encode()
    ):
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


@dataclass(frozen=True)
class OutcomeChoice:
    """One outcome the user may record now, as the pages and the API show it (from the step-kind table)."""

    code: str
    label: str
    button: str
    warning: bool
    confirm: str
    note: str
    records: str
    leads: str

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.code,
            "label": self.label,
            "button": self.button,
            "warning": self.warning,
            "confirm": self.confirm or None,
            "note": self.note,
            "records": self.records or None,
            "leads": self.leads,
        }


@dataclass
class AvailableActions:
    """What the user may do with the file right now; the pages show exactly these buttons."""

    step: SopStep | None = None
    role: str = ""
    acting_for: Any = None
    outcomes: list[OutcomeChoice] = field(default_factory=list)
    can_claim: bool = False
    can_release: bool = False
    can_withdraw: bool = False
    can_edit: bool = False
    claimed_by_other: bool = False

    def allows(self, code: str) -> bool:
        return any(o.code == code for o in self.outcomes)

    @property
    def records(self) -> set[str]:
        """The kinds of data the allowed outcomes record (checklist, bap, draft, handover…)."""
        return {o.records for o in self.outcomes if o.records}


def _choice(row: step_kinds.Outcome) -> OutcomeChoice:
    return OutcomeChoice(
        code=row.code,
        label=str(row.label),
        button=str(row.button),
        warning=row.warning,
        confirm=str(row.confirm),
        note=row.note,
        records=row.records or "",
        leads=row.leads,
    )


def available_actions(application: Application, user: Any) -> AvailableActions:
    """
    The outcomes and actions the user may take on the file now: the same checks ``step_complete``
    makes (role in the office now or as Plh, who records the outcome, the claim), read from the
    step-kind table; withdrawal only until the permit is signed.
    """
    actions = AvailableActions()
    if application.is_final or application.current_step is None or not getattr(user, "is_authenticated", False):
        return actions
    step = spec_for(application).step(application.current_step)
    actions.step = step
    signed = Permit.objects.filter(application=application).exists()
    grant = acting_grant_or_none(application, step, user)
    is_owner = application.applicant_id == user.pk
    if is_owner or grant_for(user, application.office, Role.FRONT_OFFICE) is not None:
        actions.can_withdraw = application.status != Status.DRAFT and not signed
    if grant is None:
        return actions
    actions.role, actions.acting_for = grant.role, grant.acting_for
    by_applicant = grant.role == Role.PEMOHON
    claimed_by = application.claimed_by_id
    if not by_applicant:
        actions.claimed_by_other = bool(claimed_by and claimed_by != user.pk)
        actions.can_claim = not claimed_by
        actions.can_release = claimed_by == user.pk
    if not actions.claimed_by_other:
        rows = [kind(step).outcome(o) for o in step.outcomes]
        if "signature" in records_at(step):
            # While a signature is on its way nothing is recorded; after a failure only its retry (ADR 0009).
            pending = signature_open(application)
            if pending is not None:
                rows = [r for r in rows if r.records == "signature"] if pending.state == SignatureState.FAILED else []
        actions.outcomes = [_choice(r) for r in rows if may_record(r, by_applicant=by_applicant)]
        actions.can_edit = kind(step).waiting_status == Status.RETURNED
    return actions


def status_text(application: Application) -> str:
    """The status in plain Indonesian for the applicant and the public."""
    return str(Status(application.status).label)


def stage_text(application: Application) -> str:
    """
    Where the file is, in the applicant's words ("Diperiksa tim teknis", "Menunggu tanda tangan
    Kepala Dinas"): the stage of the step it waits at, never a step number or code.
    """
    if application.current_step is None or application.status == Status.DRAFT:
        return str(step_kinds.FINAL_STAGES.get(application.status, status_text(application)))
    return str(kind(spec_for(application).step(application.current_step)).stage)


def signature_entry(application: Application) -> ControlCardEntry | None:
    """The card entry of the approving signature: the latest outcome that records a signature."""
    return card_latest(application.pk, outcomes=outcome_pairs(lambda o: o.records == "signature"))


def identity_warnings(application: Application) -> list[str]:
    """
    Where the form's birth date or sex disagree with what the NIK says (DOMAIN: a warning for the
    officer, not a rejection).
    """
    spec = spec_for(application)
    try:
        info = parse_nik(application.applicant_nik)
    except Exception:
        return [_("NIK pada berkas tidak sah menurut aturan NIK.")]
    warnings = []
    for f in spec.form_fields():
        value = application.data.get(f.key)
        if f.purpose == "applicant_birth_date" and value and str(value) != info.birth_date.isoformat():
            warnings.append(
                _("Tanggal lahir pada formulir (%(form)s) berbeda dengan tanggal lahir menurut NIK (%(nik)s).")
                % {"form": value, "nik": info.birth_date.isoformat()}
            )
        if f.purpose == "applicant_sex" and value and len(f.choices) == 2:
            expected = f.choices[0] if info.sex == "L" else f.choices[1]
            if value != expected:
                warnings.append(
                    _("Jenis kelamin pada formulir (%(form)s) berbeda dengan jenis kelamin menurut NIK (%(nik)s).")
                    % {"form": value, "nik": expected}
                )
    return warnings


@dataclass(frozen=True)
class ChangeSinceReturn:
    """What the applicant changed for one item after the file was returned."""

    key: str
    label: str
    reason: str
    replaced: bool
    response: str


@dataclass(frozen=True)
class ReturnChanges:
    """What changed between the last return and the resubmission: per flagged item and per data field."""

    returned_at: dt.datetime | None
    items: list[ChangeSinceReturn]
    fields: list[dict[str, Any]]


def changes_since_return(application: Application) -> ReturnChanges | None:
    """
    For the officer re-checking a resubmitted file: each item flagged at the last return, whether
    its file was replaced or the applicant answered the reason, and which form fields changed.
    None when the file was never returned.
    """
    returned = last_return(application)
    if returned is None:
        return None
    spec = spec_for(application)
    snapshot = (returned.data or {}).get("snapshot", {})
    replaced = set(replaced_since_return(application, returned))
    resubmission = (
        ControlCardEntry.objects.filter(application_id=application.pk, seq__gt=returned.seq)
        .order_by("seq")
        .only("data", "outcome")
        .first()
    )
    responses = (resubmission.data or {}).get("responses", {}) if resubmission is not None else {}
    items = [
        ChangeSinceReturn(
            key=row["key"],
            label=row["label"],
            reason=row.get("reason", ""),
            replaced=row["key"] in replaced,
            response=str(responses.get(row["key"], "")),
        )
        for row in (returned.data or {}).get("checklist", [])
        if not row.get("ok")
    ]
    before = snapshot.get("data", {})
    labels = {f.key: f.label for f in spec.form_fields()}
    fields = [
        {"key": key, "label": labels.get(key, key), "before": before.get(key), "after": application.data.get(key)}
        for key in sorted(set(before) | set(application.data))
        if before.get(key) != application.data.get(key)
    ]
    return ReturnChanges(returned_at=returned.completed_at, items=items, fields=fields)


def proxy_letters(application: Application) -> QuerySet[Document]:
    """The power-of-attorney uploads for collecting the permit (the handover record refers to one)."""
    return Document.objects.filter(application=application, requirement_key=PROXY_LETTER_KEY, active=True)


def draft_form(application: Application) -> list[FormField]:
    """The fields the back office may change while drafting (what the letter prints)."""
    return draft_fields(spec_for(application), application)


# --- one view of an application per viewer ----------------------------------------------------------

#: Form field types whose personal values are shown masked (``1471********0002``) rather than left out.
MASKABLE_TYPES = frozenset({"nik", "phone", "email"})
#: Applicant columns that are personal data whichever form field carries them.
PERSONAL_PURPOSES = frozenset(
    {
        "applicant_nik",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "applicant_birth_date",
        "applicant_sex",
    }
)
HIDDEN = None


def personal_value(field: FormField, value: Any, *, may_see: bool) -> Any:
    """
    The one masking rule: whoever may not see personal data gets identifying numbers and contact
    addresses masked (so a document can still be matched) and every other personal field left out
    (``None``): masking a short text would leave most of it readable.
    """
    if may_see or not (field.personal or field.purpose in PERSONAL_PURPOSES) or value in (None, ""):
        return value
    if field.type in MASKABLE_TYPES and isinstance(value, str):
        return mask(value)
    return HIDDEN


@dataclass
class ApplicationView:
    """An application as one viewer may see it: the pages, the API and the letters read this."""

    application: Application
    spec: ServiceStandardSpec
    is_applicant: bool
    is_officer: bool
    may_see_personal: bool
    data: dict[str, Any]
    identity: dict[str, Any]
    card: list[dict[str, Any]]
    actions: AvailableActions
    stage: str
    #: HOLDER or ORGANISATION_ADMIN for a file applied for on behalf of an organisation, else "".
    relation: str = ""
    #: Who collected the permit for the holder with a power of attorney (name), from the handover record.
    proxy_name: str = ""
    #: Who brought the application to the counter for the holder with a power of attorney (name).
    proxy_applicant: str = ""


def viewer_relation(application: Application, user: Any) -> tuple[bool, bool, bool]:
    """
    (is the applicant, is an officer of the office now, may see personal data). The holder a file
    names sees their own data; an organisation's other admins see it masked.
    """
    signed_in = getattr(user, "is_authenticated", False)
    is_applicant = bool(signed_in and application.applicant_id is not None and application.applicant_id == user.pk)
    is_officer = bool(signed_in and can(user, Action.VIEW_STAFF_PAGES, application.office))
    is_holder = bool(signed_in and application.holder_id is not None and application.holder_id == user.pk)
    may_see = is_applicant or is_holder or (is_officer and can(user, Action.VIEW_PERSONAL_DATA, application.office))
    return is_applicant, is_officer, may_see


def application_view(application: Application, user: Any) -> ApplicationView:
    """
    The application as ``user`` may see it: the form data and the applicant's columns through the
    one masking rule, the control card (officers' names for officers, notes addressed to the
    applicant for the applicant), the allowed actions and the stage. NotFound unless the user is its
    applicant, an officer of its office now, the holder it names or an admin of the organisation it
    was applied for (``on_behalf_relation``).
    """
    is_applicant, is_officer, may_see = viewer_relation(application, user)
    relation = "" if is_applicant or is_officer else on_behalf_relation(application, user)
    if not (is_applicant or is_officer or relation):
        raise NotFound(_("Permohonan %(number)s tidak ditemukan.") % {"number": application.number})
    spec = spec_for(application)
    fields = {f.key: f for f in spec.form_fields()}
    data = {}
    for key, value in application.data.items():
        field_def = fields.get(key)
        shown = value if field_def is None else personal_value(field_def, value, may_see=may_see)
        if shown is not HIDDEN:
            data[key] = shown
    identity = {
        "name": application.applicant_name,
        "nik": application.applicant_nik if may_see else mask(application.applicant_nik),
        "phone": application.applicant_phone
        if may_see or not application.applicant_phone
        else mask(application.applicant_phone),
        "email": application.applicant_email
        if may_see or not application.applicant_email
        else mask(application.applicant_email),
        "address": application.applicant_address if may_see else HIDDEN,
    }
    card = []
    proxy_name = ""
    for entry in card_entries(application.pk).order_by("seq"):
        handover = (entry.data or {}).get("handover") or {}
        if handover.get("relation") == step_kinds.HANDOVER_PROXY:
            proxy_name = str(handover.get("name", ""))
        card.append(
            {
                "entry": entry,
                "outcome_label": step_kinds.outcome_label(entry.step_kind, entry.outcome),
                "stage": str(step_kinds.KINDS[entry.step_kind].label) if entry.step_kind in step_kinds.KINDS else "",
                "actor": entry.actor_name if is_officer else _role_name(entry.role),
                "acting_for": entry.acting_for_name if is_officer else "",
                "note": entry.note
                if is_officer or step_kinds.note_for_applicant(entry.step_kind, entry.outcome)
                else "",
            }
        )
    return ApplicationView(
        application=application,
        spec=spec,
        is_applicant=is_applicant,
        is_officer=is_officer,
        may_see_personal=may_see,
        data=data,
        identity=identity,
        card=card,
        actions=available_actions(application, user),
        stage=stage_text(application),
        relation=relation,
        proxy_name=proxy_name,
        proxy_applicant=application.proxy_name,
    )


def application_subject(application: Application) -> Subject:
    """The person whose data an application carries, for the access log (``core.privacy``)."""
    return Subject(user_id=application.applicant_id, nik=application.applicant_nik, name=application.applicant_name)


def personal_field_keys(application: Application, spec: ServiceStandardSpec | None = None) -> list[str]:
    """The keys of the personal form fields this application holds, and its applicant columns that are filled."""
    spec = spec or spec_for(application)
    personal = [f for f in spec.form_fields() if f.personal or f.purpose in PERSONAL_PURPOSES]
    keys = {f.key for f in personal if application.data.get(f.key) not in (None, "")}
    carried = {f.purpose for f in personal}
    columns = {
        "applicant_nik": application.applicant_nik,
        "applicant_phone": application.applicant_phone,
        "applicant_email": application.applicant_email,
        "applicant_address": application.applicant_address,
    }
    # An applicant column counts once: by the form field that carries it, else by its own name.
    return sorted(keys | {key for key, value in columns.items() if value and key not in carried})


def application_read(
    application: Application, user: Any, *, kind: str, target: str = "", fields: Any = None, purpose: str = ""
) -> None:
    """
    Record that ``user`` read the applicant's data through ``kind`` (one door of ``core.privacy``).
    Without a ``purpose``, an officer who holds the role of the step the file is at reads it to
    work that step; anyone else for the door's own purpose.
    """
    current, role = application.current_step, application.current_role
    if not purpose and current and role and grant_for(user, application.office, role) is not None:
        step = spec_for(application).step(current)
        purpose = _("Mengerjakan langkah %(number)s: %(activity)s") % {
            "number": step.label or step.number,
            "activity": step.activity[:200],
        }
    personal_read(
        actor=user,
        kind=kind,
        office=application.office,
        subjects=[application_subject(application)],
        target=target or f"application:{application.number}",
        fields=personal_field_keys(application) if fields is None else fields,
        purpose=purpose,
    )


def _role_name(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


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
