"""
The kartu kendali is append-only and tamper-evident (DESIGN §5).

The database refuses UPDATE and DELETE; if someone with the owner's rights drops the trigger and
edits the table anyway, the hash chain shows which entry was changed.
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, upload_all
from satupintu.control_card.models import AppendOnlyError, ControlCardEntry
from satupintu.control_card.selectors import card_check

pytestmark = pytest.mark.django_db

TABLE = ControlCardEntry._meta.db_table


@pytest.fixture
def worked(services_loaded, staff, applicant):
    """An application three steps into its SOP (three card entries)."""
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=9),
        data=all_sesuai(app),
    )
    app = services.step_complete(
        application=app, actor=staff["back_office"], step_number=3, outcome="drafted", at=clock.tick(minutes=9)
    )
    return app


def _without_guard(sql, params):
    """Run raw SQL as a database owner could, with the append-only trigger out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of this transaction must run before the table is altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER control_card_no_update")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER control_card_no_update")
        else:
            cursor.execute("DROP TRIGGER control_card_no_update")
            cursor.execute("DROP TRIGGER control_card_no_delete")
            cursor.execute(sql, params)


def test_an_intact_card_verifies(worked):
    report = card_check(worked.pk, head_hash=worked.card_head_hash)
    assert report.ok and report.entries == 3


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(worked):
    entry = ControlCardEntry.objects.get(application=worked, seq=2)
    entry.note = "diubah"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_database_refuses_updates_and_deletes_even_in_bulk(worked):
    with pytest.raises(DatabaseError), transaction.atomic():
        ControlCardEntry.objects.filter(application=worked).update(note="diubah")
    with pytest.raises(DatabaseError), transaction.atomic():
        ControlCardEntry.objects.filter(application=worked, seq=3)._raw_delete(connection.alias)
    assert ControlCardEntry.objects.filter(application=worked, note="diubah").count() == 0


def test_a_tampered_entry_is_detected(worked):
    """Backdating when the front office received the file breaks the chain at that entry."""
    _without_guard(
        f"UPDATE {TABLE} SET received_at = %s WHERE application_id = %s AND seq = 2",
        [dt.datetime(2026, 6, 2, 1, 0, tzinfo=dt.UTC), worked.pk],
    )
    report = card_check(worked.pk, head_hash=worked.card_head_hash)
    assert not report.ok and report.broken_at == 2
    assert "diubah" in report.reason


def test_a_deleted_last_entry_is_detected(worked):
    _without_guard(f"DELETE FROM {TABLE} WHERE application_id = %s AND seq = 3", [worked.pk])
    report = card_check(worked.pk, head_hash=worked.card_head_hash)
    assert not report.ok and "hilang" in report.reason


def test_a_deleted_middle_entry_is_detected(worked):
    _without_guard(f"DELETE FROM {TABLE} WHERE application_id = %s AND seq = 2", [worked.pk])
    report = card_check(worked.pk, head_hash=worked.card_head_hash)
    assert not report.ok and report.broken_at == 3
