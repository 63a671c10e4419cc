from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.services import login_attempt_record, login_is_locked


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the server sees it (a proxy must set REMOTE_ADDR correctly)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class ThrottledLoginForm(AuthenticationForm):
    """Sign-in form that records every attempt and refuses while too many recent attempts failed."""

    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kantor."),
        "locked": _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi setelah %(minutes)s menit."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna, surel, atau nomor HP")
        self.fields["password"].label = _("Kata sandi")

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = (self.data.get("username") or "").strip()
        address = client_address(self.request)
        if not username or not self.data.get("password"):
            # The fields' own "required" errors are shown; nothing was attempted.
            return super().clean()
        if username and login_is_locked(username=username, ip_address=address):
            login_attempt_record(username=username, ip_address=address, succeeded=False)
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.SATUPINTU_LOGIN_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_attempt_record(username=username, ip_address=address, succeeded=False)
            raise
        login_attempt_record(username=username, ip_address=address, succeeded=True)
        return cleaned
