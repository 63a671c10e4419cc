"""
The open-files index covers every open status (issue 12): it was made before ``awaiting_payment``
joined the lifecycle (issue 15), so the queues, whose status list now has it, could no longer use
the index and sorted the office's whole queue instead.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_on_behalf_and_proxy"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="application_queue_open",
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("submitted", "returned", "in_process", "ready", "awaiting_payment"))
                ),
                fields=["office", "current_role", "step_due_at", "step_received_at", "id"],
                name="application_queue_open",
            ),
        ),
    ]
