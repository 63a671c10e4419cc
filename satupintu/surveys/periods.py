"""
Survey periods: a year, a semester, a quarter (triwulan), a month or a day, written as text.

``2026`` · ``2026-S1`` / ``2026-S2`` · ``2026-T1``…``2026-T4`` (``Q`` accepted) · ``2026-03`` ·
``2026-03-15``. A response belongs to the period it was given for (an import row names its
period; an online or paper answer is given on a day), and a query for a period counts every
response whose period lies inside it, so a semester's import counts toward its year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<half>S[12])|(?P<quarter>[TQ][1-4])|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$"
)


class PeriodInvalid(ValueError):
    """The text names no period; the message is for people."""


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return self.label

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_parse(text: str) -> Period:
    """The period the text names; PeriodInvalid with an Indonesian message otherwise."""
    value = (text or "").strip().upper()
    match = _PATTERN.match(value)
    problem = _(
        "Periode “%(text)s” tidak dikenal. Tulis tahun (2026), semester (2026-S1), triwulan (2026-T1), "
        "bulan (2026-03) atau tanggal (2026-03-15)."
    ) % {"text": text}
    if match is None:
        raise PeriodInvalid(problem)
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise PeriodInvalid(problem)
    try:
        if match["half"]:
            half = int(match["half"][1])
            first = 1 + 6 * (half - 1)
            return Period(f"{year}-S{half}", dt.date(year, first, 1), _month_end(year, first + 5))
        if match["quarter"]:
            quarter = int(match["quarter"][1])
            first = 1 + 3 * (quarter - 1)
            return Period(f"{year}-T{quarter}", dt.date(year, first, 1), _month_end(year, first + 2))
        if match["month"]:
            month = int(match["month"])
            if match["day"]:
                day = dt.date(year, month, int(match["day"]))
                return Period(day.isoformat(), day, day)
            return Period(f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))
    except ValueError:
        raise PeriodInvalid(problem) from None
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def period_of_day(day: dt.date) -> Period:
    return Period(day.isoformat(), day, day)
