"""
The service clock and due times (DESIGN §5–6; seed: "2 hari kerja (dengan persyaratan lengkap)").

The clock starts when the file is complete, stops while the file is with the applicant, and every
due time is counted in working time: weekends, national holidays and cuti bersama excluded.
"""

import datetime as dt

import pytest
import yaml

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, upload_all
from satupintu.catalogue.loader import standard_load
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import delays_of

pytestmark = pytest.mark.django_db


def _to_check(service, applicant, clock):
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    return services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))


def test_due_dates_skip_nyepi_and_the_idul_fitri_cuti_bersama_2026(services_loaded, staff, applicant):
    """Complete on Tue 17 Mar 2026: 18, 20, 23, 24 Mar are cuti bersama, 19 Nyepi, 21–22 weekend."""
    clock = Clock(dt.datetime(2026, 3, 17, 9, 58, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = _to_check(service, applicant, clock)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.now,
        data=all_sesuai(app),
    )
    assert app.clock_started_at == dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)
    assert app.due_at == dt.datetime(2026, 3, 26, 10, 0, tzinfo=WIB)
    # The inspection's "1 hari" is due the next working day: Wednesday 25 March.
    assert app.step_due_at == dt.datetime(2026, 3, 25, 10, 0, tzinfo=WIB)


def test_an_office_that_works_on_cuti_bersama_gets_earlier_due_dates(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 3, 17, 9, 58, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    service.office.cuti_bersama_is_working = True
    service.office.save()
    app = _to_check(service, applicant, clock)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.now,
        data=all_sesuai(app),
    )
    assert app.due_at == dt.datetime(2026, 3, 20, 10, 0, tzinfo=WIB)  # 18 (cuti, open), 19 Nyepi, 20


def test_time_with_the_applicant_is_not_counted(services_loaded, staff, applicant):
    """Returned on Monday, fixed on Thursday: the 2 days run from the complete check, not from submission."""
    clock = Clock(dt.datetime(2026, 6, 1, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = _to_check(service, applicant, clock)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, ktp="KTP tidak terbaca."),
        at=clock.tick(minutes=10),
    )
    assert app.clock_started_at is None
    clock.now = dt.datetime(2026, 6, 4, 13, 0, tzinfo=WIB)
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.now)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=30),
        data=all_sesuai(app),
    )
    assert app.clock_started_at == dt.datetime(2026, 6, 4, 13, 30, tzinfo=WIB)
    assert app.due_at == dt.datetime(2026, 6, 8, 13, 30, tzinfo=WIB)  # Fri 5, Mon 8
    with_applicant = ControlCardEntry.objects.get(application=app, seq=3)
    assert with_applicant.step_kind == "submit" and not with_applicant.office_time


def test_the_clock_pauses_when_a_started_file_goes_back_to_the_applicant(office, make_user, applicant):
    """A standard that checks originals again after the clock started: the target moves by the pause."""
    definition = yaml.safe_load(as_yaml(MINIMAL))
    definition["code"] = "izin-dua-pemeriksaan"
    steps = definition["sop"]["steps"]
    second_check = {**steps[1], "number": 3, "activity": "Back office memeriksa berkas asli", "roles": ["back_office"]}
    definition["sop"]["steps"] = [
        steps[0],
        steps[1],
        second_check,
        {**steps[2], "number": 4},
        {**steps[3], "number": 5},
    ]
    service = standard_load(office=office, text=as_yaml(definition)).service
    front = make_user(office=office, roles=["front_office"])
    back = make_user(office=office, roles=["back_office"])
    data = {"nama": "Dewi", "nik": "1471015503900002", "no_hp": "081234567890"}
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))  # Monday
    app = services.application_create(office=office, service=service, actor=applicant, data=data, at=clock.now)
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = services.step_complete(
        application=app, actor=front, step_number=2, outcome="complete", at=clock.tick(minutes=5), data=all_sesuai(app)
    )
    assert app.due_at == dt.datetime(2026, 6, 9, 9, 10, tzinfo=WIB)  # 1 hari
    app = services.step_complete(
        application=app,
        actor=back,
        step_number=3,
        outcome="incomplete",
        data=all_sesuai(app, ktp="Bawa KTP asli."),
        at=clock.tick(hours=1),
    )
    assert app.clock_paused_at == clock.now
    # With the applicant from Mon 10:10 to Wed 10:10: two working days (14 working hours).
    clock.now = dt.datetime(2026, 6, 10, 10, 10, tzinfo=WIB)
    app = services.application_submit(
        application=app, actor=applicant, responses={"ktp": "KTP asli saya bawa ke loket."}, at=clock.now
    )
    assert app.clock_paused_at is None
    assert app.due_at == dt.datetime(2026, 6, 11, 9, 10, tzinfo=WIB)


def test_the_card_names_the_step_where_the_delay_happened(services_loaded, staff, applicant):
    """Seed, Pengawasan internal c: "akan dapat diketahui dimana letak kesalahan jika terjadi keterlambatan"."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 0, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = _to_check(service, applicant, clock)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=10),
        data=all_sesuai(app),
    )
    app = services.step_complete(
        application=app, actor=staff["back_office"], step_number=3, outcome="drafted", at=clock.tick(minutes=5)
    )
    # The analis madya takes 90 working minutes against a standard of 10.
    app = services.step_complete(
        application=app, actor=staff["analis_madya"], step_number=4, outcome="approve", at=clock.tick(minutes=90)
    )
    app = services.step_complete(
        application=app, actor=staff["sekretaris"], step_number=5, outcome="approve", at=clock.tick(minutes=5)
    )
    entries = list(ControlCardEntry.objects.filter(application=app).order_by("seq"))
    late = delays_of(entries)
    assert [(e.step_label, e.role, e.worked_seconds) for e in late] == [("4", "analis_madya", 90 * 60)]
    assert late[0].standard_seconds == 600
