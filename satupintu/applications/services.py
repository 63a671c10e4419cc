"""
Writes of the application lifecycle: create, attach documents, submit, complete a step, claim,
withdraw.

Every status change goes through ``step_complete`` (or ``application_withdraw``), which locks the
application row, checks role + office + current step + outcome, appends the control-card entry
(with the paraf and the working time taken) and moves the file on — in one transaction. Side
effects run after commit through ``events.publish``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Grant, grant_for, office_today
from satupintu.accounts.roles import Role
from satupintu.applications import events
from satupintu.applications.formdata import applicant_columns, application_data_clean
from satupintu.applications.models import Application, Channel, Document, Permit, Status
from satupintu.applications.numbering import format_number, registration_number, series_next
from satupintu.applications.uploads import replacements_check, upload_check
from satupintu.applications.workflow import NOTE_REQUIRED, office_time, status_at, transition
from satupintu.catalogue.models import Service
from satupintu.catalogue.schema import ServiceStandardSpec, SopStep
from satupintu.catalogue.selectors import current_version_of, spec_of, spec_of_version_id
from satupintu.control_card.chain import GENESIS
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.services import card_entry_append
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.workdays import WorkingDuration, add_duration, add_working_time, working_time_between

# Codes people read off a receipt: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: Outcomes the applicant may record; every other outcome is an officer's.
APPLICANT_OUTCOMES = frozenset({"submitted", "download"})
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
    "bap",
    "card_seq",
    "card_head_hash",
    "updated_at",
]


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


def _acting_grant(application: Application, step: SopStep, actor: Any, at: dt.datetime | None = None) -> Grant:
    """How the actor may work this step at ``at``: as the applicant or in one of the step's staff roles."""
    is_owner = application.applicant_id is not None and getattr(actor, "pk", None) == application.applicant_id
    if is_owner and Role.PEMOHON in step.roles:
        return Grant(role=Role.PEMOHON, user=actor)
    grant = _staff_grant(actor, application.office, step.roles, at)
    if grant is None:
        raise PermissionDenied(
            _("Langkah %(step)s dikerjakan oleh %(roles)s; Anda tidak memegang peran itu di kantor ini saat ini.")
            % {
                "step": step.label or step.number,
                "roles": ", ".join(str(Role(r).label) for r in step.roles),
            }
        )
    return grant


def _require_editable(application: Application, actor: Any) -> None:
    if application.status not in EDITABLE:
        raise Conflict(_("Permohonan ini sudah diajukan dan tidak dapat diubah lagi."), code="not_editable")
    spec = spec_for(application)
    _acting_grant(application, spec.step(application.current_step or 1), actor)


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
) -> Application:
    """
    Start an application (a draft with its registration number and tracking code).

    Online: the actor is the applicant. At the counter: the actor is a front-office officer
    registering on the applicant's behalf. Raise InvalidData with errors per field.
    """
    now = at or timezone.now()
    if service.office_id != office.pk or not service.active:
        raise NotFound(_("Layanan tidak tersedia di kantor ini."))
    version = current_version_of(service)
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
    clean, errors = application_data_clean(spec, data, renewal=renewal)
    if errors:
        raise InvalidData(_("Periksa kembali isian formulir."), errors)
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
        data=clean,
        status=Status.DRAFT,
        current_step=first.number,
        current_role=role,
        step_received_at=now,
        **applicant_columns(spec, clean),
    )
    audit_record(action="application.create", office=office, actor=actor, target=f"application:{application.number}")
    return application


@transaction.atomic
def application_update_data(*, application: Application, actor: Any, data: dict[str, Any]) -> Application:
    """Replace the form data of a draft or returned application."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_editable(application, actor)
    spec = spec_for(application)
    clean, errors = application_data_clean(spec, data, renewal=application.renewal)
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
    replacements_check(application=application, requirement_key=requirement_key)
    checked = upload_check(stream, allowed=list(spec.uploads.types), max_bytes=spec.uploads.max_size_mb * 1024 * 1024)
    Document.objects.filter(application=application, requirement_key=requirement_key, active=True).update(active=False)
    document = Document(
        office=application.office,
        application=application,
        requirement_key=requirement_key,
        original_name=(filename or "berkas")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(f"{requirement_key}.{checked.kind}", File(checked.file), save=False)
    document.save()
    return document


def missing_requirements(application: Application) -> list[str]:
    """Labels of the applicable requirements that have no active upload."""
    spec = spec_for(application)
    present = set(
        Document.objects.filter(application=application, active=True).values_list("requirement_key", flat=True)
    )
    return [r.label for r in spec.requirements_for(renewal=application.renewal) if r.key not in present]


def application_submit(*, application: Application, actor: Any, at: dt.datetime | None = None) -> Application:
    """
    Hand the file in (SOP step 1): every applicable requirement uploaded and the form valid.

    From a returned file this is the resubmission: the office's clock resumes.
    """
    spec = spec_for(application)
    submit_step = next(s for s in spec.sop.steps if s.kind == "submit")
    return step_complete(
        application=application, actor=actor, step_number=submit_step.number, outcome="submitted", at=at
    )


def _require_handed_in(spec: ServiceStandardSpec, application: Application) -> None:
    """A file is handed in only with every applicable requirement uploaded and the form valid."""
    missing = missing_requirements(application)
    if missing:
        raise InvalidData(
            _("Berkas belum lengkap: %(items)s.") % {"items": "; ".join(missing)},
            {"documents": "; ".join(missing)},
        )
    _clean, errors = application_data_clean(spec, application.data, renewal=application.renewal)
    if errors:
        raise InvalidData(_("Periksa kembali isian formulir."), errors)


def _checklist(spec: ServiceStandardSpec, application: Application, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Normalise a completeness checklist: one row per applicable requirement."""
    given = data.get("checklist") or {}
    if not isinstance(given, dict):
        raise DomainError(_("Daftar periksa kelengkapan tidak sah."), code="invalid_checklist")
    present = set(
        Document.objects.filter(application=application, active=True).values_list("requirement_key", flat=True)
    )
    rows = []
    for requirement in spec.requirements_for(renewal=application.renewal):
        item = given.get(requirement.key) or {}
        ok = bool(item.get("ok", requirement.key in present)) if isinstance(item, dict) else bool(item)
        reason = str(item.get("reason", "")).strip() if isinstance(item, dict) else ""
        if requirement.key not in present:
            ok, reason = False, reason or _("Berkas belum diunggah.")
        rows.append({"key": requirement.key, "label": requirement.label, "ok": ok, "reason": reason})
    return rows


def _bap(data: dict[str, Any]) -> dict[str, Any]:
    bap = data.get("bap") or {}
    if not isinstance(bap, dict):
        raise DomainError(_("BAP tidak sah."), code="invalid_bap")
    errors = {}
    try:
        date = dt.date.fromisoformat(str(bap.get("date", ""))).isoformat()
    except ValueError:
        date = ""
        errors["date"] = _("Tanggal pemeriksaan wajib diisi (TTTT-BB-HH).")
    team = bap.get("team") or []
    if isinstance(team, str):
        team = [line.strip() for line in team.splitlines() if line.strip()]
    if not team:
        errors["team"] = _("Sebutkan anggota tim teknis yang memeriksa.")
    findings = str(bap.get("findings", "")).strip()
    if not findings:
        errors["findings"] = _("Hasil pemeriksaan wajib diisi.")
    recommendation = str(bap.get("recommendation", "")).strip()
    if not recommendation:
        errors["recommendation"] = _("Rekomendasi wajib diisi.")
    if errors:
        raise InvalidData(_("Berita Acara Pemeriksaan belum lengkap."), errors)
    return {"date": date, "team": [str(t) for t in team], "findings": findings, "recommendation": recommendation}


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
        number=format_number(spec.numbering.format, seq=seq, when=today, short_code=spec.short_code),
        year=today.year,
        seq=seq,
        title=spec.permit.title,
        holder_name=application.applicant_name,
        issued_at=now,
        valid_until=_permit_valid_until(spec, application, today),
        verification_code=secrets.token_urlsafe(24),
    )


def _takes_the_number(step: SopStep, outcome: str) -> bool:
    """
    Whether completing this step allocates the permit's number (once per application).

    The approving signature does (ADR 0006): an electronic signature cannot precede the number
    it covers, so the number is taken in the signing transaction and printed in the signed PDF;
    the SOP's later ``number`` step records the number in the register without taking another.
    Where no signature comes first (a standard without a sign step, or numbering before it),
    the ``number`` step takes it.
    """
    return (step.kind == "sign" and outcome == "approve") or step.kind == "number"


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
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("office", "service").get(pk=application.pk)
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
    by_applicant = grant.role == Role.PEMOHON
    if (by_applicant and outcome not in APPLICANT_OUTCOMES) or (not by_applicant and outcome == "download"):
        raise PermissionDenied(_("Hasil ini tidak dapat dicatat oleh Anda pada langkah ini."))
    if application.claimed_by_id and application.claimed_by_id != actor.pk:
        raise Conflict(
            _("Langkah ini sedang dikerjakan oleh %(name)s.") % {"name": application.claimed_by}, code="claimed"
        )
    move = transition(spec, step, outcome)
    if outcome in NOTE_REQUIRED and not note and outcome != "incomplete":
        raise InvalidData(_("Tuliskan alasannya pada catatan."), {"note": _("Catatan wajib diisi.")})

    entry_data: dict[str, Any] = {}
    if step.kind == "submit":
        _require_handed_in(spec, application)
    if step.kind == "completeness_check" and outcome in {"complete", "incomplete"}:
        rows = _checklist(spec, application, data)
        problems = [r for r in rows if not r["ok"]]
        if outcome == "complete" and problems:
            raise InvalidData(
                _("Berkas belum lengkap; pilih “Tidak lengkap” dan tuliskan alasannya."),
                {r["key"]: r["reason"] or _("Belum memenuhi.") for r in problems},
            )
        if outcome == "incomplete":
            if not problems and not note:
                raise InvalidData(
                    _("Sebutkan persyaratan yang kurang atau salah beserta alasannya."),
                    {"checklist": _("Tandai minimal satu persyaratan yang belum memenuhi.")},
                )
            missing_reason = [r["key"] for r in problems if not r["reason"]]
            if missing_reason:
                raise InvalidData(
                    _("Tuliskan alasan untuk setiap persyaratan yang belum memenuhi."),
                    dict.fromkeys(missing_reason, _("Alasan wajib diisi.")),
                )
            application.return_reasons = [
                {"key": r["key"], "label": r["label"], "reason": r["reason"]} for r in problems
            ] + ([{"key": "", "label": _("Catatan"), "reason": note}] if note else [])
        entry_data["checklist"] = rows
    if step.kind == "inspection" and outcome == "recommend":
        application.bap = entry_data["bap"] = _bap(data)

    _close_step(application, step, grant, actor, outcome, note, entry_data, now)

    if step.kind == "submit" and application.submitted_at is None:
        application.submitted_at = now
    _apply_clock(application, spec, move.clock, now)
    application.status = move.status
    permit = None
    if _takes_the_number(step, outcome) and not Permit.objects.filter(application=application).exists():
        permit = _issue_permit(spec, application, now)
    if outcome == "revise":
        application.revision_note = note
    elif step.kind in {"draft", "initial", "sign"}:
        application.revision_note = ""
    if move.to_step is None:
        _leave(application, now)
        if outcome == "reject":
            application.rejection_reason = note
    else:
        _enter(application, move.to_step, now)
        if move.status == Status.READY and application.completed_at is None:
            application.completed_at = now
    application.save(update_fields=LIFECYCLE_FIELDS)
    _publish(application, step, outcome, move.to_step, note, permit)
    return application


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


def _publish(
    application: Application, step: SopStep, outcome: str, to_step: SopStep | None, note: str, permit: Permit | None
) -> None:
    """Raise the events of this step; in-transaction handlers get the locked, saved application too."""
    pk = application.pk
    if step.kind == "submit":
        events.publish("application.submitted", application_id=pk, application=application)
    if outcome == "incomplete":
        events.publish(
            "application.returned", application_id=pk, application=application, reasons=application.return_reasons
        )
    if outcome == "complete":
        events.publish("application.accepted", application_id=pk, application=application, due_at=application.due_at)
    if outcome == "reject":
        events.publish("application.rejected", application_id=pk, application=application, reason=note)
    if permit is not None:
        events.publish("application.permit_numbered", application_id=pk, application=application, permit_id=permit.pk)
    if step.kind == "sign" and outcome == "approve":
        events.publish("application.signed", application_id=pk, application=application)
    if outcome in {"pickup", "download"}:
        events.publish("application.collected", application_id=pk, application=application, outcome=outcome)
    if to_step is not None:
        events.publish(
            "application.step_entered", application_id=pk, step_number=to_step.number, role=application.current_role
        )
        if to_step.kind == "handover":
            permit_id = permit.pk if permit else getattr(getattr(application, "permit", None), "pk", None)
            events.publish("application.ready", application_id=pk, application=application, permit_id=permit_id)


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
    events.publish("application.withdrawn", application_id=application.pk)
    return application


__all__ = [
    "APPLICANT_OUTCOMES",
    "InvalidData",
    "application_create",
    "application_submit",
    "application_update_data",
    "application_withdraw",
    "document_attach",
    "missing_requirements",
    "spec_for",
    "status_at",
    "step_claim",
    "step_complete",
    "step_release",
]
