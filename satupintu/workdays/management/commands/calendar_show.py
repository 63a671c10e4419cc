"""Print a year's non-working days with their reasons, for an admin to check the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.models import Office
from satupintu.workdays.calendar import CalendarEntry, calendar_entries, is_working_day
from satupintu.workdays.sources import package_cuti_bersama

_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class Command(BaseCommand):
    help = "Tampilkan hari libur, cuti bersama dan pengecualian kantor pada satu tahun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Tahun (bawaan: tahun ini).")
        parser.add_argument("--office", default=None, help="Kode (slug) kantor; tanpa ini: kalender nasional.")

    def handle(self, *args: Any, year: int | None, office: str | None, **options: Any) -> None:
        year = year or timezone.localdate().year
        the_office = None
        if office:
            the_office = Office.objects.filter(slug=office).first()
            if the_office is None:
                raise CommandError(_("Kantor dengan kode %(slug)s tidak ditemukan.") % {"slug": office})
        title = the_office.name if the_office else _("kalender nasional, jam layanan bawaan")
        self.stdout.write(_("Kalender kerja %(year)s — %(title)s") % {"year": year, "title": title})

        entries = calendar_entries(year, office=the_office)
        references: list[str] = []
        for entry in entries:
            if entry.reference and entry.reference not in references:
                references.append(entry.reference)
            self.stdout.write(self._line(entry, references))

        if not any(e.kind == "cuti_bersama" for e in entries):
            self._warn_missing_cuti_bersama(year)

        days = [date(year, 1, 1) + timedelta(days=n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
        working = sum(1 for day in days if is_working_day(day, office=the_office))
        off_weekdays = sum(1 for e in entries if not e.working and e.date.weekday() < 5)
        self.stdout.write(
            _("Hari kerja: %(working)d; hari Senin–Jumat yang tidak bekerja: %(off)d.")
            % {"working": working, "off": off_weekdays}
        )
        if references:
            self.stdout.write(_("Dasar hukum:"))
            for number, reference in enumerate(references, start=1):
                self.stdout.write(f"  [{number}] {reference}")

    def _line(self, entry: CalendarEntry, references: list[str]) -> str:
        labels = {
            "holiday": _("Libur nasional"),
            "cuti_bersama": _("Cuti bersama"),
            "not_holiday": _("Dibatalkan (bukan hari libur)"),
            "office_closed": _("Kantor tutup"),
            "office_open": _("Hari kerja tambahan"),
        }
        notes = []
        if entry.date.weekday() >= 5 and entry.kind in ("holiday", "cuti_bersama"):
            notes.append(_("akhir pekan"))
        if entry.kind == "cuti_bersama" and entry.working:
            notes.append(_("kantor tetap buka"))
        if entry.reference:
            notes.append(f"[{references.index(entry.reference) + 1}]")
        notes.append(entry.source)
        status = _("kerja") if entry.working else _("libur")
        return (
            f"{entry.date:%Y-%m-%d}  {_DAY_NAMES[entry.date.weekday()]:<6}  {status:<5}  "
            f"{labels[entry.kind]}: {entry.name} ({'; '.join(notes)})"
        )

    def _warn_missing_cuti_bersama(self, year: int) -> None:
        listed = package_cuti_bersama(year)
        message = _("Peringatan: belum ada data cuti bersama untuk tahun %(year)s.") % {"year": year}
        if listed:
            message += " " + _(
                "Paket holidays mencantumkan %(count)d hari: %(days)s. Periksa keputusan bersama (SKB) tahun itu "
                "lalu tambahkan lewat admin (Koreksi kalender nasional, jenis cuti bersama)."
            ) % {"count": len(listed), "days": ", ".join(f"{d:%Y-%m-%d}" for d, _name in listed)}
        self.stderr.write(self.style.WARNING(message))
