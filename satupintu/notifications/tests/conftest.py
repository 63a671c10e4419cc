"""Fixtures for notice tests: the fake gateway, a controllable clock, an in-process task runner."""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, WIB, forward_data, upload_all

BAP = {"date": "2026-03-11", "team": ["tim_teknis-1"], "findings": "Sesuai.", "recommendation": "Layak."}
OUTCOME_OF = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
    "handover": "pickup",
}


@pytest.fixture
def fake(settings):
    """Every gateway channel is the fake; it starts empty."""
    from satupintu.notifications.channels import fake_gateway

    settings.SATUPINTU_SMS = {"BACKEND": "fake"}
    settings.SATUPINTU_WHATSAPP = {"BACKEND": "fake"}
    settings.SATUPINTU_EMAIL = {"BACKEND": "fake"}
    fake_gateway.reset()
    yield fake_gateway
    fake_gateway.reset()


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """``django.utils.timezone.now`` under the test's control (the task queue's run_after uses it too)."""
    from django.utils import timezone

    fixed = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", fixed)
    return fixed


def run_queued(limit: int = 100) -> list:
    """Run the tasks that are due, in this process, as the db worker would (claim → call → record)."""
    from django.test import TestCase
    from django_tasks_db.models import DBTaskResult

    results = []
    for _ in range(limit):
        row = DBTaskResult.objects.ready().order_by("priority", "enqueued_at").first()
        if row is None:
            break
        row.claim("test-worker")
        try:
            # The worker runs outside the test's transaction: after-commit work runs at once.
            with TestCase.captureOnCommitCallbacks(execute=True):
                value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
        except Exception as exc:
            row.set_failed(exc)
            raise
        row.set_successful(value)
        results.append((row.task_name, row.task_result.args, value))
    return results


def queued_tasks(name: str | None = None):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
    return [r for r in rows if name is None or r.task_path.endswith("." + name)]


def new_application(service, applicant, *, at, data=None):
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=data or FORM_DATA[service.code], at=at
    )
    upload_all(app, applicant)
    return app


def walk(app, staff, applicant, *, until: str, at: dt.datetime, step_minutes: int = 5) -> Application:
    """Complete steps with the happy outcome until the application waits at a step of kind ``until``."""
    spec = services.spec_for(app)
    now = at
    while True:
        step = spec.step(app.current_step)
        if step.kind == until:
            return app
        actor = applicant if step.kind == "submit" else staff[step.roles[0]]
        app = services.step_complete(
            application=app,
            actor=actor,
            step_number=step.number,
            outcome=OUTCOME_OF[step.kind],
            data=forward_data(app, step.kind, now),
            at=now,
        )
        now += dt.timedelta(minutes=step_minutes)


@pytest.fixture
def radiographer(services_loaded):
    return services_loaded["izin-kerja-radiografer"]


@pytest.fixture
def ready_application(radiographer, staff, applicant, fake, django_capture_on_commit_callbacks):
    """A radiographer application finished on Tuesday 10 March 2026 and waiting at handover."""
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)
    app = new_application(radiographer, applicant, at=start)
    app = walk(app, staff, applicant, until="handover", at=start + dt.timedelta(minutes=5))
    return Application.objects.get(pk=app.pk)
