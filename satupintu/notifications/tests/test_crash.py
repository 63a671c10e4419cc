"""
A crash of the worker mid-batch loses no notice and sends none twice (issue 5, "Done when").

The sweeper (``dispatch_due_notices``, every minute) re-queues a notice left ``sending`` by a dead
worker once ``SENDING_TIMEOUT_SECONDS`` have passed, and a ``pending`` notice whose task was lost.
"""

import datetime as dt

import pytest
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from satupintu.notifications.models import Notice, NoticeStatus
from satupintu.notifications.services import notice_send, notices_dispatch_due
from satupintu.notifications.tests.conftest import run_queued
from satupintu.notifications.tests.test_delivery import queue_sms

pytestmark = pytest.mark.django_db


def die_while_sending(notice: Notice, now: dt.datetime) -> None:
    """What a worker killed between its claim and the gateway's answer leaves behind."""
    Notice.objects.filter(pk=notice.pk, status=NoticeStatus.PENDING).update(
        status=NoticeStatus.SENDING, attempts=1, claimed_at=now
    )
    DBTaskResult.objects.filter(args_kwargs__args=[notice.pk]).delete()  # its task died with it


def sweep(now: dt.datetime) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notices_dispatch_due(at=now)


def test_a_notice_left_sending_by_a_dead_worker_is_sent_once_after_the_timeout(office, fake, clock):
    notice = queue_sms(office)
    die_while_sending(notice, clock.now)

    assert sweep(clock.tick(minutes=5)) == 0  # the worker may still be talking to the gateway
    assert run_queued() == []
    assert sweep(clock.tick(minutes=6)) == 1  # 11 minutes: it is dead
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING and "berhenti" in notice.last_error
    assert [r[2] for r in run_queued()] == ["sent"]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert [m["id"] for m in fake.sent] == [notice.pk]


def test_a_crash_mid_batch_loses_nothing_and_sends_nothing_twice(office, fake, clock):
    """Five queued; two sent, then the worker dies holding the third; the queue with the rest is lost."""
    notices = [queue_sms(office, key=f"batch:{i}") for i in range(5)]
    for notice in notices[:2]:
        assert notice_send(notice_id=notice.pk) == "sent"
    die_while_sending(notices[2], clock.now)
    DBTaskResult.objects.all().delete()  # the queue itself is gone (worst case)

    assert sweep(clock.tick(minutes=1)) == 0  # within the grace period nothing is re-queued
    clock.tick(minutes=10)
    assert sweep(clock.now) == 3
    assert sweep(clock.now) == 0  # a second sweep right after does not queue them again
    run_queued()
    assert sorted(m["id"] for m in fake.sent) == sorted(n.pk for n in notices)
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}

    # Later sweeps find nothing to do.
    assert sweep(clock.tick(hours=1)) == 0


def test_a_slow_worker_that_answers_after_the_sweeper_took_over_does_not_overwrite(office, fake, clock):
    notice = queue_sms(office)
    die_while_sending(notice, clock.now)
    sweep(clock.tick(minutes=11))
    run_queued()
    # The "dead" worker wakes up and reports attempt 1: the row has moved on and stays as recorded.
    assert Notice.objects.filter(pk=notice.pk, status=NoticeStatus.SENDING, attempts=1).update(last_error="x") == 0
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.SENT


def test_the_dispatch_command_runs_the_sweeper_once(office, fake, clock):
    from io import StringIO

    from django.core.management import call_command

    notice = queue_sms(office)
    die_while_sending(notice, clock.now - dt.timedelta(hours=1))
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("notices_dispatch", stdout=out)
    assert out.getvalue().startswith("1 notice(s) queued")
    assert [r[2] for r in run_queued()] == ["sent"]
