"""Admin pages and services for the editable calendar: each change is audited and seen at once."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from satupintu.core.models import AuditEvent
from satupintu.workdays import is_working_day
from satupintu.workdays.models import CalendarDay, OfficeDayOverride, OfficeHours
from satupintu.workdays.services import calendar_row_delete, calendar_row_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_user(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="admin", password="rahasia-sekali-123")
    client.force_login(user)
    return client, user


def test_admin_adds_a_cuti_bersama_and_it_counts_at_once(admin_client_user) -> None:
    """An admin adding a 2027 cuti bersama is recorded as its creator, audited, and the day stops being worked."""
    # given
    client, user = admin_client_user
    assert is_working_day(date(2027, 11, 10)) is True
    # when
    response = client.post(
        reverse("admin:workdays_calendarday_add"),
        {"date": "2027-11-10", "kind": "cuti_bersama", "name": "Cuti Bersama Uji", "reference": "SKB 3 Menteri"},
    )
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarDay.objects.get(date=date(2027, 11, 10))
    assert row.created_by == user
    assert AuditEvent.objects.filter(action="calendarday.create", actor=user).count() == 1
    assert is_working_day(date(2027, 11, 10)) is False


def test_admin_deletes_a_row_and_it_is_audited(admin_client_user) -> None:
    """Deleting a correction restores the shipped calendar and leaves an audit row."""
    # given
    client, user = admin_client_user
    row = CalendarDay.objects.create(date=date(2026, 12, 24), kind="not_holiday", name="Uji")
    assert is_working_day(date(2026, 12, 24)) is True
    # when
    response = client.post(reverse("admin:workdays_calendarday_delete", args=[row.pk]), {"post": "yes"})
    # then
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="calendarday.delete", actor=user).count() == 1
    assert is_working_day(date(2026, 12, 24)) is False


def test_admin_lists_filter_by_year_and_kind(admin_client_user, make_office) -> None:
    """The change lists open with the year and kind filters."""
    client, _user = admin_client_user
    office = make_office()
    CalendarDay.objects.create(date=date(2027, 11, 10), kind="cuti_bersama", name="Cuti Bersama Uji")
    OfficeDayOverride.objects.create(office=office, date=date(2025, 5, 7), kind="closed", reason="Rapat kerja")
    OfficeHours.objects.create(office=office, weekday=0, opens_at=time(8), closes_at=time(16))
    for url in [
        reverse("admin:workdays_calendarday_changelist") + "?tahun=2027&kind__exact=cuti_bersama",
        reverse("admin:workdays_officedayoverride_changelist") + "?tahun=2025",
        reverse("admin:workdays_officehours_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
    assert "Cuti Bersama Uji" in client.get(reverse("admin:workdays_calendarday_changelist") + "?tahun=2027").text
    assert "Cuti Bersama Uji" not in client.get(reverse("admin:workdays_calendarday_changelist") + "?tahun=2026").text


def test_service_refuses_a_duplicate_and_reversed_hours(make_office) -> None:
    """One row per date and kind; opening hours must close after they open."""
    office = make_office()
    calendar_row_save(row=CalendarDay(date=date(2027, 1, 4), kind="holiday", name="Uji"))
    with pytest.raises(ValidationError):
        calendar_row_save(row=CalendarDay(date=date(2027, 1, 4), kind="holiday", name="Uji lagi"))
    with pytest.raises(ValidationError):
        calendar_row_save(row=OfficeHours(office=office, weekday=0, opens_at=time(16), closes_at=time(8)))


def test_service_records_office_changes_against_the_office(make_office) -> None:
    """An office override's audit row names the office; deleting it is audited too."""
    office = make_office()
    row = calendar_row_save(row=OfficeDayOverride(office=office, date=date(2025, 5, 7), kind="closed", reason="Uji"))
    calendar_row_delete(row=row)
    assert list(AuditEvent.objects.filter(office=office).values_list("action", flat=True).order_by("at", "pk")) == [
        "officedayoverride.create",
        "officedayoverride.delete",
    ]
