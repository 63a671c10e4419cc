"""Working time: office hours, breaks, adding and measuring working minutes, due times in days."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from satupintu.workdays import (
    DEFAULT_HOURS,
    add_working_days,
    add_working_time,
    is_working_day,
    office_hours,
    working_time_between,
)
from satupintu.workdays.models import OfficeDayOverride, OfficeHours

from .conftest import wib

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def test_default_hours_differ_on_friday() -> None:
    """Mon–Thu 08:00–12:00 and 13:00–16:00; Friday 08:00–11:30 and 13:30–16:30; weekend closed."""
    assert office_hours(date(2025, 5, 8)) == ((time(8), time(12)), (time(13), time(16)))
    assert office_hours(date(2025, 5, 9)) == ((time(8), time(11, 30)), (time(13, 30), time(16, 30)))
    assert office_hours(date(2025, 5, 10)) == ()
    assert DEFAULT_HOURS[6] == ()


def test_twenty_minutes_across_the_friday_break() -> None:
    """20 working minutes from Friday 11:20 WIB: 10 before the break, 10 after it → 13:40."""
    assert add_working_time(wib(2025, 5, 9, 11, 20), 20 * MINUTE) == wib(2025, 5, 9, 13, 40)


def test_thirty_five_minutes_from_thursday_afternoon() -> None:
    """35 working minutes from Thursday 15:50: 10 until closing, 25 from Friday's opening → 08:25."""
    assert add_working_time(wib(2025, 5, 8, 15, 50), 35 * MINUTE) == wib(2025, 5, 9, 8, 25)


def test_working_time_across_the_lebaran_season() -> None:
    """35 minutes from Thursday 27 Mar 2025 15:50 land on Tuesday 8 Apr 08:25, after ten closed days."""
    assert add_working_time(wib(2025, 3, 27, 15, 50), 35 * MINUTE) == wib(2025, 4, 8, 8, 25)
    assert working_time_between(wib(2025, 3, 27, 15, 50), wib(2025, 4, 8, 8, 25)) == 35 * MINUTE


def test_start_outside_office_hours_counts_from_the_next_opening() -> None:
    """A file received on Saturday, in the lunch break or before opening starts its clock at the next opening."""
    assert add_working_time(wib(2025, 5, 17, 9, 0), 20 * MINUTE) == wib(2025, 5, 19, 8, 20)  # Saturday
    assert add_working_time(wib(2025, 5, 8, 12, 15), 20 * MINUTE) == wib(2025, 5, 8, 13, 20)  # break
    assert add_working_time(wib(2025, 5, 8, 6, 0), 20 * MINUTE) == wib(2025, 5, 8, 8, 20)  # early


def test_result_at_a_closing_stays_there() -> None:
    """Work that ends exactly at the start of the break is due then, not after the break."""
    assert add_working_time(wib(2025, 5, 9, 11, 20), 10 * MINUTE) == wib(2025, 5, 9, 11, 30)
    assert add_working_time(wib(2025, 5, 8, 15, 0), 60 * MINUTE) == wib(2025, 5, 8, 16, 0)


def test_zero_duration_and_negative_duration() -> None:
    """Zero working time returns the start unchanged; a negative duration is refused."""
    start = wib(2025, 5, 10, 9, 0)
    assert add_working_time(start, timedelta(0)) == start
    with pytest.raises(ValueError, match="negatif"):
        add_working_time(start, -MINUTE)


def test_one_full_day_of_working_time() -> None:
    """Seven working hours from Monday's opening end at Monday's closing; one more minute is Tuesday 08:01."""
    assert add_working_time(wib(2025, 5, 5, 8, 0), timedelta(hours=7)) == wib(2025, 5, 5, 16, 0)
    assert add_working_time(wib(2025, 5, 5, 8, 0), timedelta(hours=7, minutes=1)) == wib(2025, 5, 6, 8, 1)


def test_results_keep_the_callers_zone() -> None:
    """A UTC start gives a UTC result of the same instant rules (Jakarta is UTC+7)."""
    start = datetime(2025, 5, 9, 4, 20, tzinfo=UTC)  # 11:20 WIB
    result = add_working_time(start, 20 * MINUTE)
    assert result.tzinfo is UTC
    assert result == wib(2025, 5, 9, 13, 40)


def test_working_time_over_a_weekend() -> None:
    """From Friday 16:00 to Monday 09:00: 30 minutes on Friday and 60 on Monday."""
    assert working_time_between(wib(2025, 5, 16, 16, 0), wib(2025, 5, 19, 9, 0)) == 90 * MINUTE


def test_working_time_over_the_friday_break() -> None:
    """From Friday 11:00 to 14:00 only 11:00–11:30 and 13:30–14:00 count."""
    assert working_time_between(wib(2025, 5, 9, 11, 0), wib(2025, 5, 9, 14, 0)) == 60 * MINUTE


def test_working_time_of_a_whole_week() -> None:
    """Monday to the next Monday: 4 × 7 h + 6 h 30 min."""
    assert working_time_between(wib(2025, 5, 19, 0, 0), wib(2025, 5, 26, 0, 0)) == timedelta(hours=34, minutes=30)


def test_working_time_between_is_never_negative() -> None:
    """b at or before a gives zero."""
    assert working_time_between(wib(2025, 5, 9, 14, 0), wib(2025, 5, 9, 11, 0)) == timedelta(0)
    assert working_time_between(wib(2025, 5, 9, 14, 0), wib(2025, 5, 9, 14, 0)) == timedelta(0)


def test_add_and_between_are_inverse_on_random_samples() -> None:
    """For any start and duration, measuring back gives the duration; for an end in hours, adding gives the end."""
    rng = random.Random(20250331)
    origin = wib(2024, 12, 1, 0, 0)
    for _ in range(400):
        start = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 800), seconds=rng.randrange(60))
        duration = timedelta(minutes=rng.randrange(0, 60 * 7 * 15), seconds=rng.randrange(60))
        end = add_working_time(start, duration)
        assert end >= start
        assert working_time_between(start, end) == duration
        # the other way: any instant b inside office hours is reached again from a
        b = start + timedelta(minutes=rng.randrange(1, 60 * 24 * 30))
        b_local = b.astimezone(ZoneInfo("Asia/Jakarta"))
        if any(o <= b_local.time() < c for o, c in office_hours(b_local.date())):
            assert add_working_time(start, working_time_between(start, b)) == b


def test_naive_datetimes_are_refused() -> None:
    """Every function that takes a moment refuses a naive datetime."""
    naive = datetime(2025, 5, 9, 11, 20)  # noqa: DTZ001
    with pytest.raises(ValueError, match="zona waktu"):
        add_working_time(naive, MINUTE)
    with pytest.raises(ValueError, match="zona waktu"):
        working_time_between(naive, wib(2025, 5, 9, 12, 0))
    with pytest.raises(ValueError, match="zona waktu"):
        working_time_between(wib(2025, 5, 9, 12, 0), naive)
    with pytest.raises(ValueError, match="zona waktu"):
        add_working_days(naive, 1)
    with pytest.raises(ValueError, match="zona waktu"):
        is_working_day(naive)


# add_working_days with a moment: the same clock time N working days later ---------------------


def test_received_monday_morning_is_due_tuesday_same_time() -> None:
    """Received Monday 10:00 WIB + 1 hari → Tuesday 10:00 WIB."""
    assert add_working_days(wib(2025, 5, 19, 10, 0), 1) == wib(2025, 5, 20, 10, 0)


def test_received_thursday_afternoon_is_due_friday_same_time() -> None:
    """Received Thursday 15:00 + 1 hari → Friday 15:00 (Friday closes at 16:30, so no clamping)."""
    assert add_working_days(wib(2025, 5, 22, 15, 0), 1) == wib(2025, 5, 23, 15, 0)


def test_received_on_saturday_moves_to_monday_opening_first() -> None:
    """Received Saturday → counted from Monday 08:00 → due Tuesday 08:00; days=0 → Monday 08:00."""
    assert add_working_days(wib(2025, 5, 17, 10, 0), 1) == wib(2025, 5, 20, 8, 0)
    assert add_working_days(wib(2025, 5, 17, 10, 0), 0) == wib(2025, 5, 19, 8, 0)


def test_friday_late_afternoon_is_clamped_to_monday_closing() -> None:
    """Received Friday 16:15 + 1 hari → Monday 16:00 (Monday closes before 16:15)."""
    assert add_working_days(wib(2025, 5, 23, 16, 15), 1) == wib(2025, 5, 26, 16, 0)


def test_clock_time_in_fridays_break_takes_the_last_open_moment() -> None:
    """Received Thursday 11:45 + 1 hari → Friday 11:30, the last open moment before 11:45."""
    assert add_working_days(wib(2025, 5, 22, 11, 45), 1) == wib(2025, 5, 23, 11, 30)


def test_received_in_the_break_or_after_closing() -> None:
    """Thursday 12:30 (break) → counted from 13:00; Thursday 17:00 → counted from Friday 08:00."""
    assert add_working_days(wib(2025, 5, 21, 12, 30), 1) == wib(2025, 5, 22, 13, 0)
    assert add_working_days(wib(2025, 5, 22, 17, 0), 1) == wib(2025, 5, 26, 8, 0)


def test_days_as_moments_across_lebaran() -> None:
    """Received Thursday 27 Mar 2025 10:00 + 1 hari → Tuesday 8 Apr 10:00."""
    assert add_working_days(wib(2025, 3, 27, 10, 0), 1) == wib(2025, 4, 8, 10, 0)


# Office hours ---------------------------------------------------------------------------------


def test_office_hours_replace_the_default(make_office) -> None:
    """An office with its own rows uses them; weekdays without rows are closed for that office."""
    # given: 07:30–15:00 without a break, Monday to Thursday only
    office = make_office()
    for weekday in range(4):
        OfficeHours.objects.create(office=office, weekday=weekday, opens_at=time(7, 30), closes_at=time(15, 0))
    # then
    assert add_working_time(wib(2025, 5, 15, 14, 50), 20 * MINUTE, office=office) == wib(2025, 5, 19, 7, 40)
    assert is_working_day(date(2025, 5, 16), office=office) is False  # Friday: no rows
    assert working_time_between(wib(2025, 5, 5, 0, 0), wib(2025, 5, 6, 0, 0), office=office) == timedelta(hours=7.5)


def test_extra_saturday_uses_mondays_hours(make_office) -> None:
    """An ``open`` Saturday works Monday's hours when the office has none for Saturday."""
    # given
    office = make_office()
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 10), kind="open", reason="Pelayanan keliling")
    # then
    assert office_hours(date(2025, 5, 10), office=office) == DEFAULT_HOURS[0]
    assert add_working_time(wib(2025, 5, 9, 16, 20), 20 * MINUTE, office=office) == wib(2025, 5, 10, 8, 10)


def test_extra_saturday_uses_saturday_rows_when_the_office_has_them(make_office) -> None:
    """Saturday rows alone do not open Saturdays; on an ``open`` Saturday they set the hours."""
    # given
    office = make_office()
    OfficeHours.objects.create(office=office, weekday=0, opens_at=time(8), closes_at=time(16))
    OfficeHours.objects.create(office=office, weekday=5, opens_at=time(8), closes_at=time(12))
    # then
    assert is_working_day(date(2025, 5, 17), office=office) is False
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 17), kind="open", reason="Hari pelayanan")
    assert office_hours(date(2025, 5, 17), office=office) == ((time(8), time(12)),)


def test_overlapping_rows_count_once(make_office) -> None:
    """Two overlapping periods on one weekday do not double-count minutes."""
    office = make_office()
    OfficeHours.objects.create(office=office, weekday=0, opens_at=time(8), closes_at=time(12))
    OfficeHours.objects.create(office=office, weekday=0, opens_at=time(11), closes_at=time(13))
    assert office_hours(date(2025, 5, 5), office=office) == ((time(8), time(13)),)


def test_office_time_zone_is_used(make_office) -> None:
    """A WITA office (UTC+8) opens at 08:00 Makassar time, 07:00 WIB."""
    # given
    office = make_office(time_zone="Asia/Makassar")
    wita = ZoneInfo("Asia/Makassar")
    start = datetime(2025, 5, 5, 7, 0, tzinfo=wita)  # before opening in Makassar
    # then
    assert add_working_time(start, 20 * MINUTE, office=office) == datetime(2025, 5, 5, 8, 20, tzinfo=wita)
    assert add_working_time(start, 20 * MINUTE, office=office) == wib(2025, 5, 5, 7, 20)
