from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "satupintu.staff"
    label = "staff"
    verbose_name = "Halaman petugas"
