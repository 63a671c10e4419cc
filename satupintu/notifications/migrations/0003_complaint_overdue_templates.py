"""Add the default templates of the complaint escalation (complaint.overdue) without touching edited ones."""

from django.db import migrations

KEYS = ["complaint.overdue"]


def install(apps, schema_editor):
    from satupintu.notifications.templates import default_templates_install

    default_templates_install(apps.get_model("notifications", "NoticeTemplate"))


def remove(apps, schema_editor):
    apps.get_model("notifications", "NoticeTemplate").objects.filter(office=None, key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(install, remove)]
