"""Run the notice sweeper once: re-queue notices a crashed worker or a lost task left behind."""

from django.core.management.base import BaseCommand

from satupintu.notifications.services import notice_send, notices_dispatch_due


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-now",
            type=int,
            metavar="ID",
            help="Send this one pending notice in this process instead (no worker needed).",
        )

    def handle(self, *args, send_now=None, **options):
        if send_now:
            self.stdout.write(f"notice {send_now}: {notice_send(notice_id=send_now)}")
            return
        self.stdout.write(f"{notices_dispatch_due()} notice(s) queued for the worker.")
