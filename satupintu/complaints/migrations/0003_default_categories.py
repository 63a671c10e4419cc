"""Install the shipped complaint categories (data/categories.yaml) as defaults for every office."""

from django.db import migrations


def install(apps, schema_editor):
    from satupintu.complaints.rules import default_categories

    model = apps.get_model("complaints", "ComplaintCategory")
    for row in default_categories():
        model.objects.get_or_create(
            office=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "group": row.get("group", ""),
                "description": row.get("description", ""),
                "keywords": row.get("keywords", []),
                "order": row["order"],
            },
        )


def remove(apps, schema_editor):
    from satupintu.complaints.rules import default_categories

    model = apps.get_model("complaints", "ComplaintCategory")
    model.objects.filter(office=None, code__in=[row["code"] for row in default_categories()]).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_append_only_triggers")]
    operations = [migrations.RunPython(install, remove)]
