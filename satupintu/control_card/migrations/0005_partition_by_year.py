"""
The control card partitioned by year on PostgreSQL (issue 12 part 5); SQLite is unchanged.

What changes and why is in ``satupintu/control_card/partitions.py`` and docs/scale.md. The table
is rebuilt: a partitioned twin is made (columns, checks, foreign keys and the (office,
completed_at) index copied from the table as it is), the yearly partitions from the oldest entry's
year to two years ahead plus a default one, the rows copied, the old table dropped and the twin
renamed; then the append-only trigger and the one-entry-per-position trigger are put on it. The
whole card is copied under an exclusive lock: at millions of entries, run it in a maintenance
window (docs/deploy.md).

Django's model is not changed (state operations: none): Django reads and writes rows by ``id``
as before; the database's keys differ as partitioning requires.
"""

import datetime as dt
import re

from django.db import migrations

TABLE = "control_card_controlcardentry"
NEW = f"{TABLE}_p"
SEQUENCE = f"{TABLE}_id_seq"

APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION control_card_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'kartu kendali hanya boleh ditambah (append-only)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER control_card_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION control_card_append_only();
"""
SEQ_UNIQUE = f"""
CREATE OR REPLACE FUNCTION control_card_seq_unique() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {TABLE} WHERE application_id = NEW.application_id AND seq = NEW.seq) THEN
        RAISE unique_violation USING MESSAGE = format(
            'kartu kendali: permohonan %s sudah memiliki entri urutan %s', NEW.application_id, NEW.seq);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER control_card_seq_unique BEFORE INSERT ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION control_card_seq_unique();
"""


def _fetch(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _carried(cursor, table):
    """The foreign keys and the plain indexes (not on ``hash``) of ``table``, to copy to its twin."""
    fks = _fetch(
        cursor,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    indexes = _fetch(
        cursor,
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary "
        "AND pg_get_indexdef(x.indexrelid) NOT LIKE '%%(hash%%'",
        [table],
    )
    return fks, indexes


def _rebuild(schema_editor, *, partitioned: bool) -> None:
    """Rebuild the card table as a partitioned one (or back as a plain one), keeping every row."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:

        def run(sql: str) -> None:
            cursor.execute(sql)  # no parameters: the functions' bodies hold literal %s

        run(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        fks, indexes = _carried(cursor, TABLE)
        first = _fetch(cursor, f"SELECT min(completed_at) FROM {TABLE}")[0][0]
        this_year = dt.datetime.now(dt.UTC).year
        run(f"DROP TABLE IF EXISTS {NEW}")
        tail = " PARTITION BY RANGE (completed_at)" if partitioned else ""
        run(f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){tail}")
        run(f"CREATE SEQUENCE {NEW}_id_seq OWNED BY {NEW}.id")
        run(f"ALTER TABLE {NEW} ALTER COLUMN id SET DEFAULT nextval('{NEW}_id_seq')")
        if partitioned:
            # From last year at least: history loaded into a new installation has its own partition.
            start = min(first.year if first else this_year, this_year - 1)
            for year in range(start, this_year + 3):
                run(
                    f"CREATE TABLE {TABLE}_y{year} PARTITION OF {NEW} "
                    f"FOR VALUES FROM ('{year}-01-01 00:00:00+00') TO ('{year + 1}-01-01 00:00:00+00')"
                )
            run(f"CREATE TABLE {TABLE}_default PARTITION OF {NEW} DEFAULT")
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT {NEW}_pkey PRIMARY KEY (id, completed_at)")
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT card_entry_seq_unique_p UNIQUE (application_id, seq, completed_at)")
        else:
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT {NEW}_pkey PRIMARY KEY (id)")
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT card_entry_seq_unique_p UNIQUE (application_id, seq)")
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT {NEW}_hash_key UNIQUE (hash)")
            run(f"CREATE INDEX {NEW}_hash_like ON {NEW} (hash varchar_pattern_ops)")
        for name, definition in indexes:
            # A partitioned table's index reads "ON ONLY public.…"; the twin's is made on the whole table.
            target = re.sub(rf"^CREATE INDEX {name} ON (ONLY )?public\.{TABLE} ", f"CREATE INDEX {name}_p ON public.{NEW} ", definition)
            run(target)
        for name, definition in fks:
            run(f"ALTER TABLE {NEW} ADD CONSTRAINT {name} {definition}")
        run(f"INSERT INTO {NEW} SELECT * FROM {TABLE}")
        run(f"SELECT setval('{NEW}_id_seq', COALESCE((SELECT max(id) FROM {NEW}), 0) + 1, false)")
        run(f"DROP TABLE {TABLE}")
        run(f"ALTER TABLE {NEW} RENAME TO {TABLE}")
        run(f"ALTER SEQUENCE {NEW}_id_seq RENAME TO {SEQUENCE}")
        run(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {NEW}_pkey TO {TABLE}_pkey")
        run(f"ALTER TABLE {TABLE} RENAME CONSTRAINT card_entry_seq_unique_p TO card_entry_seq_unique")
        if not partitioned:
            run(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {NEW}_hash_key TO {TABLE}_hash_key")
            run(f"ALTER INDEX {NEW}_hash_like RENAME TO {TABLE}_hash_like")
        for name, _definition in indexes:
            run(f"ALTER INDEX {name}_p RENAME TO {name}")
        run(APPEND_ONLY)
        if partitioned:
            run(SEQ_UNIQUE)
        else:
            run("DROP FUNCTION IF EXISTS control_card_seq_unique()")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(schema_editor, partitioned=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    # The rebuild is one transaction: the card is never seen half copied.
    atomic = True
    dependencies = [("control_card", "0004_indexes_by_office")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
