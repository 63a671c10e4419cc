"""
The periodic jobs: what the schedule runs each day (and month), idempotent across runs.

- ``overdue_steps_alert``: a step past its due time → an alert to the officer holding it (the
  claimer, else everyone holding the step's role) and to the holders of the superior role
  (``SATUPINTU_NOTICES["SUPERIOR_ROLES"]``), once per stay at that step.
- ``uncollected_products_scan``: seed, Jaminan pelayanan b — a product still uncollected one
  calendar month after it was finished → the *surat pemberitahuan* (a letter notice), one task
  for the front office to post it, and an entry on the control card; once per application.
- ``permits_expiring_remind``: a permit ``N`` days before ``valid_until`` → one reminder per
  threshold (``EXPIRY_REMINDER_DAYS``).
- ``complaint_report_draft``: the monthly complaint report (the complaints issue fills it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from satupintu.accounts.permissions import office_today
from satupintu.accounts.roles import Role
from satupintu.applications.models import FINAL_STATUSES, Application, Permit, PermitStatus, Status
from satupintu.applications.services import application_lapse, card_event_record, spec_for
from satupintu.notifications.models import Notice, NoticeChannel, NoticeTemplate, OfficeTask
from satupintu.notifications.selectors import role_holders
from satupintu.notifications.services import (
    application_context,
    application_notices_queue,
    notice_queue,
    notice_settings,
)
from satupintu.notifications.templates import date_id, render, template_for
from satupintu.workdays import add_working_days, is_working_day

logger = logging.getLogger(__name__)

UNCOLLECTED_KEY = "application.uncollected"
POST_LETTER = "post_notice_letter"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- overdue steps -----------------------------------------------------------------------------


def _staff_channel(user: Any) -> tuple[str, str] | None:
    if user.email:
        return NoticeChannel.EMAIL, user.email
    if user.phone:
        return NoticeChannel.SMS, user.phone
    return None


def overdue_steps_alert(*, at: dt.datetime | None = None) -> int:
    """Alert the holders of every overdue step and their superiors; return how many notices were queued."""
    now = at or timezone.now()
    superiors: dict[str, str] = notice_settings().get("SUPERIOR_ROLES", {})
    overdue = (
        Application.objects.filter(step_due_at__lt=now, current_step__isnull=False)
        .exclude(status__in=[*FINAL_STATUSES, Status.DRAFT])
        .exclude(current_role__in=["", Role.PEMOHON])
        .select_related("office", "service", "claimed_by")
        .order_by("office_id", "step_due_at")
    )
    queued = 0
    for application in overdue.iterator():
        office = application.office
        if not is_working_day(office_today(office, now), office=office):
            continue
        role = application.current_role
        holders = [application.claimed_by] if application.claimed_by else role_holders(office, role, at=now)
        superior_role = superiors.get(role)
        above = [u for u in role_holders(office, superior_role, at=now) if u not in holders] if superior_role else []
        step = spec_for(application).step(application.current_step or 1)
        base = {
            **application_context(application, at=now),
            "langkah": step.label or str(step.number),
            "peran": Role(role).label if role in Role.values else role,
            "diterima": date_id(application.step_received_at, tz=office.time_zone, with_time=True),
            "batas_waktu": date_id(application.step_due_at, tz=office.time_zone, with_time=True),
        }
        for key, users in (("staff.step_overdue", holders), ("staff.step_overdue_superior", above)):
            for user in users:
                reach = _staff_channel(user)
                if reach is None:
                    logger.warning("overdue alert: user %s has no e-mail or phone", user.pk)
                    continue
                channel, recipient = reach
                with transaction.atomic():
                    notice = notice_queue(
                        office=office,
                        channel=channel,
                        recipient=recipient,
                        recipient_name=user.display_name,
                        user=user,
                        event=key,
                        template_key=key,
                        context={**base, "petugas": user.display_name},
                        idempotency_key=f"{key}:{application.pk}:{channel}:{application.card_seq}-{user.pk}",
                        application=application,
                        at=now,
                    )
                queued += notice is not None
    return queued


# --- uncollected products (seed, Jaminan pelayanan b) ------------------------------------------


def render_notice_letter(application: Application, *, at: dt.datetime | None = None) -> str:
    """
    The text of the *surat pemberitahuan* for an uncollected product.

    Seam for the documents issue, which renders the letter as a PDF in the Tata Naskah Dinas
    layout; until then the text (from the ``application.uncollected`` letter template) is stored
    on the notice and printed by the front office.
    """
    template = template_for(office_id=application.office_id, key=UNCOLLECTED_KEY, channel=NoticeChannel.LETTER)
    if template is None:
        return ""
    return render(template.body, application_context(application, at=at))


def _uncollected_key(application_id: int) -> str:
    return f"{UNCOLLECTED_KEY}:{application_id}:{NoticeChannel.LETTER}:1"


def is_uncollected_for(application: Application, *, at: dt.datetime) -> bool:
    """
    Whether the product has waited at least the calendar months its standard sets
    (``guarantees.uncollected_notice_after``, "1 bulan" in the seeds), in office dates.
    """
    if application.status != Status.READY or application.completed_at is None:
        return False
    months = spec_for(application).guarantees.uncollected_months
    finished = office_today(application.office, application.completed_at)
    return office_today(application.office, at) >= add_months(finished, months)


@transaction.atomic
def notice_letter_create(*, application_id: int, at: dt.datetime | None = None) -> Notice | None:
    """
    Make the *surat pemberitahuan* for one uncollected product: the letter notice, the front
    office's task to post it, and the control-card entry — or nothing if it exists, the product
    was collected, or the month has not passed.

    The application row is locked, so the card entry chains to the latest hash; only
    ``card_seq``/``card_head_hash`` are written back to the application.
    """
    now = at or timezone.now()
    application = Application.objects.select_for_update().get(pk=application_id)
    if (
        not is_uncollected_for(application, at=now)
        or Notice.objects.filter(idempotency_key=_uncollected_key(application.pk)).exists()
    ):
        return None
    application = Application.objects.select_related("office", "service", "applicant").get(pk=application_id)
    template = template_for(office_id=application.office_id, key=UNCOLLECTED_KEY, channel=NoticeChannel.LETTER)
    if template is None:
        logger.warning("no notice-letter template for office %s", application.office_id)
        return None
    notice, task = _letter_with_task(
        application,
        template,
        idempotency_key=_uncollected_key(application.pk),
        task_key=f"{POST_LETTER}:{application.pk}",
        title=f"Kirim surat pemberitahuan kepada {application.applicant_name} ({application.number})",
        why="Produk layanan belum diambil satu bulan setelah selesai (Jaminan pelayanan b). Cetak surat pemberitahuan",
        at=now,
    )
    card_event_record(
        application=application,
        step_kind="notice",
        role=Role.FRONT_OFFICE,
        activity="Surat pemberitahuan: produk layanan belum diambil 1 bulan setelah selesai",
        outcome="notice_letter",
        note=f"Surat pemberitahuan ke alamat pemohon; tugas pengiriman untuk loket (#{task.pk}).",
        data={"notice_id": notice.pk, "office_task_id": task.pk},
        at=now,
    )
    return notice


def _letter_with_task(
    application: Application,
    template: NoticeTemplate,
    *,
    idempotency_key: str,
    task_key: str,
    title: str,
    why: str,
    at: dt.datetime,
) -> tuple[Notice, OfficeTask]:
    """
    A letter to the applicant's address (notice channel ``letter``, subject and text from
    ``template``) and the front office's task to post it; ``why`` opens the task's instruction.
    """
    office = application.office
    context = application_context(application, at=at)
    address = (application.applicant_address or "").strip()
    notice = Notice.objects.create(
        office=office,
        channel=NoticeChannel.LETTER,
        recipient=address or "(alamat pemohon belum tercatat)",
        recipient_name=application.applicant_name,
        user=application.applicant,
        event=template.key,
        template_key=template.key,
        subject=render(template.subject, context)[:200],
        text=render(template.body, context),
        application=application,
        max_attempts=1,
        next_attempt_at=None,
        idempotency_key=idempotency_key,
        created_at=at,
    )
    detail = f"{why} dan kirimkan ke alamat pemohon:\n{address or '(alamat belum tercatat — hubungi pemohon)'}"
    due = add_working_days(at, 1, office=office)
    task = OfficeTask.objects.create(
        office=office,
        role=Role.FRONT_OFFICE,
        kind=POST_LETTER,
        key=task_key,
        application=application,
        notice=notice,
        title=title,
        detail=detail,
        created_at=at,
        due_at=due if isinstance(due, dt.datetime) else None,
    )
    return notice, task


def uncollected_products_scan(*, at: dt.datetime | None = None) -> int:
    """Make the notice letter for every product uncollected one calendar month; return how many."""
    now = at or timezone.now()
    # 28 days is the shortest calendar month: a cheap pre-filter before the exact office-date test.
    candidates = Application.objects.filter(
        status=Status.READY, completed_at__isnull=False, completed_at__lte=now - dt.timedelta(days=28)
    ).exclude(notices__idempotency_key__startswith=f"{UNCOLLECTED_KEY}:")
    made = 0
    for application_id in candidates.values_list("pk", flat=True):
        made += notice_letter_create(application_id=application_id, at=now) is not None
    return made


# --- returned files past their deadline ------------------------------------------------------

RETURN_REMINDER_KEY = "application.return_reminder"
LAPSED_KEY = "application.lapsed"


def _return_seq(application: Application) -> str:
    """One reminder per return: the deadline identifies the return (a second return has another)."""
    assert application.return_due_at is not None
    return str(int(application.return_due_at.timestamp()))


def returned_files_scan(*, at: dt.datetime | None = None) -> tuple[int, int]:
    """
    For every returned file with a deadline: remind the applicant ``Office.return_reminder_days``
    working days before it (once per return), and close the application once it has passed
    (``services.application_lapse``; the ``Lapsed`` event sends the closing letter). Return
    (reminders queued, applications closed).
    """
    now = at or timezone.now()
    reminded = closed = 0
    due = (
        Application.objects.filter(status=Status.RETURNED, return_due_at__isnull=False)
        .select_related("office", "service", "applicant")
        .order_by("return_due_at")
    )
    for application in due.iterator():
        assert application.return_due_at is not None
        if application.return_due_at <= now:
            closed += application_lapse(application_id=application.pk, at=now) is not None
            continue
        days = application.office.return_reminder_days
        if not days:
            continue
        remind_from = add_working_days(office_today(application.office, now), days, office=application.office)
        if office_today(application.office, application.return_due_at) > remind_from:
            continue
        with transaction.atomic():
            reminded += bool(
                application_notices_queue(
                    application=application, key=RETURN_REMINDER_KEY, seq=_return_seq(application), at=now
                )
            )
    return reminded, closed


def lapsed_letter_create(application: Application, *, at: dt.datetime | None = None) -> Notice | None:
    """The closing letter to the applicant's address, and the front office's task to post it (once)."""
    now = at or timezone.now()
    key = f"{LAPSED_KEY}:{application.pk}:{NoticeChannel.LETTER}:1"
    template = template_for(office_id=application.office_id, key=LAPSED_KEY, channel=NoticeChannel.LETTER)
    if template is None or Notice.objects.filter(idempotency_key=key).exists():
        return None
    notice, _task = _letter_with_task(
        application,
        template,
        idempotency_key=key,
        task_key=f"{POST_LETTER}:{LAPSED_KEY}:{application.pk}",
        title=f"Kirim surat penutupan permohonan kepada {application.applicant_name} ({application.number})",
        why="Berkas yang dikembalikan tidak dilengkapi dalam batas waktu; permohonan ditutup. Cetak surat penutupan",
        at=now,
    )
    return notice


# --- permit expiry ------------------------------------------------------------------------------


def permits_expiring_remind(*, at: dt.datetime | None = None) -> int:
    """
    Remind holders whose permit ends within a threshold; one notice per threshold per permit.

    With thresholds 60 and 30, a permit 59 days from its end gets the 60-day reminder and, a
    month later, the 30-day one; a permit first seen 25 days from its end gets only the 30-day.
    """
    now = at or timezone.now()
    thresholds = sorted(int(n) for n in notice_settings().get("EXPIRY_REMINDER_DAYS", [60, 30]))
    if not thresholds:
        return 0
    today = timezone.localdate(now)
    permits = Permit.objects.filter(
        status=PermitStatus.VALID,
        valid_until__gt=today - dt.timedelta(days=1),
        valid_until__lte=today + dt.timedelta(days=thresholds[-1] + 1),
    ).select_related("office", "application", "application__office", "application__service", "application__applicant")
    queued = 0
    for permit in permits:
        if permit.valid_until is None:
            continue
        left = (permit.valid_until - office_today(permit.office, now)).days
        threshold = next((n for n in thresholds if 0 < left <= n), None)
        if threshold is None:
            continue
        with transaction.atomic():
            queued += len(
                application_notices_queue(
                    application=permit.application,
                    key="permit.expiring",
                    seq=f"{threshold}d-{permit.valid_until.isoformat()}",
                    extra={"sisa_hari": left, "nomor_izin": permit.number},
                    related_kind="permit",
                    related_id=str(permit.pk),
                    at=now,
                )
            )
    return queued


# --- complaints ---------------------------------------------------------------------------------


#: Drafters of the monthly complaint report, registered by the complaints app (which sits above
#: this layer, so it registers itself here rather than being imported).
COMPLAINT_REPORT_DRAFTERS: list[Any] = []


def complaint_report_drafter_register(drafter: Any) -> None:
    """Register ``drafter(at=…) -> int``, run by ``complaint_report_draft`` (idempotent)."""
    if drafter not in COMPLAINT_REPORT_DRAFTERS:
        COMPLAINT_REPORT_DRAFTERS.append(drafter)


def complaint_report_draft(*, at: dt.datetime | None = None) -> int:
    """
    Draft last month's *Laporan Pengaduan Pelayanan Publik* for each office (seed, Penanganan pengaduan).

    Runs the drafters the complaints app registered (``complaints.monthly.reports_draft_last_month``)
    and returns how many reports were drafted.
    """
    return sum(int(drafter(at=at)) for drafter in COMPLAINT_REPORT_DRAFTERS)
