from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "satupintu.demo"
    label = "demo"
    verbose_name = "Data demo"
