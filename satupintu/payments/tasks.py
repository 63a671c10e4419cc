"""The payment step's schedule: every day, remind unpaid bills past due and close those past the reminder."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from satupintu.payments.services import bills_overdue_scan


@cron("10 8 * * *")
@task
def scan_unpaid_bills() -> tuple[int, int]:
    """08.10 daily: the surat teguran for SKRD past due; close applications past the reminder's date."""
    return bills_overdue_scan()
