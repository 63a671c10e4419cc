"""
When a file with a service clock finished (ready, else closed), by office (issue 12): the SLA
report reads the days the rollup has not summed yet from the files, and without this index it
scanned the office's every file (300 ms at 1M files).
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_queue_index_every_open_status"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                models.F("office"),
                Coalesce("completed_at", "closed_at"),
                condition=models.Q(("due_at__isnull", False)),
                name="application_finished",
            ),
        ),
    ]
