from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan"

    def ready(self) -> None:
        # The lifecycle publishes events; the outbox listens (applications never imports us).
        from satupintu.notifications import handlers

        handlers.connect()
