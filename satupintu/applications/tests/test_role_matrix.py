"""
Each role can act only on its own step, in its own office (DESIGN §5; seed SOP, Pelaksana columns).

One radiographer application is walked through every step; at each step every other role, the
right role in another office, and another applicant are refused before the right role completes it.
"""

import datetime as dt

import pytest

from satupintu.accounts.roles import Role
from satupintu.applications import services
from satupintu.applications.models import Status
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, forward_data, fresh, upload_all
from satupintu.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db

FORWARD = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
    "handover": "pickup",
}


@pytest.mark.parametrize("code", ["izin-kerja-radiografer", "izin-reklame-kecil"])
def test_every_step_refuses_every_role_but_its_own(code, services_loaded, staff, applicant, make_office, make_user):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded[code]
    other_office = make_office()
    outsiders = {role: make_user(f"luar-{role}", office=other_office, roles=[role]) for role in staff}
    other_applicant = make_user("pemohon-lain")
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[code], at=clock.now
    )
    upload_all(app, applicant)
    spec = services.spec_for(app)
    checked = 0
    for step in spec.sop.steps:
        outcome = FORWARD[step.kind]
        data = forward_data(app, step.kind, clock.now)
        allowed = set(step.roles)
        candidates = [(role, user) for role, user in staff.items() if role not in allowed]
        candidates += [(f"{role} (kantor lain)", user) for role, user in outsiders.items()]
        candidates += [("pemohon lain", other_applicant)]
        if Role.PEMOHON not in allowed:
            candidates.append(("pemohon", applicant))
        for label, user in candidates:
            try:
                services.step_complete(
                    application=app,
                    actor=user,
                    step_number=step.number,
                    outcome=outcome,
                    data=data,
                    at=clock.tick(minutes=1),
                )
            except PermissionDenied:
                checked += 1
            else:
                pytest.fail(f"{label} completed step {step.label or step.number} ({step.kind})")
        assert fresh(app).current_step == step.number, "a refused attempt must change nothing"
        actor = applicant if step.kind == "submit" else staff[step.roles[0]]
        app = services.step_complete(
            application=app, actor=actor, step_number=step.number, outcome=outcome, data=data, at=clock.tick(minutes=3)
        )
    assert app.status == Status.COLLECTED
    assert checked > 10 * len(spec.sop.steps)


def test_a_plh_acts_for_the_absent_kepala_dinas_and_the_card_shows_both(services_loaded, staff, applicant):
    """DESIGN §1: the control card records both names ("Plh.")."""
    from satupintu.accounts.services import acting_appoint
    from satupintu.control_card.models import ControlCardEntry

    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    acting_appoint(
        office=service.office,
        role=Role.KEPALA_DINAS,
        acting_user=staff["sekretaris"],
        official=staff["kepala_dinas"],
        valid_from=dt.date(2026, 6, 1),
        valid_to=dt.date(2026, 6, 5),
        decree_number="800/55/2026",
    )
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    for outcome, actor in [
        ("complete", "front_office"),
        ("drafted", "back_office"),
        ("approve", "analis_madya"),
        ("approve", "sekretaris"),
    ]:
        app = services.step_complete(
            application=app,
            actor=staff[actor],
            step_number=app.current_step,
            outcome=outcome,
            data=all_sesuai(app) if outcome == "complete" else None,
            at=clock.tick(minutes=5),
        )
    app = services.step_complete(
        application=app,
        actor=staff["sekretaris"],
        step_number=app.current_step,
        outcome="approve",
        at=clock.tick(minutes=5),
    )
    entry = ControlCardEntry.objects.get(application=app, step_kind="sign")
    assert entry.actor == staff["sekretaris"] and entry.acting_for == staff["kepala_dinas"]
    assert entry.role == "kepala_dinas" and entry.acting_for_name == staff["kepala_dinas"].display_name
    # After the appointment ends the sekretaris can no longer sign.
    app2 = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app2, applicant)
    later = Clock(dt.datetime(2026, 6, 8, 8, 30, tzinfo=WIB))
    app2 = services.application_submit(application=app2, actor=applicant, at=later.now)
    for outcome, actor in [
        ("complete", "front_office"),
        ("drafted", "back_office"),
        ("approve", "analis_madya"),
        ("approve", "sekretaris"),
    ]:
        app2 = services.step_complete(
            application=app2,
            actor=staff[actor],
            step_number=app2.current_step,
            outcome=outcome,
            data=all_sesuai(app2) if outcome == "complete" else None,
            at=later.tick(minutes=5),
        )
    with pytest.raises(PermissionDenied):
        services.step_complete(
            application=app2,
            actor=staff["sekretaris"],
            step_number=app2.current_step,
            outcome="approve",
            at=later.tick(minutes=5),
        )
