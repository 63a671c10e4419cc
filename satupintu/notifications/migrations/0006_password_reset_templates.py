"""Add the default templates of the password-reset link (issue 13)."""

from django.db import migrations

KEYS = ["account.password_reset"]


def install(apps, schema_editor):
    from satupintu.notifications.templates import default_templates_install

    default_templates_install(apps.get_model("notifications", "NoticeTemplate"))


def remove(apps, schema_editor):
    apps.get_model("notifications", "NoticeTemplate").objects.filter(office=None, key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_return_deadline_templates")]

    operations = [migrations.RunPython(install, remove)]
