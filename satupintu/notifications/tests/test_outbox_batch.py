"""
The step's notices in one statement (issue 12, a lighter step path): the templates come from the
shared cache and are seen at once when edited; a repeated event writes nothing and fails nothing.
"""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from satupintu.notifications.models import Notice, NoticeTemplate
from satupintu.notifications.services import notice_queue
from satupintu.notifications.templates import template_for

pytestmark = pytest.mark.django_db


def queue(office, key: str) -> Notice | None:
    return notice_queue(
        office=office,
        channel="sms",
        recipient="+6281234567890",
        event="application.ready",
        template_key="application.ready",
        context={"nomor": "PKU-2026-000001", "kantor": office.name},
        idempotency_key=key,
    )


def test_a_template_is_read_once_then_from_the_cache_and_an_edit_is_seen_at_once(office):
    first = template_for(office_id=office.pk, key="application.ready", channel="sms")
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        assert template_for(office_id=office.pk, key="application.ready", channel="email") is not None
    assert len(ctx.captured_queries) == 0
    own = NoticeTemplate.objects.create(
        office=office, key="application.ready", channel="sms", body="Milik kantor {nomor}"
    )
    assert template_for(office_id=office.pk, key="application.ready", channel="sms").body == "Milik kantor {nomor}"
    own.active = False
    own.save()
    assert template_for(office_id=office.pk, key="application.ready", channel="sms") is None
    own.delete()
    assert template_for(office_id=office.pk, key="application.ready", channel="sms").body == first.body


def test_a_repeated_idempotency_key_writes_nothing_in_one_statement_without_a_savepoint(office):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        notice = queue(office, "ready:1")
    assert notice is not None and notice.pk and len(callbacks) == 1  # sent after commit
    with CaptureQueriesContext(connection) as ctx:
        assert queue(office, "ready:1") is None
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT"]
    assert Notice.objects.filter(idempotency_key="ready:1").count() == 1
    assert Notice.objects.get(pk=notice.pk).text == notice.text
