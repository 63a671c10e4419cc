"""
The performance rollup against the card itself (issue 12, part 3: report figures pre-aggregated
per office, day, step and officer, checked equal to the raw computation).
"""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from satupintu.reports import rollup
from satupintu.reports.models import CardDay, RollupState, SlaDay
from satupintu.reports.selectors import (
    percentile_cont,
    performance_rows,
    performance_rows_raw,
    period_bounds,
    sla_by_service,
    sla_by_service_raw,
)
from satupintu.reports.tests.conftest import MONDAY, at, run
from satupintu.surveys.periods import period_parse

pytestmark = pytest.mark.django_db

AFTER = at(dt.date(2026, 3, 20), 10, 0)  # the card's files all ended before this day
GROUPINGS = [("officer", "step"), ("officer",), ("step",), ("service",), ("officer", "step", "service")]


def _close(a, b):
    """The histogram's promise: within a minute below two hours, within 5 % above."""
    if a is None or b is None:
        return a is b
    return abs(a - b) <= max(60.0, 0.05 * max(a, b))


def _assert_same(office, start, end, *, service=None):
    for by in GROUPINGS:
        rolled = performance_rows(office=office, start=start, end=end, by=by, service=service)
        raw = performance_rows_raw(office=office, start=start, end=end, by=by, service=service)
        key = lambda r: (r.actor_id, r.step_label, r.step_kind, r.role, r.service_id)  # noqa: E731
        rolled_by, raw_by = {key(r): r for r in rolled}, {key(r): r for r in raw}
        assert rolled_by.keys() == raw_by.keys(), by
        for k, r in raw_by.items():
            s = rolled_by[k]
            exact = ("handled", "on_time", "late", "standard_seconds", "excess_seconds", "actor_name", "service_name")
            assert [getattr(s, f) for f in exact] == [getattr(r, f) for f in exact], (by, k)
            assert s.mean_seconds == pytest.approx(r.mean_seconds)
            assert _close(s.median_seconds, r.median_seconds) and _close(s.p90_seconds, r.p90_seconds), (by, k)
    rolled_sla = sla_by_service(office=office, start=start, end=end)
    raw_sla = sla_by_service_raw(office=office, start=start, end=end)
    assert [(r.service_id, r.finished, r.on_time) for r in rolled_sla] == [
        (r.service_id, r.finished, r.on_time) for r in raw_sla
    ]


def test_the_rollup_gives_the_cards_figures_for_every_grouping(card, office):
    """Every count and sum equals the card's; median and p90 within the histogram's resolution."""
    service, _files = card
    written = rollup.rollup_office(office=office, now=AFTER)
    state = RollupState.objects.get(office=office)
    assert state.complete_through == dt.date(2026, 3, 19) and written == CardDay.objects.count() > 0
    assert SlaDay.objects.filter(office=office).exists()
    for period in ("2026-03", "2026", "2026-T1", "2026-03-09"):
        start, end = period_bounds(office, period_parse(period))
        _assert_same(office, start, end)
    start, end = period_bounds(office, period_parse("2026"))
    _assert_same(office, start, end, service=service)


def test_days_after_the_rollup_are_read_from_the_card(card, office, staff, applicant):
    """Today is never summed: a file worked after the last run counts at once, from the card."""
    service, _files = card
    rollup.rollup_office(office=office, now=AFTER)
    before = {r.step_label: r.handled for r in performance_rows(office=office, **_bounds(office), by=("step",))}
    run(service, staff, applicant, start=at(dt.date(2026, 3, 20), 8, 0), front=30, teknis=45, muda=6)
    after = {r.step_label: r.handled for r in performance_rows(office=office, **_bounds(office), by=("step",))}
    assert after["2"] == before["2"] + 1 and after["4"] == before["4"] + 1
    _assert_same(office, **_bounds(office))


def test_a_later_run_sums_new_days_and_back_dated_entries_once(card, office, staff, applicant):
    """Repeated runs never double-count; entries written into an already summed day count after the next run."""
    service, _files = card
    rollup.rollup_office(office=office, now=AFTER)
    rollup.rollup_office(office=office, now=AFTER)
    _assert_same(office, **_bounds(office))
    # Back-dated into Tuesday 10 March (already summed) and worked on 20 March (not summed yet).
    run(service, staff, applicant, start=at(MONDAY + dt.timedelta(days=1), 8, 0), front=15, teknis=20, muda=3)
    run(service, staff, applicant, start=at(dt.date(2026, 3, 20), 8, 0), front=30, teknis=45, muda=6)
    rollup.rollup_office(office=office, now=at(dt.date(2026, 3, 23), 8, 0))
    assert RollupState.objects.get(office=office).complete_through == dt.date(2026, 3, 22)
    _assert_same(office, **_bounds(office))
    [front] = [
        r
        for r in performance_rows(office=office, **_bounds(office), by=("officer", "step"))
        if r.actor_id == staff["front_office"].pk and r.step_label == "2"
    ]
    assert front.handled == 6


def test_without_a_rollup_or_for_part_days_the_card_is_read(card, office):
    """No rollup yet, or a period that does not start at an office midnight: the exact raw figures."""
    start, end = period_bounds(office, period_parse("2026-03"))
    assert performance_rows(office=office, start=start, end=end) == performance_rows_raw(
        office=office, start=start, end=end
    )
    rollup.rollup_office(office=office, now=AFTER)
    noon = start + dt.timedelta(hours=12)
    assert performance_rows(office=office, start=noon, end=end) == performance_rows_raw(
        office=office, start=noon, end=end
    )


def test_the_command_rebuilds_every_office(card, office):
    call_command("reports_rollup", "--rebuild", verbosity=0)
    assert RollupState.objects.filter(office=office).exists()
    _assert_same(office, **_bounds(office))


@pytest.mark.parametrize("seed", range(5))
def test_histogram_percentiles_stay_within_the_stated_resolution(seed):
    """Against exact percentile_cont on random worked times from seconds to days."""
    rng = random.Random(seed)
    values = sorted(int(rng.lognormvariate(7, 1.6)) for _ in range(rng.randint(1, 400)))
    histogram: dict[int, int] = {}
    for v in values:
        histogram[rollup.bucket_of(v)] = histogram.get(rollup.bucket_of(v), 0) + 1
    for fraction in (0.5, 0.9):
        assert _close(rollup.histogram_percentile(histogram, fraction), percentile_cont(values, fraction))


def _bounds(office):
    start, end = period_bounds(office, period_parse("2026-03"))
    return {"start": start, "end": end}


def test_an_applicants_withdrawal_is_no_officers_work(card, office, services_loaded, staff, applicant):
    """
    An applicant who withdraws closes the current office step on the card as ``pemohon``: the
    per-step figures count it, the per-officer ones (the staff performance page) leave it out,
    rollup and card alike. Listed, every applicant who withdrew appeared on the staff page as an
    officer (1,244 of them in the biggest office's year at 1M files).
    """
    # given a fifth file the applicant withdraws while it waits for the back office's draft
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, all_sesuai, upload_all

    service = services_loaded["izin-kerja-radiografer"]
    now = at(MONDAY, 8, 0)
    app = services.application_create(
        office=office, service=service, actor=applicant, data=FORM_DATA[service.code], at=now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=now)
    bap = {"date": MONDAY.isoformat(), "team": ["tim_teknis-1"], "findings": "Sesuai.", "recommendation": "Layak."}
    for number, role, outcome, data in [
        (2, "front_office", "complete", all_sesuai(app)),
        (3, "tim_teknis", "recommend", {"bap": bap}),
    ]:
        now += dt.timedelta(minutes=10)
        app = services.step_complete(
            application=app, actor=staff[role], step_number=number, outcome=outcome, at=now, data=data
        )
    services.application_withdraw(
        application=app, actor=applicant, reason="Pindah tempat kerja.", at=now + dt.timedelta(minutes=30)
    )
    rollup.rollup_office(office=office, now=AFTER)
    start, end = period_bounds(office, period_parse("2026-03"))

    for compute in (performance_rows, performance_rows_raw):
        # then no officer row is the applicant's
        by_officer = compute(office=office, start=start, end=end, by=("officer",))
        assert applicant.pk not in {r.actor_id for r in by_officer}, compute
        assert {r.actor_id for r in by_officer} <= {u.pk for u in staff.values()}
        # and the step's own figures still count the withdrawal
        by_step = compute(office=office, start=start, end=end, by=("step",))
        draft = [r for r in by_step if r.step_kind == "draft"]
        assert sum(r.handled for r in draft) == 5, (compute, draft)
    _assert_same(office, start, end)
