"""Fixtures for complaint tests: a complaint office with its officers, files in a temporary media root."""

import datetime as dt
import io

import pytest

from satupintu.applications.tests.conftest import PDF  # a real one-page PDF

WIB = dt.timezone(dt.timedelta(hours=7))
#: A Monday 09.00 WIB in a week without holidays (10 March 2026).
MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _history_trigger(request):
    """Keep the history's SQLite DELETE trigger in force (a browser test lifts it for its flush)."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        yield
        return
    from django.db import connection

    from satupintu.complaints import triggers

    request.getfixturevalue("_django_db_helper" if request.node.get_closest_marker("django_db") else "db")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_NO_DELETE)
    yield


@pytest.fixture
def fake(settings):
    from satupintu.notifications.channels import fake_gateway

    settings.SATUPINTU_SMS = {"BACKEND": "fake"}
    settings.SATUPINTU_EMAIL = {"BACKEND": "fake"}
    fake_gateway.reset()
    yield fake_gateway
    fake_gateway.reset()


@pytest.fixture
def officers(staff, office):
    """The complaint roles of the office (and the others, to prove they may not act)."""
    office.phone = "(0761) 28262"
    office.registration_prefix = "PKU"
    office.save()
    return staff


def pdf_file():
    return ("surat-pengaduan.pdf", io.BytesIO(PDF))
