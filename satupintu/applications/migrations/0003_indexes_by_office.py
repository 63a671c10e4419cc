"""The indexes the queries need, office first (issue 12); see docs/scale.md."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_permit_number_per_office"),
        ("catalogue", "0001_initial"),
        ("core", "0002_office_registration_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="application_office__d7857d_idx",
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("status__in", ["submitted", "returned", "in_process", "ready"])),
                fields=["office", "current_role", "step_due_at", "step_received_at", "id"],
                name="application_queue_open",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["office", "status", "closed_at"], name="application_office_status"),
        ),
    ]
