"""
The outbox and the office tasks on the staff pages (issue 5: "staff view of the outbox: what was
sent to whom, when, status; resend a failed notice"; seed Jaminan pelayanan b: the notice letter
the front office posts).
"""

import datetime as dt

import pytest
from django.urls import reverse

from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import WIB
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notice, NoticeStatus, OfficeTask
from satupintu.notifications.scans import uncollected_products_scan
from satupintu.notifications.tests.conftest import new_application, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(services_loaded, staff, applicant):
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB)
    app = new_application(services_loaded["izin-kerja-radiografer"], applicant, at=start)
    app = walk(app, staff, applicant, until="handover", at=start + dt.timedelta(minutes=5))
    return Application.objects.get(pk=app.pk)


def test_the_outbox_shows_what_was_sent_to_whom_with_phones_masked(client, ready, staff):
    client.force_login(staff["front_office"])
    response = client.get(reverse("staff:outbox", args=[ready.office.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    sms = Notice.objects.get(application=ready, channel="sms", event="application.ready")
    assert ready.number in body
    assert "7890" in body and "+6281234567890" not in body
    assert sms.get_status_display() in body


def test_roles_without_notice_duties_and_other_offices_cannot_see_the_outbox(
    client, ready, staff, make_office, make_user
):
    client.force_login(staff["kepegawaian"])
    assert client.get(reverse("staff:outbox", args=[ready.office.slug])).status_code == 403
    other = make_user("fo-lain", office=make_office(), roles=["front_office"])
    client.force_login(other)
    assert client.get(reverse("staff:outbox", args=[ready.office.slug])).status_code == 403


def test_a_failed_notice_is_resent_from_the_outbox_and_audited(client, ready, staff):
    sms = Notice.objects.get(application=ready, channel="sms", event="application.ready")
    Notice.objects.filter(pk=sms.pk).update(status=NoticeStatus.FAILED, last_error="gateway down", attempts=6)
    client.force_login(staff["front_office"])
    body = client.get(reverse("staff:outbox", args=[ready.office.slug]), {"status": "failed"}).content.decode()
    assert "Kirim ulang" in body and "gateway down" in body
    response = client.post(reverse("staff:notice_resend", args=[ready.office.slug, sms.pk]))
    assert response.status_code == 302
    sms.refresh_from_db()
    assert sms.status == NoticeStatus.PENDING and sms.attempts == 0
    assert AuditEvent.objects.filter(action="notice.resend", actor=staff["front_office"]).exists()


def test_the_front_office_posts_the_notice_letter_of_an_uncollected_product(client, ready, staff):
    assert uncollected_products_scan(at=dt.datetime(2026, 4, 10, 8, 0, tzinfo=WIB)) == 1
    task = OfficeTask.objects.get(application=ready)
    client.force_login(staff["front_office"])
    home = client.get(reverse("staff:home")).content.decode()
    assert "Tugas kantor (1)" in home
    listing = client.get(reverse("staff:tasks", args=[ready.office.slug])).content.decode()
    assert task.title in listing
    letter = client.get(reverse("staff:task_letter", args=[ready.office.slug, task.pk])).content.decode()
    assert "Jalan Sudirman No. 1, Pekanbaru" in letter and ready.number in letter
    client.post(reverse("staff:task_done", args=[ready.office.slug, task.pk]))
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == staff["front_office"]
    assert Notice.objects.get(pk=task.notice_id).status == NoticeStatus.SENT
    # A back-office officer sees no front-office task.
    client.force_login(staff["back_office"])
    assert task.title not in client.get(reverse("staff:tasks", args=[ready.office.slug])).content.decode()


def test_the_outbox_names_each_event_in_words(client, ready, staff):
    """Issue 14: the outbox showed ``application.ready``; it shows what the message was about."""
    from satupintu.notifications.labels import EVENT_LABELS
    from satupintu.notifications.templates import TEMPLATE_KEYS

    assert set(TEMPLATE_KEYS) <= set(EVENT_LABELS)
    client.force_login(staff["front_office"])
    body = client.get(reverse("staff:outbox", args=[ready.office.slug])).content.decode()
    assert "Produk selesai, siap diambil" in body
    assert ">application.ready<" not in body and "application.ready</td>" not in body
