"""
The applicant is told at each turn of the lifecycle, through the outbox.

Seed, Jaminan pelayanan a: "Apabila produk layanan sudah selesai maka petugas wajib
menginformasikan kepada pemohon melalui sms".
"""

import datetime as dt
import io

import pytest
from django.db import transaction

from satupintu.applications import events, services
from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import HANDOVER_SELF, WIB, all_sesuai, bap_for, scan_of
from satupintu.notifications.models import Notice, NoticeStatus, NoticeTemplate
from satupintu.notifications.services import application_context
from satupintu.notifications.templates import render
from satupintu.notifications.tests.conftest import new_application, queued_tasks, run_queued, walk

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)


class Boom(Exception):
    pass


def test_completing_the_number_step_queues_exactly_one_sms_to_the_applicant(
    radiographer, staff, applicant, fake, django_capture_on_commit_callbacks
):
    """Jaminan pelayanan a: the product is finished (number step → handover) → one SMS, E.164, with the number."""
    app = walk(new_application(radiographer, applicant, at=START), staff, applicant, until="number", at=START)
    step = services.spec_for(app).step(app.current_step)
    assert not Notice.objects.filter(event="application.ready").exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app = services.step_complete(
            application=app, actor=staff["back_office"], step_number=step.number, outcome="numbered"
        )

    assert app.status == Status.READY
    sms = Notice.objects.filter(application=app, event="application.ready", channel="sms")
    assert sms.count() == 1
    notice = sms.get()
    assert notice.recipient == "+6281234567890"
    assert app.number in notice.text and "SELESAI" in notice.text
    assert notice.status == NoticeStatus.PENDING
    # The applicant also gave an e-mail address: one e-mail as well, and nothing else for this event.
    assert Notice.objects.filter(application=app, event="application.ready").count() == 2
    assert callbacks, "the send is queued only after commit"
    assert {t.args[0] for t in (r.task_result for r in queued_tasks("send_notice"))} >= {notice.pk}

    run_queued()
    sent = [m for m in fake.sent if m["id"] == notice.pk]
    assert len(sent) == 1 and sent[0]["to"] == "+6281234567890"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.attempts == 1 and notice.sent_at is not None


def test_a_rolled_back_number_step_queues_nothing(
    radiographer, staff, applicant, fake, django_capture_on_commit_callbacks
):
    """A rolled-back step tells no one: its notice rolls back with it and no send is queued."""
    app = walk(new_application(radiographer, applicant, at=START), staff, applicant, until="number", at=START)
    before = set(Notice.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        services.step_complete(
            application=app, actor=staff["back_office"], step_number=app.current_step, outcome="numbered"
        )
        assert Notice.objects.filter(event="application.ready").count() == 2  # written inside the step
        raise Boom
    assert set(Notice.objects.values_list("pk", flat=True)) == before
    assert not callbacks
    assert Application.objects.get(pk=app.pk).status == Status.IN_PROCESS


def test_the_same_event_never_queues_twice(ready_application, fake):
    """Publishing application.ready again (a replay) adds no notice: the idempotency key is unique."""
    app = ready_application
    assert Notice.objects.filter(application=app, event="application.ready").count() == 2
    with transaction.atomic():
        events.publish(events.Ready(application_id=app.pk, permit_id=None))
    assert Notice.objects.filter(application=app, event="application.ready").count() == 2


def test_each_turn_of_the_lifecycle_tells_the_applicant(
    radiographer, staff, applicant, fake, django_capture_on_commit_callbacks
):
    """Submitted (number + code), returned (what to fix), accepted (expected date), collected (survey)."""
    app = new_application(radiographer, applicant, at=START)
    app = services.application_submit(application=app, actor=applicant, at=START)
    submitted = Notice.objects.get(application=app, event="application.submitted", channel="sms")
    assert app.number in submitted.text and app.tracking_code in submitted.text

    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, str="STR belum dilegalisir basah."),
        at=START + dt.timedelta(minutes=10),
    )
    returned = Notice.objects.get(application=app, event="application.returned", channel="email")
    assert "STR belum dilegalisir basah." in returned.text
    assert "dilegalisir" in Notice.objects.get(application=app, event="application.returned", channel="sms").text

    # Resubmission is a new occurrence: a second "submitted" notice, not a duplicate of the first.
    services.document_attach(
        application=app, actor=applicant, requirement_key="str", stream=io.BytesIO(scan_of("str")), filename="str.pdf"
    )
    app = services.application_submit(application=app, actor=applicant, at=START + dt.timedelta(hours=1))
    assert Notice.objects.filter(application=app, event="application.submitted", channel="sms").count() == 2

    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=START + dt.timedelta(hours=1, minutes=10),
        data=all_sesuai(app),
    )
    accepted = Notice.objects.get(application=app, event="application.accepted", channel="sms")
    assert "12 Maret 2026" in accepted.text  # 2 hari kerja from Tuesday 10 March, 10.10

    app = walk(app, staff, applicant, until="handover", at=START + dt.timedelta(hours=2))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=app.current_step,
        outcome="pickup",
        at=START + dt.timedelta(days=1),
        data=HANDOVER_SELF,
    )
    survey = Notice.objects.get(application=app, event="application.collected", channel="sms")
    assert survey.template_key == "survey.invitation" and "survei" in survey.text.lower()
    assert not Notice.objects.filter(application=app, template_key="application.collected").exists()


def test_a_rejection_tells_the_applicant_why(radiographer, staff, applicant, fake):
    app = walk(new_application(radiographer, applicant, at=START), staff, applicant, until="inspection", at=START)
    services.step_complete(
        application=app,
        actor=staff["tim_teknis"],
        step_number=app.current_step,
        outcome="reject",
        note="Bukan tenaga radiografer.",
        data=bap_for(app, START + dt.timedelta(hours=1)),
        at=START + dt.timedelta(hours=1),
    )
    notice = Notice.objects.get(application=app, event="application.rejected", channel="email")
    assert "Bukan tenaga radiografer." in notice.text


def test_an_office_template_overrides_the_default_and_a_switched_off_one_sends_nothing(
    radiographer, staff, applicant, fake
):
    office = radiographer.office
    NoticeTemplate.objects.create(office=office, key="application.submitted", channel="sms", body="Nomor {nomor}.")
    NoticeTemplate.objects.create(
        office=office, key="application.submitted", channel="email", subject="x", body="x", active=False
    )
    app = services.application_submit(application=new_application(radiographer, applicant, at=START), actor=applicant)
    assert Notice.objects.get(application=app, channel="sms").text == f"Nomor {app.number}."
    assert not Notice.objects.filter(application=app, channel="email").exists()


def test_default_sms_texts_fit_one_sms_for_typical_values(ready_application):
    """SMS bodies stay within 160 characters with a short registration number."""
    context = application_context(ready_application)
    context.update(nomor="PKU-2026-000123", kantor="DPMPTSP Kota Pekanbaru", telepon_kantor="(0761) 28262")
    context.update(nama="Rina Marlina", alasan="STR belum dilegalisir", nomor_izin="500.16.7.2/0001/SIKR/2026")
    context.update(
        sisa_hari=30, berlaku_sampai="31 Desember 2029", tiket="ADU-2026-0001", tanggal_selesai="12 Maret 2026"
    )
    context.update(tautan_survei="https://pekanbaru.go.id/s/ABC123", batas_waktu="12 Maret 2026 pukul 10.20")
    context.update(langkah="3", peran="Tim Teknis", data_terdaftar="NIK, surel, nomor HP")
    context.update(skrd="973/00001/SKRD/PKU/XII/2026", jumlah="Rp 19.500.660", kode_bayar="8808000000012026")
    context.update(
        jatuh_tempo="31 Desember 2026 09.00 WIB", batas="7 Januari 2027 09.00 WIB", tanda_bukti="TBP/00001/PKU/2026"
    )
    context.update(
        tautan="https://izin.pekanbaru.go.id/akun/lupa-kata-sandi/MTIz/d5x2kq-0f3c2e8a9b7d6c5e4f3a2b1c0d9e8f7a/"
    )
    for template in NoticeTemplate.objects.filter(office=None, channel="sms"):
        text = render(template.body, context)
        assert len(text) <= 160, (template.key, len(text), text)
        assert "{" not in text, (template.key, text)
