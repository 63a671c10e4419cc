from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "satupintu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"
