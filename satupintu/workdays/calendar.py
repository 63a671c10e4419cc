"""
Working-time arithmetic: which days an office works, its opening hours, and adding or measuring
working time.

A day is a working day for an office when, in this order of precedence:

1. the office has an ``open`` override for it → working (even on a weekend or a holiday);
   a ``closed`` override → not working;
2. it is a Saturday or Sunday → not working;
3. it is a national holiday (``holidays`` package, corrected by ``CalendarDay`` rows) → not
   working;
4. it is a cuti bersama day (shipped data file, corrected by ``CalendarDay`` rows) → not working,
   unless the office has ``cuti_bersama_is_working`` set;
5. the office has no opening hours on that weekday → not working; otherwise working.

Opening hours come from ``OfficeHours`` rows, or ``DEFAULT_HOURS`` for an office without any row
(and for ``office=None``). An ``open`` override day uses that weekday's hours, or Monday's when
the office has none that weekday (so an extra Saturday works Monday's hours by default).

Arithmetic runs on the wall clock of the office's zone (``Office.time_zone``; Asia/Jakarta when
no office is given). Indonesia's zones have no daylight saving time, so wall-clock minutes are
real minutes. Every datetime in or out is aware; naive datetimes raise ValueError. Results carry
the tzinfo of the ``start`` argument.

The calendar of each office and year is computed once and kept in process for
``CACHE_TTL_SECONDS``; ``clear_calendar_cache()`` drops it at once (the models' signals call it
after every edit in this process; other processes see the edit when their cache expires).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from satupintu.workdays.durations import WorkingDuration
from satupintu.workdays.sources import national_holidays, shipped_cuti_bersama

if TYPE_CHECKING:
    from satupintu.core.models import Office

DEFAULT_TIME_ZONE = "Asia/Jakarta"
CACHE_TTL_SECONDS = 60.0

Interval = tuple[dtime, dtime]

_MON_THU: tuple[Interval, ...] = ((dtime(8, 0), dtime(12, 0)), (dtime(13, 0), dtime(16, 0)))
# Friday: a longer break for Friday prayer, closing half an hour later.
_FRIDAY: tuple[Interval, ...] = ((dtime(8, 0), dtime(11, 30)), (dtime(13, 30), dtime(16, 30)))
DEFAULT_HOURS: dict[int, tuple[Interval, ...]] = {
    0: _MON_THU,
    1: _MON_THU,
    2: _MON_THU,
    3: _MON_THU,
    4: _FRIDAY,
    5: (),
    6: (),
}

# A search that finds no working time within this many days means the office never opens.
_MAX_SCAN_DAYS = 5 * 366
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)

EntryKind = Literal["holiday", "cuti_bersama", "not_holiday", "office_closed", "office_open"]


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """
    Why one date differs from an ordinary weekday, for people (``calendar_show``, admin pages).

    ``working`` says whether the office works that day after every rule is applied.
    """

    date: date
    kind: EntryKind
    name: str
    reference: str
    source: str
    working: bool


@dataclass(frozen=True, slots=True)
class _Mark:
    name: str
    reference: str
    source: str


@dataclass(frozen=True, slots=True)
class _NationalYear:
    holidays: dict[date, _Mark]
    cuti_bersama: dict[date, _Mark]
    cancelled: dict[date, _Mark]


@dataclass(frozen=True, slots=True)
class _OfficeData:
    overrides: dict[date, tuple[str, str]]  # date -> (kind, reason)
    hours: dict[int, tuple[Interval, ...]]


_DEFAULT_OFFICE_DATA = _OfficeData(overrides={}, hours=DEFAULT_HOURS)


class _State:
    """Everything cached, dropped as a whole on clear or expiry."""

    def __init__(self) -> None:
        self.created = time.monotonic()
        self.national: dict[int, _NationalYear] = {}
        self.calendars: dict[tuple[int | None, bool, str], _Calendar] = {}


_state = _State()


def clear_calendar_cache() -> None:
    """Forget every cached calendar and opening hours; the next call reads the database again."""
    global _state
    _state = _State()


def _current_state() -> _State:
    global _state
    state = _state
    if time.monotonic() - state.created > CACHE_TTL_SECONDS:
        state = _state = _State()
    return state


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _national_year(state: _State, year: int) -> _NationalYear:
    national = state.national.get(year)
    if national is not None:
        return national
    from satupintu.workdays.models import CalendarDay

    package = _("paket holidays")
    shipped = _("data cuti bersama")
    admin = _("koreksi admin")
    holidays = {day: _Mark(name, "", package) for day, name in national_holidays(year)}
    cuti = {d.date: _Mark(d.name, d.reference, shipped) for d in shipped_cuti_bersama().get(year, ())}
    cancelled: dict[date, _Mark] = {}
    rows = list(CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name", "reference"))
    # Cancellations apply to the shipped sources only; an admin's own additions always count.
    for day, kind, name, reference in rows:
        if kind == "not_holiday":
            holidays.pop(day, None)
            cuti.pop(day, None)
            cancelled[day] = _Mark(name, reference, admin)
    for day, kind, name, reference in rows:
        if kind == "holiday":
            holidays[day] = _Mark(name, reference, admin)
        elif kind == "cuti_bersama":
            cuti[day] = _Mark(name, reference, admin)
    national = _NationalYear(holidays=holidays, cuti_bersama=cuti, cancelled=cancelled)
    state.national[year] = national
    return national


def _load_office_data(office_id: int) -> _OfficeData:
    from satupintu.workdays.models import OfficeDayOverride, OfficeHours

    overrides = {
        day: (kind, reason)
        for day, kind, reason in OfficeDayOverride.objects.filter(office_id=office_id).values_list(
            "date", "kind", "reason"
        )
    }
    rows = list(OfficeHours.objects.filter(office_id=office_id).values_list("weekday", "opens_at", "closes_at"))
    if not rows:
        return _OfficeData(overrides=overrides, hours=DEFAULT_HOURS)
    hours: dict[int, tuple[Interval, ...]] = {}
    for weekday in range(7):
        periods = sorted((opens, closes) for wd, opens, closes in rows if wd == weekday)
        merged: list[Interval] = []
        for opens, closes in periods:  # overlapping rows count once
            if merged and opens <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(closes, merged[-1][1]))
            else:
                merged.append((opens, closes))
        hours[weekday] = tuple(merged)
    return _OfficeData(overrides=overrides, hours=hours)


class _Calendar:
    """The working calendar of one office (or the default one) within one cache generation."""

    def __init__(self, state: _State, office: Office | None) -> None:
        self.state = state
        self.cuti_bersama_is_working = bool(office is not None and office.cuti_bersama_is_working)
        self.tz = _zone(office.time_zone if office is not None and office.time_zone else DEFAULT_TIME_ZONE)
        office_id = office.pk if office is not None else None
        self.data = _load_office_data(office_id) if office_id is not None else _DEFAULT_OFFICE_DATA
        # year -> (dates not worked on a weekday, dates worked by override)
        self.years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        #: Per year, the ordinals of its working days in order (``add_days`` bisects them).
        self.working: dict[int, list[int]] = {}

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        national = _national_year(self.state, year)
        closed = set(national.holidays)
        if not self.cuti_bersama_is_working:
            closed.update(national.cuti_bersama)
        opened = set()
        for day, (kind, _reason) in self.data.overrides.items():
            if day.year != year:
                continue
            if kind == "open":
                opened.add(day)
                closed.discard(day)
            else:
                closed.add(day)
        result = (frozenset(closed), frozenset(opened))
        self.years[year] = result
        return result

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """Return the opening periods of ``day``; empty when the office does not work that day."""
        closed, opened = self.years.get(day.year) or self._year(day.year)
        weekday = day.weekday()
        if day in opened:
            return self.data.hours[weekday] or self.data.hours[0]
        if weekday >= 5 or day in closed:
            return ()
        return self.data.hours[weekday]

    def to_local(self, moment: datetime) -> datetime:
        _require_aware(moment)
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def from_local(self, local: datetime, like: datetime) -> datetime:
        return local.replace(tzinfo=self.tz).astimezone(like.tzinfo)

    def next_working_day(self, day: date) -> date:
        """Return ``day`` if the office works then, else the first working day after it."""
        for _step in range(_MAX_SCAN_DAYS):
            if self.hours_on(day):
                return day
            day += _ONE_DAY
        raise _never_open()

    def working_ordinals(self, year: int) -> list[int]:
        """The ordinals of ``year``'s working days, ascending (computed once per year)."""
        found = self.working.get(year)
        if found is None:
            day, found = date(year, 1, 1), []
            while day.year == year:
                if self.hours_on(day):
                    found.append(day.toordinal())
                day += _ONE_DAY
            self.working[year] = found
        return found

    def add_days(self, day: date, days: int) -> date:
        """
        The ``days``-th working day after ``day`` (``days=0``: ``day`` if the office works then,
        else the next working day): a bisection in each year's working days, so a wait of months
        costs what a wait of a day does (the staff queue asks this for every row).
        """
        if days < 0:
            raise ValueError(_("Jumlah hari kerja tidak boleh negatif."))
        if days == 0:
            return self.next_working_day(day)
        year, remaining = day.year, days
        ordinals = self.working_ordinals(year)
        index = bisect_right(ordinals, day.toordinal())  # the first working day after ``day``
        while remaining > len(ordinals) - index:
            remaining -= len(ordinals) - index
            year, index = year + 1, 0
            ordinals = self.working_ordinals(year)
            if not ordinals and year - day.year > _MAX_SCAN_DAYS // 366:
                raise _never_open()
        return date.fromordinal(ordinals[index + remaining - 1])

    def next_opening(self, local: datetime) -> datetime:
        """Return ``local`` if the office is open then, else the next moment it opens."""
        day = local.date()
        for _step in range(_MAX_SCAN_DAYS):
            for opens, closes in self.hours_on(day):
                if local < datetime.combine(day, closes):
                    return max(local, datetime.combine(day, opens))
            day += _ONE_DAY
        raise _never_open()


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(_("Waktu harus menyertakan zona waktu (aware); waktu naif ditolak."))


def _never_open() -> ValueError:
    return ValueError(_("Kantor tidak memiliki jam layanan dalam lima tahun ke depan."))


def _calendar(office: Office | None) -> _Calendar:
    state = _current_state()
    if office is None:
        key: tuple[int | None, bool, str] = (None, False, DEFAULT_TIME_ZONE)
    else:
        key = (office.pk, bool(office.cuti_bersama_is_working), office.time_zone or DEFAULT_TIME_ZONE)
    calendar = state.calendars.get(key)
    if calendar is None:
        calendar = state.calendars[key] = _Calendar(state, office)
    return calendar


# Public API ------------------------------------------------------------------------------------


def is_working_day(day: date, *, office: Office | None = None) -> bool:
    """
    Return whether the office works on ``day`` (see the module docstring for the rules).

    An aware datetime is accepted and read as its date in the office's zone.
    """
    calendar = _calendar(office)
    if isinstance(day, datetime):
        day = calendar.to_local(day).date()
    return bool(calendar.hours_on(day))


def add_working_days(start: date | datetime, days: int, *, office: Office | None = None) -> date | datetime:
    """
    Return the moment ``days`` working days after ``start``.

    For a date: the date of the ``days``-th working day after it (``start`` itself is not counted;
    ``days=0`` gives ``start`` when it is a working day, else the next working day).

    For an aware datetime: first move it to the next opening if the office is closed then
    (weekend, holiday, break, after hours); then keep its local clock time on the ``days``-th
    following working day. When that day's hours do not cover the clock time (Friday's longer
    break, an earlier closing), take the last open moment before it: the closing time, or the end
    of the period before the break; before the day's opening, the opening. Naive datetimes raise
    ValueError; so does a negative ``days``.
    """
    calendar = _calendar(office)
    if not isinstance(start, datetime):
        return calendar.add_days(start, days)
    return _add_working_days_to_moment(calendar, start, days)


def _add_working_days_to_moment(calendar: _Calendar, start: datetime, days: int) -> datetime:
    local = calendar.next_opening(calendar.to_local(start))
    target = calendar.add_days(local.date(), days)
    return calendar.from_local(_latest_open_until(calendar.hours_on(target), target, local.time()), start)


def _latest_open_until(periods: tuple[Interval, ...], day: date, clock: dtime) -> datetime:
    """The last moment of ``day``'s opening periods not after ``clock`` (the opening if before it)."""
    chosen = periods[0][0]
    for opens, closes in periods:
        if clock < opens:
            break
        if clock < closes:
            chosen = clock
            break
        chosen = closes
    return datetime.combine(day, chosen)


def add_working_time(start: datetime, duration: timedelta, *, office: Office | None = None) -> datetime:
    """
    Return the earliest moment at which ``duration`` of working time has passed since ``start``.

    Only time inside the office's opening periods on working days counts. ``start`` outside
    office hours counts from the next opening; a result exactly at a closing or the start of a
    break stays there (it does not jump to the next opening). A zero duration returns ``start``
    unchanged. Naive datetimes and negative durations raise ValueError.
    """
    calendar = _calendar(office)
    local = calendar.to_local(start)
    if duration < _ZERO:
        raise ValueError(_("Lama waktu kerja tidak boleh negatif."))
    if not duration:
        return start
    remaining = duration
    day = local.date()
    for _step in range(_MAX_SCAN_DAYS):
        for opens, closes in calendar.hours_on(day):
            period_end = datetime.combine(day, closes)
            if period_end <= local:
                continue
            begin = max(local, datetime.combine(day, opens))
            available = period_end - begin
            if remaining <= available:
                return calendar.from_local(begin + remaining, start)
            remaining -= available
        day += _ONE_DAY
    raise _never_open()


def working_time_between(a: datetime, b: datetime, *, office: Office | None = None) -> timedelta:
    """
    Return the working time inside office hours from ``a`` to ``b``.

    ``timedelta(0)`` when ``b`` is not after ``a`` (never negative). For ``b`` inside office
    hours, ``add_working_time(a, working_time_between(a, b)) == b``. Naive datetimes raise
    ValueError.
    """
    calendar = _calendar(office)
    local_a = calendar.to_local(a)
    local_b = calendar.to_local(b)
    if local_b <= local_a:
        return _ZERO
    total = _ZERO
    day = local_a.date()
    last = local_b.date()
    while day <= last:
        for opens, closes in calendar.hours_on(day):
            begin = max(local_a, datetime.combine(day, opens))
            end = min(local_b, datetime.combine(day, closes))
            if end > begin:
                total += end - begin
        day += _ONE_DAY
    return total


def add_duration(start: datetime, duration: WorkingDuration, *, office: Office | None = None) -> datetime:
    """
    Return ``start`` plus a time standard: days as working days (``add_working_days``), minutes
    and hours as working time (``add_working_time``).
    """
    if duration.unit == "day":
        return _add_working_days_to_moment(_calendar(office), start, duration.value)
    minutes = duration.value * (60 if duration.unit == "hour" else 1)
    return add_working_time(start, timedelta(minutes=minutes), office=office)


def office_hours(day: date, *, office: Office | None = None) -> tuple[Interval, ...]:
    """Return the office's opening periods (local times) on ``day``; empty when it does not work."""
    return _calendar(office).hours_on(day)


def calendar_entries(year: int, *, office: Office | None = None) -> list[CalendarEntry]:
    """
    List the dates of ``year`` that differ from an ordinary weekday, with the reason, by date.

    Holidays and cuti bersama on weekends are listed too (``working`` is then False anyway).
    Cancelled package holidays (``not_holiday``) are listed as such.
    """
    calendar = _calendar(office)
    national = _national_year(calendar.state, year)
    office_source = _("kantor")
    entries: list[CalendarEntry] = []
    for day, mark in national.holidays.items():
        entries.append(_entry(calendar, day, "holiday", mark))
    for day, mark in national.cuti_bersama.items():
        if day not in national.holidays:
            entries.append(_entry(calendar, day, "cuti_bersama", mark))
    for day, mark in national.cancelled.items():
        if day not in national.holidays and day not in national.cuti_bersama:
            entries.append(_entry(calendar, day, "not_holiday", mark))
    for day, (kind, reason) in calendar.data.overrides.items():
        if day.year == year:
            entry_kind: EntryKind = "office_open" if kind == "open" else "office_closed"
            entries.append(_entry(calendar, day, entry_kind, _Mark(reason, "", office_source)))
    return sorted(entries, key=lambda e: (e.date, e.kind))


def _entry(calendar: _Calendar, day: date, kind: EntryKind, mark: _Mark) -> CalendarEntry:
    return CalendarEntry(
        date=day,
        kind=kind,
        name=mark.name,
        reference=mark.reference,
        source=mark.source,
        working=bool(calendar.hours_on(day)),
    )
