"""
The whole SOP of each service, run by the generic engine from the service definitions.

Seed, SOP rows 1–9; Pengawasan internal a–c (the kartu kendali with paraf and times).
"""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Channel, Permit, Status
from satupintu.applications.tests.conftest import (
    FORM_DATA,
    HANDOVER_SELF,
    WIB,
    Clock,
    all_sesuai,
    bap_for,
    forward_data,
    fresh,
    upload_all,
)
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check, delays_of

pytestmark = pytest.mark.django_db

BAP = {
    "date": "2026-03-11",
    "team": ["tim_teknis-1"],
    "findings": "Tempat kerja sesuai; alat radiologi berizin BAPETEN.",
    "recommendation": "Layak diberikan izin kerja.",
}


def test_a_radiographer_application_goes_through_every_step_and_the_card_records_it(services_loaded, staff, applicant):
    """Apply → returned once → fixed → complete → BAP → draft → three paraf (one revise) → sign → number → pickup."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))  # Monday
    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    assert app.status == Status.DRAFT and app.number == f"{service.office.slug.upper()}-2026-000001"
    assert len(app.tracking_code) == 6
    assert app.applicant_nik == "1471015503900002" and app.applicant_phone == "+6281234567890"
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    assert (app.status, app.current_step, app.current_role) == (Status.SUBMITTED, 2, "front_office")
    assert app.step_due_at == clock.now + dt.timedelta(minutes=35)

    # Front office: incomplete, with a reason per item. The clock has not started.
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, str="STR belum dilegalisir basah."),
        at=clock.tick(minutes=20),
    )
    assert app.status == Status.RETURNED and app.current_step == 1 and app.current_role == "pemohon"
    assert app.return_reasons == [
        {"key": "str", "label": "Foto copy STR yang dilegalisir basah", "reason": "STR belum dilegalisir basah."}
    ]
    assert app.clock_started_at is None and app.due_at is None

    # The applicant fixes it the next day and resubmits.
    clock.now = dt.datetime(2026, 3, 10, 10, 0, tzinfo=WIB)
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.now)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=20),
        data=all_sesuai(app),
    )
    assert app.status == Status.IN_PROCESS and app.current_role == "tim_teknis"
    assert app.clock_started_at == clock.now
    assert app.due_at == dt.datetime(2026, 3, 12, 10, 20, tzinfo=WIB)  # 2 hari kerja from complete

    clock.now = dt.datetime(2026, 3, 11, 9, 0, tzinfo=WIB)
    app = services.step_complete(
        application=app, actor=staff["tim_teknis"], step_number=3, outcome="recommend", data={"bap": BAP}, at=clock.now
    )
    assert app.bap["recommendation"] == "Layak diberikan izin kerja."
    app = services.step_complete(
        application=app, actor=staff["back_office"], step_number=4, outcome="drafted", at=clock.tick(minutes=3)
    )
    app = services.step_complete(
        application=app, actor=staff["analis_muda"], step_number=5, outcome="approve", at=clock.tick(minutes=5)
    )
    app = services.step_complete(
        application=app,
        actor=staff["analis_madya"],
        step_number=6,
        outcome="revise",
        note="Alamat tempat kerja belum lengkap.",
        at=clock.tick(minutes=8),
    )
    assert app.current_step == 4 and app.revision_note == "Alamat tempat kerja belum lengkap."
    # Issue 10 (draft): an unchanged redraft after a revise needs a reason; the change is recorded.
    with pytest.raises(services.InvalidData) as unchanged:
        services.step_complete(
            application=app, actor=staff["back_office"], step_number=4, outcome="drafted", at=clock.now
        )
    assert "note" in unchanged.value.errors
    new_address = "Jalan Diponegoro No. 2, Kelurahan Sukajadi, Pekanbaru"
    app = services.step_complete(
        application=app,
        actor=staff["back_office"],
        step_number=4,
        outcome="drafted",
        data={"changes": {"alamat_tempat_kerja": new_address}},
        at=clock.tick(minutes=3),
    )
    assert app.revision_note == "" and app.data["alamat_tempat_kerja"] == new_address
    for number, role in [(5, "analis_muda"), (6, "analis_madya"), (7, "sekretaris")]:
        app = services.step_complete(
            application=app, actor=staff[role], step_number=number, outcome="approve", at=clock.tick(minutes=5)
        )
    app = services.step_complete(
        application=app, actor=staff["kepala_dinas"], step_number=8, outcome="approve", at=clock.tick(hours=3)
    )
    app = services.step_complete(
        application=app, actor=staff["back_office"], step_number=9, outcome="numbered", at=clock.tick(minutes=2)
    )
    assert app.status == Status.READY and app.current_step == 10 and app.completed_at == clock.now
    permit = Permit.objects.get(application=app)
    assert permit.number == "500.16.7.2/0001/SIKR/DPMPTSP/2026"
    assert permit.valid_until == dt.date(2029, 12, 31)  # follows the STR
    assert permit.holder_name == "Rina Marlina, A.Md.Rad."

    clock.now = dt.datetime(2026, 3, 12, 9, 0, tzinfo=WIB)
    app = services.step_complete(
        application=app, actor=staff["front_office"], step_number=10, outcome="pickup", data=HANDOVER_SELF, at=clock.now
    )
    assert app.status == Status.COLLECTED and app.current_step is None and app.closed_at == clock.now

    entries = list(ControlCardEntry.objects.filter(application=app).order_by("seq"))
    assert [(e.step_label, e.outcome) for e in entries] == [
        ("1", "submitted"),
        ("2", "incomplete"),
        ("1", "submitted"),
        ("2", "complete"),
        ("2a", "recommend"),
        ("3", "drafted"),
        ("4", "approve"),
        ("5", "revise"),
        ("3", "drafted"),
        ("4", "approve"),
        ("5", "approve"),
        ("6", "approve"),
        ("7", "approve"),
        ("8", "numbered"),
        ("9", "pickup"),
    ]
    assert [e.actor_name for e in entries[12:14]] == [
        staff["kepala_dinas"].display_name,
        staff["back_office"].display_name,
    ]
    redraft = entries[8].data
    assert redraft["revise_note"] == "Alamat tempat kerja belum lengkap."
    assert redraft["changes"] == [
        {
            "field": "alamat_tempat_kerja",
            "label": "Alamat tempat kerja",
            "before": "Jalan Diponegoro No. 2, Pekanbaru",
            "after": new_address,
        }
    ]
    assert entries[-1].data["handover"]["relation"] == "self"
    assert entries[1].data["checklist"][4] == {
        "key": "str",
        "label": "Foto copy STR yang dilegalisir basah",
        "ok": False,
        "reason": "STR belum dilegalisir basah.",
    }
    # Time with the applicant does not count against the office.
    assert not entries[2].office_time and entries[2].worked_seconds > 0
    assert entries[3].worked_seconds == 20 * 60 and not entries[3].late
    # Every office step kept its time standard; waiting for pickup is the applicant's time.
    assert delays_of(entries) == []
    assert not entries[-1].office_time and entries[-1].due_at is None
    assert card_check(app.pk, head_hash=app.card_head_hash).ok


def _walk(app, staff, applicant, clock, *, until_final=True):
    """Complete every remaining step with its first forward outcome, each by its role."""
    spec = services.spec_for(app)
    forward = {
        "submit": "submitted",
        "completeness_check": "complete",
        "inspection": "recommend",
        "draft": "drafted",
        "initial": "approve",
        "sign": "approve",
        "number": "numbered",
        "handover": "pickup",
    }
    while app.current_step is not None:
        step = spec.step(app.current_step)
        actor = applicant if app.current_role == "pemohon" else staff[app.current_role]
        app = services.step_complete(
            application=app,
            actor=actor,
            step_number=step.number,
            outcome=forward[step.kind],
            data=forward_data(app, step.kind, clock.now),
            at=clock.tick(minutes=7),
        )
    return app


@pytest.mark.parametrize("code", ["izin-praktik-paramedik-asisten-teknik-reproduksi", "izin-reklame-kecil"])
def test_other_services_run_on_the_same_engine_from_their_definition_alone(code, services_loaded, staff, applicant):
    """The paramedik seed (no inspection) and a third YAML-only service (two paraf) run end to end."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded[code]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = _walk(app, staff, applicant, clock)
    assert app.status == Status.COLLECTED
    spec = services.spec_for(app)
    kinds = [e.step_kind for e in ControlCardEntry.objects.filter(application=app).order_by("seq")]
    assert kinds == [s.kind for s in spec.sop.steps]
    assert "inspection" not in kinds
    permit = Permit.objects.get(application=app)
    if code == "izin-reklame-kecil":
        assert kinds.count("initial") == 2
        assert permit.number == "503/0001/IRK/DPM-PTSP/VI/2026"
        assert permit.valid_until == dt.date(2027, 6, 2)
    else:
        assert kinds.count("initial") == 3
        assert permit.number == "500.16.7.2/0001/SIP-ATR/DPMPTSP/2026"
        assert permit.valid_until == dt.date(2031, 6, 2)


def test_a_counter_registration_runs_without_an_applicant_account(services_loaded, staff):
    """The front office registers on the applicant's behalf and hands the product over at the counter."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office,
        service=service,
        actor=staff["front_office"],
        data=FORM_DATA[service.code],
        channel=Channel.COUNTER,
        at=clock.now,
    )
    assert app.applicant is None and app.current_role == "front_office"
    upload_all(app, staff["front_office"])
    app = services.application_submit(application=app, actor=staff["front_office"], at=clock.tick(minutes=2))
    app = _walk(app, staff, None, clock)
    assert app.status == Status.COLLECTED
    assert ControlCardEntry.objects.filter(application=app, step_kind="submit").get().role == "front_office"


def test_the_applicant_downloads_the_product_themselves(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))
    while services.spec_for(app).step(app.current_step).kind != "handover":
        step = services.spec_for(app).step(app.current_step)
        outcome = {
            "completeness_check": "complete",
            "draft": "drafted",
            "initial": "approve",
            "sign": "approve",
            "number": "numbered",
        }[step.kind]
        app = services.step_complete(
            application=app,
            actor=staff[app.current_role],
            step_number=step.number,
            outcome=outcome,
            data=forward_data(app, step.kind, clock.now),
            at=clock.tick(minutes=4),
        )
    with pytest.raises(services.PermissionDenied):
        services.step_complete(
            application=app,
            actor=applicant,
            step_number=app.current_step,
            outcome="pickup",
            at=clock.tick(minutes=1),
            data=HANDOVER_SELF,
        )
    app = services.step_complete(
        application=app, actor=applicant, step_number=app.current_step, outcome="download", at=clock.tick(minutes=1)
    )
    assert app.status == Status.COLLECTED
    with pytest.raises(services.Conflict):
        services.step_complete(
            application=app, actor=staff["front_office"], step_number=8, outcome="pickup", data=HANDOVER_SELF
        )


def test_rejection_ends_the_application_with_its_reason(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=10),
        data=all_sesuai(app),
    )
    with pytest.raises(services.InvalidData):
        services.step_complete(
            application=app, actor=staff["tim_teknis"], step_number=3, outcome="reject", at=clock.tick(minutes=10)
        )
    app = services.step_complete(
        application=app,
        actor=staff["tim_teknis"],
        step_number=3,
        outcome="reject",
        note="Tempat kerja tidak memiliki izin fasilitas radiologi.",
        data=bap_for(app, clock.now, recommendation="Tidak direkomendasikan."),
        at=clock.tick(minutes=10),
    )
    assert app.status == Status.REJECTED and app.rejection_reason.startswith("Tempat kerja")
    assert not Permit.objects.filter(application=app).exists()


def test_the_applicant_may_withdraw_and_the_card_records_it(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))
    with pytest.raises(services.PermissionDenied):
        services.application_withdraw(application=app, actor=staff["back_office"], reason="x")
    app = services.application_withdraw(
        application=app, actor=applicant, reason="Pindah kerja ke Dumai.", at=clock.tick(minutes=5)
    )
    assert app.status == Status.WITHDRAWN
    last = ControlCardEntry.objects.filter(application=app).order_by("-seq").first()
    assert (last.outcome, last.note, last.role) == ("withdrawn", "Pindah kerja ke Dumai.", "pemohon")
    with pytest.raises(services.Conflict):
        services.application_withdraw(application=fresh(app), actor=applicant, reason="lagi")
