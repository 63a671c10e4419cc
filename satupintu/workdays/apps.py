from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "satupintu.workdays"
    label = "workdays"
    verbose_name = "Hari kerja"

    def ready(self) -> None:
        from satupintu.workdays.signals import connect_signals

        connect_signals()
