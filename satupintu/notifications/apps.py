from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "satupintu.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan"
