"""
Seed, Jaminan pelayanan b: "Apabila produk layanan sudah selesai dan dalam waktu 1 bulan dari
tanggal selesainya belum diambil pemohon, maka petugas membuat surat pemberitahuan yang dikirim ke
rumah pemohon".
"""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import HANDOVER_SELF, WIB
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check
from satupintu.notifications.models import Notice, NoticeStatus, OfficeTask
from satupintu.notifications.scans import add_months, render_notice_letter, uncollected_products_scan
from satupintu.notifications.services import office_task_done

pytestmark = pytest.mark.django_db


def at_wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize(
    ("finished", "month_later"),
    [
        (dt.date(2026, 3, 12), dt.date(2026, 4, 12)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
    ],
)
def test_one_month_is_a_calendar_month_clamped_to_the_end_of_the_month(finished, month_later):
    assert add_months(finished, 1) == month_later


def test_an_uncollected_product_gets_one_notice_letter_one_front_office_task_and_one_card_entry(ready_application):
    """Finished 10 March → nothing on 9 April; on 10 April one letter, one task, one card entry; twice is still one."""
    app = ready_application
    assert app.status == Status.READY
    assert timezone_date(app.completed_at) == dt.date(2026, 3, 10)
    entries_before = ControlCardEntry.objects.filter(application=app).count()

    assert uncollected_products_scan(at=at_wib(2026, 4, 9, 23, 0)) == 0
    assert not Notice.objects.filter(application=app, channel="letter").exists()

    assert uncollected_products_scan(at=at_wib(2026, 4, 10, 8, 0)) == 1
    assert uncollected_products_scan(at=at_wib(2026, 4, 10, 8, 0)) == 0
    assert uncollected_products_scan(at=at_wib(2026, 4, 11, 8, 0)) == 0

    letter = Notice.objects.get(application=app, channel="letter")
    assert letter.recipient == "Jalan Sudirman No. 1, Pekanbaru"  # the applicant's home address
    assert letter.event == "application.uncollected" and letter.status == NoticeStatus.PENDING
    assert app.number in letter.text and "belum diambil" in letter.text and "10 Maret 2026" in letter.text
    assert letter.text == render_notice_letter(Application.objects.get(pk=app.pk), at=at_wib(2026, 4, 10, 8, 0))

    task = OfficeTask.objects.get(application=app)
    assert (task.role, task.kind, task.notice_id, task.done_at) == (
        "front_office",
        "post_notice_letter",
        letter.pk,
        None,
    )
    assert "Jalan Sudirman No. 1" in task.detail

    entries = list(ControlCardEntry.objects.filter(application=app).order_by("seq"))
    assert len(entries) == entries_before + 1
    notice_entry = entries[-1]
    assert (notice_entry.step_kind, notice_entry.outcome, notice_entry.role) == (
        "notice",
        "notice_letter",
        "front_office",
    )
    assert notice_entry.actor is None and notice_entry.actor_name == "Sistem" and not notice_entry.office_time
    app = Application.objects.get(pk=app.pk)
    assert app.card_seq == notice_entry.seq and app.card_head_hash == notice_entry.hash
    assert card_check(app.pk, head_hash=app.card_head_hash).ok


def test_the_card_chain_continues_after_the_notice_and_posting_it_marks_the_letter_sent(ready_application, staff):
    app = ready_application
    uncollected_products_scan(at=at_wib(2026, 4, 10, 8, 0))
    task = OfficeTask.objects.get(application=app)
    office_task_done(task=task, actor=staff["front_office"], at=at_wib(2026, 4, 10, 10, 0))
    letter = Notice.objects.get(application=app, channel="letter")
    assert letter.status == NoticeStatus.SENT and letter.provider_message_id == f"pos:{task.pk}"

    # The applicant finally comes: the handover closes on top of the notice entry.
    app = services.step_complete(
        application=Application.objects.get(pk=app.pk),
        actor=staff["front_office"],
        step_number=app.current_step,
        outcome="pickup",
        at=at_wib(2026, 4, 13, 9, 0),
        data=HANDOVER_SELF,
    )
    assert app.status == Status.COLLECTED
    assert card_check(app.pk, head_hash=app.card_head_hash).ok
    assert uncollected_products_scan(at=at_wib(2026, 5, 13, 8, 0)) == 0


def test_a_collected_product_gets_no_notice_letter(ready_application, staff):
    app = services.step_complete(
        application=ready_application,
        actor=staff["front_office"],
        step_number=ready_application.current_step,
        outcome="pickup",
        at=at_wib(2026, 3, 20, 9, 0),
        data=HANDOVER_SELF,
    )
    assert app.status == Status.COLLECTED
    assert uncollected_products_scan(at=at_wib(2026, 6, 1, 8, 0)) == 0
    assert not Notice.objects.filter(application=app, channel="letter").exists()
    assert not OfficeTask.objects.filter(application=app).exists()
    assert not ControlCardEntry.objects.filter(application=app, step_kind="notice").exists()


def timezone_date(value: dt.datetime) -> dt.date:
    return value.astimezone(WIB).date()
