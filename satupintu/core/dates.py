"""Dates written out the Indonesian way (letters, notices, reports): ``12 Maret 2026``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def local_moment(value: dt.datetime, tz: str) -> dt.datetime:
    """An aware moment on the wall clock of zone ``tz``."""
    return value.astimezone(ZoneInfo(tz))


def date_words(value: dt.date | dt.datetime, *, tz: str = "Asia/Jakarta") -> str:
    """``12 Maret 2026``; a datetime is first read in the zone ``tz``."""
    if isinstance(value, dt.datetime):
        value = local_moment(value, tz)
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
