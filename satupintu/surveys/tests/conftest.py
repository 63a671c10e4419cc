import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, WIB, all_sesuai, upload_all


@pytest.fixture
def collected(services_loaded, staff, applicant):
    """A radiographer file taken through every step and collected at the counter on 12 March 2026."""
    service = services_loaded["izin-kerja-radiografer"]
    now = dt.datetime(2026, 3, 9, 8, 0, tzinfo=WIB)
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=now)
    bap = {"date": "2026-03-09", "team": ["tim_teknis-1"], "findings": "Sesuai.", "recommendation": "Layak."}
    for number, role, outcome, extra in [
        (2, "front_office", "complete", {"data": "checklist"}),
        (3, "tim_teknis", "recommend", {"data": {"bap": bap}}),
        (4, "back_office", "drafted", {}),
        (5, "analis_muda", "approve", {}),
        (6, "analis_madya", "approve", {}),
        (7, "sekretaris", "approve", {}),
        (8, "kepala_dinas", "approve", {}),
        (9, "back_office", "numbered", {}),
        (10, "front_office", "pickup", {"data": HANDOVER_SELF}),
    ]:
        now += dt.timedelta(minutes=5)
        if extra.get("data") == "checklist":
            extra = {"data": all_sesuai(app)}
        app = services.step_complete(
            application=app, actor=staff[role], step_number=number, outcome=outcome, at=now, **extra
        )
    return app


def answers(*values):
    """``answers(4, 3, …)`` → {"U1": 4, "U2": 3, …}; one value repeats for all nine."""
    if len(values) == 1:
        values = values * 9
    return {f"U{i}": v for i, v in enumerate(values, start=1)}
