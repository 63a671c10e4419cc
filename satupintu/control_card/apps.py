from django.apps import AppConfig


class ControlCardConfig(AppConfig):
    name = "satupintu.control_card"
    label = "control_card"
    verbose_name = "Kartu kendali"
