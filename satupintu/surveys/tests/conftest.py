import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, WIB, all_sesuai, upload_all


@pytest.fixture
def collected(services_loaded, staff, applicant):
    """A radiographer file taken through every step and collected at the counter on 12 March 2026."""
    return collect_file(services_loaded, staff, applicant)


def collect_file(services_loaded, staff, applicant):
    """Take a radiographer file through every step to its collection (the ``collected`` fixture's body)."""
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


_served_seq = iter(range(1, 10**6))


@pytest.fixture
def served(services_loaded):
    """
    ``served(n, day=date(2026, 3, 12))``: n applications of a service collected that day, so the
    period's population (the respondents a survey may hold) is n. Bare rows, no SOP run.
    """
    from satupintu.applications.models import Application, Channel, Status

    def make(n, *, day=dt.date(2026, 3, 12), service=None):
        service = service or services_loaded["izin-kerja-radiografer"]
        version = service.versions.order_by("-pk").first()
        closed = dt.datetime.combine(day, dt.time(10, 0), tzinfo=WIB)
        rows = []
        for _ in range(n):
            k = next(_served_seq)
            rows.append(
                Application(
                    office=service.office,
                    number=f"SERVED-{k:06d}",
                    tracking_code=f"T{k:06d}",
                    service=service,
                    standard_version=version,
                    channel=Channel.COUNTER,
                    applicant_name="Pengguna Layanan",
                    applicant_nik="1471010101010001",
                    status=Status.COLLECTED,
                    closed_at=closed,
                )
            )
        Application.objects.bulk_create(rows)
        return rows

    return make


@pytest.fixture
def approve(staff):
    """Approve a batch as the Sekretaris (a second officer, neither collector nor the one who entered it)."""
    from satupintu.surveys import services

    def run(batch):
        return services.survey_batch_decide(batch=batch, actor=staff["sekretaris"], approve=True)

    return run


@pytest.fixture
def paper_batch(office, staff):
    """``paper_batch(period="2026-05")``: an open batch of paper questionnaires collected by the front office."""
    from satupintu.surveys import services

    def make(*, period="2026-05", service=None, collected_on=dt.date(2026, 5, 20), actor=None):
        return services.survey_batch_open(
            office=office,
            actor=actor or staff["front_office"],
            collected_on=collected_on,
            place="Kotak survei ruang loket",
            period=period,
            service=service,
            at=dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC),
        )

    return make
