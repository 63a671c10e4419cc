from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "satupintu.payments"
    label = "payments"
    verbose_name = "Retribusi dan pembayaran"

    def ready(self) -> None:
        from satupintu.payments import handlers

        handlers.connect()
