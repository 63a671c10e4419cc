"""
Grant a role in an office, end a membership, or appoint a Plh from the command line (the
``command`` door). Each goes through ``accounts.services``, which writes the audit row.

    manage.py role_grant grant --office SLUG --user NAME --role ROLE [--from DATE] [--to DATE] --by NAME
    manage.py role_grant end --membership ID --last-day DATE --by NAME
    manage.py role_grant plh --office SLUG --role ROLE --acting NAME --official NAME --from DATE --to DATE
        [--decree NUMBER] [--reason TEXT] --by NAME
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.services import acting_appoint, membership_end, membership_grant
from satupintu.core.errors import DomainError
from satupintu.core.models import Office


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{name}: tulis tanggal sebagai YYYY-MM-DD, bukan {value!r}.") from None


def _user(username: str, name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--{name}: pengguna {username!r} tidak ada.")
    return user


class Command(BaseCommand):
    help = "Beri peran, akhiri keanggotaan, atau tunjuk Plh (tercatat di log audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        grant = sub.add_parser("grant", help="beri peran di kantor")
        grant.add_argument("--office", required=True)
        grant.add_argument("--user", required=True)
        grant.add_argument("--role", required=True)
        grant.add_argument("--from", dest="valid_from")
        grant.add_argument("--to", dest="valid_to")
        end = sub.add_parser("end", help="akhiri keanggotaan peran")
        end.add_argument("--membership", type=int, required=True)
        end.add_argument("--last-day", dest="last_day", required=True)
        plh = sub.add_parser("plh", help="tunjuk Plh")
        plh.add_argument("--office", required=True)
        plh.add_argument("--role", required=True)
        plh.add_argument("--acting", required=True)
        plh.add_argument("--official", required=True)
        plh.add_argument("--from", dest="valid_from", required=True)
        plh.add_argument("--to", dest="valid_to", required=True)
        plh.add_argument("--decree", default="")
        plh.add_argument("--reason", default="")
        for p in (grant, end, plh):
            p.add_argument("--by", required=True, help="nama pengguna yang memberi perintah (untuk log audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _user(options["by"], "by")
        try:
            if options["what"] == "grant":
                office = self._office(options["office"])
                membership = membership_grant(
                    office=office,
                    user=_user(options["user"], "user"),
                    role=options["role"],
                    valid_from=_date(options["valid_from"], "from") or timezone.localdate(),
                    valid_to=_date(options["valid_to"], "to"),
                    granted_by=actor,
                    door="command",
                )
                self.stdout.write(f"membership {membership.pk}: {membership}")
            elif options["what"] == "end":
                row = RoleMembership.objects.filter(pk=options["membership"]).first()
                if row is None:
                    raise CommandError(f"--membership: keanggotaan {options['membership']} tidak ada.")
                last_day = _date(options["last_day"], "last-day")
                assert last_day is not None
                membership_end(membership=row, last_day=last_day, ended_by=actor, door="command")
                self.stdout.write(f"membership {row.pk} berakhir {last_day.isoformat()}")
            else:
                valid_from, valid_to = _date(options["valid_from"], "from"), _date(options["valid_to"], "to")
                assert valid_from is not None and valid_to is not None
                appointment = acting_appoint(
                    office=self._office(options["office"]),
                    role=options["role"],
                    acting_user=_user(options["acting"], "acting"),
                    official=_user(options["official"], "official"),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    decree_number=options["decree"],
                    reason=options["reason"],
                    appointed_by=actor,
                    door="command",
                )
                self.stdout.write(f"plh {appointment.pk}: {appointment}")
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _office(self, slug: str) -> Office:
        office = Office.objects.filter(slug=slug).first()
        if office is None:
            raise CommandError(f"--office: kantor {slug!r} tidak ada.")
        return office
