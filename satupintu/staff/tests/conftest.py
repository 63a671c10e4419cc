"""Helpers for the staff pages' tests: files set up through the services, pages driven through the client."""

import datetime as dt

import pytest
from django.urls import reverse

from satupintu.applications import services
from satupintu.applications.models import Application, Channel
from satupintu.applications.tests.conftest import FORM_DATA, forward_data, upload_all

PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"


def app_url(app: Application, name: str = "staff:application") -> str:
    return reverse(name, args=[app.number])


def act_url(app: Application) -> str:
    return reverse("staff:act", args=[app.number])


@pytest.fixture
def paramedik(services_loaded):
    return services_loaded[PARAMEDIK]


@pytest.fixture
def submitted(paramedik, staff):
    """A paramedik file registered at the counter, every scan uploaded and handed in: at the completeness check."""

    def make(*, at: dt.datetime | None = None) -> Application:
        front = staff["front_office"]
        app = services.application_create(
            office=paramedik.office,
            service=paramedik,
            actor=front,
            data=FORM_DATA[PARAMEDIK],
            channel=Channel.COUNTER,
            at=at,
        )
        upload_all(app, front)
        return services.application_submit(application=app, actor=front, at=at)

    return make


FORWARD = {
    "completeness_check": "complete",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
}


def advance(app: Application, staff: dict, *, until_kind: str) -> Application:
    """Complete steps through the services, each by its role, until the file waits at a step of ``until_kind``."""
    spec = services.spec_for(app)
    while (step := spec.step(app.current_step)).kind != until_kind:
        app = services.step_complete(
            application=app,
            actor=staff[app.current_role],
            step_number=step.number,
            outcome=FORWARD[step.kind],
            data=forward_data(app, step.kind),
        )
    return app
