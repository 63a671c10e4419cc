"""Run the daily overdue-complaint escalation once now (what the scheduler runs at 07.45 on weekdays)."""

from django.core.management.base import BaseCommand

from satupintu.complaints.services import complaints_escalate_overdue


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"escalated: {complaints_escalate_overdue()}")
