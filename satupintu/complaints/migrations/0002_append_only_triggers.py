"""
Make the database itself refuse UPDATE and DELETE on complaint history rows (as the control card).

The model refuses them too; the triggers also stop raw SQL and bulk queryset updates. Someone with
the database owner's rights can still drop a trigger: the hash chain then shows the change.
"""

from django.db import migrations

TABLE = "complaints_complaintevent"
MESSAGE = "riwayat pengaduan hanya boleh ditambah (append-only)"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION complaint_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complaint_event_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION complaint_event_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS complaint_event_no_update ON {TABLE};
DROP FUNCTION IF EXISTS complaint_event_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER complaint_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER complaint_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS complaint_event_no_update;", "DROP TRIGGER IF EXISTS complaint_event_no_delete;"]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
