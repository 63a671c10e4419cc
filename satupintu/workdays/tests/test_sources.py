"""The shipped calendar sources agree with the decrees and with the ``holidays`` package."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from satupintu.workdays.sources import national_holidays, package_cuti_bersama, shipped_cuti_bersama

# DOMAIN.md "Working days": the decrees' lists.
HOLIDAYS = {
    2025: "01-01 01-27 01-29 03-29 03-31 04-01 04-18 04-20 05-01 05-12 05-29 06-01 06-06 06-27 08-17 09-05 12-25",
    2026: "01-01 01-16 02-17 03-19 03-21 03-22 04-03 04-05 05-01 05-14 05-27 05-31 06-01 06-16 08-17 08-25 12-25",
}
CUTI_BERSAMA = {
    2024: "02-09 03-12 04-08 04-09 04-12 04-15 05-10 05-24 06-18 12-26",
    2025: "01-28 03-28 04-02 04-03 04-04 04-07 05-13 05-30 06-09 08-18 12-26",
    2026: "02-16 03-18 03-20 03-23 03-24 05-15 05-28 12-24",
}


def _dates(year: int, text: str) -> set[date]:
    return {date(year, int(md[:2]), int(md[3:])) for md in text.split()}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_shipped_cuti_bersama_match_the_decrees_and_the_package(year: int) -> None:
    """The data file lists exactly the SKB 3 Menteri cuti bersama, as the package's "government" category does."""
    # given
    shipped = {d.date for d in shipped_cuti_bersama()[year]}
    # then
    assert shipped == _dates(year, CUTI_BERSAMA[year])
    assert shipped == {day for day, _name in package_cuti_bersama(year)}


def test_every_shipped_day_names_its_decree() -> None:
    """Each cuti bersama carries a name and the decree that set it; 18 Aug 2025 cites the amending decree."""
    for days in shipped_cuti_bersama().values():
        for day in days:
            assert day.name.startswith("Cuti Bersama")
            assert day.reference.startswith("Keputusan Bersama Menteri Agama")
    amended = next(d for d in shipped_cuti_bersama()[2025] if d.date == date(2025, 8, 18))
    assert "Nomor 933 Tahun 2025" in amended.reference
    assert "Perubahan" in amended.reference


@pytest.mark.parametrize("year", [2025, 2026])
def test_package_national_holidays_match_the_decrees(year: int) -> None:
    """The ``holidays`` package's public holidays are the decree's 17 national holidays."""
    listed = {day for day, _name in national_holidays(year)}
    assert listed == _dates(year, HOLIDAYS[year])
    assert len(national_holidays(year)) == 17


def test_public_api_imports_without_the_app_registry() -> None:
    """``satupintu.workdays`` imports before Django is set up and does not load its models."""
    # given: a fresh interpreter without settings
    code = (
        "import sys\n"
        "from satupintu.workdays import add_working_days, add_working_time, working_time_between, is_working_day\n"
        "from satupintu.workdays import WorkingDuration, add_duration, clear_calendar_cache\n"
        "assert 'satupintu.workdays.models' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[3]
    # when
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "", "PYTHONPATH": str(root)},
    )
    # then
    assert result.returncode == 0, result.stderr
