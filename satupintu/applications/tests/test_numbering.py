"""Numbering per office, service and year: gap-free, no doubles, in the office's format (DESIGN §5)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from satupintu.applications.models import NumberSeries
from satupintu.applications.numbering import format_number, registration_number, series_next


@pytest.mark.django_db
def test_numbers_count_up_per_series_and_restart_each_year(office, make_office):
    other = make_office()
    with transaction.atomic():
        assert [series_next(office=office, key="izin:a", year=2026) for _ in range(3)] == [1, 2, 3]
        assert series_next(office=office, key="izin:b", year=2026) == 1
        assert series_next(office=other, key="izin:a", year=2026) == 1
        assert series_next(office=office, key="izin:a", year=2027) == 1


@pytest.mark.django_db
def test_a_rolled_back_step_gives_its_number_back(office):
    """No gap: a number taken by a transaction that fails is taken again by the next one."""
    with transaction.atomic():
        assert series_next(office=office, key="izin:a", year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert series_next(office=office, key="izin:a", year=2026) == 2
        raise RuntimeError("step failed after numbering")
    with transaction.atomic():
        assert series_next(office=office, key="izin:a", year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_numbers_must_be_taken_inside_a_transaction(office):
    with pytest.raises(RuntimeError):
        series_next(office=office, key="izin:a", year=2026)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("500.16.7.2/{seq:04d}/SIKR/DPMPTSP/{year}", "500.16.7.2/0112/SIKR/DPMPTSP/2024"),
        ("503/{seq:04d}/DPMPTSP-SIKR/{roman_month}/{year}", "503/0112/DPMPTSP-SIKR/XI/2024"),
        ("503/{seq:04d}/{short_code}/DPM-PTSP/{year}", "503/0112/SIPD/DPM-PTSP/2024"),
    ],
)
def test_number_formats_of_old_and_new_classification_codes(template, expected):
    assert format_number(template, seq=112, when=dt.date(2024, 11, 5), short_code="SIPD") == expected


@pytest.mark.django_db
def test_registration_numbers_carry_the_office_prefix(office):
    office.registration_prefix = "PKU"
    office.save()
    with transaction.atomic():
        assert registration_number(office=office, when=dt.date(2026, 11, 23)) == "PKU-2026-000001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_stays_gap_free(office):
    """Eight officers numbering at once for a while: every number 1..N exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers by design)")
    threads, per_thread = 8, 15
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    value = series_next(office=office, key="izin:concurrent", year=2026)
                with lock:
                    taken.append(value)
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(taken) == list(range(1, threads * per_thread + 1))
    assert NumberSeries.objects.get(key="izin:concurrent").last_value == threads * per_thread


@pytest.mark.django_db
def test_three_offices_issue_permits_with_the_same_format_on_the_same_day(make_office, make_user, applicant):
    """Issue 12 (many offices): a second office's first signature of the year failed with an IntegrityError."""
    from django.conf import settings

    from satupintu.accounts.roles import Role
    from satupintu.applications import services
    from satupintu.applications.models import Permit
    from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, forward_data, upload_all
    from satupintu.catalogue.loader import standard_load
    from satupintu.catalogue.tests.standards import text_with_fee_set

    code = "izin-praktik-paramedik-asisten-teknik-reproduksi"
    numbers = {}
    for i, prefix in enumerate(["PKU", "DUM", "SIAK"]):
        office = make_office(registration_prefix=prefix)
        path = settings.SATUPINTU_STANDARDS_DIR / f"{code}.yaml"
        service = standard_load(office=office, text=text_with_fee_set(path)).service
        staff = {
            r.value: make_user(f"{prefix}-{r.value}", office=office, roles=[r.value]) for r in Role if r != "pemohon"
        }
        clock = Clock(dt.datetime(2026, 6, 2, 9, 0, tzinfo=WIB))
        app = services.application_create(
            office=office, service=service, actor=applicant, data=FORM_DATA[code], at=clock.now
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
        while services.spec_for(app).step(app.current_step).kind != "handover":
            step = services.spec_for(app).step(app.current_step)
            app = services.step_complete(
                application=app,
                actor=staff[app.current_role],
                step_number=step.number,
                outcome=step.outcomes[0],
                data=forward_data(app, step.kind, clock.now),
                at=clock.tick(minutes=2 + i),
            )
        numbers[prefix] = (app.number, Permit.objects.get(application=app).number)
    assert {permit for _reg, permit in numbers.values()} == {"500.16.7.2/0001/SIP-ATR/DPMPTSP/2026"}
    assert [reg for reg, _permit in numbers.values()] == ["PKU-2026-000001", "DUM-2026-000001", "SIAK-2026-000001"]


def test_a_format_may_carry_the_offices_code():
    assert format_number("503/{seq:04d}/{office_code}/{year}", seq=7, when=dt.date(2026, 6, 2), office_code="DUM") == (
        "503/0007/DUM/2026"
    )
