"""
Background work: sending notices (with retries) and the periodic jobs, on Django's tasks framework.

Run the worker with ``manage.py db_worker --no-reload`` and exactly one scheduler with
``manage.py crontask --no-heartbeat`` (django-crontask enqueues each ``@cron`` task at its time;
the worker runs it). Times are in ``TIME_ZONE`` (Asia/Jakarta); weekdays are written by name.
Tasks hold no rules: they call ``services`` and ``scans``.
"""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron
from django.conf import settings
from django.tasks import task

from satupintu.notifications import scans, services

_sweep_every = int(getattr(settings, "SATUPINTU_NOTICES", {}).get("SWEEP_INTERVAL_SECONDS") or 0)
#: Every minute; a few seconds when SATUPINTU_NOTICE_SWEEP_SECONDS is set (tests, development).
SWEEP_SCHEDULE = IntervalTrigger(seconds=_sweep_every) if _sweep_every else "* * * * *"


@task
def send_notice(notice_id: int) -> str:
    """Send one notice; a retryable failure re-queues this task for after the back-off."""
    return services.notice_send(notice_id=notice_id)


@cron(SWEEP_SCHEDULE)
@task
def dispatch_due_notices() -> int:
    """The sweeper: re-queue notices left by a crashed worker or a lost task."""
    return services.notices_dispatch_due()


@cron("30 7 * * Mon-Fri")
@task
def scan_overdue_steps() -> int:
    """07.30 on weekdays (holidays skipped per office): alert holders of overdue steps and their superiors."""
    return scans.overdue_steps_alert()


@cron("0 8 * * *")
@task
def scan_uncollected_products() -> int:
    """08.00 daily: the surat pemberitahuan for products uncollected one calendar month (Jaminan pelayanan b)."""
    return scans.uncollected_products_scan()


@cron("5 8 * * *")
@task
def scan_returned_files() -> tuple[int, int]:
    """08.05 daily: remind applicants before a returned file's deadline; close files past it."""
    return scans.returned_files_scan()


@cron("15 8 * * *")
@task
def send_expiry_reminders() -> int:
    """08.15 daily: permits N days before they end (SATUPINTU_NOTICES["EXPIRY_REMINDER_DAYS"])."""
    return scans.permits_expiring_remind()


@cron("0 6 1 * *")
@task
def draft_complaint_report() -> int:
    """06.00 on the 1st of each month: the complaint report draft (filled by the complaints issue)."""
    return scans.complaint_report_draft()
