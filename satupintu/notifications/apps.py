from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan"

    def ready(self) -> None:
        # The lifecycle publishes events; the outbox listens (applications never imports us).
        from django.db.models.signals import post_delete, post_save

        from satupintu.notifications import handlers
        from satupintu.notifications.models import NoticeTemplate
        from satupintu.notifications.templates import templates_changed

        handlers.connect()
        post_save.connect(templates_changed, sender=NoticeTemplate, dispatch_uid="notice-templates-changed")
        post_delete.connect(templates_changed, sender=NoticeTemplate, dispatch_uid="notice-templates-changed")
