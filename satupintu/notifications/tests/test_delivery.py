"""
Delivery: a gateway that is down loses nothing and sends nothing twice.

Issue 5, "Done when": a failing gateway is retried and the notice is sent once when it recovers.
"""

import datetime as dt
import io
import json
import urllib.error

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from satupintu.core.errors import Conflict
from satupintu.notifications.channels import FileChannel, HttpGatewayChannel, MailChannel, SendResult
from satupintu.notifications.models import Notice, NoticeStatus
from satupintu.notifications.services import backoff_seconds, notice_queue, notice_resend, notice_send
from satupintu.notifications.tests.conftest import queued_tasks, run_queued

pytestmark = pytest.mark.django_db


def queue_sms(office, key="t:1", text_key="application.ready") -> Notice:
    with TestCase.captureOnCommitCallbacks(execute=True):
        notice = notice_queue(
            office=office,
            channel="sms",
            recipient="+6281234567890",
            event="application.ready",
            template_key=text_key,
            context={"nomor": "PKU-2026-000001", "kantor": office.name, "telepon_kantor": "(0761) 28262"},
            idempotency_key=key,
        )
    assert notice is not None
    return notice


def test_back_off_doubles_and_is_capped(settings):
    settings.SATUPINTU_NOTICES = {**settings.SATUPINTU_NOTICES, "BACKOFF_BASE_SECONDS": 60, "BACKOFF_MAX_SECONDS": 600}
    assert [backoff_seconds(n) for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_failing_gateway_is_retried_with_back_off_and_the_notice_is_sent_once(office, fake, clock):
    """The fake gateway fails twice; attempts wait 1 then 2 minutes; the third attempt sends it, once."""
    notice = queue_sms(office)
    fake.fail(2, error="HTTP 503")
    start = clock.now

    assert [r[2] for r in run_queued()] == ["retry"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.PENDING, 1, "HTTP 503")
    assert notice.next_attempt_at == start + dt.timedelta(minutes=1)
    retry_task = queued_tasks("send_notice")[-1]
    assert retry_task.run_after == notice.next_attempt_at  # re-queued for after the back-off
    assert run_queued() == []  # not due yet

    clock.tick(minutes=1)
    assert [r[2] for r in run_queued()] == ["retry"]
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.next_attempt_at == clock.now + dt.timedelta(minutes=2)

    clock.tick(minutes=1)
    assert run_queued() == []
    clock.tick(minutes=1)
    assert [r[2] for r in run_queued()] == ["sent"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.SENT, 3, "")
    assert notice.sent_at == clock.now and notice.provider_message_id == "fake-1"
    assert fake.attempts == 3 and len(fake.sent) == 1

    # A stray duplicate task, or the sweeper, never sends a sent notice again.
    assert notice_send(notice_id=notice.pk) == "skipped (sent)"
    assert len(fake.sent) == 1


def test_a_permanent_failure_ends_failed_and_the_admin_resends_it(office, fake, admin_client):
    notice = queue_sms(office)
    fake.fail(1, retryable=False, error="HTTP 400: nomor tidak valid")
    assert [r[2] for r in run_queued()] == ["failed"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == (
        NoticeStatus.FAILED,
        1,
        "HTTP 400: nomor tidak valid",
    )
    assert fake.sent == [] and run_queued() == []

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_notice_changelist"), {"action": "resend", "_selected_action": [notice.pk]}
        )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING and notice.attempts == 0
    assert [r[2] for r in run_queued()] == ["sent"]
    assert len(fake.sent) == 1


def test_the_last_attempt_ends_failed(office, fake, clock, settings):
    settings.SATUPINTU_NOTICES = {**settings.SATUPINTU_NOTICES, "MAX_ATTEMPTS": 2}
    notice = queue_sms(office)
    fake.fail(5)
    run_queued()
    clock.tick(minutes=5)
    run_queued()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 2)
    clock.tick(hours=1)
    assert run_queued() == []


def test_only_failed_notices_can_be_resent(office, fake, admin_user):
    notice = queue_sms(office)
    with pytest.raises(Conflict):
        notice_resend(notice=notice, actor=admin_user)


def test_the_admin_outbox_masks_phone_numbers(office, fake, admin_client):
    queue_sms(office)
    page = admin_client.get(reverse("admin:notifications_notice_changelist")).content.decode()
    assert "+*********7890" in page and "+6281234567890" not in page


def test_the_admin_rejects_a_template_with_an_unknown_placeholder(admin_client):
    response = admin_client.post(
        reverse("admin:notifications_noticetemplate_add"),
        {"key": "application.ready", "channel": "whatsapp", "subject": "", "body": "Halo {namaa}", "active": "on"},
    )
    assert response.status_code == 200 and "{namaa}" in response.content.decode()


# --- channels ------------------------------------------------------------------------------------


class FakeResponse(io.BytesIO):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(body.encode())
        self.status = status


def gateway(config, answer):
    seen = []

    def opener(request, timeout):
        seen.append(request)
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(*answer)

    return HttpGatewayChannel({"URL": "https://sms.example.id/api/send", **config}, opener=opener), seen


def sms_notice() -> Notice:
    return Notice(pk=7, channel="sms", recipient="+6281234567890", text="Izin selesai", idempotency_key="k:1")


def test_the_http_gateway_posts_json_with_the_idempotency_key_and_reads_the_provider_id():
    channel, seen = gateway(
        {
            "HEADERS": {"Authorization": "Bearer rahasia"},
            "PAYLOAD": {"to": "{to_digits}", "msg": "{text}", "ref": "{key}"},
            "SUCCESS": {"status": [200], "json_path": "status", "equals": "ok"},
            "PROVIDER_ID_PATH": "data.0.id",
            "IDEMPOTENCY_HEADER": "Idempotency-Key",
        },
        (200, '{"status": "ok", "data": [{"id": "m-42"}]}'),
    )
    assert channel.send(sms_notice()) == SendResult(ok=True, provider_id="m-42")
    request = seen[0]
    assert request.get_method() == "POST" and request.get_header("Authorization") == "Bearer rahasia"
    assert request.get_header("Idempotency-key") == "k:1"
    assert json.loads(request.data) == {"to": "6281234567890", "msg": "Izin selesai", "ref": "k:1"}


def test_the_http_gateway_sends_forms_and_query_strings_and_basic_auth():
    channel, seen = gateway(
        {"FORMAT": "form", "BASIC_AUTH": ("user", "pw"), "PAYLOAD": {"nohp": "{to_local}", "pesan": "{text}"}},
        (200, "OK"),
    )
    assert channel.send(sms_notice()).ok
    assert seen[0].data == b"nohp=081234567890&pesan=Izin+selesai"
    assert seen[0].get_header("Authorization").startswith("Basic ")
    channel, seen = gateway(
        {"METHOD": "GET", "PAYLOAD": {"to": "{to}"}, "SUCCESS": {"status": [200], "contains": "SUCCESS"}},
        (200, "STATUS=SUCCESS"),
    )
    assert channel.send(sms_notice()).ok and seen[0].full_url.endswith("?to=%2B6281234567890")


@pytest.mark.parametrize(
    ("answer", "retryable"),
    [
        ((503, "maintenance"), True),
        ((429, "slow down"), True),
        ((400, "invalid number"), False),
        ((200, '{"status": "error"}'), False),
        (urllib.error.URLError("connection refused"), True),
        (TimeoutError("timed out"), True),
    ],
)
def test_the_http_gateway_says_which_failures_are_worth_retrying(answer, retryable):
    channel, _seen = gateway({"SUCCESS": {"status": [200], "json_path": "status", "equals": "ok"}}, answer)
    result = channel.send(sms_notice())
    assert not result.ok and result.retryable is retryable and result.error


def test_e_mail_goes_through_djangos_mail_backend():
    notice = Notice(
        pk=3, channel="email", recipient="rina@example.com", subject="Izin selesai", text="Isi", idempotency_key="k:3"
    )
    result = MailChannel().send(notice)
    assert result.ok and result.provider_id.startswith("<")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject, message.body) == (["rina@example.com"], "Izin selesai", "Isi")


def test_the_file_channel_appends_json_lines(tmp_path):
    channel = FileChannel(tmp_path / "out" / "sent.jsonl")
    assert channel.send(sms_notice()).ok and channel.send(sms_notice()).ok
    lines = (tmp_path / "out" / "sent.jsonl").read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["to"] == "+6281234567890"


def test_gateway_settings_from_the_environment_are_json_strings():
    channel, seen = gateway(
        {
            "HEADERS": '{"Authorization": "token-abc"}',
            "PAYLOAD": '{"target": "{to_digits}", "message": "{text}"}',
            "SUCCESS": '{"status": [200], "json_path": "status", "equals": "true"}',
            "BASIC_AUTH": "",
        },
        (200, '{"status": true}'),
    )
    assert channel.send(sms_notice()).ok
    assert seen[0].get_header("Authorization") == "token-abc"
    assert json.loads(seen[0].data) == {"target": "6281234567890", "message": "Izin selesai"}
