"""The card the report tests share: four radiographer files and one waiting at the counter."""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, WIB, all_sesuai, upload_all

SERVICE = "izin-kerja-radiografer"
MONDAY = dt.date(2026, 3, 9)


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def run(service, staff, applicant, *, start, front, teknis, muda, day2=None):
    """One radiographer file: front office takes ``front`` minutes, analis muda ``muda``; Tim Teknis
    finishes ``teknis`` minutes after it receives the file, or at ``day2`` 09:00 when given."""
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[SERVICE], at=start
    )
    upload_all(app, applicant)
    now = start
    app = services.application_submit(application=app, actor=applicant, at=now)

    def step(number, role, outcome, minutes=None, when=None, **kw):
        nonlocal app, now
        now = when or now + dt.timedelta(minutes=minutes)
        app = services.step_complete(
            application=app, actor=staff[role], step_number=number, outcome=outcome, at=now, **kw
        )

    step(2, "front_office", "complete", front, data=all_sesuai(app))
    inspected = day2 or start.date()  # the BAP is dated on the inspection day
    bap = {"date": inspected.isoformat(), "team": ["tim_teknis-1"], "findings": "Sesuai.", "recommendation": "Layak."}
    step(3, "tim_teknis", "recommend", teknis, when=at(day2, 9, 0) if day2 else None, data={"bap": bap})
    step(4, "back_office", "drafted", 3)
    step(5, "analis_muda", "approve", muda)
    step(6, "analis_madya", "approve", 10)
    step(7, "sekretaris", "approve", 10)
    step(8, "kepala_dinas", "approve", 20)
    step(9, "back_office", "numbered", 2)
    step(10, "front_office", "pickup", 60, data=HANDOVER_SELF)
    return app


@pytest.fixture
def card(services_loaded, staff, applicant):
    """
    Four files through the radiographer SOP, plus one waiting at the counter:

    | file | front office (std 35 m) | analis muda (std 5 m) | Tim Teknis (1 hari) |
    |------|------------------------|-----------------------|---------------------|
    | A    | 20 m                   | 5 m                   | 30 m                |
    | B    | 40 m — late            | 8 m — late            | 30 m                |
    | C    | 10 m                   | 2 m                   | 30 m                |
    | D    | 25 m                   | 4 m                   | Mon 08:25 → Thu 09:00, late: misses the 2-day target |
    """
    service = services_loaded[SERVICE]
    files = {
        "A": run(service, staff, applicant, start=at(MONDAY, 8, 0), front=20, teknis=30, muda=5),
        "B": run(service, staff, applicant, start=at(MONDAY, 8, 0), front=40, teknis=30, muda=8),
        "C": run(service, staff, applicant, start=at(MONDAY, 8, 0), front=10, teknis=30, muda=2),
        "D": run(
            service, staff, applicant, start=at(MONDAY, 8, 0), front=25, teknis=0, muda=4, day2=dt.date(2026, 3, 12)
        ),
    }
    waiting = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[SERVICE], at=at(MONDAY, 8, 0)
    )
    upload_all(waiting, applicant)
    services.application_submit(application=waiting, actor=applicant, at=at(MONDAY, 9, 0))
    return service, files
