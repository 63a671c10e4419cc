"""
Writes of the satisfaction survey: one respondent online or on paper, an imported file of
answers, the check of a batch by a second officer, and follow-up plans. Each is atomic;
officers' writes leave an audit row.

Answers not given online are trusted only as far as their source can be traced (issue 13,
finding "20 fabricated entries moved the public IKM to 100.00"): paper questionnaires belong
to a batch that names the day, the place and the officer who collected them; no selection may
hold more respondents than the office served in the period; and a batch (paper or imported)
counts in the IKM only after a second officer has approved it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, require, roles_in
from satupintu.accounts.roles import STAFF_ROLES
from satupintu.catalogue.models import Service
from satupintu.core.audit import audit_record
from satupintu.core.dates import date_words
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.core.models import Office
from satupintu.surveys import importing
from satupintu.surveys.ikm import ELEMENT_CODES
from satupintu.surveys.invitations import invitation_application, invitation_digest
from satupintu.surveys.models import (
    AgeBand,
    BatchStatus,
    Education,
    FollowUpPlan,
    InvitationUse,
    Occupation,
    PlanStatus,
    Questionnaire,
    ResponseChannel,
    Sex,
    SurveyBatch,
    SurveyResponse,
)
from satupintu.surveys.periods import Period, PeriodInvalid, period_of_day, period_parse
from satupintu.surveys.selectors import population_served, responses_for

PROFILE_CHOICES: dict[str, Any] = {"sex": Sex, "age_band": AgeBand, "education": Education, "occupation": Occupation}
PROFILE_LABELS = {"sex": "jenis kelamin", "age_band": "usia", "education": "pendidikan", "occupation": "pekerjaan"}


def questionnaire_current() -> Questionnaire:
    """The questionnaire in use: the active one valid most recently."""
    questionnaire = Questionnaire.objects.filter(active=True).order_by("-valid_from", "-pk").first()
    if questionnaire is None:
        raise Conflict(_("Belum ada kuesioner SKM yang aktif."), code="no_questionnaire")
    return questionnaire


def element_names(questionnaire: Questionnaire | None = None) -> dict[str, str]:
    """The name of each element by code (``U9`` → ``Penanganan pengaduan, saran dan masukan``)."""
    if questionnaire is None:
        questionnaire = Questionnaire.objects.filter(active=True).order_by("-valid_from", "-pk").first()
    if questionnaire is None:
        return {}
    return dict(questionnaire.elements.values_list("code", "name"))


def _element(code: str, names: Mapping[str, str]) -> str:
    """``U9 (Penanganan pengaduan, saran dan masukan)``: the code the form and file use, and what it asks about."""
    name = names.get(code)
    return _("%(code)s (%(name)s)") % {"code": code, "name": name} if name else code


def element_questions(questionnaire: Questionnaire | None = None) -> dict[str, str]:
    """The question of each element by code, as the respondent reads it on the form."""
    if questionnaire is None:
        questionnaire = Questionnaire.objects.filter(active=True).order_by("-valid_from", "-pk").first()
    if questionnaire is None:
        return {}
    return dict(questionnaire.elements.values_list("code", "question"))


def answers_clean(
    answers: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    questions: Mapping[str, str] | None = None,
) -> tuple[dict[str, int], dict[str, str]]:
    """
    The nine answers as integers 1–4 keyed ``U1``…``U9``, and an error per element that is not.

    On a form (``questions``: code → question text) each error quotes the question the person
    read, never the code (issue 14: "U9 belum dijawab."); for a file the error names the column's
    code and the element (``names``: code → element name, default the questionnaire in use).
    """
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    names = element_names() if names is None else names
    questions = questions or {}
    lowered = {str(k).upper(): v for k, v in answers.items()}
    for code in ELEMENT_CODES:
        value = lowered.get(code)
        text = str(value).strip() if value is not None else ""
        if text.endswith(".0"):
            text = text[:-2]
        if text == "":
            if code in questions:
                errors[code] = _("Pertanyaan “%(question)s” belum dijawab.") % {"question": questions[code]}
            else:
                errors[code] = _("Pertanyaan %(element)s belum dijawab.") % {"element": _element(code, names)}
        elif text not in {"1", "2", "3", "4"}:
            element = f"“{questions[code]}”" if code in questions else _element(code, names)
            errors[code] = _("Jawaban %(element)s harus 1, 2, 3 atau 4 (tertulis “%(value)s”).") % {
                "element": element,
                "value": text,
            }
        else:
            clean[code] = int(text)
    return clean, errors


def profile_clean(profile: Mapping[str, Any] | None) -> tuple[dict[str, str], dict[str, str]]:
    """The respondent profile (all optional) checked against its choices, by value or by label."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, choices in PROFILE_CHOICES.items():
        text = str((profile or {}).get(key) or "").strip()
        if not text:
            clean[key] = ""
            continue
        by_label = {str(label).lower(): value for value, label in choices.choices}
        value = text if text in choices.values else by_label.get(text.lower())
        if value is None:
            errors[key] = _("Isian %(field)s “%(value)s” tidak dikenal.") % {
                "field": PROFILE_LABELS[key],
                "value": text,
            }
        else:
            clean[key] = value
    return clean, errors


def _office_day(office: Office, at: dt.datetime) -> dt.date:
    return timezone.localtime(at, ZoneInfo(office.time_zone)).date()


def _response(
    *,
    office: Office,
    questionnaire: Questionnaire,
    answers: dict[str, int],
    profile: dict[str, str],
    service: Service | None,
    channel: str,
    period: Period,
    created_on: dt.date,
    actor: Any = None,
    batch: SurveyBatch | None = None,
    suggestion: str = "",
) -> SurveyResponse:
    return SurveyResponse(
        office=office,
        questionnaire=questionnaire,
        service=service,
        batch=batch,
        channel=channel,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        **{code.lower(): answers[code] for code in ELEMENT_CODES},
        **profile,
        suggestion=suggestion.strip()[:2000],
        entered_by=actor if getattr(actor, "pk", None) else None,
        created_on=created_on,
    )


def _checked(answers: Mapping[str, Any], profile: Mapping[str, Any] | None) -> tuple[dict[str, int], dict[str, str]]:
    clean_answers, errors = answers_clean(answers, questions=element_questions())
    clean_profile, profile_errors = profile_clean(profile)
    errors.update(profile_errors)
    if errors:
        raise InvalidData(_("Periksa kembali isian kuesioner."), errors)
    return clean_answers, clean_profile


@transaction.atomic
def response_submit_online(
    *,
    token: str,
    answers: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    suggestion: str = "",
    at: dt.datetime | None = None,
    actor: Any = None,
) -> SurveyResponse:
    """
    Record one respondent's answers given through an invitation link.

    The token names a collected application (NotFound otherwise); its service and office are the
    response's. An invitation answers once: a second answer raises Conflict (409,
    ``already_answered``). ``actor`` is whoever is signed in (if anyone): the office's own staff
    may not answer as the public (PermissionDenied). Nothing identifying the respondent or the
    application is stored with the answer.
    """
    now = at or timezone.now()
    application = invitation_application(token)
    if roles_in(actor, application.office, at=at) & STAFF_ROLES:
        raise PermissionDenied(
            _("Petugas kantor ini tidak dapat mengisi survei kepuasan sebagai masyarakat."), code="staff_respondent"
        )
    clean_answers, clean_profile = _checked(answers, profile)
    office = application.office
    day = _office_day(office, now)
    try:
        with transaction.atomic():
            InvitationUse.objects.create(office=office, digest=invitation_digest(application.pk), used_on=day)
    except IntegrityError:
        raise Conflict(
            _("Survei untuk permohonan ini sudah diisi. Terima kasih atas partisipasi Anda."), code="already_answered"
        ) from None
    response = _response(
        office=office,
        questionnaire=questionnaire_current(),
        answers=clean_answers,
        profile=clean_profile,
        service=application.service,
        channel=ResponseChannel.ONLINE,
        period=period_of_day(day),
        created_on=day,
        suggestion=suggestion,
    )
    response.save()
    return response


def _service_of(office: Office, text: str) -> Service | None:
    text = text.strip()
    if not text:
        return None
    return (
        Service.objects.filter(office=office, code=text).first()
        or Service.objects.filter(office=office, name__iexact=text).first()
    )


def _room(*, office: Office, period: Period, service: Service | None) -> int:
    """How many more respondents the period (and service) can hold: those served less those counted or waiting."""
    served = population_served(office=office, period=period, service=service)
    taken = (
        responses_for(office=office, period=period, service=service, counted_only=False)
        .exclude(batch__status=BatchStatus.REJECTED)
        .count()
    )
    return served - taken


def _check_room(*, office: Office, period: Period, service: Service | None, adding: int) -> None:
    room = _room(office=office, period=period, service=service)
    if adding > room:
        served = population_served(office=office, period=period, service=service)
        raise InvalidData(
            _(
                "Jumlah responden melebihi pengguna layanan periode %(period)s: %(served)s orang dilayani, "
                "tersisa %(room)s kuesioner, akan ditambah %(n)s."
            )
            % {"period": period.label, "served": served, "room": max(room, 0), "n": adding},
            {"count": _("Responden tidak boleh lebih banyak dari pengguna layanan yang dilayani.")},
        )


def _staff_of(office: Office, user: Any, at: dt.datetime | None) -> bool:
    return can(user, Action.VIEW_STAFF_PAGES, office, at=at)


@transaction.atomic
def survey_batch_open(
    *,
    office: Office,
    actor: Any,
    collected_on: dt.date | None,
    place: str,
    collected_by: Any = None,
    period: str = "",
    service: Service | None = None,
    at: dt.datetime | None = None,
) -> SurveyBatch:
    """
    Open a batch of paper questionnaires: the day and place they were collected, the officer who
    collected them (default: the actor) and the period they are for (default: the month they were
    collected in). Its answers are entered one by one and count once another officer approves it.
    """
    require(actor, Action.MANAGE_SURVEYS, office, at=at)
    now = at or timezone.now()
    today = _office_day(office, now)
    collector = collected_by or actor
    errors: dict[str, str] = {}
    if collected_on is None:
        errors["collected_on"] = _("Isi tanggal kuesioner dikumpulkan.")
    elif collected_on > today:
        errors["collected_on"] = _("Tanggal pengumpulan tidak boleh di masa depan.")
    if not place.strip():
        errors["place"] = _("Isi tempat kuesioner dikumpulkan (mis. kotak survei loket).")
    if not _staff_of(office, collector, at):
        errors["collected_by"] = _("Pengumpul harus petugas kantor ini.")
    the_period: Period | None = None
    try:
        if period.strip():
            the_period = period_parse(period)
        elif collected_on is not None:
            the_period = period_parse(f"{collected_on.year}-{collected_on.month:02d}")
    except PeriodInvalid as exc:
        errors["period"] = str(exc)
    if service is not None and service.office_id != office.pk:
        errors["service"] = _("Layanan tidak dikenal.")
    if errors or the_period is None:
        raise InvalidData(_("Periksa kembali data kelompok kuesioner."), errors)
    batch = SurveyBatch.objects.create(
        office=office,
        kind=ResponseChannel.PAPER,
        collected_on=collected_on,
        place=place.strip()[:200],
        collected_by=collector,
        period=the_period.label,
        service=service,
        count=0,
        created_by=actor,
        created_at=now,
    )
    audit_record(
        action="survey.batch_opened",
        office=office,
        actor=actor,
        target=f"kelompok {batch.pk}",
        place=batch.place,
        collected_on=collected_on.isoformat() if collected_on else "",
        collected_by=getattr(collector, "username", ""),
        period=batch.period,
    )
    return batch


@transaction.atomic
def response_enter_paper(
    *,
    office: Office,
    actor: Any,
    answers: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    service: Service | None = None,
    period: str = "",
    suggestion: str = "",
    at: dt.datetime | None = None,
    batch: SurveyBatch | None = None,
) -> SurveyResponse:
    """
    Record one paper questionnaire of a batch, typed in by an officer of the office.

    The period and service are the batch's (``period`` and ``service`` are checked against
    them when given). Refused when the batch is already decided (Conflict) or when the period
    would then hold more respondents than the office served in it (InvalidData). The audit row
    names the officer, not the answers.
    """
    require(actor, Action.MANAGE_SURVEYS, office, at=at)
    if batch is None:
        raise InvalidData(
            _("Kuesioner kertas dimasukkan ke kelompoknya (tanggal, tempat, pengumpul)."),
            {"batch": _("Pilih atau buat kelompok kuesioner.")},
        )
    now = at or timezone.now()
    day = _office_day(office, now)
    locked = SurveyBatch.objects.select_for_update().filter(pk=batch.pk, office=office).first()
    if locked is None or locked.kind != ResponseChannel.PAPER:
        raise InvalidData(_("Kelompok kuesioner tidak dikenal."), {"batch": _("Kelompok kuesioner tidak dikenal.")})
    if locked.status != BatchStatus.PENDING:
        raise Conflict(_("Kelompok ini sudah diperiksa; buat kelompok baru."), code="batch_decided")
    clean_answers, clean_profile = _checked(answers, profile)
    the_period = period_parse(locked.period)
    if period.strip() and period.strip().upper() != locked.period.upper():
        raise InvalidData(
            _("Periode kuesioner harus periode kelompoknya (%(period)s).") % {"period": locked.period},
            {"period": _("Periode berbeda dengan kelompok.")},
        )
    service = locked.service if locked.service_id else service
    if service is not None and service.office_id != office.pk:
        raise InvalidData(_("Layanan bukan milik kantor ini."), {"service": _("Layanan tidak dikenal.")})
    _check_room(office=office, period=the_period, service=service, adding=1)
    response = _response(
        office=office,
        questionnaire=questionnaire_current(),
        answers=clean_answers,
        profile=clean_profile,
        service=service,
        channel=ResponseChannel.PAPER,
        period=the_period,
        created_on=day,
        actor=actor,
        batch=locked,
        suggestion=suggestion,
    )
    response.save()
    SurveyBatch.objects.filter(pk=locked.pk).update(count=locked.count + 1)
    batch.count = locked.count + 1
    audit_record(
        action="survey.paper_entered", office=office, actor=actor, target=f"kelompok {locked.pk}", period=locked.period
    )
    return response


@transaction.atomic
def responses_import(
    *,
    office: Office,
    actor: Any,
    stream: IO[bytes],
    filename: str,
    at: dt.datetime | None = None,
    collected_on: dt.date | None = None,
    place: str = "",
    collected_by: Any = None,
) -> SurveyBatch:
    """
    Import a CSV or XLSX of answers, one row per respondent, as one batch waiting for approval.

    Every row is checked (nine answers of 1–4, a period, a known service when named, a known
    profile value when given), and no period may then hold more respondents than the office
    served in it; if anything is wrong nothing is imported and InvalidData lists the problems
    per row (``"baris 3": "…"``).
    """
    require(actor, Action.MANAGE_SURVEYS, office, at=at)
    now = at or timezone.now()
    rows = importing.rows_read(stream, filename)
    questionnaire = questionnaire_current()
    services: dict[str, Service | None] = {}
    periods: dict[str, Period] = {}
    problems: dict[str, str] = {}
    built: list[SurveyResponse] = []
    day = _office_day(office, now)
    names = element_names(questionnaire)
    for line, row in rows:
        answers, errors = answers_clean(row, names=names)
        profile, profile_errors = profile_clean(row)
        messages = list(errors.values()) + list(profile_errors.values())
        period_text = row.get("period", "")
        if period_text not in periods:
            try:
                periods[period_text] = period_parse(period_text)
            except PeriodInvalid as exc:
                messages.append(str(exc))
        service_text = row.get("service", "")
        if service_text not in services:
            services[service_text] = _service_of(office, service_text)
        if service_text and services[service_text] is None:
            messages.append(_("Layanan “%(service)s” tidak dikenal di kantor ini.") % {"service": service_text})
        if messages:
            problems[_("baris %(line)s") % {"line": line}] = " ".join(messages)
            continue
        built.append(
            _response(
                office=office,
                questionnaire=questionnaire,
                answers=answers,
                profile=profile,
                service=services[service_text],
                channel=ResponseChannel.IMPORT,
                period=periods[period_text],
                created_on=day,
                actor=actor,
                suggestion=row.get("suggestion", ""),
            )
        )
    if problems:
        raise InvalidData(
            _("Tidak ada yang diimpor: %(n)s baris bermasalah. Perbaiki lalu unggah ulang.") % {"n": len(problems)},
            problems,
        )
    groups: dict[tuple[Period, int | None], int] = {}
    for response in built:
        key = (period_parse(response.period), response.service_id)
        groups[key] = groups.get(key, 0) + 1
    by_pk = {s.pk: s for s in services.values() if s is not None}
    for (period, service_id), n in sorted(groups.items(), key=lambda item: (item[0][0].start, item[0][1] or 0)):
        _check_room(office=office, period=period, service=by_pk.get(service_id) if service_id else None, adding=n)
    batch = SurveyBatch.objects.create(
        office=office,
        kind=ResponseChannel.IMPORT,
        filename=filename[:200],
        collected_on=collected_on,
        place=place.strip()[:200],
        collected_by=collected_by or actor,
        count=len(built),
        created_by=actor,
        created_at=now,
    )
    for response in built:
        response.batch = batch
    SurveyResponse.objects.bulk_create(built, batch_size=1000)
    audit_record(
        action="survey.imported",
        office=office,
        actor=actor,
        target=f"batch {batch.pk}",
        count=len(built),
        file=filename,
    )
    return batch


@transaction.atomic
def survey_batch_decide(
    *, batch: SurveyBatch, actor: Any, approve: bool, note: str = "", at: dt.datetime | None = None
) -> SurveyBatch:
    """
    Approve a batch (its answers then count in the IKM) or reject it (they never do, with the
    reason). Only a second officer may decide: not the one who collected the questionnaires and
    not the one who entered or imported them (PermissionDenied). A decided batch stays decided
    (Conflict).
    """
    now = at or timezone.now()
    locked = SurveyBatch.objects.select_for_update().select_related("office").get(pk=batch.pk)
    require(actor, Action.APPROVE_SURVEY_BATCH, locked.office, at=at)
    if getattr(actor, "pk", None) in {locked.created_by_id, locked.collected_by_id}:
        raise PermissionDenied(
            _("Kelompok ini harus diperiksa petugas lain, bukan yang mengumpulkan atau memasukkannya."),
            code="same_officer",
        )
    if locked.status != BatchStatus.PENDING:
        raise Conflict(_("Kelompok ini sudah diperiksa."), code="batch_decided")
    if approve and locked.count == 0:
        raise InvalidData(_("Kelompok ini belum berisi kuesioner."), {"batch": _("Kelompok kosong.")})
    if not approve and not note.strip():
        raise InvalidData(_("Tuliskan alasan penolakan."), {"note": _("Tuliskan alasan penolakan.")})
    locked.status = BatchStatus.APPROVED if approve else BatchStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        action="survey.batch_approved" if approve else "survey.batch_rejected",
        office=locked.office,
        actor=actor,
        target=f"kelompok {locked.pk}",
        count=locked.count,
        note=locked.decision_note,
    )
    return locked


# Follow-up plans -----------------------------------------------------------------------------------


def _plan_errors(
    *, element_code: str, action: str, owner: str, due_on: dt.date | None, period: Period | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if due_on is not None and period is not None and due_on <= period.end:
        errors["due_on"] = _(
            "Target waktu harus sesudah periode survei %(period)s berakhir (%(end)s): tindak lanjut "
            "dikerjakan setelah hasil survei diketahui."
        ) % {"period": period.label, "end": date_words(period.end)}
    if element_code not in ELEMENT_CODES:
        errors["element_code"] = _("Pilih unsur U1 sampai U9.")
    if not action.strip():
        errors["action"] = _("Tuliskan rencana tindak lanjut.")
    if not owner.strip():
        errors["owner"] = _("Sebutkan penanggung jawab.")
    if due_on is None:
        errors["due_on"] = _("Tentukan target waktu.")
    return errors


@transaction.atomic
def followup_plan_create(
    *,
    office: Office,
    actor: Any,
    period: str,
    element_code: str,
    action: str,
    owner: str,
    due_on: dt.date | None,
    service: Service | None = None,
    published: bool = False,
    at: dt.datetime | None = None,
) -> FollowUpPlan:
    """
    Plan the follow-up of an element graded below *Baik* (seed, Evaluasi kinerja pelaksana a.4).

    The target date falls after the survey period (InvalidData otherwise); ``published`` shows the
    plan on the public results page.
    """
    require(actor, Action.VIEW_PERFORMANCE, office, at=at)
    now = at or timezone.now()
    the_period: Period | None = None
    try:
        the_period = period_parse(period)
    except PeriodInvalid as exc:
        errors_period = {"period": str(exc)}
    else:
        errors_period = {}
    errors = _plan_errors(element_code=element_code, action=action, owner=owner, due_on=due_on, period=the_period)
    errors.update(errors_period)
    if errors:
        raise InvalidData(_("Periksa kembali rencana tindak lanjut."), errors)
    assert due_on is not None and the_period is not None
    plan = FollowUpPlan.objects.create(
        office=office,
        period=the_period.label,
        service=service,
        element_code=element_code,
        action=action.strip(),
        owner=owner.strip()[:200],
        due_on=due_on,
        published=published,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    audit_record(
        action="survey.plan_created",
        office=office,
        actor=actor,
        target=f"rencana {plan.pk}",
        period=plan.period,
        element=element_code,
        due_on=due_on.isoformat(),
        published=published,
    )
    return plan


def _period_or_none(text: str) -> Period | None:
    try:
        return period_parse(text)
    except PeriodInvalid:
        return None


#: Allowed status moves of a follow-up plan; a finished plan stays finished.
PLAN_MOVES: dict[str, frozenset[str]] = {
    PlanStatus.PLANNED: frozenset({PlanStatus.PLANNED, PlanStatus.IN_PROGRESS, PlanStatus.DONE}),
    PlanStatus.IN_PROGRESS: frozenset({PlanStatus.IN_PROGRESS, PlanStatus.DONE}),
    PlanStatus.DONE: frozenset({PlanStatus.DONE}),
}


@transaction.atomic
def followup_plan_update(
    *,
    plan: FollowUpPlan,
    actor: Any,
    action: str | None = None,
    owner: str | None = None,
    due_on: dt.date | None = None,
    status: str | None = None,
    done_note: str = "",
    published: bool | None = None,
    at: dt.datetime | None = None,
) -> FollowUpPlan:
    """
    Change a plan's action, owner, due date (after the survey period), publication or status.
    Marking it done needs a note on what was done; a done plan cannot change any more (Conflict).
    The audit row records what changed.
    """
    now = at or timezone.now()
    plan = FollowUpPlan.objects.select_for_update().select_related("office").get(pk=plan.pk)
    require(actor, Action.VIEW_PERFORMANCE, plan.office, at=at)
    if plan.status == PlanStatus.DONE:
        raise Conflict(_("Rencana tindak lanjut ini sudah selesai dan tidak dapat diubah."), code="plan_done")
    changes: dict[str, Any] = {}
    new_status = status or plan.status
    if new_status not in PLAN_MOVES.get(plan.status, frozenset()):
        raise InvalidData(_("Status tidak dikenal."), {"status": _("Pilih status yang tersedia.")})
    errors = _plan_errors(
        element_code=plan.element_code,
        action=plan.action if action is None else action,
        owner=plan.owner if owner is None else owner,
        due_on=due_on or plan.due_on,
        period=_period_or_none(plan.period) if due_on is not None else None,
    )
    if new_status == PlanStatus.DONE and not done_note.strip():
        errors["done_note"] = _("Tuliskan apa yang sudah dilakukan.")
    if errors:
        raise InvalidData(_("Periksa kembali rencana tindak lanjut."), errors)
    for field, value in (("action", action), ("owner", owner), ("due_on", due_on)):
        if value is not None and value != getattr(plan, field):
            changes[field] = str(value)
            setattr(plan, field, value.strip() if isinstance(value, str) else value)
    if published is not None and published != plan.published:
        changes["published"] = published
        plan.published = published
    if new_status != plan.status:
        changes["status"] = f"{plan.status} → {new_status}"
        plan.status = new_status
        if new_status == PlanStatus.DONE:
            plan.done_note = done_note.strip()
            plan.done_on = _office_day(plan.office, now)
    plan.updated_at = now
    plan.save()
    audit_record(action="survey.plan_updated", office=plan.office, actor=actor, target=f"rencana {plan.pk}", **changes)
    return plan
