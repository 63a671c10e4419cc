"""WorkingDuration: the time standards of the SOP steps as the seeds write them."""

from datetime import timedelta

import pytest

from satupintu.workdays import WorkingDuration, add_duration, add_working_time

from .conftest import wib


@pytest.mark.parametrize(
    ("text", "value", "unit", "canonical"),
    [
        ("3 menit", 3, "minute", "3 menit"),
        ("35 menit", 35, "minute", "35 menit"),
        ("1 jam", 1, "hour", "1 jam"),
        ("1 hari", 1, "day", "1 hari kerja"),
        ("2 hari kerja", 2, "day", "2 hari kerja"),
        ("  20   Menit ", 20, "minute", "20 menit"),
        ("1 HARI  KERJA", 1, "day", "1 hari kerja"),
        ("20menit", 20, "minute", "20 menit"),
    ],
)
def test_parse_reads_the_seed_wording(text: str, value: int, unit: str, canonical: str) -> None:
    """The seeds' time standards parse regardless of case and spacing and print back canonically."""
    # when
    duration = WorkingDuration.parse(text)
    # then
    assert duration == WorkingDuration(value, unit)  # type: ignore[arg-type]
    assert str(duration) == canonical
    assert WorkingDuration.parse(str(duration)) == duration


@pytest.mark.parametrize("text", ["tiga menit", "", "5 minggu", "1,5 jam", "-3 menit", "menit", "2 hari libur"])
def test_parse_rejects_other_text_in_indonesian(text: str) -> None:
    """Numbers in words, other units and empty text are refused with an Indonesian message."""
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        WorkingDuration.parse(text)


def test_duration_refuses_unknown_units_and_negative_values() -> None:
    """A WorkingDuration is a non-negative whole number of minutes, hours or days."""
    with pytest.raises(ValueError, match="Satuan"):
        WorkingDuration(1, "week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bilangan bulat"):
        WorkingDuration(-1, "minute")


def test_duration_is_frozen_and_hashable() -> None:
    """Durations are values: equal ones are interchangeable and usable as keys."""
    assert {WorkingDuration.parse("1 hari"), WorkingDuration.parse("1 hari kerja")} == {WorkingDuration(1, "day")}
    with pytest.raises(AttributeError):
        WorkingDuration(1, "day").value = 2  # type: ignore[misc]


@pytest.mark.django_db
def test_add_duration_counts_days_as_working_days_and_minutes_as_working_time() -> None:
    """A day standard moves to the same clock time on the next working day; minutes count office minutes."""
    # given: Friday 11:20 WIB, before the Friday-prayer break (11:30–13:30)
    start = wib(2025, 5, 2, 11, 20)
    # then
    assert add_duration(start, WorkingDuration.parse("20 menit")) == wib(2025, 5, 2, 13, 40)
    assert add_duration(start, WorkingDuration.parse("1 hari")) == wib(2025, 5, 5, 11, 20)
    assert add_duration(start, WorkingDuration.parse("1 jam")) == add_working_time(start, timedelta(hours=1))
    assert add_duration(start, WorkingDuration.parse("1 jam")) == wib(2025, 5, 2, 14, 20)
