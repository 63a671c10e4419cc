"""
How the staff pages write times, durations and roles: office-local clock times ("11 Mar 2026
09:05 WIB"), working time ("1 jam 20 menit", "2 hari kerja") and role names.

Presentation only: the arithmetic itself is ``satupintu.workdays``'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.roles import role_name
from satupintu.core.models import Office
from satupintu.workdays import WorkingDuration, add_working_days, working_time_between

#: Beyond this many working days a waiting time is written as "more than".
_MAX_DAYS = 60


def office_zone(office: Office | None) -> ZoneInfo:
    return ZoneInfo(office.time_zone if office is not None else "Asia/Jakarta")


def office_time(value: dt.datetime | None, office: Office | None) -> str:
    """An aware moment as the office reads it: ``11 Mar 2026 09:05 WIB``; empty for None."""
    if value is None:
        return ""
    local = timezone.localtime(value, office_zone(office))
    return f"{dateformat.format(local, 'j M Y H:i')} {local.tzname()}"


def office_date(value: dt.date | str | None) -> str:
    """A date (or an ISO date string, as stored in a BAP) as ``11 Mar 2026``."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return dateformat.format(day, "j M Y")


def duration_text(value: dt.timedelta | int | None) -> str:
    """Working time in hours and minutes: ``1 jam 20 menit``, ``45 menit``, ``0 menit``."""
    if value is None:
        return ""
    seconds = int(value.total_seconds()) if isinstance(value, dt.timedelta) else int(value)
    minutes = max(seconds, 0) // 60
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if minutes or not hours:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    return " ".join(parts)


def standard_text(time_standard: str) -> str:
    """A step's time standard as written on the card: ``35 menit``, ``1 hari kerja``."""
    try:
        return str(WorkingDuration.parse(time_standard))
    except ValueError:
        return time_standard


def waiting_text(since: dt.datetime | None, now: dt.datetime, office: Office) -> str:
    """
    How long a file has waited in working time: ``1 jam 20 menit`` within its first working
    day, then ``2 hari kerja`` (with the hours of the day begun, ``1 hari kerja 3 jam``).
    """
    if since is None:
        return ""
    # The largest n with since + n working days <= now, by bisection (the day count is monotonic):
    # about log2(_MAX_DAYS) calls instead of one per day waited (issue 12: the queue page).
    low, high = 0, _MAX_DAYS
    while low < high:
        middle = (low + high + 1) // 2
        if add_working_days(since, middle, office=office) <= now:
            low = middle
        else:
            high = middle - 1
    days = low
    if days == 0:
        return duration_text(working_time_between(since, now, office=office))
    if days >= _MAX_DAYS:
        return _("lebih dari %(n)d hari kerja") % {"n": _MAX_DAYS}
    text = ngettext("%(n)d hari kerja", "%(n)d hari kerja", days) % {"n": days}
    start_of_day = add_working_days(since, days, office=office)
    assert isinstance(start_of_day, dt.datetime)
    hours = int(working_time_between(start_of_day, now, office=office).total_seconds()) // 3600
    if hours:
        text += " " + ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours}
    return text


def role_label(code: str, office: Any = None) -> str:
    """
    The Indonesian name of a role code (``front_office`` → ``Petugas Front Office (loket)``), or
    of the office's own role when ``office`` is given.
    """
    return role_name(code, office)
