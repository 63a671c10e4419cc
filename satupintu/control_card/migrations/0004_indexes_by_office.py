"""
Keep only the card indexes the queries need (issue 12): the office and application foreign keys
are served by (office, completed_at) and (application, seq); nothing reads entries by officer.

The foreign keys stay; only their single-column indexes go. Django's AlterField would drop and
re-add each constraint, re-checking every row of the card under lock, so the database side is
written out: drop the indexes by what they cover, found through introspection.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "control_card_controlcardentry"
COLUMNS = ("office_id", "application_id", "actor_id", "acting_for_id")


def _single_column_indexes(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {
        info["columns"][0]: name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and len(info["columns"]) == 1
        and info["columns"][0] in COLUMNS
    }


def drop_fk_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in _single_column_indexes(schema_editor).values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def create_fk_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    existing = _single_column_indexes(schema_editor)
    for column in COLUMNS:
        if column not in existing:
            name = f"{TABLE[:40]}_{column}_idx"
            schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("control_card", "0003_keyed_chain_and_anchors"),
        ("core", "0002_office_registration_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="controlcardentry", name="control_car_actor_i_0a760f_idx"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="controlcardentry",
                    name="acting_for",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="controlcardentry",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="paraf",
                    ),
                ),
                migrations.AlterField(
                    model_name="controlcardentry",
                    name="application",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="card_entries",
                        to="applications.application",
                        verbose_name="permohonan",
                    ),
                ),
                migrations.AlterField(
                    model_name="controlcardentry",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.office",
                        verbose_name="kantor",
                    ),
                ),
            ],
        ),
    ]
