"""Load the default notice templates (Bahasa Indonesia) from data/default_templates.yaml."""

from django.db import migrations


def install(apps, schema_editor):
    from satupintu.notifications.templates import default_templates_install

    default_templates_install(apps.get_model("notifications", "NoticeTemplate"))


def remove(apps, schema_editor):
    from satupintu.notifications.templates import default_templates

    model = apps.get_model("notifications", "NoticeTemplate")
    for row in default_templates():
        model.objects.filter(office=None, key=row["key"], channel=row["channel"]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
