"""
A returned file's deadline (issue 14, "for applicants"): the file returned to the applicant gets a
deadline from the standard or the office's settings, a reminder before it, and — not resubmitted —
the application closes with a letter.
"""

import copy
import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, upload_all
from satupintu.catalogue.loader import standard_load
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check
from satupintu.notifications.models import Notice, OfficeTask
from satupintu.notifications.scans import returned_files_scan

pytestmark = pytest.mark.django_db


def _returned(service, applicant, staff, clock):
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))
    return services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, ktp="KTP tidak terbaca."),
        at=clock.tick(minutes=10),
    )


@pytest.fixture
def radiographer(services_loaded):
    service = services_loaded["izin-kerja-radiografer"]
    service.office.return_deadline_days = 5
    service.office.return_reminder_days = 2
    service.office.save()
    return service


def test_a_returned_file_gets_the_office_deadline_in_working_days(radiographer, staff, applicant):
    """Returned Monday 8 June 2026 09.12: 5 working days later is Monday 15 June 09.12."""
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    assert app.status == Status.RETURNED
    assert app.return_due_at == dt.datetime(2026, 6, 15, 9, 12, tzinfo=WIB)


def test_the_standard_sets_its_own_deadline_over_the_office(office, make_user, applicant):
    """A service whose standard says ``guarantees.return_deadline: 2 hari`` ignores the office's 5."""
    office.return_deadline_days = 5
    office.save()
    from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml

    definition = copy.deepcopy(MINIMAL)
    definition["guarantees"] = {"return_deadline": "2 hari"}
    service = standard_load(office=office, text=as_yaml(definition)).service
    front = make_user(office=office, roles=["front_office"])
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    data = {"nama": "Dewi", "nik": "1471015503900002", "no_hp": "081234567890"}
    app = services.application_create(office=office, service=service, actor=applicant, data=data, at=clock.now)
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=2))
    app = services.step_complete(
        application=app,
        actor=front,
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, ktp="KTP tidak terbaca."),
        at=clock.tick(minutes=10),
    )
    assert app.return_due_at == dt.datetime(2026, 6, 10, 9, 12, tzinfo=WIB)


def test_the_standard_deadline_must_be_in_working_days():
    from pydantic import ValidationError

    from satupintu.catalogue.schema import Guarantees

    with pytest.raises(ValidationError, match="hari kerja"):
        Guarantees(return_deadline="30 menit")


def test_no_deadline_when_neither_the_standard_nor_the_office_sets_one(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(services_loaded["izin-kerja-radiografer"], applicant, staff, clock)
    assert app.return_due_at is None
    assert returned_files_scan(at=dt.datetime(2027, 1, 4, 9, 0, tzinfo=WIB)) == (0, 0)
    assert Application.objects.get(pk=app.pk).status == Status.RETURNED


def test_the_applicant_is_reminded_once_before_the_deadline(radiographer, staff, applicant):
    """Due Mon 15 June; 2 working days before: from Thu 11 June, one reminder per channel, once."""
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    assert returned_files_scan(at=dt.datetime(2026, 6, 10, 8, 5, tzinfo=WIB)) == (0, 0)
    reminded, closed = returned_files_scan(at=dt.datetime(2026, 6, 11, 8, 5, tzinfo=WIB))
    assert (reminded, closed) == (1, 0)
    assert returned_files_scan(at=dt.datetime(2026, 6, 12, 8, 5, tzinfo=WIB)) == (0, 0)
    reminders = Notice.objects.filter(application=app, event="application.return_reminder")
    assert reminders.count() >= 1
    sms = reminders.get(channel="sms")
    assert "15 Juni 2026 pukul 09.12" in sms.text and app.number in sms.text


def test_the_returned_notice_names_the_deadline(radiographer, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    sms = Notice.objects.get(application=app, event="application.returned", channel="sms")
    assert "paling lambat 15 Juni 2026 pukul 09.12" in sms.text


def test_past_the_deadline_the_application_closes_with_a_card_entry_and_a_letter(radiographer, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    assert returned_files_scan(at=dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB))[1] == 0  # not yet: 09.12
    assert returned_files_scan(at=dt.datetime(2026, 6, 16, 8, 5, tzinfo=WIB)) == (0, 1)
    assert returned_files_scan(at=dt.datetime(2026, 6, 17, 8, 5, tzinfo=WIB)) == (0, 0)

    app = Application.objects.get(pk=app.pk)
    assert app.status == Status.LAPSED and app.is_final
    assert app.current_step is None and app.return_due_at is None and app.closed_at is not None
    entry = ControlCardEntry.objects.filter(application=app).order_by("-seq").first()
    assert entry.outcome == "lapsed" and "batas waktu" in entry.activity
    assert card_check(app).ok
    assert Notice.objects.filter(application=app, event="application.lapsed", channel="sms").count() == 1
    letter = Notice.objects.get(application=app, event="application.lapsed", channel="letter")
    assert "ditutup" in letter.text and app.number in letter.text and "KTP tidak terbaca" in letter.text
    assert OfficeTask.objects.filter(notice=letter, role="front_office").count() == 1


def test_a_file_submitted_again_in_time_does_not_close(radiographer, staff, applicant):
    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    from satupintu.applications.tests.conftest import scan_of

    services.document_attach(
        application=app, actor=applicant, requirement_key="ktp", stream=_bytes(scan_of("ktp")), filename="ktp.pdf"
    )
    app = services.application_submit(application=app, actor=applicant, at=dt.datetime(2026, 6, 12, 10, 0, tzinfo=WIB))
    assert app.status == Status.SUBMITTED and app.return_due_at is None
    assert returned_files_scan(at=dt.datetime(2026, 6, 16, 8, 5, tzinfo=WIB)) == (0, 0)
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_a_closed_application_cannot_be_submitted_or_worked(radiographer, staff, applicant):
    from satupintu.core.errors import Conflict, DomainError

    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)
    returned_files_scan(at=dt.datetime(2026, 6, 16, 8, 5, tzinfo=WIB))
    app = Application.objects.get(pk=app.pk)
    assert app.status == Status.LAPSED
    with pytest.raises(DomainError):
        services.application_submit(application=app, actor=applicant, at=dt.datetime(2026, 6, 16, 9, 0, tzinfo=WIB))
    with pytest.raises(Conflict):
        services.application_withdraw(application=app, actor=applicant, reason="x")


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_every_door_shows_the_deadline_and_the_closing(radiographer, staff, applicant, client):
    """The applicant's page, the staff page and the API detail say the same deadline; then the closing."""
    from django.urls import reverse

    from satupintu.api.tokens import token_issue

    clock = Clock(dt.datetime(2026, 6, 8, 9, 0, tzinfo=WIB))
    app = _returned(radiographer, applicant, staff, clock)

    client.force_login(applicant)
    page = client.get(reverse("portal:application", args=[app.number])).content.decode()
    assert "Batas waktu melengkapi berkas: 15 Juni 2026" in page and "permohonan ditutup" in page
    _row, token = token_issue(user=applicant)
    detail = client.get(f"/api/v1/applications/{app.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert detail["return_due_at"].startswith("2026-06-15T02:12:00")  # 09.12 WIB in UTC
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:application", args=[app.number])).content.decode()
    assert "Batas waktu melengkapi berkas" in page and "15 Jun 2026 09:12" in page

    returned_files_scan(at=dt.datetime(2026, 6, 16, 8, 5, tzinfo=WIB))
    client.force_login(applicant)
    page = client.get(reverse("portal:application", args=[app.number])).content.decode()
    assert "Permohonan ditutup" in page and "Ajukan permohonan baru" in page
    detail = client.get(f"/api/v1/applications/{app.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert detail["status"] == "lapsed" and detail["return_due_at"] is None
    assert detail["status_text"].startswith("Ditutup")
