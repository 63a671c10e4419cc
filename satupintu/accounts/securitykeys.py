"""
WebAuthn security keys (py_webauthn): an optional second factor next to the authenticator app.

An officer who has enrolled the app may add keys (a USB/NFC key, or the device's own
authenticator); at the code step the key can be used instead of a code. Recovery codes and the
API token door stay with the app, so losing every key never locks anyone out. The relying party
is the host the browser sees (``request.get_host()``, which ``ALLOWED_HOSTS`` bounds); the
challenge lives in the session for one ceremony only.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from satupintu.accounts.models import SecurityKey, User
from satupintu.accounts.throttle import client_address, login_attempt_record
from satupintu.accounts.twofactor import account_settings, has_device
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError

REGISTER_CHALLENGE = "_satupintu_webauthn_register"
VERIFY_CHALLENGE = "_satupintu_webauthn_verify"


class KeyRefused(DomainError):
    """The browser's answer does not prove the key (wrong site, old challenge, unknown key)."""

    code = "security_key_refused"
    http_status = 400


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """The RP ID (the host name) and the expected origin of this request."""
    host = request.get_host()
    domain, _port = split_domain_port(host)
    return domain, f"{request.scheme}://{host}"


def _keys(user: User) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("pk"))


def keys_for(user: User) -> list[SecurityKey]:
    return _keys(user)


def key_registration_options(*, request: HttpRequest, user: User) -> str:
    """The options for ``navigator.credentials.create()`` as JSON; the challenge is kept in the session."""
    if not has_device(user):
        raise DomainError(_("Daftarkan aplikasi autentikator dulu, lalu tambahkan kunci keamanan."), code="otp_first")
    rp_id, _origin = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=str(account_settings()["OTP_ISSUER"]),
        user_name=user.get_username(),
        user_id=str(user.pk).encode("ascii"),
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id)) for k in _keys(user)
        ],
    )
    request.session[REGISTER_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


@transaction.atomic
def key_register(*, request: HttpRequest, user: User, credential: dict[str, Any], name: str = "") -> SecurityKey:
    """Check the browser's ``create()`` answer against the session's challenge and keep the key."""
    challenge = request.session.pop(REGISTER_CHALLENGE, None)
    if not challenge:
        raise KeyRefused(_("Pendaftaran kunci sudah kedaluwarsa. Mulai lagi."))
    rp_id, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise KeyRefused(_("Kunci keamanan tidak dapat didaftarkan: %(why)s") % {"why": exc}) from None
    key = SecurityKey.objects.create(
        user=user,
        name=(name or _("Kunci keamanan"))[:64],
        confirmed=True,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    audit_record(action="webauthn.register", actor=user, target=f"user:{user.pk}", key=key.pk)
    return key


def key_authentication_options(*, request: HttpRequest, user: User) -> str:
    """The options for ``navigator.credentials.get()`` for the user's keys, as JSON."""
    keys = _keys(user)
    if not keys:
        raise KeyRefused(_("Akun ini belum punya kunci keamanan."))
    rp_id, _origin = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id)) for k in keys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[VERIFY_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def key_verify(*, request: HttpRequest, user: User, credential: dict[str, Any], door: str = "web") -> SecurityKey:
    """
    Check the browser's ``get()`` answer (the session's challenge, this site, one of the user's
    keys, a signature counter that moved on); record the attempt. Raise KeyRefused.
    """
    challenge = request.session.pop(VERIFY_CHALLENGE, None)
    rp_id, origin = relying_party(request)
    key = None
    raw_id = credential.get("rawId") or credential.get("id") if isinstance(credential, dict) else None
    if raw_id:
        key = SecurityKey.objects.filter(user=user, confirmed=True, credential_id=raw_id).first()
    try:
        if not challenge or key is None:
            raise InvalidAuthenticationResponse("unknown key or challenge")
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        login_attempt_record(
            username=user.get_username(), address=client_address(request), succeeded=False, door=f"{door}-webauthn"
        )
        raise KeyRefused(_("Kunci keamanan tidak dikenali. Coba lagi, atau pakai kode dari aplikasi.")) from None
    with transaction.atomic():
        # The counter only moves forward: a second use of the same answer finds it moved already.
        moved = SecurityKey.objects.filter(pk=key.pk, sign_count=key.sign_count).update(
            sign_count=verified.new_sign_count, last_used_at=timezone.now()
        )
    if not moved and verified.new_sign_count:
        raise KeyRefused(_("Kunci keamanan tidak dikenali. Coba lagi, atau pakai kode dari aplikasi."))
    login_attempt_record(
        username=user.get_username(), address=client_address(request), succeeded=True, door=f"{door}-webauthn"
    )
    return key


@transaction.atomic
def key_remove(*, user: User, key_id: int) -> None:
    deleted, _detail = SecurityKey.objects.filter(user=user, pk=key_id).delete()
    if deleted:
        audit_record(action="webauthn.remove", actor=user, target=f"user:{user.pk}", key=key_id)


def credential_from_body(body: bytes) -> dict[str, Any]:
    """The JSON credential a page posted; KeyRefused when it is not JSON."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise KeyRefused(_("Jawaban peramban tidak terbaca.")) from None
    if not isinstance(data, dict):
        raise KeyRefused(_("Jawaban peramban tidak terbaca."))
    return data
