"""
The two shipped sources of the national calendar: the ``holidays`` package (national holidays)
and ``data/cuti_bersama.yaml`` (cuti bersama per year, with the decree that set them).

Both are read once per process; admin corrections (``models.CalendarDay``) are applied on top of
them in ``calendar.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays
import yaml

CUTI_BERSAMA_FILE = Path(__file__).resolve().parent / "data" / "cuti_bersama.yaml"


@dataclass(frozen=True, slots=True)
class ShippedDay:
    """One cuti bersama day from the shipped data file."""

    date: date
    name: str
    reference: str


@lru_cache(maxsize=256)
def national_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """Return the national public holidays of ``year`` by date, as the ``holidays`` package lists them."""
    calendar = holidays.country_holidays("ID", years=year, categories=("public",), language="id")
    return tuple(sorted(calendar.items()))


@lru_cache(maxsize=256)
def package_cuti_bersama(year: int) -> tuple[tuple[date, str], ...]:
    """
    Return the cuti bersama of ``year`` as the ``holidays`` package lists them ("government").

    Only for comparison and for hints to admins; the calendar itself uses the shipped file.
    """
    calendar = holidays.country_holidays("ID", years=year, categories=("government",), language="id")
    return tuple(sorted(calendar.items()))


@lru_cache(maxsize=1)
def shipped_cuti_bersama() -> dict[int, tuple[ShippedDay, ...]]:
    """Read the shipped cuti bersama file; raise ValueError if an entry is malformed."""
    raw = yaml.safe_load(CUTI_BERSAMA_FILE.read_text(encoding="utf-8")) or {}
    years: dict[int, tuple[ShippedDay, ...]] = {}
    for year, section in raw.items():
        reference = " ".join(str(section.get("reference", "")).split())
        days = []
        for entry in section["days"]:
            day = entry["date"]
            if not isinstance(day, date) or day.year != year:
                raise ValueError(f"{CUTI_BERSAMA_FILE.name}: {day!r} is not a date of {year}")
            own_reference = " ".join(str(entry.get("reference", "")).split())
            days.append(ShippedDay(date=day, name=str(entry["name"]), reference=own_reference or reference))
        years[int(year)] = tuple(sorted(days, key=lambda d: d.date))
    return years
