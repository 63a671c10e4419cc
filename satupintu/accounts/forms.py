"""Sign-in forms for the web login and the admin login: both go through the one throttle."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.throttle import LoginFailed, LoginThrottled, client_address, login_authenticate

__all__ = ["ThrottledAdminLoginForm", "ThrottledLoginForm", "client_address"]


class ThrottledFormMixin:
    """``clean`` through ``login_authenticate``: every attempt recorded, refused while the throttle says wait."""

    door = "web"
    request: Any
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            # The fields' own "required" errors are shown; nothing was attempted.
            return self.cleaned_data
        try:
            self.user_cache = login_authenticate(
                request=self.request, username=username, password=password, door=self.door
            )
        except LoginThrottled as exc:
            raise forms.ValidationError(exc.message, code="throttled") from None
        except LoginFailed:
            raise self.get_invalid_login_error() from None  # type: ignore[attr-defined]
        self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
        return self.cleaned_data


class ThrottledLoginForm(ThrottledFormMixin, AuthenticationForm):
    """The web sign-in form (username, e-mail or mobile number)."""

    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kantor."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna, surel, atau nomor HP")
        self.fields["password"].label = _("Kata sandi")


class ThrottledAdminLoginForm(ThrottledFormMixin, AdminAuthenticationForm):
    """The admin site's sign-in form (``admin.site.login_form``), on the same throttle and log."""

    door = "admin"


class OtpCodeForm(forms.Form):
    """The second step: a 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode pemulihan Anda."),
        error_messages={"required": _("Ketik kode verifikasi.")},
    )


class OtpEnrolForm(forms.Form):
    """Confirm the authenticator: the code it shows right after scanning."""

    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=10,
        help_text=_("Ketik 6 angka yang tampil di aplikasi setelah memindai kode QR."),
        error_messages={"required": _("Ketik kode dari aplikasi autentikator.")},
    )


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Nama pengguna, surel, atau nomor HP"),
        max_length=254,
        error_messages={"required": _("Isi nama pengguna, surel, atau nomor HP akun Anda.")},
    )


def _user_named(username: str) -> Any:
    from satupintu.accounts.models import User

    user = User.objects.filter(username=username.strip()).first()
    if user is None:
        raise forms.ValidationError(_("Pengguna dengan nama ini tidak ada."), code="unknown_user")
    return user


def _role_choices() -> list[tuple[str, str]]:
    from satupintu.accounts.roles import STAFF_ROLES, Role

    return [(role.value, role.label) for role in Role if role.value in STAFF_ROLES]


class RoleGrantForm(forms.Form):
    """The staff page's "beri peran": a user, a role and a period."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), choices=_role_choices)
    valid_from = forms.DateField(label=_("Berlaku sejak"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan bila tanpa batas."),
    )

    def clean_username(self) -> Any:
        return _user_named(self.cleaned_data["username"])


class PlhAppointForm(forms.Form):
    """The staff page's "tunjuk Plh"."""

    acting = forms.CharField(label=_("Plh (nama pengguna)"), max_length=150)
    official = forms.CharField(label=_("Pejabat yang berhalangan (nama pengguna)"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), choices=_role_choices)
    valid_from = forms.DateField(label=_("Berlaku sejak"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Berlaku sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    decree_number = forms.CharField(label=_("Nomor surat perintah Plh"), max_length=120, required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)

    def clean_acting(self) -> Any:
        return _user_named(self.cleaned_data["acting"])

    def clean_official(self) -> Any:
        return _user_named(self.cleaned_data["official"])


class AccountSetPasswordForm(SetPasswordForm):
    """Django's new-password form with the site's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Paling sedikit 10 karakter; jangan hanya angka, jangan mirip nama atau surel Anda."
        )
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


class AccountPasswordChangeForm(AccountSetPasswordForm, PasswordChangeForm):
    """Change one's password: the current one first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi sekarang")
