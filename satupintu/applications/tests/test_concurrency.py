"""
Two officers completing the same step at the same moment: exactly one wins, the other gets a
Conflict (HTTP 409) and nothing is recorded twice (DESIGN §5). Run on PostgreSQL, where row locks
are real; SQLite serialises writers and is covered by the sequential stale-step test.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, upload_all
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check
from satupintu.core.errors import Conflict


@pytest.mark.django_db
def test_a_stale_step_number_is_a_conflict(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=5),
        data=all_sesuai(app),
    )
    with pytest.raises(Conflict) as excinfo:
        services.step_complete(
            application=app,
            actor=staff["front_office"],
            step_number=2,
            outcome="complete",
            at=clock.tick(minutes=1),
            data=all_sesuai(app),
        )
    assert excinfo.value.http_status == 409


@pytest.mark.django_db
def test_a_claimed_step_belongs_to_its_claimer(services_loaded, staff, make_user, applicant):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    second = make_user("front_office-2", office=service.office, roles=["front_office"])
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    services.step_claim(application=app, actor=staff["front_office"], step_number=2)
    with pytest.raises(Conflict):
        services.step_claim(application=app, actor=second, step_number=2)
    with pytest.raises(Conflict):
        services.step_complete(
            application=app,
            actor=second,
            step_number=2,
            outcome="complete",
            at=clock.tick(minutes=1),
            data=all_sesuai(app),
        )
    services.step_release(application=app, actor=staff["front_office"])
    app = services.step_complete(
        application=app, actor=second, step_number=2, outcome="complete", at=clock.tick(minutes=1), data=all_sesuai(app)
    )
    assert app.current_step == 3 and app.claimed_by is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_completing_the_same_step_at_once_one_wins(services_loaded, staff, make_user, applicant):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL")
    service = services_loaded["izin-reklame-kecil"]
    second = make_user("front_office-2", office=service.office, roles=["front_office"])
    rounds = 5
    for round_no in range(rounds):
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code]
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant)
        barrier = threading.Barrier(2)
        results: list[str] = []

        def work(officer, app_pk=app.pk, barrier=barrier, results=results):
            from django.db import connection as thread_connection

            try:
                target = Application.objects.get(pk=app_pk)
                barrier.wait()
                try:
                    services.step_complete(
                        application=target, actor=officer, step_number=2, outcome="complete", data=all_sesuai(target)
                    )
                    results.append("won")
                except Conflict:
                    results.append("409")
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=work, args=(officer,)) for officer in (staff["front_office"], second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == ["409", "won"], f"round {round_no}"
        app.refresh_from_db()
        assert app.current_step == 3
        assert ControlCardEntry.objects.filter(application=app, step_number=2).count() == 1
        assert card_check(app.pk, head_hash=app.card_head_hash).ok
