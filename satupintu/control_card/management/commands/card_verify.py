"""
Verify every control card of an office against its keyed chain and the office's daily anchors.

Print the first broken entry of each broken card and every problem with the anchors; exit with
status 1 when anything is broken. ``--anchor`` first writes today's anchor (what the schedule
does each night).
"""

from django.core.management.base import BaseCommand, CommandError

from satupintu.control_card.selectors import office_cards_verify
from satupintu.control_card.services import card_anchor_make
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_get


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, metavar="SLUG")
        parser.add_argument("--anchor", action="store_true", help="write an anchor of the current heads first")

    def handle(self, *args, office, anchor, **options):
        try:
            the_office = office_get(office)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if anchor:
            made = card_anchor_make(office=the_office)
            self.stdout.write(f"anchor: {made.seq} ({made.heads} cards)" if made else "anchor: no card changed")
        report = office_cards_verify(the_office)
        for card in report.broken:
            self.stdout.write(f"BROKEN {card.number}: entry {card.broken_at}: {card.reason}")
        for problem in report.anchor_problems:
            self.stdout.write(f"ANCHOR {problem}")
        self.stdout.write(
            f"{the_office.slug}: {report.cards} cards, {report.entries} entries "
            f"({report.unkeyed} unkeyed), {report.anchors} anchors covering {report.anchored_cards} cards; "
            f"{len(report.broken)} broken cards, {len(report.anchor_problems)} anchor problems"
        )
        if not report.ok:
            raise SystemExit(1)
