from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "satupintu.organisations"
    label = "organisations"
    verbose_name = "Organisasi"
