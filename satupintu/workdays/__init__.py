"""
Working-time arithmetic for satupintu (a stable interface, DESIGN.md §12).

``add_working_days``, ``add_working_time``, ``working_time_between`` and ``is_working_day`` take
an optional ``office`` (its overrides, opening hours, cuti bersama switch and time zone); without
one they use the national calendar, the default hours and Asia/Jakarta. Importing this package
does not touch the database or the app registry: models are read on first use.
"""

from satupintu.workdays.calendar import (
    CACHE_TTL_SECONDS,
    DEFAULT_HOURS,
    CalendarEntry,
    add_duration,
    add_working_days,
    add_working_time,
    calendar_entries,
    clear_calendar_cache,
    is_working_day,
    office_hours,
    working_time_between,
)
from satupintu.workdays.durations import WorkingDuration

__all__ = [
    "CACHE_TTL_SECONDS",
    "DEFAULT_HOURS",
    "CalendarEntry",
    "WorkingDuration",
    "add_duration",
    "add_working_days",
    "add_working_time",
    "calendar_entries",
    "clear_calendar_cache",
    "is_working_day",
    "office_hours",
    "working_time_between",
]
