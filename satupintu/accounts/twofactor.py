"""
The second factor for staff: TOTP (an authenticator app) and one-time recovery codes.

Who must use it (``otp_required``): every user who has enrolled a device, and every officer
(a staff role in an office, directly or as Plh, or the Django admin's staff and superusers) of an
office whose policy says "wajib 2FA untuk petugas" (``OfficeAccountPolicy``; without a row,
``SATUPINTU_ACCOUNTS["STAFF_OTP_REQUIRED_DEFAULT"]``, on in production). Applicants never need it.

The web and admin doors sign in with the password first; ``AccountSessionMiddleware`` then lets
the session reach nothing but the code step (or, with no device yet, the enrolment page: the
grace path at first sign-in) until the code is given. The API token door asks for the code in
the same request (``otp_check_for_token``). Codes are checked by django-otp, whose devices slow
down repeated wrong codes; every code attempt is also a ``LoginAttempt`` row (door ``…-otp``).
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import OfficeAccountPolicy, User
from satupintu.accounts.permissions import Action, can, offices_for
from satupintu.accounts.throttle import client_address, login_attempt_record
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError
from satupintu.core.models import Office

DEFAULTS: dict[str, Any] = {
    "STAFF_OTP_REQUIRED_DEFAULT": True,
    "STAFF_IDLE_MINUTES": 30,
    "APPLICANT_IDLE_MINUTES": 240,
    "LAST_SEEN_PRECISION_SECONDS": 60,
    "OTP_ISSUER": "satupintu",
    "RECOVERY_CODES": 10,
    "RESET_NOTICES_PER_HOUR": 3,
    "PASSWORD_RESET_NOTIFY": "",
}

TOTP_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode pemulihan"


def account_settings() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "SATUPINTU_ACCOUNTS", {})}


class OtpRequired(DomainError):
    """The account signs in with a second factor and none was given."""

    code = "otp_required"
    http_status = 401


class OtpInvalid(DomainError):
    """The code from the authenticator app (or the recovery code) is wrong, used or expired."""

    code = "otp_invalid"
    http_status = 401


class OtpEnrolmentRequired(DomainError):
    """The account must enrol an authenticator app (on the web) before it can get an API token."""

    code = "otp_enrolment_required"
    http_status = 403


def staff_offices(user: Any) -> list[Office]:
    """The offices where the user now works as an officer (any staff role, directly or as Plh)."""
    return [office for office in offices_for(user) if can(user, Action.VIEW_STAFF_PAGES, office)]


def is_staff_person(user: Any) -> bool:
    """An officer anywhere, or a Django admin user: the accounts the second factor is for."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or staff_offices(user))


def office_requires_otp(office: Office) -> bool:
    """The office's "wajib 2FA untuk petugas" (its policy row, else the default setting)."""
    policy = OfficeAccountPolicy.objects.filter(office=office).first()
    if policy is not None:
        return policy.staff_otp_required
    return bool(account_settings()["STAFF_OTP_REQUIRED_DEFAULT"])


def has_device(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user_has_device(user, confirmed=True))


def otp_required(user: Any) -> bool:
    """Whether the user must give a second factor to sign in (module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_device(user):
        return True
    offices = staff_offices(user)
    if (user.is_staff or user.is_superuser) and account_settings()["STAFF_OTP_REQUIRED_DEFAULT"]:
        return True
    return any(office_requires_otp(office) for office in offices)


def _normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def otp_verify(*, user: User, code: str, request: HttpRequest | None = None, door: str = "web") -> Device | None:
    """
    Check a code against the user's confirmed devices: a 6-digit code from the app, or one of
    the recovery codes (which is used up). Record the attempt; return the device or None.
    """
    code = _normalised(code)
    device: Device | None = None
    if code:
        with transaction.atomic():
            kinds = [TOTPDevice] if code.isdigit() else [StaticDevice]
            for model in kinds:
                for candidate in model.objects.devices_for_user(user, confirmed=True).select_for_update():
                    if candidate.verify_token(code):
                        device = candidate
                        break
    login_attempt_record(
        username=user.get_username(),
        address=client_address(request),
        succeeded=device is not None,
        door=f"{door}-otp",
    )
    if device is not None and isinstance(device, StaticDevice):
        audit_record(
            action="otp.recovery_code_used",
            actor=user,
            target=f"user:{user.pk}",
            left=StaticToken.objects.filter(device=device).count(),
        )
    return device


def otp_check_for_token(*, user: User, code: str | None, request: HttpRequest | None) -> Device | None:
    """
    The API token door's second step: None when the user needs no code; the device that
    accepted the code; else raise OtpRequired, OtpInvalid or OtpEnrolmentRequired.
    """
    if not otp_required(user):
        return None
    if not has_device(user):
        raise OtpEnrolmentRequired(
            _(
                "Akun petugas ini wajib memakai verifikasi dua langkah. "
                "Daftarkan aplikasi autentikator di situs web dulu."
            )
        )
    if not code:
        raise OtpRequired(
            _("Akun ini memakai verifikasi dua langkah: kirim juga kode dari aplikasi autentikator (otp).")
        )
    device = otp_verify(user=user, code=code, request=request, door="api")
    if device is None:
        raise OtpInvalid(_("Kode verifikasi salah atau sudah kedaluwarsa."))
    return device


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (made now if there is none): shown as a QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code (the ``otpauth://`` address) as SVG markup."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m", micro=False).save(
        buffer, kind="svg", border=2, xmldecl=False, dark="#000", scale=4
    )
    return buffer.getvalue().decode("ascii")


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app instead of scanning."""
    import base64

    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _recovery_codes_make(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(int(account_settings()["RECOVERY_CODES"]))]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """
    Confirm the authenticator with a code it shows; replace any earlier authenticator and make
    the recovery codes. Return the codes: they are shown once and stored only as django-otp
    keeps them. Raise OtpInvalid when the code does not match.
    """
    if device.user_id != user.pk or device.confirmed:
        raise OtpInvalid(_("Pendaftaran ini tidak berlaku lagi. Mulai lagi dari halaman verifikasi dua langkah."))
    code = _normalised(code)
    if not (code.isdigit() and device.verify_token(code)):
        raise OtpInvalid(_("Kode tidak cocok. Periksa jam ponsel Anda dan ketik kode yang sedang tampil."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_make(user)
    audit_record(action="otp.enrol", actor=user, target=f"user:{user.pk}", device=device.persistent_id)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for an enrolled user; the old ones stop working."""
    if not has_device(user):
        raise DomainError(_("Daftarkan aplikasi autentikator dulu."), code="otp_not_enrolled")
    codes = _recovery_codes_make(user)
    audit_record(action="otp.recovery_codes_regenerate", actor=user, target=f"user:{user.pk}")
    return codes


@transaction.atomic
def otp_reset(*, user: User, actor: Any) -> int:
    """
    Remove the user's authenticators and recovery codes (a lost phone); at the next sign-in the
    user enrols again. Return how many devices were removed.
    """
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit_record(action="otp.reset", actor=actor, target=f"user:{user.pk}", devices=removed)
    return removed


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
