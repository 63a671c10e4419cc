"""
Scheduled complaint work (django-crontask loads every installed app's ``tasks.py``).

The monthly report draft runs from ``notifications.tasks.draft_complaint_report`` (06.00 on the
1st), which calls the drafter this app registers in ``apps.py``.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.complaints import services


@cron("45 7 * * Mon-Fri")
@task
def escalate_overdue_complaints() -> int:
    """07.45 on weekdays: complaints past their deadline and unanswered go to the weight's escalation roles."""
    return services.complaints_escalate_overdue()
