"""The daily jobs: overdue steps and permit expiry reminders; and the schedule that runs them."""

import datetime as dt

import pytest
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.test import TestCase

from satupintu.accounts.models import ActingAppointment
from satupintu.applications import services
from satupintu.applications.models import Application, Permit
from satupintu.applications.tests.conftest import WIB
from satupintu.notifications import tasks
from satupintu.notifications.models import Notice, OfficeTask
from satupintu.notifications.scans import overdue_steps_alert, permits_expiring_remind
from satupintu.notifications.tests.conftest import new_application, run_queued, walk

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)  # Tuesday


def at_wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


# --- expiry ---------------------------------------------------------------------------------------


def test_a_permit_gets_one_reminder_60_and_one_30_days_before_it_ends(ready_application, fake):
    permit = Permit.objects.get(application=ready_application)
    assert permit.valid_until == dt.date(2029, 12, 31)

    assert permits_expiring_remind(at=at_wib(2029, 10, 31, 8, 15)) == 0  # 61 days
    assert permits_expiring_remind(at=at_wib(2029, 11, 1, 8, 15)) == 2  # 60 days: SMS + e-mail
    assert permits_expiring_remind(at=at_wib(2029, 11, 2, 8, 15)) == 0
    assert permits_expiring_remind(at=at_wib(2029, 12, 1, 8, 15)) == 2  # 30 days
    assert permits_expiring_remind(at=at_wib(2029, 12, 20, 8, 15)) == 0
    reminders = Notice.objects.filter(event="permit.expiring", channel="sms").order_by("created_at")
    assert [n.idempotency_key.rsplit(":", 1)[1] for n in reminders] == ["60d-2029-12-31", "30d-2029-12-31"]
    assert "31 Desember 2029" in reminders[0].text and "60 hari" in reminders[0].text
    assert reminders[0].related_kind == "permit" and reminders[0].related_id == str(permit.pk)


def test_a_permit_first_seen_inside_30_days_gets_only_the_30_day_reminder(ready_application, fake):
    Permit.objects.filter(application=ready_application).update(valid_until=dt.date(2026, 5, 1))
    assert permits_expiring_remind(at=at_wib(2026, 4, 6, 8, 15)) == 2
    keys = set(Notice.objects.filter(event="permit.expiring").values_list("idempotency_key", flat=True))
    assert all(":30d-" in k for k in keys)
    assert permits_expiring_remind(at=at_wib(2026, 5, 2, 8, 15)) == 0  # expired: no more


# --- overdue --------------------------------------------------------------------------------------


@pytest.fixture
def at_inspection(radiographer, staff, applicant, fake, make_user, office):
    """A file waiting for the Tim Teknis since Tuesday 10 March; the step is due a working day later."""
    for role in ("tim_teknis", "sekretaris", "kepala_dinas"):
        staff[role].email = f"{role}@pekanbaru.go.id"
        staff[role].save()
    second = make_user("tim_teknis-2", office=office, roles=["tim_teknis"])
    second.phone = "+6281311112222"
    second.save()
    app = walk(new_application(radiographer, applicant, at=START), staff, applicant, until="inspection", at=START)
    return Application.objects.get(pk=app.pk), second


def test_an_overdue_step_alerts_the_role_holders_and_their_superior_once(at_inspection, staff):
    app, second = at_inspection
    assert overdue_steps_alert(at=app.step_due_at - dt.timedelta(minutes=1)) == 0
    late = app.step_due_at + dt.timedelta(hours=2)  # Wednesday
    assert overdue_steps_alert(at=late) == 3
    holders = Notice.objects.filter(event="staff.step_overdue")
    assert {(n.user_id, n.channel, n.recipient) for n in holders} == {
        (staff["tim_teknis"].pk, "email", "tim_teknis@pekanbaru.go.id"),
        (second.pk, "sms", "+6281311112222"),
    }
    superior = Notice.objects.get(event="staff.step_overdue_superior")
    assert superior.user_id == staff["sekretaris"].pk  # tim_teknis → sekretaris (SUPERIOR_ROLES)
    assert app.number in superior.text and "Tim Teknis" in superior.text
    assert overdue_steps_alert(at=late + dt.timedelta(days=1)) == 0  # once per stay at the step


def test_a_claimed_overdue_step_alerts_the_claimer_and_a_plh_of_the_superior(at_inspection, staff, make_user, office):
    app, _second = at_inspection
    services.step_claim(application=app, actor=staff["tim_teknis"], step_number=app.current_step)
    plh = make_user("plh-sekretaris")
    plh.email = "plh@pekanbaru.go.id"
    plh.save()
    ActingAppointment.objects.create(
        office=office,
        role="sekretaris",
        acting_user=plh,
        official=staff["sekretaris"],
        valid_from=dt.date(2026, 3, 1),
        valid_to=dt.date(2026, 3, 31),
    )
    overdue_steps_alert(at=app.step_due_at + dt.timedelta(hours=2))
    assert list(Notice.objects.filter(event="staff.step_overdue").values_list("user_id", flat=True)) == [
        staff["tim_teknis"].pk
    ]
    assert set(Notice.objects.filter(event="staff.step_overdue_superior").values_list("user_id", flat=True)) == {
        staff["sekretaris"].pk,
        plh.pk,
    }


def test_no_overdue_alerts_on_a_day_the_office_is_closed(at_inspection):
    _app, _ = at_inspection
    assert overdue_steps_alert(at=at_wib(2026, 3, 14, 8, 0)) == 0  # Saturday
    assert overdue_steps_alert(at=at_wib(2026, 3, 16, 8, 0)) == 3  # Monday


# --- the schedule ---------------------------------------------------------------------------------


def jobs_by_name():
    return {job.name: job for job in scheduler.get_jobs()}


@pytest.mark.parametrize(
    ("name", "after", "fires"),
    [
        ("scan_overdue_steps", at_wib(2026, 3, 13, 8, 0), at_wib(2026, 3, 16, 7, 30)),  # Friday → Monday
        ("scan_uncollected_products", at_wib(2026, 3, 14, 9, 0), at_wib(2026, 3, 15, 8, 0)),  # every day
        ("send_expiry_reminders", at_wib(2026, 3, 14, 8, 0), at_wib(2026, 3, 14, 8, 15)),
        ("draft_complaint_report", at_wib(2026, 3, 14, 8, 0), at_wib(2026, 4, 1, 6, 0)),
        ("dispatch_due_notices", at_wib(2026, 3, 14, 8, 0, 30), at_wib(2026, 3, 14, 8, 1)),
    ],
)
def test_the_periodic_jobs_are_on_the_schedule_in_office_time(name, after, fires):
    job = jobs_by_name()[name]
    assert isinstance(job.trigger, CronTrigger)
    assert job.trigger.get_next_fire_time(None, after) == fires


def test_a_scheduled_job_enqueues_its_task_and_the_worker_runs_it(ready_application, fake, clock):
    """What the scheduler does at 08.00 (enqueue) and what the worker then does (run the scan)."""
    clock.now = at_wib(2026, 4, 10, 8, 0)
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs_by_name()["scan_uncollected_products"].func()
    ran = {name: value for name, _args, value in run_queued()}
    assert ran["scan_uncollected_products"] == 1
    assert OfficeTask.objects.filter(application=ready_application).count() == 1
    assert tasks.scan_uncollected_products.name == "scan_uncollected_products"
