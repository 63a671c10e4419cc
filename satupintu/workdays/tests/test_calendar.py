"""Working days: weekends, national holidays, cuti bersama, admin corrections and office overrides."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.workdays import add_working_days, calendar_entries, clear_calendar_cache, is_working_day
from satupintu.workdays import calendar as calendar_module
from satupintu.workdays.models import CalendarDay, OfficeDayOverride

pytestmark = pytest.mark.django_db


def test_idul_fitri_2025_skips_holidays_cuti_bersama_and_weekends() -> None:
    """Idul Fitri 1446 H: 28 Mar and 2–7 Apr cuti bersama, 31 Mar–1 Apr holidays → the day after 27 Mar is 8 Apr."""
    # given: Thursday 27 March 2025, the last working day before Lebaran
    # when
    due = add_working_days(date(2025, 3, 27), 1)
    # then
    assert due == date(2025, 4, 8)
    for day in [date(2025, 3, 28), date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 2), date(2025, 4, 7)]:
        assert not is_working_day(day)


def test_idul_fitri_and_nyepi_2026() -> None:
    """Nyepi (19 Mar, cuti 18 Mar) and Idul Fitri 1447 H (cuti 20, 23, 24 Mar) → the day after 17 Mar is 25 Mar."""
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert is_working_day(date(2026, 3, 19)) is False  # Nyepi
    assert is_working_day(date(2026, 3, 18)) is False  # cuti bersama Nyepi
    assert is_working_day(date(2026, 3, 25)) is True


def test_18_august_2025_is_not_a_working_day() -> None:
    """The amending decree of August 2025 made Monday 18 Aug a cuti bersama."""
    assert is_working_day(date(2025, 8, 18)) is False
    assert add_working_days(date(2025, 8, 15), 1) == date(2025, 8, 19)


def test_ordinary_days() -> None:
    """Weekdays work, weekends do not; days=0 keeps a working day and moves a closed one forward."""
    assert is_working_day(date(2025, 5, 5)) is True  # Monday
    assert is_working_day(date(2025, 5, 3)) is False  # Saturday
    assert add_working_days(date(2025, 5, 2), 1) == date(2025, 5, 5)  # Friday → Monday
    assert add_working_days(date(2025, 5, 5), 0) == date(2025, 5, 5)
    assert add_working_days(date(2025, 5, 3), 0) == date(2025, 5, 5)
    assert add_working_days(date(2025, 5, 5), 5) == date(2025, 5, 14)  # 12 May Waisak, 13 May cuti bersama


def test_negative_days_are_refused() -> None:
    """Counting backwards is not supported."""
    with pytest.raises(ValueError, match="negatif"):
        add_working_days(date(2025, 5, 5), -1)


def test_counting_crosses_the_year_end() -> None:
    """25 Dec (Natal) and 26 Dec 2025 (cuti bersama), the weekend and 1 Jan 2026 are skipped."""
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_office_that_works_on_cuti_bersama(make_office) -> None:
    """An office serving the public on cuti bersama works 2 Apr 2025; the national calendar does not."""
    # given
    office = make_office(cuti_bersama_is_working=True)
    # then
    assert is_working_day(date(2025, 4, 2), office=office) is True
    assert is_working_day(date(2025, 4, 2)) is False
    assert is_working_day(date(2025, 3, 31), office=office) is False  # a national holiday stays closed
    assert add_working_days(date(2025, 3, 27), 1, office=office) == date(2025, 3, 28)


def test_office_flag_change_takes_effect_at_once(make_office) -> None:
    """Switching ``cuti_bersama_is_working`` changes the answer without waiting for the cache to expire."""
    # given
    office = make_office()
    assert is_working_day(date(2025, 4, 2), office=office) is False
    # when
    office.cuti_bersama_is_working = True
    office.save()
    # then
    assert is_working_day(date(2025, 4, 2), office=office) is True


def test_closed_wednesday_is_skipped(make_office) -> None:
    """An office closed on Wednesday 7 May 2025 counts the day after Tuesday as Thursday."""
    # given
    office = make_office()
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 7), kind="closed", reason="Pemadaman listrik")
    # then
    assert is_working_day(date(2025, 5, 7), office=office) is False
    assert add_working_days(date(2025, 5, 6), 1, office=office) == date(2025, 5, 8)
    assert add_working_days(date(2025, 5, 6), 1) == date(2025, 5, 7)  # other offices are unaffected


def test_extra_working_saturday_counts(make_office) -> None:
    """An office opening on Saturday 10 May 2025 counts it as the day after Friday."""
    # given
    office = make_office()
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 10), kind="open", reason="Pelayanan keliling")
    # then
    assert is_working_day(date(2025, 5, 10), office=office) is True
    assert add_working_days(date(2025, 5, 9), 1, office=office) == date(2025, 5, 10)
    assert add_working_days(date(2025, 5, 9), 1) == date(2025, 5, 14)  # 12 May Waisak, 13 May cuti bersama


def test_not_holiday_cancels_a_package_holiday() -> None:
    """When an Islamic holiday moves after the sighting, the admin cancels the package's date and adds the new one."""
    # given: the package puts Idul Adha 2026 on Wed 27 May
    assert is_working_day(date(2026, 5, 27)) is False
    # when
    CalendarDay.objects.create(date=date(2026, 5, 27), kind="not_holiday", name="Idul Adha bergeser")
    CalendarDay.objects.create(date=date(2026, 5, 26), kind="holiday", name="Hari Raya Idul Adha 1447 H")
    # then
    assert is_working_day(date(2026, 5, 27)) is True
    assert is_working_day(date(2026, 5, 26)) is False


def test_not_holiday_cancels_a_shipped_cuti_bersama(make_office) -> None:
    """A cancelled cuti bersama is a working day again, for every office."""
    # when
    CalendarDay.objects.create(date=date(2026, 12, 24), kind="not_holiday", name="Cuti bersama dibatalkan")
    # then
    assert is_working_day(date(2026, 12, 24)) is True
    assert is_working_day(date(2026, 12, 24), office=make_office()) is True


def test_cuti_bersama_added_for_2027_is_honoured(make_office) -> None:
    """Years after the shipped file get their cuti bersama from admin rows; the office switch applies to them."""
    # given: Wednesday 10 Nov 2027 is an ordinary day
    assert is_working_day(date(2027, 11, 10)) is True
    # when
    CalendarDay.objects.create(
        date=date(2027, 11, 10), kind="cuti_bersama", name="Cuti Bersama Uji", reference="SKB 3 Menteri 2027"
    )
    # then
    assert is_working_day(date(2027, 11, 10)) is False
    assert add_working_days(date(2027, 11, 9), 1) == date(2027, 11, 11)
    assert is_working_day(date(2027, 11, 10), office=make_office(cuti_bersama_is_working=True)) is True


def test_admin_rows_outweigh_cancellations() -> None:
    """A date both cancelled and re-added as cuti bersama (a holiday turned into cuti bersama) is cuti bersama."""
    # given: 17 Aug 2026 is a national holiday (Monday)
    CalendarDay.objects.create(date=date(2026, 8, 17), kind="not_holiday", name="Dipindah")
    CalendarDay.objects.create(date=date(2026, 8, 17), kind="cuti_bersama", name="Cuti Bersama Uji")
    # then
    entries = {e.date: e for e in calendar_entries(2026)}
    assert entries[date(2026, 8, 17)].kind == "cuti_bersama"
    assert is_working_day(date(2026, 8, 17)) is False


def test_cache_is_dropped_after_edits_and_deletes(make_office) -> None:
    """Saving or deleting a calendar row changes the answer at once in this process."""
    # given
    office = make_office()
    assert is_working_day(date(2025, 5, 7), office=office) is True
    # when
    override = OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 7), kind="closed", reason="Uji")
    # then
    assert is_working_day(date(2025, 5, 7), office=office) is False
    # when
    override.delete()
    # then
    assert is_working_day(date(2025, 5, 7), office=office) is True


def test_cached_calendar_answers_without_queries(make_office) -> None:
    """After the first call the calendar is answered from memory: no query per call."""
    # given
    office = make_office()
    add_working_days(date(2025, 3, 27), 30, office=office)
    # when
    with CaptureQueriesContext(connection) as queries:
        for _ in range(100):
            add_working_days(date(2025, 3, 27), 30, office=office)
            is_working_day(date(2025, 4, 2), office=office)
    # then
    assert len(queries) == 0


def test_cache_expires_after_its_time_to_live() -> None:
    """An edit made by another process (no signal here) is seen once the cache is older than its TTL."""
    # given
    assert is_working_day(date(2025, 5, 7)) is True
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2025, 5, 7), kind="holiday", name="Libur uji")])  # no signal
    assert is_working_day(date(2025, 5, 7)) is True  # still cached
    # when
    calendar_module._state.created -= calendar_module.CACHE_TTL_SECONDS + 1
    # then
    assert is_working_day(date(2025, 5, 7)) is False
    clear_calendar_cache()


def test_calendar_entries_explain_each_day(make_office) -> None:
    """The explanation lists holidays, cuti bersama with their decree, and office exceptions."""
    # given
    office = make_office()
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 7), kind="closed", reason="Rapat kerja")
    # when
    entries = {e.date: e for e in calendar_entries(2025, office=office)}
    # then
    assert entries[date(2025, 3, 31)].kind == "holiday"
    assert entries[date(2025, 8, 18)].kind == "cuti_bersama"
    assert "933" in entries[date(2025, 8, 18)].reference
    assert entries[date(2025, 5, 7)].kind == "office_closed"
    assert entries[date(2025, 5, 7)].name == "Rapat kerja"
    assert not any(e.working for e in entries.values())


def test_counting_by_bisection_agrees_with_counting_day_by_day(make_office) -> None:
    """
    ``add_working_days`` bisects each year's working days; for every start in 2025–2026 and waits
    up to 300 working days (across the year end, holidays, a closed day and an extra open
    Saturday) it gives the day a walk one day at a time gives.
    """
    # given
    office = make_office()
    OfficeDayOverride.objects.create(office=office, date=date(2025, 12, 31), kind="closed", reason="Pemadaman")
    OfficeDayOverride.objects.create(office=office, date=date(2026, 1, 3), kind="open", reason="Pelayanan keliling")

    def walked(start: date, days: int) -> date:
        day = start
        while not is_working_day(day, office=office):
            day += timedelta(days=1)
        if days == 0:
            return day
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            counted += is_working_day(day, office=office)
        return day

    # then
    for offset in range(0, 730, 7):
        start = date(2025, 1, 1) + timedelta(days=offset)
        for days in (0, 1, 2, 5, 21, 60, 300):
            assert add_working_days(start, days, office=office) == walked(start, days), (start, days)
