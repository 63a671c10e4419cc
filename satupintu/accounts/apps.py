from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        user_logged_in.connect(_session_signed_in, dispatch_uid="satupintu.accounts.session_signed_in")
        user_logged_out.connect(_session_signed_out, dispatch_uid="satupintu.accounts.session_signed_out")

        from satupintu.accounts.permissions import roles_in
        from satupintu.core import privacy

        # The access log records the reader's roles; core cannot import accounts, so it is told here.
        privacy.roles_provider = roles_in


def _session_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Every browser sign-in, whichever door (web, admin), is listed on "Sesi dan token aktif"."""
    from satupintu.accounts.sessions import session_register

    if request is not None:
        session_register(request=request, user=user)


def _session_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from satupintu.accounts.sessions import session_forget

    session = getattr(request, "session", None)
    if session is not None:
        session_forget(session_key=session.session_key)
