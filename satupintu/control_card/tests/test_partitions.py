"""
The card partitioned by year on PostgreSQL (issue 12 part 5): entries of two years land in two
partitions, the chain and the append-only rules hold across them, and a card position still
cannot be written twice. SQLite keeps one table (nothing to test there but that it is not
partitioned).
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, all_sesuai, upload_all
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.partitions import (
    TABLE,
    default_years,
    is_partitioned,
    partition_name,
    partition_of_entries,
    partitions_ensure,
    partitions_move_default,
)
from satupintu.control_card.selectors import card_check

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")


def test_sqlite_keeps_one_table():
    if connection.vendor == "postgresql":
        assert is_partitioned(connection)
    else:
        assert not is_partitioned(connection) and partitions_ensure(connection) == []


@postgres_only
def test_entries_of_two_years_land_in_two_partitions_and_the_cards_verify(services_loaded, staff, applicant):
    this_year = dt.datetime.now(dt.UTC).year
    service = services_loaded["izin-reklame-kecil"]
    apps = []
    for year in (this_year, this_year + 1):
        at = dt.datetime(year, 3, 10, 9, 0, tzinfo=WIB)  # a Tuesday-ish working morning either year
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=at
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=at + dt.timedelta(minutes=5))
        app = services.step_complete(
            application=app,
            actor=staff["front_office"],
            step_number=2,
            outcome="complete",
            at=at + dt.timedelta(minutes=20),
            data=all_sesuai(app),
        )
        apps.append(app)
    entries = {app.pk: list(ControlCardEntry.objects.filter(application=app).order_by("seq")) for app in apps}
    where = partition_of_entries(connection, [e.pk for card in entries.values() for e in card])
    first, second = (set(where[e.pk] for e in entries[app.pk]) for app in apps)
    assert first == {partition_name(this_year)} and second == {partition_name(this_year + 1)}
    for app in apps:
        assert card_check(app).ok
    call_command("card_verify", office=service.office.slug)  # exits 1 when a card is broken

    # Append-only across partitions, and one entry per position of a card.
    entry = entries[apps[1].pk][0]
    with pytest.raises(DatabaseError), transaction.atomic():
        ControlCardEntry.objects.filter(pk=entry.pk).update(note="diubah")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (office_id, application_id, seq, step_number, step_label, step_kind, role, "
            "activity, received_at, completed_at, actor_name, acting_for_name, outcome, note, data, "
            "time_standard, worked_seconds, late, office_time, prev_hash, hash) "
            "SELECT office_id, application_id, seq, step_number, step_label, step_kind, role, activity, "
            "received_at, completed_at - interval '2 years', actor_name, acting_for_name, outcome, note, data, "
            "time_standard, worked_seconds, late, office_time, prev_hash, hash FROM "
            f"{TABLE} WHERE id = %s",
            [entry.pk],
        )


@postgres_only
def test_partitions_are_made_ahead_and_a_year_already_in_the_default_is_reported():
    this_year = dt.datetime.now(dt.UTC).year
    made = partitions_ensure(connection, [this_year + 5])
    assert made == [f"{this_year + 5}: made {partition_name(this_year + 5)}"]
    assert partitions_ensure(connection, [this_year + 5]) == []


@postgres_only
def test_a_year_caught_by_the_default_partition_is_moved_to_its_own(services_loaded, staff, applicant):
    """
    Entries of a year with no partition yet land in the default; ``card_partitions --move-default``
    makes the year's partition and moves them there, in one transaction, without an update or a
    delete on the card: the chain verifies, nothing is lost or doubled.
    """
    # given a file whose entries are dated seven years ahead (no partition made that far)
    year = dt.datetime.now(dt.UTC).year + 7
    service = services_loaded["izin-reklame-kecil"]
    at = dt.datetime(year, 3, 14, 9, 0, tzinfo=WIB)
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=at
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=at + dt.timedelta(minutes=5))
    ids = list(ControlCardEntry.objects.filter(application=app).values_list("pk", flat=True))
    total = ControlCardEntry.objects.count()
    assert set(partition_of_entries(connection, ids).values()) == {f"{TABLE}_default"}
    assert default_years(connection) == [year]
    assert "card_partitions --move-default" in partitions_ensure(connection, [year])[0]

    # when
    out = io.StringIO()
    call_command("card_partitions", move_default=True, stdout=out)

    # then
    assert f"{year}: made {partition_name(year)}" in out.getvalue()
    assert set(partition_of_entries(connection, ids).values()) == {partition_name(year)}
    assert default_years(connection) == [] and ControlCardEntry.objects.count() == total
    assert card_check(app).ok
    # The card is still append-only and one entry per position, in the new partition too.
    with pytest.raises(DatabaseError), transaction.atomic():
        ControlCardEntry.objects.filter(pk=ids[0]).update(note="diubah")
    assert partitions_move_default(connection) == []


@postgres_only
def test_the_card_and_every_partition_carry_the_planners_hint_on_a_files_entries():
    made_year = dt.datetime.now(dt.UTC).year + 6
    partitions_ensure(connection, [made_year])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attoptions FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE a.attname = 'application_id' AND (c.oid = %s::regclass OR c.oid IN "
            "(SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass))",
            [TABLE, TABLE],
        )
        options = dict(cursor.fetchall())
    assert partition_name(made_year) in options and len(options) >= 3
    assert all(any(o.startswith("n_distinct=-0.1") for o in (opts or [])) for opts in options.values()), options
