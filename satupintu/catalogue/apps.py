from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "satupintu.catalogue"
    label = "catalogue"
    verbose_name = "Katalog layanan"
