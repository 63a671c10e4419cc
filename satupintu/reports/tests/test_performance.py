"""
Staff performance from the kartu kendali, checked against a card computed by hand.

Seed, Evaluasi kinerja pelaksana b ("Penilaian kinerja pegawai oleh Subbagian Umum dan
Kepegawaian") and Pengawasan internal c (the card shows where a delay happened).
"""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, WIB, all_sesuai, upload_all
from satupintu.reports.selectors import (
    backlog,
    late_entries,
    percentile_cont,
    performance_rows,
    period_bounds,
    sla_by_service,
)
from satupintu.surveys.periods import period_parse

pytestmark = pytest.mark.django_db

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
    bap = {"date": "2026-03-09", "team": ["tim_teknis-1"], "findings": "Sesuai.", "recommendation": "Layak."}
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


def rows_by(office, **kw):
    start, end = period_bounds(office, period_parse("2026-03"))
    return performance_rows(office=office, start=start, end=end, by=("officer", "step"), **kw)


def test_performance_per_officer_and_step_matches_the_hand_computed_card(card, staff, office):
    rows = {(r.actor_id, r.step_label): r for r in rows_by(office)}

    front = rows[(staff["front_office"].pk, "2")]
    # worked 600, 1200, 1500, 2400 s: median (1200+1500)/2; p90 at rank 2.7 = 1500 + 0.7 × 900.
    assert (front.handled, front.on_time, front.late) == (4, 3, 1)
    assert (front.median_seconds, front.p90_seconds) == (1350.0, 2130.0)
    assert front.standard_seconds == 35 * 60 and front.on_time_share == 0.75
    assert front.excess_seconds == 300  # B: 40 m against 35 m
    assert front.mean_seconds == (600 + 1200 + 1500 + 2400) / 4

    muda = rows[(staff["analis_muda"].pk, "4")]
    # worked 120, 240, 300, 480 s.
    assert (muda.handled, muda.late, muda.median_seconds, muda.p90_seconds) == (4, 1, 270.0, 426.0)
    assert muda.excess_seconds == 180

    teknis = rows[(staff["tim_teknis"].pk, "2a")]
    assert (teknis.handled, teknis.late, teknis.standard_seconds) == (4, 1, None)

    # Only office time is judged: the applicant's submit and the handover wait are not.
    assert {r.step_kind for r in rows.values()} >= {"completeness_check", "inspection", "draft", "initial", "sign"}
    assert not {"submit", "handover"} & {r.step_kind for r in rows.values()}
    back = [r for r in rows.values() if r.actor_id == staff["back_office"].pk]
    assert sorted((r.step_label, r.handled) for r in back) == [("3", 4), ("8", 4)]  # draft (seed 3), number (seed 8)


def test_delays_are_attributed_to_the_step_and_officer_where_they_happened(card, staff, office):
    start, end = period_bounds(office, period_parse("2026-03"))
    late = list(late_entries(office=office, start=start, end=end))
    assert sorted((e.role, e.step_label) for e in late) == [
        ("analis_muda", "4"),
        ("front_office", "2"),
        ("tim_teknis", "2a"),
    ]


def test_sla_compliance_per_service_counts_files_finished_by_their_target(card, office):
    service, _files = card
    start, end = period_bounds(office, period_parse("2026"))
    [row] = sla_by_service(office=office, start=start, end=end)
    assert (row.service_name, row.finished, row.on_time) == (service.name, 4, 3)
    assert row.share == 0.75


def test_backlog_is_what_waits_now_per_role_and_how_much_is_overdue(card, office):
    [row] = backlog(office=office, now=at(MONDAY, 10, 0))
    assert (row.role, row.claimed_by_id, row.open, row.overdue) == ("front_office", None, 1, 1)
    [row] = backlog(office=office, now=at(MONDAY, 9, 10))
    assert row.overdue == 0


def test_grouping_by_service_only_sums_every_officer(card, office, staff):
    start, end = period_bounds(office, period_parse("2026-03"))
    [row] = performance_rows(office=office, start=start, end=end, by=("service",))
    assert row.handled == 4 * 8 and row.late == 3


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.5, None), ([5], 0.9, 5.0), ([1, 2, 3, 4], 0.5, 2.5), ([10, 20, 30, 40, 50], 0.9, 46.0)],
)
def test_portable_percentile_interpolates_like_postgresql(values, fraction, expected):
    assert percentile_cont(values, fraction) == expected
