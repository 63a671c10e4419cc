"""Every step of a complaint is on an append-only, hash-chained history: a tampered one is detected."""

import pytest
from django.db import DatabaseError, connection, transaction

from satupintu.complaints import services
from satupintu.complaints.chain import history_verify
from satupintu.complaints.models import AppendOnlyError, Complaint, ComplaintEvent
from satupintu.complaints.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(office, officers):
    complaint = services.complaint_register(
        office=office, channel="website", name="Budi", description="Petugas loket tidak ramah.", at=MONDAY
    )
    services.complaint_triage(complaint=complaint, actor=officers["pengelola_pengaduan"], weight="ringan")
    return services.complaint_reply(
        complaint=complaint, actor=officers["pengelola_pengaduan"], method="web", text="Maaf, sudah ditegur."
    )


def test_the_history_chains_and_verifies(answered):
    events = list(answered.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and answered.head_hash == events[2].hash
    assert history_verify(answered).ok


def test_the_model_and_the_database_refuse_changes(answered):
    event = answered.events.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(pk=event.pk).update(note="diubah")
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(pk=event.pk).delete()


def _drop_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE complaints_complaintevent DISABLE TRIGGER complaint_event_no_update")
        else:
            cursor.execute("DROP TRIGGER complaint_event_no_update")
            cursor.execute("DROP TRIGGER complaint_event_no_delete")


def test_an_edited_event_is_detected_even_past_the_triggers(answered):
    """Someone with the database owner's rights drops the triggers and rewrites the reply: the chain shows it."""
    _drop_triggers()
    ComplaintEvent.objects.filter(complaint=answered, seq=3).update(note="Tanggapan yang lain.")
    report = history_verify(Complaint.objects.get(pk=answered.pk))
    assert not report.ok and report.broken_at == 3 and "diubah" in report.reason


def test_a_removed_last_event_is_detected(answered):
    _drop_triggers()
    ComplaintEvent.objects.filter(complaint=answered, seq=3).delete()
    report = history_verify(Complaint.objects.get(pk=answered.pk))
    assert not report.ok and "hilang" in report.reason
