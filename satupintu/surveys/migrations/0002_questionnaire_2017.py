"""Load the PermenPANRB 14/2017 questionnaire (data/questionnaire-2017.yaml); reversible."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "questionnaire-2017.yaml"


def load(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    SurveyElement = apps.get_model("surveys", "SurveyElement")
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    questionnaire, _ = Questionnaire.objects.get_or_create(
        code=spec["code"], defaults={"title": spec["title"], "valid_from": spec["valid_from"]}
    )
    for position, element in enumerate(spec["elements"], start=1):
        answers = element["answers"]
        SurveyElement.objects.update_or_create(
            questionnaire=questionnaire,
            code=element["code"],
            defaults={
                "position": position,
                "regulation_number": element["regulation_number"],
                "name": element["name"],
                "question": element["question"],
                **{f"answer_{i}": answers[i - 1] for i in range(1, 5)},
            },
        )


def unload(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    Questionnaire.objects.filter(code=spec["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
