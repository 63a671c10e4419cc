"""
Scheduled complaint work (django-crontask loads every installed app's ``tasks.py``).

The monthly report draft runs from ``notifications.tasks.draft_complaint_report`` (06.00 on the
1st), which calls the drafter this app registers in ``apps.py``.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.complaints import services
from satupintu.complaints.mail import mailbox_fetch
from satupintu.core.selectors import office_default


@cron("45 7 * * Mon-Fri")
@task
def escalate_overdue_complaints() -> int:
    """07.45 on weekdays: complaints past their deadline and unanswered go to the weight's escalation roles."""
    return services.complaints_escalate_overdue()


@cron("*/5 * * * *")
@task
def fetch_complaint_mail() -> int:
    """Every 5 minutes: the complaint mailbox's new messages become complaints (seed a.2); no-op without one."""
    result = mailbox_fetch(office=office_default())
    return len(result.imported) if result else 0
