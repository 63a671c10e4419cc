from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "satupintu.surveys"
    label = "surveys"
    verbose_name = "Survei kepuasan masyarakat"
