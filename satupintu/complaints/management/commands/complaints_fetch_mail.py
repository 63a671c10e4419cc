"""
Turn the unread e-mail of the complaint mailbox into complaints (seed a.2).

The mailbox is ``SATUPINTU_COMPLAINTS["MAILBOX"]``: ``{"MAILDIR": path}`` or
``{"IMAP_HOST": …, "IMAP_PORT": 993, "IMAP_USER": …, "IMAP_PASSWORD": …, "IMAP_FOLDER": "INBOX",
"IMAP_SSL": True}``; ``--maildir`` overrides it. Run it from cron or by hand; it is idempotent.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satupintu.complaints.mail import mailbox_fetch
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_default, office_get


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--office", help="office slug (default: SATUPINTU_DEFAULT_OFFICE)")
        parser.add_argument("--maildir", help="read this Maildir instead of the configured mailbox")

    def handle(self, *args, office=None, maildir=None, **options):
        try:
            target = office_get(office) if office else office_default()
        except NotFound as exc:
            raise CommandError(exc.message) from None
        config = dict(getattr(settings, "SATUPINTU_COMPLAINTS", {}).get("MAILBOX") or {})
        if maildir:
            config = {"MAILDIR": maildir}
        result = mailbox_fetch(office=target, config=config)
        if result is None:
            raise CommandError('No mailbox: set SATUPINTU_COMPLAINTS["MAILBOX"] or pass --maildir.')
        self.stdout.write(
            f"imported {len(result.imported)} ({', '.join(result.imported) or '-'}); "
            f"already imported {result.skipped}; failed {len(result.failed)}"
        )
        for problem in result.failed:
            self.stderr.write(f"  {problem}")
