"""
The planner's hint on the card's ``application_id`` (issue 12; ``partitions.statistics_hint``):
about one file per ten entries, on the card and each of its partitions (PostgreSQL; partitions
made later get it from ``partitions_ensure``). Without it, the sampled estimate of a file's card
at 1M files was ~130 entries and every card read ran as a parallel query.
"""

from django.db import migrations

from satupintu.control_card.partitions import TABLE, is_partitioned, partitions_list, statistics_hint


def _card_tables(connection):
    """The card and each of its partitions (none on SQLite)."""
    if not is_partitioned(connection):
        return []
    return [TABLE, *(name for name, _rows in partitions_list(connection))]


def hint(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in _card_tables(connection):
            statistics_hint(cursor, table)


def unhint(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in _card_tables(connection):
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN application_id RESET (n_distinct)')


class Migration(migrations.Migration):
    dependencies = [
        ("control_card", "0005_partition_by_year"),
    ]

    operations = [migrations.RunPython(hint, unhint)]
