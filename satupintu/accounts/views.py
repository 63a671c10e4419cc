"""
Account pages: sign in (password, then the second factor), enrol an authenticator, change or
reset the password, see and end one's sessions and API tokens. Rules live in ``twofactor``,
``sessions`` and ``services``; these views parse, call and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.forms import (
    AccountPasswordChangeForm,
    AccountSetPasswordForm,
    OtpCodeForm,
    OtpEnrolForm,
    PasswordResetRequestForm,
    ThrottledLoginForm,
)
from satupintu.accounts.models import User
from satupintu.accounts.permissions import Action, can, offices_for
from satupintu.accounts.securitykeys import (
    credential_from_body,
    key_authentication_options,
    key_register,
    key_registration_options,
    key_remove,
    key_verify,
    keys_for,
)
from satupintu.accounts.services import password_change, password_reset_request
from satupintu.accounts.sessions import (
    STATE_KEY,
    session_end,
    session_rekey,
    sessions_active,
    sessions_end_others,
    token_end,
    tokens_active,
)
from satupintu.accounts.twofactor import (
    OtpInvalid,
    has_device,
    otp_required,
    otp_verify,
    recovery_codes_left,
    recovery_codes_regenerate,
    totp_device_pending,
    totp_enrol_confirm,
    totp_qr_svg,
    totp_secret_text,
)
from satupintu.core.errors import DomainError
from satupintu.core.selectors import office_default

#: Where an officer lands after signing in (the URL name of the staff home).
STAFF_HOME = "staff:home"


def _default_home(user: Any) -> str:
    """Officers land on the staff home; applicants on the portal."""
    if any(can(user, Action.VIEW_STAFF_PAGES, office) for office in offices_for(user)):
        return resolve_url(STAFF_HOME)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Officers land on the staff home; applicants on the portal (a ``next`` link still wins)."""
        return _default_home(self.request.user)

    def get_success_url(self) -> str:
        """After the password, an officer who needs it goes to the second step (then onward)."""
        url = super().get_success_url()
        if otp_required(self.request.user):
            step = "accounts:otp_verify" if has_device(self.request.user) else "accounts:otp_enrol"
            return f"{reverse(step)}?{urlencode({'next': url})}"
        return url


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


# --- the second factor ---------------------------------------------------------------------------


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """The code step after the password (web and admin doors)."""
    user = request.user
    target = _safe_next(request) or _default_home(user)
    if not has_device(user):
        return redirect(f"{reverse('accounts:otp_enrol')}?{urlencode({'next': target})}")
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(target)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_verify(user=user, code=form.cleaned_data["code"], request=request)  # type: ignore[arg-type]
        if device is not None:
            django_otp.login(request, device)
            request.session.pop(STATE_KEY, None)
            left = recovery_codes_left(user)  # type: ignore[arg-type]
            if left <= 3:
                messages.warning(
                    request,
                    _("Sisa kode pemulihan Anda %(n)d. Buat kode baru di halaman verifikasi dua langkah.")
                    % {"n": left},
                )
            return HttpResponseRedirect(target)
        form.add_error("code", _("Kode verifikasi salah atau sudah kedaluwarsa. Coba kode yang sedang tampil."))
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": target,
            "next_query": urlencode({"next": target}),
            "has_keys": bool(keys_for(user)),  # type: ignore[arg-type]
        },
    )


@login_required
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """
    Enrol an authenticator app (a QR code and its secret), confirm it with a code, and show the
    recovery codes once. An enrolled, verified user sees the status and may make new codes.
    """
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request)
    enrolled = has_device(user)
    if enrolled and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
    if request.method == "POST" and request.POST.get("action") == "regenerate" and enrolled:
        codes = recovery_codes_regenerate(user=user)
        return render(request, "accounts/otp_codes.html", {"codes": codes, "next": target or _default_home(user)})
    if enrolled and request.POST.get("action") != "replace" and request.GET.get("ganti") is None:
        return render(
            request,
            "accounts/otp_status.html",
            {"codes_left": recovery_codes_left(user), "required": otp_required(user)},
        )
    device = totp_device_pending(user=user)
    form = OtpEnrolForm(request.POST or None) if request.POST.get("action") == "confirm" else OtpEnrolForm()
    if request.method == "POST" and request.POST.get("action") == "confirm" and form.is_valid():
        try:
            codes = totp_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except OtpInvalid as exc:
            form.add_error("code", exc.message)
        else:
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session.pop(STATE_KEY, None)
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": target or _default_home(user)})
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_svg": totp_qr_svg(device),
            "secret": totp_secret_text(device),
            "next": target,
            "required": otp_required(user),
        },
    )


# --- passwords -----------------------------------------------------------------------------------


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's password; every other session and every API token is ended."""
    user: User = request.user  # type: ignore[assignment]
    form = AccountPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        try:
            sessions, tokens = password_change(
                user=user, new_password=form.cleaned_data["new_password1"], actor=user, keep_session_key=old_key
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, user)
            session_rekey(old_key=old_key, new_key=request.session.session_key)
            messages.success(
                request,
                _("Kata sandi sudah diganti. %(s)d sesi lain diakhiri dan %(t)d token API dicabut.")
                % {"s": sessions, "t": tokens},
            )
            return redirect("accounts:sessions")
    return render(request, "accounts/password_change.html", {"form": form})


def _reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SATUPINTU_PUBLIC_URL.rstrip("/") + path


def password_reset_view(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(
            identifier=form.cleaned_data["identifier"], office=office_default(), link_for=_reset_link
        )
        messages.info(
            request,
            _(
                "Bila akun itu terdaftar, tautan untuk mengganti kata sandi sudah dikirim ke surel atau nomor HP-nya. "
                "Tautan berlaku satu jam dan hanya sekali pakai."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, then every session and token of the account ends."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = AccountSetPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        user = form.user
        try:
            password_change(user=user, new_password=form.cleaned_data["new_password1"], actor=user, reason="reset")
        except ValidationError as exc:
            form.add_error("new_password1", exc)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Kata sandi sudah diganti. Silakan masuk dengan kata sandi baru."))
        return redirect("accounts:login")


# --- sessions and tokens ------------------------------------------------------------------------


@login_required
def sessions_view(request: HttpRequest) -> HttpResponse:
    """ "Sesi dan token aktif": one's signed-in browsers and API tokens, each with an end button."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions_active(user=user),
            "tokens": tokens_active(user=user),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def session_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        session_end(user=user, session_id=pk, actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sesi itu sudah diakhiri."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    sessions_end_others(user=user, keep_session_key=request.session.session_key, actor=user)
    messages.success(request, _("Semua sesi lain dan semua token API sudah diakhiri."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def token_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        token_end(user=user, token_id=pk, actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token itu sudah dicabut."))
    return redirect("accounts:sessions")


# --- security keys (WebAuthn) -----------------------------------------------------------------


def _json_error(exc: DomainError) -> JsonResponse:
    return JsonResponse({"detail": exc.message, "code": exc.code}, status=exc.http_status)


@login_required
def security_keys_view(request: HttpRequest) -> HttpResponse:
    """The user's security keys, with "Tambah kunci keamanan" and a remove button for each."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and request.POST.get("remove"):
        key_remove(user=user, key_id=int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0)
        messages.success(request, _("Kunci keamanan itu sudah dihapus."))
        return redirect("accounts:security_keys")
    return render(request, "accounts/security_keys.html", {"keys": keys_for(user), "app_enrolled": has_device(user)})


@login_required
@require_POST
def security_key_options_view(request: HttpRequest) -> HttpResponse:
    try:
        options = key_registration_options(request=request, user=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        return _json_error(exc)
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
def security_key_add_view(request: HttpRequest) -> HttpResponse:
    try:
        data = credential_from_body(request.body)
        key_register(request=request, user=request.user, credential=data, name=str(data.pop("name", "") or ""))  # type: ignore[arg-type]
    except DomainError as exc:
        return _json_error(exc)
    messages.success(request, _("Kunci keamanan sudah didaftarkan."))
    return JsonResponse({"next": reverse("accounts:security_keys")})


@login_required
@require_POST
def otp_key_options_view(request: HttpRequest) -> HttpResponse:
    """The code step with a security key instead of a code: the options for ``get()``."""
    try:
        options = key_authentication_options(request=request, user=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        return _json_error(exc)
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
def otp_key_verify_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        key = key_verify(request=request, user=user, credential=credential_from_body(request.body))
    except DomainError as exc:
        return _json_error(exc)
    django_otp.login(request, key)
    request.session.pop(STATE_KEY, None)
    return JsonResponse({"next": _safe_next(request) or _default_home(user)})
