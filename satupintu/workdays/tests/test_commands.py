"""``manage.py calendar_show``: a year's non-working days with their reasons."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satupintu.workdays.models import OfficeDayOverride

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar_show", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_national_calendar_2026() -> None:
    """Every holiday and cuti bersama of 2026 is printed with its reason and the decree."""
    out, err = _run("--year", "2026")
    assert "2026-03-19  Kamis   libur  Libur nasional: Hari Suci Nyepi" in out
    assert "2026-03-18  Rabu    libur  Cuti bersama: Cuti Bersama Hari Suci Nyepi" in out
    assert "Nomor 1497 Tahun 2025" in out
    assert err == ""


def test_office_calendar_shows_closures_and_cuti_bersama_worked(make_office) -> None:
    """For an office: its closures, and cuti bersama marked as worked when the office serves on them."""
    office = make_office(cuti_bersama_is_working=True)
    OfficeDayOverride.objects.create(office=office, date=date(2026, 7, 8), kind="closed", reason="Rapat kerja")
    out, _err = _run("--year", "2026", "--office", office.slug)
    assert office.name in out
    assert "2026-07-08  Rabu    libur  Kantor tutup: Rapat kerja" in out
    assert "2026-03-18  Rabu    kerja  Cuti bersama" in out
    assert "kantor tetap buka" in out


def test_year_without_cuti_bersama_data_is_flagged() -> None:
    """A year beyond the shipped file warns the admin and names the package's dates to check."""
    _out, err = _run("--year", "2027")
    assert "belum ada data cuti bersama untuk tahun 2027" in err


def test_unknown_office_is_an_error() -> None:
    """An unknown office code stops the command with a message."""
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _run("--year", "2026", "--office", "tidak-ada")
