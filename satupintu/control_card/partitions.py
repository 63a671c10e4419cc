"""
The control card partitioned by year on PostgreSQL (issue 12 part 5, DESIGN §11; docs/scale.md).

``control_card_controlcardentry`` is a range-partitioned table on ``completed_at``: one partition
per calendar year (boundaries at 00:00 UTC on 1 January) named ``control_card_controlcardentry_y2026``,
and a default partition that catches anything outside them, so an insert never fails for want of
a partition. A year's partition is made ahead of time (``partitions_ensure``, run by the daily
anchor task and by the migration); a year whose entries already sit in the default partition is
not made (PostgreSQL refuses it) and is reported instead, until an operator runs
``manage.py card_partitions --move-default`` (``partitions_move_default``), which gives those
years their partitions and moves their entries there in one transaction.

What PostgreSQL requires of a partitioned table, and what replaces it:

- The primary key must include the partition key: (id, completed_at). ``id`` stays unique in
  practice (one sequence); Django reads and writes rows by id as before.
- A unique constraint must include the partition key too: (application, seq) becomes
  ``card_entry_seq_unique`` on (application, seq, completed_at), and the real rule, one entry per
  position of a card, is kept by the trigger ``control_card_seq_unique`` (a lookup on that index
  before each insert; writers hold the application's row lock, so it cannot race).
- ``hash`` is no longer unique in the database (its random-order index was the costliest on every
  insert): the chain itself makes a repeated hash detectable (``card_verify``).

SQLite is unchanged (one table, the constraints as the model declares them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DatabaseError, transaction

TABLE = "control_card_controlcardentry"
DEFAULT_PARTITION = f"{TABLE}_default"


def partition_name(year: int) -> str:
    return f"{TABLE}_y{year}"


#: What the planner is told of the card's ``application_id``: about one file per ten entries (a
#: file's card has ~10). Its own sample of a partition of millions of rows guessed ~130 entries
#: per file, costed a file's card above the parallel-query threshold and ran every card read of
#: the staff application page with two parallel workers (20 ms of start-up for 2 rows, at 1M).
APPLICATION_N_DISTINCT = -0.1


def statistics_hint(cursor: Any, table: str) -> None:
    """Give ``table`` (the card or one of its partitions) the planner's hint on ``application_id``."""
    cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN application_id SET (n_distinct = {APPLICATION_N_DISTINCT})')


def is_partitioned(connection: Any) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def partitions_ensure(connection: Any, years: range | list[int] | None = None) -> list[str]:
    """
    Make the yearly partitions of ``years`` (default: this year and the next two) that are missing;
    return what was made or why a year could not be (its entries already in the default partition).
    """
    if not is_partitioned(connection):
        return []
    if years is None:
        this_year = dt.datetime.now(dt.UTC).year
        years = range(this_year, this_year + 3)
    done = []
    with connection.cursor() as cursor:
        for year in years:
            name = partition_name(year)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            start, end = f"{year}-01-01 00:00:00+00", f"{year + 1}-01-01 00:00:00+00"
            cursor.execute(
                f'SELECT 1 FROM "{DEFAULT_PARTITION}" WHERE completed_at >= %s AND completed_at < %s LIMIT 1',
                [start, end],
            )
            if cursor.fetchone() is not None:
                done.append(
                    f"{year}: entries already in the default partition; not made "
                    "(manage.py card_partitions --move-default)"
                )
                continue
            # DDL takes no parameters; the bounds are made from an integer above.
            cursor.execute(f"CREATE TABLE \"{name}\" PARTITION OF \"{TABLE}\" FOR VALUES FROM ('{start}') TO ('{end}')")
            statistics_hint(cursor, name)
            done.append(f"{year}: made {name}")
    return done


def default_years(connection: Any) -> list[int]:
    """The years (UTC) of the entries that sit in the default partition (empty: none, or not partitioned)."""
    if not is_partitioned(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT EXTRACT(YEAR FROM completed_at AT TIME ZONE 'UTC')::int "
            f'FROM "{DEFAULT_PARTITION}" ORDER BY 1'
        )
        return [row[0] for row in cursor.fetchall()]


def partitions_move_default(connection: Any) -> list[str]:
    """
    Give every year found in the default partition its own partition and move its entries there;
    return what was done. One transaction, under an exclusive lock on the card (every writer of a
    step waits: a maintenance window at millions of entries).

    No entry is updated or deleted (the card stays append-only): the default partition is detached
    and set aside, the years' partitions and a new empty default are made, the set-aside rows are
    inserted again through the card (each lands in its year; the one-entry-per-position trigger
    checks each) and the set-aside table is dropped. A count before and after must agree, or the
    transaction is rolled back.
    """
    years = default_years(connection)
    if not years:
        return []
    aside = f"{DEFAULT_PARTITION}_aside"
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
        # Check the deferred foreign keys now: a table with pending checks cannot be dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'SELECT count(*) FROM "{TABLE}"')
        before = cursor.fetchone()[0]
        cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{DEFAULT_PARTITION}"')
        cursor.execute(f'ALTER TABLE "{DEFAULT_PARTITION}" RENAME TO "{aside}"')
        for year in years:
            start, end = f"{year}-01-01 00:00:00+00", f"{year + 1}-01-01 00:00:00+00"
            cursor.execute(
                f'CREATE TABLE "{partition_name(year)}" PARTITION OF "{TABLE}" '
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
        cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
        for table in [partition_name(year) for year in years] + [DEFAULT_PARTITION]:
            statistics_hint(cursor, table)
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            [TABLE],
        )
        columns = ", ".join(f'"{row[0]}"' for row in cursor.fetchall())
        cursor.execute(
            f'INSERT INTO "{TABLE}" ({columns}) SELECT {columns} FROM "{aside}" ORDER BY application_id, seq'
        )
        moved = cursor.rowcount
        cursor.execute(f'DROP TABLE "{aside}"')
        cursor.execute(f'SELECT count(*) FROM "{TABLE}"')
        after = cursor.fetchone()[0]
        if after != before:
            raise DatabaseError(f"card partitions: {before} entries before the move, {after} after")
    return [f"{year}: made {partition_name(year)}" for year in years] + [
        f"moved {moved} entries out of the default partition"
    ]


def partitions_list(connection: Any) -> list[tuple[str, int]]:
    """Each partition of the card with its number of entries (estimated from the planner's statistics)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [TABLE],
        )
        return [(name, int(rows)) for name, rows in cursor.fetchall()]


def partition_of_entries(connection: Any, ids: list[int]) -> dict[int, str]:
    """Which partition holds each entry (for tests and the operator)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, tableoid::regclass::text FROM "{TABLE}" WHERE id = ANY(%s)', [ids])
        return dict(cursor.fetchall())
