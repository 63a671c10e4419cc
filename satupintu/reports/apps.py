from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "satupintu.reports"
    label = "reports"
    verbose_name = "Laporan dan kinerja"
