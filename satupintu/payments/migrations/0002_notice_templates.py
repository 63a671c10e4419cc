"""The default notice templates of the payment step (bill, reminder, closing, receipt)."""

from pathlib import Path

import yaml
from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "data" / "notice_templates.yaml"


def install(apps, schema_editor):
    model = apps.get_model("notifications", "NoticeTemplate")
    for row in yaml.safe_load(FILE.read_text(encoding="utf-8")):
        model.objects.get_or_create(
            office=None,
            key=row["key"],
            channel=row["channel"],
            defaults={"subject": row.get("subject", ""), "body": row["body"].strip()},
        )


def remove(apps, schema_editor):
    keys = {row["key"] for row in yaml.safe_load(FILE.read_text(encoding="utf-8"))}
    apps.get_model("notifications", "NoticeTemplate").objects.filter(office=None, key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("notifications", "0005_return_deadline_templates")]

    operations = [migrations.RunPython(install, remove)]
