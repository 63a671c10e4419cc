"""Run a periodic notice job once now (what the scheduler runs each day), in this process."""

from django.core.management.base import BaseCommand, CommandError

from satupintu.notifications import scans

JOBS = {
    "overdue": scans.overdue_steps_alert,
    "uncollected": scans.uncollected_products_scan,
    "returns": scans.returned_files_scan,
    "expiry": scans.permits_expiring_remind,
    "complaints": scans.complaint_report_draft,
}


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", metavar="JOB", help=f"{', '.join(JOBS)} (default: all)")

    def handle(self, *args, jobs, **options):
        unknown = set(jobs) - set(JOBS) - {"all"}
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(sorted(unknown))}; choose from {', '.join(JOBS)}")
        for name in JOBS if not jobs or "all" in jobs else jobs:
            self.stdout.write(f"{name}: {JOBS[name]()}")
