"""
The application table keeps only the indexes the queries need (issue 12, docs/scale.md): 15 -> 5
on PostgreSQL (pkey, ``number`` unique, ``application_queue_open``, ``application_office_status``,
(applicant, -created_at)). Every step rewrites the row, and every index with it.

Gone: the single-column indexes of ``status`` and ``current_role`` (and their ``_like`` twins; the
two office-first indexes carry both), of ``office`` and ``applicant`` (leading columns of the
remaining ones), of ``claimed_by``, ``registered_by``, ``service`` and ``standard_version`` (read
only by a PROTECT check when a user, service or version is deleted), and the ``varchar_pattern_ops``
twin of ``number`` (no query uses LIKE on it; the unique index stays and the field stays
``unique=True``, so Django's later changes to it drop the twin with IF EXISTS).

The foreign keys stay; only their indexes go. Django's AlterField would drop and re-add each
constraint, re-checking every row under lock, so the database side is written out: drop the
indexes by what they cover, found through introspection (as control_card 0004 does).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "applications_application"
COLUMNS = (
    "office_id",
    "applicant_id",
    "claimed_by_id",
    "registered_by_id",
    "service_id",
    "standard_version_id",
    "status",
    "current_role",
)
#: Where only the LIKE twin goes (PostgreSQL's ``varchar_pattern_ops`` index beside a unique one).
LIKE_ONLY = ("number",)


def _droppable(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    names = []
    for name, info in constraints.items():
        if not info["index"] or info["unique"] or info["primary_key"] or len(info["columns"]) != 1:
            continue
        column = info["columns"][0]
        if column in COLUMNS or (column in LIKE_ONLY and name.endswith("_like")):
            names.append(name)
    return names


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in _droppable(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for column in COLUMNS:
        name = quote(f"{TABLE[:30]}_{column}_idx")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {quote(TABLE)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_signature_requests_and_idempotency"),
        ("catalogue", "0001_initial"),
        ("core", "0002_office_registration_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="application",
                    name="applicant",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="akun pemohon",
                    ),
                ),
                migrations.AlterField(
                    model_name="application",
                    name="claimed_by",
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
                    model_name="application",
                    name="current_role",
                    field=models.CharField(blank=True, max_length=40, verbose_name="peran langkah saat ini"),
                ),
                migrations.AlterField(
                    model_name="application",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.office",
                        verbose_name="kantor",
                    ),
                ),
                migrations.AlterField(
                    model_name="application",
                    name="registered_by",
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
                    model_name="application",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="catalogue.service",
                        verbose_name="layanan",
                    ),
                ),
                migrations.AlterField(
                    model_name="application",
                    name="standard_version",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="catalogue.servicestandardversion",
                        verbose_name="versi standar",
                    ),
                ),
                migrations.AlterField(
                    model_name="application",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("draft", "Draf (belum diajukan)"),
                            ("submitted", "Menunggu pemeriksaan berkas"),
                            ("returned", "Dikembalikan kepada pemohon untuk dilengkapi"),
                            ("in_process", "Sedang diproses"),
                            ("ready", "Selesai, siap diambil atau diunduh"),
                            ("collected", "Sudah diterima pemohon"),
                            ("rejected", "Ditolak"),
                            ("withdrawn", "Dibatalkan oleh pemohon"),
                            ("lapsed", "Ditutup: berkas tidak dilengkapi dalam batas waktu"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
            ],
        ),
    ]
