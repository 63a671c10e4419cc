"""Issue an Open311 api_key for a client application of an office (printed once; only its hash is kept)."""

from django.core.management.base import BaseCommand, CommandError

from satupintu.complaints.services import open311_key_issue
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_default, office_get


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client application's name")
        parser.add_argument("--office", help="office slug (default: SATUPINTU_DEFAULT_OFFICE)")

    def handle(self, *args, name, office=None, **options):
        try:
            target = office_get(office) if office else office_default()
        except NotFound as exc:
            raise CommandError(exc.message) from None
        key, _row = open311_key_issue(office=target, name=name)
        self.stdout.write(key)
