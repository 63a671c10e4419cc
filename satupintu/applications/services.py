"""
Writes of the application lifecycle: create, attach documents, submit, complete a step, claim,
withdraw.

Every status change goes through ``step_complete`` (or ``application_withdraw``), which locks the
application row, checks role + office + current step + outcome, appends the control-card entry
(with the paraf and the working time taken) and moves the file on — in one transaction. Side
effects (the notice outbox, the signed permit) are raised as typed events (``events``) inside
the step's transaction; what a step kind means comes from ``catalogue.step_kinds``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import Grant, grant_for, holders_of, office_today
from satupintu.accounts.roles import Role, role_name
from satupintu.applications import events
from satupintu.applications.formdata import APPLICANT_COLUMNS, applicant_columns, application_data_clean, field_clean
from satupintu.applications.models import (
    SIGNATURE_OPEN,
    Application,
    Channel,
    Document,
    Permit,
    SignatureRequest,
    SignatureState,
    Status,
)
from satupintu.applications.numbering import format_number, office_code, registration_number, series_next
from satupintu.applications.uploads import replacements_check, upload_check
from satupintu.applications.workflow import (
    office_time,
    outcome_pairs,
    records_at,
    return_due_at,
    status_at,
    takes_number,
    transition,
)
from satupintu.catalogue import step_kinds
from satupintu.catalogue.models import Service
from satupintu.catalogue.schema import IDENTITY_PURPOSES, ServiceStandardSpec, SopStep
from satupintu.catalogue.selectors import spec_of, spec_of_version_id, version_for_new_application
from satupintu.control_card.chain import GENESIS
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_latest
from satupintu.control_card.services import card_entry_append
from satupintu.core.audit import audit_record
from satupintu.core.dates import local_moment
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.organisations.models import Organisation
from satupintu.organisations.selectors import holder_check
from satupintu.workdays import WorkingDuration, add_duration, add_working_time, working_time_between

# Codes people read off a receipt: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: The requirement key under which a proxy's power of attorney (surat kuasa) for collecting is filed.
PROXY_LETTER_KEY = "surat_kuasa_pengambilan"
#: The requirement key under which the power of attorney of a proxy who applies for someone is filed.
PROXY_APPLICATION_KEY = "surat_kuasa_permohonan"
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
#: The columns a step may change; saving only these keeps a step's UPDATE short.
LIFECYCLE_FIELDS = [
    "status",
    "current_step",
    "current_role",
    "step_received_at",
    "step_due_at",
    "claimed_by",
    "claimed_at",
    "submitted_at",
    "clock_started_at",
    "clock_paused_at",
    "due_at",
    "completed_at",
    "closed_at",
    "return_reasons",
    "revision_note",
    "rejection_reason",
    "withdrawal_reason",
    "return_due_at",
    "bap",
    "card_seq",
    "card_head_hash",
    "updated_at",
]
#: The columns a draft's changes write besides the lifecycle's.
DATA_FIELDS = ["data", *APPLICANT_COLUMNS]


def spec_for(application: Application) -> ServiceStandardSpec:
    """The standard the application runs under (the version it started on)."""
    return spec_of_version_id(application.standard_version_id)


def _tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


def _staff_grant(actor: Any, office: Office, roles: Sequence[str], at: dt.datetime | None = None) -> Grant | None:
    for role in roles:
        if role == Role.PEMOHON:
            continue
        grant = grant_for(actor, office, role, at=at)
        if grant is not None:
            return grant
    return None


class SystemActor:
    """
    The office's own machinery recording an outcome the table lets the system record
    (``recorded_by="system"``): the payment gateway's callback, the daily scan. No account, no
    paraf; the card names it.
    """

    pk = None

    def __init__(self, name: str) -> None:
        self.display_name = name

    def __str__(self) -> str:
        return self.display_name


def _acting_grant(application: Application, step: SopStep, actor: Any, at: dt.datetime | None = None) -> Grant:
    """How the actor may work this step at ``at``: as the applicant or in one of the step's staff roles."""
    if isinstance(actor, SystemActor):
        if not any(kind_row.recorded_by == "system" for kind_row in step_kinds.KINDS[step.kind].outcomes):
            raise PermissionDenied(_("Langkah ini tidak dicatat oleh sistem."))
        return Grant(role=step.roles[0], user=actor)  # type: ignore[arg-type]
    is_owner = application.applicant_id is not None and getattr(actor, "pk", None) == application.applicant_id
    if is_owner and Role.PEMOHON in step.roles:
        return Grant(role=Role.PEMOHON, user=actor)
    grant = _staff_grant(actor, application.office, step.roles, at)
    if grant is None:
        raise PermissionDenied(
            _("Langkah %(step)s dikerjakan oleh %(roles)s; Anda tidak memegang peran itu di kantor ini saat ini.")
            % {
                "step": step.label or step.number,
                "roles": ", ".join(role_name(r, application.office) for r in step.roles),
            }
        )
    return grant


def acting_grant_or_none(
    application: Application, step: SopStep, actor: Any, at: dt.datetime | None = None
) -> Grant | None:
    """How the actor may work this step now, or None (the same check ``step_complete`` makes)."""
    try:
        return _acting_grant(application, step, actor, at)
    except PermissionDenied:
        return None


def may_record(row: step_kinds.Outcome, *, by_applicant: bool) -> bool:
    """Whether the applicant (or an officer) records this outcome, as the step-kind table says."""
    return row.recorded_by == "either" or (row.recorded_by == "applicant") == by_applicant


def _require_editable(application: Application, actor: Any) -> None:
    if application.status not in EDITABLE:
        raise Conflict(_("Permohonan ini sudah diajukan dan tidak dapat diubah lagi."), code="not_editable")
    spec = spec_for(application)
    _acting_grant(application, spec.step(application.current_step or 1), actor)


def _identity_fields(spec: ServiceStandardSpec) -> list[Any]:
    return [f for f in spec.form_fields() if f.purpose in IDENTITY_PURPOSES]


def identity_from_account(spec: ServiceStandardSpec, data: dict[str, Any], account: Any) -> dict[str, Any]:
    """
    The form data with the applicant's identity (NIK and name) taken from their account: an
    applicant cannot put another person's NIK or name on their file. An account without a NIK
    cannot apply online.
    """
    nik, name = getattr(account, "nik", ""), getattr(account, "full_name", "")
    if not nik:
        raise InvalidData(
            _("Akun Anda belum mencatat NIK; lengkapi profil akun sebelum mengajukan permohonan."),
            {f.key: _("NIK diambil dari akun Anda.") for f in _identity_fields(spec) if f.purpose == "applicant_nik"},
        )
    data = dict(data)
    for field in _identity_fields(spec):
        if field.purpose == "applicant_nik":
            data[field.key] = nik
        elif field.purpose == "applicant_name" and name:
            data[field.key] = name
    return data


def _account_with_nik(nik: str) -> User | None:
    return User.objects.filter(nik=nik, is_active=True).first() if nik else None


@transaction.atomic
def application_create(
    *,
    office: Office,
    service: Service,
    actor: Any,
    data: dict[str, Any],
    renewal: bool = False,
    channel: str = Channel.ONLINE,
    at: dt.datetime | None = None,
    organisation: Organisation | None = None,
    holder: User | None = None,
) -> Application:
    """
    Start an application (a draft with its registration number and tracking code).

    Online: the actor is the applicant. At the counter: the actor is a front-office officer
    registering on the applicant's behalf. On behalf of an ``organisation`` (online, by its
    admin): for ``holder``, one of its people whose identity the file carries, or for the
    organisation itself (``holder`` None) where the standard allows it (``on_behalf_identity``).
    Raise InvalidData with errors per field.
    """
    now = at or timezone.now()
    if service.office_id != office.pk or not service.active:
        raise NotFound(_("Layanan tidak tersedia di kantor ini."))
    # The version in force now; the application keeps it to the end (standard_version below).
    version = version_for_new_application(service)
    spec = spec_of(version)
    first = spec.step(1)
    if channel == Channel.ONLINE:
        if not getattr(actor, "is_authenticated", False):
            raise PermissionDenied(_("Masuk terlebih dahulu untuk mengajukan permohonan."))
        role: str = Role.PEMOHON
        applicant = actor
    elif channel == Channel.COUNTER:
        grant = _staff_grant(actor, office, first.roles, now)
        if grant is None:
            raise PermissionDenied(_("Hanya petugas loket yang dapat mendaftarkan permohonan di loket."))
        role, applicant = grant.role, None
    else:
        raise DomainError(_("Jalur permohonan tidak dikenal."), code="invalid_channel")
    if organisation is not None:
        if applicant is None:
            raise PermissionDenied(_("Permohonan atas nama organisasi diajukan oleh admin organisasi dari akunnya."))
        data = identity_from_account(spec, data, on_behalf_identity(spec, organisation, holder, applicant))
    elif applicant is not None:
        data = identity_from_account(spec, data, applicant)
    clean, errors = application_data_clean(spec, data, renewal=renewal, today=office_today(office, now))
    if errors:
        raise InvalidData(_("Periksa kembali isian formulir."), errors)
    if applicant is None:
        # A counter application for a NIK that has an account appears in that account.
        applicant = _account_with_nik(applicant_columns(spec, clean)["applicant_nik"])
    application = Application.objects.create(
        office=office,
        number=registration_number(office=office, when=office_today(office, now)),
        tracking_code=_tracking_code(),
        service=service,
        standard_version=version,
        channel=channel,
        renewal=renewal,
        applicant=applicant,
        registered_by=actor,
        organisation=organisation,
        holder=holder if organisation is not None else None,
        holder_is_organisation=organisation is not None and holder is None,
        data=clean,
        status=Status.DRAFT,
        current_step=first.number,
        current_role=role,
        step_received_at=now,
        **applicant_columns(spec, clean),
    )
    audit_record(
        action="application.create",
        office=office,
        actor=actor,
        target=f"application:{application.number}",
        **({"organisation": organisation.pk, "holder": holder.pk if holder else None} if organisation else {}),
    )
    return application


def on_behalf_identity(spec: ServiceStandardSpec, organisation: Organisation, holder: User | None, admin: Any) -> Any:
    """
    Whose identity a file on behalf of an organisation carries: the holder's own account, which
    must have accepted the organisation's invitation (nobody puts another person's NIK on a file
    without that person's account agreeing); for the organisation itself, its admin's as the
    person answering for it — only where the standard's permit terms allow an organisation holder.
    """
    holder_check(actor=admin, organisation=organisation, holder=holder)
    if holder is None and not spec.permit.organisation_holder:
        raise DomainError(
            _(
                "Izin layanan ini hanya diterbitkan atas nama perorangan; "
                "pilih anggota organisasi sebagai pemegang izin."
            ),
            code="personal_only",
        )
    return holder or admin


@transaction.atomic
def application_update_data(*, application: Application, actor: Any, data: dict[str, Any]) -> Application:
    """Replace the form data of a draft or returned application."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, actor)
    spec = spec_for(application)
    owner = application.applicant if application.applicant_id else None
    if owner is not None and getattr(actor, "pk", None) == owner.pk:
        data = identity_from_account(spec, data, application.holder or owner)
    else:
        # The counter corrects answers but not who the file belongs to.
        data = {**data, **{f.key: application.data.get(f.key) for f in _identity_fields(spec)}}
    clean, errors = application_data_clean(
        spec, data, renewal=application.renewal, today=office_today(application.office)
    )
    if errors:
        raise InvalidData(_("Periksa kembali isian formulir."), errors)
    application.data = clean
    for column, value in applicant_columns(spec, clean).items():
        setattr(application, column, value)
    application.save()
    return application


@transaction.atomic
def document_attach(
    *, application: Application, actor: Any, requirement_key: str, stream: IO[bytes], filename: str
) -> Document:
    """
    Attach an upload for one requirement; an earlier upload for it stays on file, inactive.

    The file is identified by its content (PDF/JPG/PNG as the standard allows) and must fit the
    size limit; raise UploadRejected (Indonesian) otherwise.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, actor)
    spec = spec_for(application)
    applicable = {r.key: r for r in spec.requirements_for(renewal=application.renewal)}
    if requirement_key not in applicable:
        raise DomainError(_("Persyaratan ini tidak berlaku untuk permohonan ini."), code="unknown_requirement")
    return _document_store(
        application=application,
        spec=spec,
        key=requirement_key,
        stream=stream,
        filename=filename or "berkas",
        actor=actor,
    )


def _document_store(
    *, application: Application, spec: ServiceStandardSpec, key: str, stream: IO[bytes], filename: str, actor: Any
) -> Document:
    """
    Check an upload (cap on replacements, parsed content, size) and file its clean copy under
    ``key``; the earlier upload for that key stays on file, inactive. The caller holds the row lock.
    """
    replacements_check(application=application, requirement_key=key)
    checked = upload_check(stream, allowed=list(spec.uploads.types), max_bytes=spec.uploads.max_size_mb * 1024 * 1024)
    Document.objects.filter(application=application, requirement_key=key, active=True).update(active=False)
    document = Document(
        office=application.office,
        application=application,
        requirement_key=key,
        original_name=filename[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(f"{key}.{checked.kind}", File(checked.file), save=False)
    document.save()
    return document


@transaction.atomic
def proxy_letter_attach(*, application: Application, actor: Any, stream: IO[bytes], filename: str) -> Document:
    """
    File the power of attorney (surat kuasa) of someone collecting the permit for the applicant;
    by the officer who works the handover step, while the file waits there.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.current_step is None:
        raise Conflict(_("Permohonan ini sudah selesai."))
    spec = spec_for(application)
    step = spec.step(application.current_step)
    grant = _acting_grant(application, step, actor)
    if grant.role == Role.PEMOHON or "handover" not in records_at(step):
        raise PermissionDenied(_("Surat kuasa diunggah oleh petugas pada langkah penyerahan."))
    document = _document_store(
        application=application,
        spec=spec,
        key=PROXY_LETTER_KEY,
        stream=stream,
        filename=filename or "surat-kuasa",
        actor=actor,
    )
    audit_record(
        action="document.proxy_letter",
        office=application.office,
        actor=actor,
        target=f"application:{application.number}",
    )
    return document


@transaction.atomic
def proxy_application_record(
    *, application: Application, actor: Any, name: str, id_number: str, stream: IO[bytes], filename: str
) -> Document:
    """
    Record that a proxy brought a counter application for the holder, with the power of
    attorney (surat kuasa) filed like any upload: by the front office, while the file is still
    being registered. The holder's identity stays what the officer entered and checked; the
    submission's card entry and the holder's page name the proxy.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.channel != Channel.COUNTER or application.status not in EDITABLE:
        raise Conflict(_("Kuasa pengajuan dicatat di loket sebelum berkas diajukan."), code="proxy_not_at_counter")
    if grant_for(actor, application.office, Role.FRONT_OFFICE) is None:
        raise PermissionDenied(_("Kuasa pengajuan dicatat oleh petugas loket yang memeriksa surat kuasanya."))
    errors = {}
    name = " ".join(str(name or "").split())[:200]
    id_number = "".join(str(id_number or "").split())
    if not name:
        errors["name"] = _("Nama kuasa wajib diisi.")
    if not id_number or len(id_number) > 40:
        errors["id_number"] = _("Nomor identitas kuasa (NIK/KTP) wajib diisi.")
    elif id_number == application.applicant_nik:
        errors["id_number"] = _("Kuasa adalah orang lain dari pemohon; pemohon sendiri tidak memerlukan surat kuasa.")
    if errors:
        raise InvalidData(_("Data kuasa belum lengkap."), errors)
    document = _document_store(
        application=application,
        spec=spec_for(application),
        key=PROXY_APPLICATION_KEY,
        stream=stream,
        filename=filename or "surat-kuasa",
        actor=actor,
    )
    application.proxy_name, application.proxy_id_number = name, id_number
    application.save(update_fields=["proxy_name", "proxy_id_number", "updated_at"])
    audit_record(
        action="application.proxy_applicant",
        office=application.office,
        actor=actor,
        target=f"application:{application.number}",
        document=document.pk,
    )
    return document


def _proxy_applicant(application: Application) -> dict[str, Any] | None:
    """For the submission's card entry: the proxy who brought the file, with their power of attorney."""
    if not application.proxy_name:
        return None
    letter = (
        Document.objects.filter(application=application, requirement_key=PROXY_APPLICATION_KEY, active=True)
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "name": application.proxy_name,
        "id_number": application.proxy_id_number,
        "holder_name": application.applicant_name,
        "proxy_document": str(letter or ""),
    }


def missing_requirements(application: Application) -> list[str]:
    """Labels of the applicable requirements that have no active upload."""
    spec = spec_for(application)
    present = set(_active_documents(application))
    return [r.label for r in spec.requirements_for(renewal=application.renewal) if r.key not in present]


def application_submit(
    *, application: Application, actor: Any, responses: dict[str, str] | None = None, at: dt.datetime | None = None
) -> Application:
    """
    Hand the file in (SOP step 1): every applicable requirement uploaded and the form valid.

    From a returned file this is the resubmission: every requirement the officer flagged has a new
    upload or an answer in ``responses`` (key → text), and the office's clock resumes.
    """
    spec = spec_for(application)
    step = spec.step(application.current_step or 1)
    outcome = next(iter(step.outcomes))
    return step_complete(
        application=application,
        actor=actor,
        step_number=step.number,
        outcome=outcome,
        data={"responses": responses or {}},
        at=at,
    )


def _require_handed_in(spec: ServiceStandardSpec, application: Application) -> None:
    """A file is handed in only with every applicable requirement uploaded and the form valid."""
    missing = missing_requirements(application)
    if missing:
        raise InvalidData(
            _("Berkas belum lengkap: %(items)s.") % {"items": "; ".join(missing)},
            {"documents": "; ".join(missing)},
        )
    _clean, errors = application_data_clean(
        spec, application.data, renewal=application.renewal, today=office_today(application.office)
    )
    if errors:
        raise InvalidData(_("Periksa kembali isian formulir."), errors)


@dataclass(frozen=True)
class OnFile:
    """An active upload as a step needs it: its id and its content's SHA-256."""

    pk: int
    sha256: str


#: The annotation under which the step's lock reads the active uploads with the row.
DOCUMENTS_ON_FILE = "documents_on_file"


def _documents_on_file() -> RawSQL:
    """The file's active uploads as one text value, ``key:id:sha256`` joined by ``;`` (None: none)."""
    # Written as SQL: the ORM's aggregate subquery (Concat inside StringAgg) cost more to compile
    # than the rest of the step's lock, and the lock is built on every step.
    doc, app = Document._meta.db_table, Application._meta.db_table
    joined = "string_agg({}, ';')" if connection.vendor == "postgresql" else "group_concat({}, ';')"
    row = "d.requirement_key || ':' || CAST(d.id AS TEXT) || ':' || d.sha256"
    return RawSQL(
        f"SELECT {joined.format(row)} FROM {doc} d WHERE d.application_id = {app}.id AND d.active = %s",
        (True,),
        output_field=CharField(),
    )


def _active_documents(application: Application) -> dict[str, OnFile]:
    """
    The active upload per requirement key: read with the row when the step's lock annotated it
    (``DOCUMENTS_ON_FILE``), else one query.
    """
    if DOCUMENTS_ON_FILE in application.__dict__:
        rows = getattr(application, DOCUMENTS_ON_FILE) or ""
        found = {}
        for row in filter(None, rows.split(";")):
            key, pk, sha256 = row.rsplit(":", 2)
            found[key] = OnFile(int(pk), sha256)
        return found
    return {
        key: OnFile(pk, sha256)
        for key, pk, sha256 in Document.objects.filter(application=application, active=True)
        .order_by("uploaded_at")
        .values_list("requirement_key", "pk", "sha256")
    }


def last_return(application: Application) -> ControlCardEntry | None:
    """The card entry of the latest return to the applicant (an outcome that leads back to the submit step)."""
    return card_latest(application.pk, outcomes=outcome_pairs(lambda o: o.leads == "back_to_submit"))


def replaced_since_return(application: Application, entry: ControlCardEntry | None) -> set[str]:
    """Requirement keys whose active upload differs from the one on file when the file was returned."""
    if entry is None:
        return set()
    before = (entry.data or {}).get("snapshot", {}).get("documents", {})
    return {key for key, doc in _active_documents(application).items() if before.get(key) != doc.sha256}


def _record_data(
    row: step_kinds.Outcome,
    *,
    spec: ServiceStandardSpec,
    application: Application,
    data: dict[str, Any],
    note: str,
    now: dt.datetime,
) -> tuple[dict[str, Any], list[str]]:
    """
    Check and apply the data the outcome records (the table's ``records``); return what the card
    entry keeps and the extra columns to save. Raise InvalidData with errors per field.
    """
    entry: dict[str, Any] = {}
    extra: list[str] = []
    try:
        if row.records == "responses":
            _require_handed_in(spec, application)
            proxy = _proxy_applicant(application)
            if proxy is not None:
                entry["proxy_applicant"] = proxy
            if application.status == Status.RETURNED:
                flagged = {r["key"]: r["label"] for r in application.return_reasons or [] if r.get("key")}
                returned = last_return(application)
                replaced = set(replaced_since_return(application, returned))
                entry["responses"] = step_kinds.parse_responses(data, flagged=flagged, replaced=replaced)
                entry["replaced"] = sorted(replaced & set(flagged))
        elif row.records == "checklist":
            documents = _active_documents(application)
            rows = step_kinds.parse_checklist(
                data.get("checklist"),
                outcome=row.code,
                requirements=[(r.key, r.label) for r in spec.requirements_for(renewal=application.renewal)],
                present=set(documents),
                note=note,
            )
            entry["checklist"] = rows
            if row.leads == "back_to_submit":
                application.return_reasons = [
                    {"key": r["key"], "label": r["label"], "reason": r["reason"]} for r in rows if not r["ok"]
                ] + ([{"key": "", "label": _("Catatan"), "reason": note}] if note else [])
                entry["snapshot"] = {
                    "data": application.data,
                    "documents": {key: d.sha256 for key, d in documents.items()},
                }
            else:
                application.return_reasons = []
        elif row.records == "bap":
            team = holders_of(application.office, Role.TIM_TEKNIS, at=now)
            choices = {str(u.pk): u.display_name for u in team}
            by_username = {u.get_username(): str(u.pk) for u in team}
            given = dict(data.get("bap") or {}) if isinstance(data.get("bap"), dict) else data.get("bap")
            if isinstance(given, dict):
                members = given.get("team") or []
                if isinstance(members, str):
                    members = [m.strip() for m in members.replace(",", "\n").splitlines() if m.strip()]
                if isinstance(members, list):
                    given["team"] = [by_username.get(str(m), str(m)) for m in members]
            submitted = application.submitted_at
            application.bap = entry["bap"] = step_kinds.parse_bap(
                given,
                team_choices=choices,
                earliest=office_today(application.office, submitted) if submitted else None,
                today=office_today(application.office, now),
            )
        elif row.records == "draft":
            editable = {f.key: f for f in draft_fields(spec, application)}
            changes = step_kinds.parse_draft(
                data,
                editable=editable,
                data=application.data,
                clean=field_clean,
                revising=bool(application.revision_note),
                note=note,
            )
            if application.revision_note:
                entry["revise_note"] = application.revision_note
            entry["changes"] = changes
            if changes:
                application.data = {**application.data, **{c["field"]: c["after"] for c in changes}}
                for column, value in applicant_columns(spec, application.data).items():
                    setattr(application, column, value)
                extra = DATA_FIELDS
        elif row.records in RECORD_SOURCES:
            # Data kept by an app above this one (the bill of a payment step): it answers for it.
            entry[row.records] = RECORD_SOURCES[row.records](application, row, now)
        elif row.records == "handover":
            on_file = _active_documents(application).get(PROXY_LETTER_KEY)
            proxies = {str(on_file.pk)} if on_file else set()
            entry["handover"] = step_kinds.parse_handover(data.get("handover"), proxy_documents=proxies)
            _handover_names(application, entry["handover"])
    except step_kinds.StepDataError as exc:
        raise InvalidData(exc.message, exc.errors) from None
    return entry, extra


#: What answers for data an outcome records that lives in an app above this one, by the table's
#: ``records`` (``payment``: the payments app's bill, registered in its ``ready``). Each takes
#: (application, outcome row, now) and returns what the card keeps, raising StepDataError.
RECORD_SOURCES: dict[str, Callable[[Application, step_kinds.Outcome, dt.datetime], dict[str, Any]]] = {}


def _handover_names(application: Application, handover: dict[str, Any]) -> None:
    """
    The card entry and the permit record both name the holder and, when a proxy collected it with
    a power of attorney, the proxy.
    """
    handover["holder_name"] = holder_name_of(application)
    if handover.get("relation") == step_kinds.HANDOVER_PROXY:
        Permit.objects.filter(application=application).update(
            proxy_name=handover["name"], proxy_id_number=handover["id_number"]
        )


def holder_name_of(application: Application) -> str:
    """The name the permit is issued to: the organisation's for an organisation holder, else the person's."""
    if application.holder_is_organisation and application.organisation_id:
        return application.organisation.name if application.organisation else application.applicant_name
    return application.applicant_name


def draft_fields(spec: ServiceStandardSpec, application: Application) -> list[Any]:
    """
    The form fields the back office may correct while drafting: what the letter prints, except
    the holder's identity (NIK and name come from the applicant's account; birth date and sex are
    checked against the NIK at the counter) and contact data.
    """
    return [
        f
        for f in spec.form_fields()
        if f.purpose not in IDENTITY_PURPOSES
        and f.purpose not in {"applicant_phone", "applicant_email", "applicant_birth_date", "applicant_sex"}
        and (application.renewal or not f.renewal_only)
    ]


def _permit_valid_until(spec: ServiceStandardSpec, application: Application, issued: dt.date) -> dt.date | None:
    terms = spec.permit
    if terms.validity == "years":
        years = terms.years or 0
        try:
            return issued.replace(year=issued.year + years)
        except ValueError:  # 29 February
            return issued.replace(year=issued.year + years, day=28)
    if terms.validity == "follows_str":
        if terms.str_lifetime_field and application.data.get(terms.str_lifetime_field):
            return None
        value = application.data.get(terms.str_valid_until_field)
        return dt.date.fromisoformat(value) if value else None
    return None


def _issue_permit(spec: ServiceStandardSpec, application: Application, now: dt.datetime) -> Permit:
    today = office_today(application.office, now)
    seq = series_next(office=application.office, key=f"izin:{application.service.code}", year=today.year)
    return Permit.objects.create(
        office=application.office,
        application=application,
        number=format_number(
            spec.numbering.format,
            seq=seq,
            when=today,
            short_code=spec.short_code,
            office_code=office_code(application.office),
        ),
        year=today.year,
        seq=seq,
        title=spec.permit.title,
        holder_name=holder_name_of(application)[:200],
        holder_organisation_id=application.organisation_id if application.holder_is_organisation else None,
        issued_at=now,
        valid_until=_permit_valid_until(spec, application, today),
        verification_code=secrets.token_urlsafe(24),
    )


def permit_of(application: Application) -> Permit | None:
    """
    The application's permit, or None: read with the application when it was loaded with
    ``select_related("permit")`` (the step's lock does), else one query.
    """
    try:
        return application.permit
    except Permit.DoesNotExist:
        return None


def _enter(application: Application, step: SopStep, now: dt.datetime) -> None:
    """Put the file at ``step``: whose queue it is in, when it arrived and when it is due."""
    role = step.roles[0]
    if role == Role.PEMOHON and application.applicant_id is None:
        # Registered at the counter: the applicant has no account, the counter acts for them.
        role = next((r for r in step.roles if r != Role.PEMOHON), role)
    application.current_step = step.number
    application.current_role = role
    application.step_received_at = now
    application.step_due_at = (
        add_duration(now, WorkingDuration.parse(step.time), office=application.office) if office_time(step) else None
    )
    application.claimed_by = None
    application.claimed_at = None


@transaction.atomic
def step_complete(
    *,
    application: Application,
    actor: Any,
    step_number: int,
    outcome: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """
    Complete the application's current SOP step with the given outcome.

    Lock the application, check that ``step_number`` is still its current step (Conflict, 409,
    otherwise), that the actor holds one of the step's roles in the office now, directly or as
    Plh (PermissionDenied), and that the outcome is allowed there; append the control-card entry
    with the actor's paraf and the working time taken against the step's standard; move the file
    to the step the outcome leads to, starting, pausing or resuming the service clock; and, after
    commit, publish the events notices and documents listen to.
    """
    now = at or timezone.now()
    data = data or {}
    note = (note or "").strip()
    # One read for the lock and what the step and its notices need: the office, the service, the
    # applicant's account, the permit (null until numbered; only this row is locked) and the
    # active uploads (the completeness check, the handover's proxy letter).
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("office", "service", "applicant", "permit")
        .annotate(**{DOCUMENTS_ON_FILE: _documents_on_file()})
        .get(pk=application.pk)
    )
    if application.is_final:
        raise Conflict(_("Permohonan ini sudah selesai (%(status)s).") % {"status": application.get_status_display()})
    if application.current_step != step_number:
        raise Conflict(
            _("Langkah ini sudah diselesaikan atau berpindah; muat ulang halaman untuk melihat keadaan terbaru."),
            code="step_moved",
        )
    spec = spec_for(application)
    step = spec.step(step_number)
    grant = _acting_grant(application, step, actor, now)
    move = transition(spec, step, outcome)
    row = move.outcome
    assert row is not None
    by_applicant = grant.role == Role.PEMOHON
    if not may_record(row, by_applicant=by_applicant):
        raise PermissionDenied(_("Hasil ini tidak dapat dicatat oleh Anda pada langkah ini."))
    if application.claimed_by_id and application.claimed_by_id != actor.pk:
        raise Conflict(
            _("Langkah ini sedang dikerjakan oleh %(name)s.") % {"name": application.claimed_by}, code="claimed"
        )
    if row.note == "required" and not note:
        raise InvalidData(_("Tuliskan alasannya pada catatan."), {"note": _("Catatan wajib diisi.")})
    if "signature" in records_at(step):
        _signature_open_check(application, row)
    if row.records == "signature":
        # Signing happens outside this transaction (ADR 0009): reserve the number, record the request.
        return _signature_request(application, spec, step, grant, actor, row, note, data, now)
    entry_data, extra_fields = _record_data(row, spec=spec, application=application, data=data, note=note, now=now)

    _close_step(application, step, grant, actor, outcome, note, entry_data, now)
    return _step_move(application, spec, step, row, move, note, extra_fields, now, credentials=data.get("credentials"))


def _step_move(
    application: Application,
    spec: ServiceStandardSpec,
    step: SopStep,
    row: step_kinds.Outcome,
    move: Any,
    note: str,
    extra_fields: list[str],
    now: dt.datetime,
    *,
    credentials: Any = None,
    permit: Permit | None = None,
) -> Application:
    """After the step's card entry: clocks, number, where the file goes; save; raise the step's events."""
    if row.event == "submitted" and application.submitted_at is None:
        application.submitted_at = now
    _apply_clock(application, spec, move.clock, now)
    application.status = move.status
    application.return_due_at = return_due_at(spec, application.office, now) if move.status == Status.RETURNED else None
    if permit is None and takes_number(step, row) and permit_of(application) is None:
        permit = _issue_permit(spec, application, now)
    if row.leads == "back_to_draft":
        application.revision_note = note
    elif row.records == "draft":
        application.revision_note = ""
    if move.to_step is None:
        _leave(application, now)
        if move.status == Status.REJECTED:
            application.rejection_reason = note
    else:
        _enter(application, move.to_step, now)
        _clock_on_entry(application, spec, move.to_step, now)
        if move.status == Status.READY and application.completed_at is None:
            application.completed_at = now
    application.save(update_fields=LIFECYCLE_FIELDS + extra_fields)
    _publish(application, step, row, move.to_step, note, permit, credentials=credentials)
    return application


# --- the signature, off the series lock (ADR 0009) -----------------------------------------------


def signature_open(application: Application) -> SignatureRequest | None:
    """The file's signature request that still holds its sign step (pending, signing or failed)."""
    return SignatureRequest.objects.filter(application=application, state__in=SIGNATURE_OPEN).first()


def _signature_open_check(application: Application, row: step_kinds.Outcome) -> None:
    """While a signature is on its way no other outcome is recorded; after a failure only the retry."""
    open_request = signature_open(application)
    if open_request is None:
        return
    if open_request.state != SignatureState.FAILED:
        raise Conflict(_("Surat izin ini sedang ditandatangani; tunggu hingga selesai."), code="signing_in_progress")
    if row.records != "signature":
        raise Conflict(
            _(
                "Nomor surat izin sudah diambil untuk permohonan ini dan tidak diberikan kepada permohonan lain; "
                "ulangi tanda tangan."
            ),
            code="signature_retry_only",
        )


def _signature_request(
    application: Application,
    spec: ServiceStandardSpec,
    step: SopStep,
    grant: Grant,
    actor: Any,
    row: step_kinds.Outcome,
    note: str,
    data: dict[str, Any],
    now: dt.datetime,
) -> Application:
    """
    The short transaction of an approving signature: take the number (the series row is locked
    only until this commits), keep the permit row and the request; the step stays open, shown as
    "sedang ditandatangani", until the worker stores the signed file (``signature_close``).
    A failed request is retried with the same number.
    """
    permit = Permit.objects.filter(application=application).first()
    if permit is None:
        permit = _issue_permit(spec, application, now)
    batch = str(data.get("signature_batch") or "") or secrets.token_hex(8)
    fields = {
        "batch": batch,
        "step_number": step.number,
        "outcome": row.code,
        "role": grant.role,
        "note": note,
        "requested_by": actor,
        "acting_for": grant.acting_for,
        "requested_at": now,
        "state": SignatureState.PENDING,
        "claim": "",
        "started_at": None,
        "finished_at": None,
        "error": "",
    }
    request = SignatureRequest.objects.filter(application=application, state=SignatureState.FAILED).first()
    if request is None:
        request = SignatureRequest.objects.create(
            office=application.office, application=application, permit=permit, **fields
        )
    else:
        for name, value in fields.items():
            setattr(request, name, value)
        request.save()
    audit_record(
        action="permit.sign_request",
        office=application.office,
        actor=actor,
        target=f"permit:{permit.number}",
        application=application.number,
        batch=batch,
    )
    credentials = data.get("credentials")
    events.publish(
        events.SignatureRequested(
            application_id=application.pk,
            application=application,
            request_id=request.pk,
            batch=batch,
            batched=bool(data.get("signature_batch")),
            credentials=credentials if isinstance(credentials, dict) else None,
        )
    )
    # A signer run at once (tests, EAGER) may have closed the step already.
    application.refresh_from_db(fields=LIFECYCLE_FIELDS)
    return application


def signature_close(*, request_id: int, claim: str, at: dt.datetime | None = None) -> Application:
    """
    Close the sign step of a request whose signed file is being stored, in the caller's
    transaction (the one that writes the file's row): the card entry with the Kepala Dinas's
    paraf, the file moved on, the request ``signed``, and the events that say signed (``Signed``,
    ``PermitNumbered``, ``StepEntered``…). Conflict when this worker's claim was lost.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("signature_close runs inside the transaction that stores the signed file")
    signed_at = at or timezone.now()
    # The application row first, then the request: the order ``step_complete`` locks them in.
    application_id = SignatureRequest.objects.values_list("application_id", flat=True).get(pk=request_id)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("office", "service").get(pk=application_id)
    )
    request = (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by", "acting_for")
        .get(pk=request_id)
    )
    if request.state != SignatureState.SIGNING or request.claim != claim:
        raise Conflict(_("Penandatanganan ini sudah diambil alih atau selesai."), code="signing_claim_lost")
    if application.current_step != request.step_number:
        raise Conflict(_("Langkah tanda tangan sudah berpindah."), code="step_moved")
    spec = spec_for(application)
    step = spec.step(request.step_number)
    move = transition(spec, step, request.outcome)
    row = move.outcome
    assert row is not None
    actor = request.requested_by
    grant = Grant(role=request.role, user=actor, acting_for=request.acting_for)
    # The step is the Kepala Dinas's approval, done when they approved; the file moves on now
    # that the signature exists (the seconds the worker took are on the entry, not charged to anyone).
    now = request.requested_at
    entry_data = {
        "signature": {
            "signed_at": signed_at.isoformat(),
            "attempts": request.attempts,
            "batch": request.batch,
        }
    }
    _close_step(application, step, grant, actor, request.outcome, request.note, entry_data, now)
    request.state = SignatureState.SIGNED
    request.finished_at = signed_at
    request.file_name = ""
    request.error = ""
    request.save(update_fields=["state", "finished_at", "file_name", "error"])
    permit = Permit.objects.get(pk=request.permit_id)
    return _step_move(application, spec, step, row, move, request.note, [], now, permit=permit)


def _close_step(
    application: Application,
    step: SopStep,
    grant: Grant,
    actor: Any,
    outcome: str,
    note: str,
    data: dict[str, Any],
    now: dt.datetime,
) -> None:
    """Append the card entry that closes the current step: the paraf, the times and the outcome."""
    received = application.step_received_at or now
    entry = card_entry_append(
        prev_hash=application.card_head_hash or GENESIS,
        office=application.office,
        application=application,
        seq=application.card_seq + 1,
        step_number=step.number,
        step_label=step.label or str(step.number),
        step_kind=step.kind,
        role=grant.role,
        activity=step.activity.splitlines()[0][:300],
        received_at=received,
        due_at=application.step_due_at,
        completed_at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "display_name", str(actor))[:200],
        acting_for=grant.acting_for,
        acting_for_name=grant.acting_for.display_name[:200] if grant.acting_for else "",
        outcome=outcome,
        note=note,
        data=data,
        time_standard=step.time,
        worked_seconds=int(working_time_between(received, now, office=application.office).total_seconds()),
        standard_seconds=_standard_seconds(step),
        late=application.step_due_at is not None and now > application.step_due_at,
        office_time=office_time(step),
    )
    application.card_seq = entry.seq
    application.card_head_hash = entry.hash


def card_event_record(
    *,
    application: Application,
    step_kind: str,
    role: str,
    activity: str,
    outcome: str,
    note: str,
    data: dict[str, Any],
    at: dt.datetime,
    actor: Any = None,
    acting_for: Any = None,
    step_number: int | None = None,
) -> ControlCardEntry:
    """
    Append a control-card entry for something done to the file outside the SOP's steps (a notice
    letter, a revocation): no working time taken, not office time, at ``step_number`` (default: the
    step the file is at; 0, shown as "-", for none).

    The caller holds the application's row lock, so the entry chains to the latest hash; only
    ``card_seq`` and ``card_head_hash`` are written back to the application.
    """
    number = application.current_step or 0 if step_number is None else step_number
    step = spec_for(application).step(number) if number else None
    entry = card_entry_append(
        prev_hash=application.card_head_hash or GENESIS,
        office=application.office,
        application=application,
        seq=application.card_seq + 1,
        step_number=number,
        step_label=(step.label or str(step.number)) if step else "-",
        step_kind=step_kind,
        role=role,
        activity=activity[:300],
        received_at=at,
        due_at=None,
        completed_at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor.display_name[:200] if getattr(actor, "pk", None) else "Sistem",
        acting_for=acting_for,
        acting_for_name=acting_for.display_name[:200] if acting_for else "",
        outcome=outcome,
        note=note,
        data=data,
        time_standard="",
        worked_seconds=0,
        standard_seconds=None,
        late=False,
        office_time=False,
    )
    Application.objects.filter(pk=application.pk).update(card_seq=entry.seq, card_head_hash=entry.hash)
    application.card_seq, application.card_head_hash = entry.seq, entry.hash
    return entry


def _leave(application: Application, now: dt.datetime) -> None:
    """The file leaves the SOP: no current step any more."""
    application.current_step = None
    application.current_role = ""
    application.step_received_at = application.step_due_at = None
    application.claimed_by, application.claimed_at = None, None
    application.closed_at = now


def _standard_seconds(step: SopStep) -> int | None:
    duration = WorkingDuration.parse(step.time)
    if duration.unit == "minute":
        return duration.value * 60
    if duration.unit == "hour":
        return duration.value * 3600
    return None  # a working day has no fixed length (Friday is shorter): judged by due_at


def _apply_clock(application: Application, spec: ServiceStandardSpec, change: str | None, now: dt.datetime) -> None:
    """Start the service clock when the file is complete; stop it while the file is with the applicant."""
    if change == "start" and application.clock_started_at is None:
        application.clock_started_at = now
        application.due_at = add_duration(
            now, WorkingDuration.parse(spec.completion_time.duration), office=application.office
        )
    elif change in {"start", "resume"} and application.clock_paused_at is not None:
        # The target moves by the working time the file spent with the applicant.
        paused = working_time_between(application.clock_paused_at, now, office=application.office)
        if application.due_at is not None:
            application.due_at = add_working_time(application.due_at, paused, office=application.office)
        application.clock_paused_at = None
    elif change == "pause" and application.clock_started_at is not None and application.clock_paused_at is None:
        application.clock_paused_at = now


def _clock_on_entry(application: Application, spec: ServiceStandardSpec, step: SopStep, now: dt.datetime) -> None:
    """
    The clock change the table gives for arriving at ``step`` (the payment step pauses it while the
    bill is unpaid), unless the standard counts that time (``fee.payment_time_counted``).
    """
    change = step_kinds.KINDS[step.kind].clock_on_entry
    if change is not None and not spec.fee.payment_time_counted:
        _apply_clock(application, spec, change, now)


def _publish(
    application: Application,
    step: SopStep,
    row: step_kinds.Outcome,
    to_step: SopStep | None,
    note: str,
    permit: Permit | None,
    *,
    credentials: Any = None,
) -> None:
    """Raise the events of this step, in its transaction, with the locked and saved application."""
    pk = application.pk
    if row.event == "submitted":
        events.publish(events.Submitted(application_id=pk, application=application))
    elif row.event == "returned":
        events.publish(
            events.Returned(application_id=pk, application=application, reasons=list(application.return_reasons))
        )
    elif row.event == "accepted":
        events.publish(events.Accepted(application_id=pk, application=application, due_at=application.due_at))
    elif row.event == "rejected":
        events.publish(events.Rejected(application_id=pk, application=application, reason=note))
    elif row.event == "unpaid":
        events.publish(events.Unpaid(application_id=pk, application=application))
    # The signature first: its handler signs with the signer's one-time credentials (BSrE); the
    # number's handler then finds the permit issued and does nothing.
    if row.event == "signed":
        events.publish(
            events.Signed(
                application_id=pk,
                application=application,
                credentials=credentials if isinstance(credentials, dict) else None,
            )
        )
    if permit is not None:
        events.publish(events.PermitNumbered(application_id=pk, application=application, permit_id=permit.pk))
    if row.event == "collected":
        events.publish(events.Collected(application_id=pk, application=application, outcome=row.code))
    if to_step is not None:
        events.publish(
            events.StepEntered(
                application_id=pk, application=application, step_number=to_step.number, role=application.current_role
            )
        )
        if status_at(to_step) == Status.READY:
            issued = permit or permit_of(application)
            permit_id = issued.pk if issued else None
            events.publish(events.Ready(application_id=pk, application=application, permit_id=permit_id))


@transaction.atomic
def step_claim(*, application: Application, actor: Any, step_number: int, at: dt.datetime | None = None) -> Application:
    """Take the current step so no other officer works it at the same time."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.is_final or application.current_step != step_number:
        raise Conflict(_("Langkah ini sudah berpindah; muat ulang halaman."), code="step_moved")
    step = spec_for(application).step(step_number)
    grant = _acting_grant(application, step, actor, at)
    if grant.role == Role.PEMOHON:
        raise PermissionDenied(_("Pemohon tidak mengambil tugas."))
    if application.claimed_by_id and application.claimed_by_id != actor.pk:
        raise Conflict(_("Langkah ini sudah diambil oleh %(name)s.") % {"name": application.claimed_by}, code="claimed")
    application.claimed_by = actor
    application.claimed_at = at or timezone.now()
    application.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    audit_record(
        action="step.claim",
        office=application.office,
        actor=actor,
        target=f"application:{application.number}",
        step=step_number,
    )
    return application


@transaction.atomic
def step_release(*, application: Application, actor: Any) -> Application:
    """Give back a claimed step to the queue (the claimer, or anyone holding the step's role)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.current_step is None:
        raise Conflict(_("Permohonan ini sudah selesai."))
    _acting_grant(application, spec_for(application).step(application.current_step), actor)
    if application.claimed_by_id is None:
        return application
    application.claimed_by = None
    application.claimed_at = None
    application.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    audit_record(
        action="step.release", office=application.office, actor=actor, target=f"application:{application.number}"
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: Any, reason: str, at: dt.datetime | None = None
) -> Application:
    """
    Withdraw the application at the applicant's request (by the applicant, or the front office for them).

    Recorded on the control card as the closing of the current step with outcome ``withdrawn``.
    """
    now = at or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).select_related("office").get(pk=application.pk)
    if application.is_final or application.current_step is None:
        raise Conflict(_("Permohonan ini sudah selesai dan tidak dapat dibatalkan."))
    if Permit.objects.filter(application=application).exists():
        raise Conflict(
            _(
                "Surat izin permohonan ini sudah ditandatangani; permohonan tidak dapat dibatalkan lagi. "
                "Surat izin hanya dapat dicabut oleh Kepala Dinas."
            ),
            code="permit_signed",
        )
    if not reason.strip():
        raise InvalidData(_("Tuliskan alasan pembatalan."), {"reason": _("Alasan wajib diisi.")})
    is_owner = application.applicant_id is not None and actor.pk == application.applicant_id
    grant = (
        Grant(role=Role.PEMOHON, user=actor)
        if is_owner
        else grant_for(actor, application.office, Role.FRONT_OFFICE, at=now)
    )
    if grant is None:
        raise PermissionDenied(_("Hanya pemohon atau petugas loket yang dapat membatalkan permohonan."))
    step = spec_for(application).step(application.current_step)
    _close_step(application, step, grant, actor, "withdrawn", reason.strip(), {}, now)
    application.status = Status.WITHDRAWN
    application.withdrawal_reason = reason.strip()
    _leave(application, now)
    application.save(update_fields=LIFECYCLE_FIELDS)
    events.publish(
        events.Withdrawn(
            application_id=application.pk,
            application=application,
            reason=application.withdrawal_reason,
            by_office=grant.role != Role.PEMOHON,
        )
    )
    return application


LAPSED = "lapsed"


@transaction.atomic
def application_lapse(*, application_id: int, at: dt.datetime | None = None) -> Application | None:
    """
    Close a returned file whose deadline (``return_due_at``) has passed: status ``lapsed``, a
    control-card entry, and the ``Lapsed`` event (the closing letter). None when it is no longer
    due — submitted again, withdrawn, or not yet past the deadline; the row is locked, so a
    resubmission racing the daily scan either wins or finds the file closed.
    """
    now = at or timezone.now()
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("office", "service").get(pk=application_id)
    )
    deadline = application.return_due_at
    if application.status != Status.RETURNED or deadline is None or now < deadline:
        return None
    local = local_moment(deadline, application.office.time_zone)
    card_event_record(
        application=application,
        step_kind="submit",
        role=Role.PEMOHON,
        activity=_("Permohonan ditutup: berkas tidak dilengkapi dalam batas waktu"),
        outcome=LAPSED,
        note=_("Berkas yang dikembalikan tidak diajukan kembali sampai batas waktu %(due)s.")
        % {"due": local.strftime("%d-%m-%Y %H.%M")},
        data={"return_due_at": deadline.isoformat()},
        at=now,
    )
    application.status = Status.LAPSED
    application.return_due_at = None
    _leave(application, now)
    application.save(update_fields=LIFECYCLE_FIELDS)
    events.publish(events.Lapsed(application_id=application.pk, application=application, due_at=deadline))
    return application


__all__ = [
    "PROXY_LETTER_KEY",
    "RECORD_SOURCES",
    "InvalidData",
    "SystemActor",
    "acting_grant_or_none",
    "application_create",
    "application_lapse",
    "application_submit",
    "application_update_data",
    "application_withdraw",
    "document_attach",
    "may_record",
    "missing_requirements",
    "on_behalf_identity",
    "proxy_application_record",
    "proxy_letter_attach",
    "signature_close",
    "signature_open",
    "spec_for",
    "status_at",
    "step_claim",
    "step_complete",
    "step_release",
]
