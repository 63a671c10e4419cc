"""How long a file has waited, as the queue shows it."""

import datetime as dt

import pytest

from satupintu.applications.tests.conftest import WIB
from satupintu.staff import display
from satupintu.workdays import add_working_days


def _days_by_counting(since, now, office):
    days = 0
    while days < display._MAX_DAYS and add_working_days(since, days + 1, office=office) <= now:
        days += 1
    return days


@pytest.mark.django_db
@pytest.mark.parametrize("waited", [0, 1, 3, 17, 40, 59, 60, 61, 200])
def test_the_waiting_time_is_the_same_as_counting_day_by_day(office, waited):
    """Issue 12 (staff queue): the day count is found by bisection, with the result of counting one by one."""
    since = dt.datetime(2026, 3, 2, 9, 30, tzinfo=WIB)  # a Monday; Nyepi and Idul Fitri lie ahead
    now = since + dt.timedelta(days=waited * 7 // 5, hours=3)
    days = _days_by_counting(since, now, office)
    text = display.waiting_text(since, now, office)
    if days == 0:
        assert "hari kerja" not in text
    elif days >= display._MAX_DAYS:
        assert text == f"lebih dari {display._MAX_DAYS} hari kerja"
    else:
        assert text.startswith(f"{days} hari kerja")
