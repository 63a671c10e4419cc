from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from satupintu.accounts.permissions import roles_in
        from satupintu.core import privacy

        # The access log records the reader's roles; core cannot import accounts, so it is told here.
        privacy.roles_provider = roles_in
