"""
Writes for accounts: applicant sign-up, role memberships, Plh appointments, passwords
(sign-in: throttle.py; second factor: twofactor.py; sessions: sessions.py).

Each writes its audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.backends import user_for_identifier
from satupintu.accounts.models import ActingAppointment, RoleMembership, User
from satupintu.accounts.roles import Role, office_roles
from satupintu.accounts.sessions import credentials_revoke
from satupintu.accounts.twofactor import account_settings
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent, Office
from satupintu.core.validators import normalise_phone, parse_nik


@transaction.atomic
def membership_grant(
    *,
    office: Office,
    user: User,
    role: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    granted_by: Any = None,
    door: str = "",
) -> RoleMembership:
    """
    Give the user ``role`` in the office for the period and record who did it and through which
    door (``admin``, ``staff``, ``api``, ``command``; empty for code such as the demo data).
    """
    if role not in Role.values and role not in office_roles(office):
        raise DomainError(_("Peran %(role)s tidak dikenal.") % {"role": role}, code="unknown_role")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="period_reversed")
    membership = RoleMembership.objects.create(
        office=office,
        user=user,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=granted_by if getattr(granted_by, "pk", None) else None,
    )
    audit_record(
        action="membership.grant",
        office=office,
        actor=granted_by,
        target=f"user:{user.pk}",
        role=role,
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat() if valid_to else None,
        membership=membership.pk,
        door=door,
    )
    return membership


@transaction.atomic
def membership_end(
    *, membership: RoleMembership, last_day: dt.date, ended_by: Any = None, door: str = ""
) -> RoleMembership:
    """End a membership after ``last_day`` (inclusive); the row stays for the record."""
    if last_day < membership.valid_from:
        raise DomainError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="period_reversed")
    membership.valid_to = last_day
    membership.save(update_fields=["valid_to"])
    audit_record(
        action="membership.end",
        office=membership.office,
        actor=ended_by,
        target=f"user:{membership.user_id}",
        role=membership.role,
        last_day=last_day.isoformat(),
        membership=membership.pk,
        door=door,
    )
    return membership


@transaction.atomic
def acting_appoint(
    *,
    office: Office,
    role: str,
    acting_user: User,
    official: User,
    valid_from: dt.date,
    valid_to: dt.date,
    decree_number: str = "",
    reason: str = "",
    appointed_by: Any = None,
    door: str = "",
) -> ActingAppointment:
    """Appoint ``acting_user`` as Plh for ``official`` in ``role`` during the period."""
    if role not in Role.values and role not in office_roles(office):
        raise DomainError(_("Peran %(role)s tidak dikenal.") % {"role": role}, code="unknown_role")
    if acting_user.pk == official.pk:
        raise DomainError(_("Pejabat tidak dapat menjadi Plh bagi dirinya sendiri."), code="acting_self")
    if valid_to < valid_from:
        raise DomainError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="period_reversed")
    appointment = ActingAppointment.objects.create(
        office=office,
        role=role,
        acting_user=acting_user,
        official=official,
        valid_from=valid_from,
        valid_to=valid_to,
        decree_number=decree_number,
        reason=reason,
        created_by=appointed_by if getattr(appointed_by, "pk", None) else None,
    )
    audit_record(
        action="acting.appoint",
        office=office,
        actor=appointed_by,
        target=f"user:{acting_user.pk}",
        role=role,
        official=official.pk,
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat(),
        appointment=appointment.pk,
        door=door,
    )
    return appointment


def _registration_contacts(email: str, phone: str, errors: dict[str, list[str]]) -> tuple[str, str]:
    """Normalise the e-mail (lowercase) and the phone (E.164); record what is wrong in ``errors``."""
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    if not email and not phone:
        message = _("Isi surel atau nomor HP (salah satu atau keduanya) agar Anda dapat masuk dan dihubungi.")
        errors["email"] = [message]
        errors["phone"] = [message]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Tulis surel seperti nama@contoh.id.")]
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    return email, phone


def applicant_registration_errors(
    *, full_name: str, nik: str, email: str, phone: str, password: str
) -> tuple[User, dict[str, list[str]]]:
    """
    Check a sign-up's form without writing: the unsaved user it would create and the errors per field.

    Rules: a full name; a valid NIK (``parse_nik``); an e-mail or a phone (or both), the phone
    normalised to E.164; a password Django's validators accept. Messages are Indonesian. Whether
    the NIK, e-mail or phone is already registered is not checked here: the public form must not
    tell (``applicant_signup``).
    """
    errors: dict[str, list[str]] = {}
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors["full_name"] = [_("Nama lengkap wajib diisi.")]
    try:
        nik = parse_nik(nik or "").nik
    except ValidationError as exc:
        errors["nik"] = list(exc.messages)
    email, phone = _registration_contacts(email, phone, errors)
    username = email or phone
    user = User(username=username, full_name=full_name, nik=nik, email=email, phone=phone)
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    else:
        errors["password"] = [_("Kata sandi wajib diisi.")]
    return user, errors


def registered_matches(user: User) -> dict[str, list[User]]:
    """Accounts that already hold the would-be user's NIK, e-mail, phone or username, per field."""
    matches: dict[str, list[User]] = {}
    lookups = {
        "nik": {"nik": user.nik} if user.nik else None,
        "email": {"email__iexact": user.email} if user.email else None,
        "phone": {"phone": user.phone} if user.phone else None,
        "username": {"username__iexact": user.username} if user.username else None,
    }
    for name, lookup in lookups.items():
        if lookup:
            found = list(User.objects.filter(**lookup)[:5])
            if found:
                matches[name] = found
    return matches


DUPLICATE_MESSAGES = {
    "nik": gettext_lazy("NIK ini sudah terdaftar. Masuk dengan akun yang ada, atau hubungi loket bila lupa."),
    "email": gettext_lazy("Surel ini sudah terdaftar. Masuk dengan surel ini, atau gunakan surel lain."),
    "phone": gettext_lazy("Nomor HP ini sudah terdaftar. Masuk dengan nomor ini, atau gunakan nomor lain."),
    "username": gettext_lazy("Akun dengan nama pengguna ini sudah ada."),
}


@transaction.atomic
def applicant_register(*, full_name: str, nik: str, email: str, phone: str, password: str) -> User:
    """
    Create an applicant's account and record it in the audit log (counter, admin, demo data).

    The username is the e-mail (lowercased) or, without one, the phone number in E.164; both can
    be used to sign in. Raise ValidationError with Indonesian messages per field (``full_name``,
    ``nik``, ``email``, ``phone``, ``password``) when the form is wrong or the NIK, e-mail or
    phone is already registered. The public sign-up uses ``applicant_signup``, which never says so.
    """
    user, errors = applicant_registration_errors(
        full_name=full_name, nik=nik, email=email, phone=phone, password=password
    )
    if not errors:
        for name in registered_matches(user):
            key = ("email" if user.email else "phone") if name == "username" else name
            errors.setdefault(key, [str(DUPLICATE_MESSAGES[name])])
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit_record(action="applicant.register", actor=user, target=f"user:{user.pk}")
    return user


@dataclass(frozen=True)
class SignupOutcome:
    """
    What a public sign-up did: ``user`` when an account was created; otherwise ``owners``, the
    accounts already holding the NIK, e-mail or phone, with the fields each matched, to be told.
    """

    user: User | None
    owners: dict[User, list[str]] = field(default_factory=dict)


@transaction.atomic
def applicant_signup(*, full_name: str, nik: str, email: str, phone: str, password: str) -> SignupOutcome:
    """
    The public sign-up: create the account, or, when the NIK, e-mail or phone is already
    registered, create nothing and record the attempt for each owner (who is then told, not
    the person at the form).

    Raise ValidationError only for what the form itself gets wrong (``applicant_registration_errors``),
    never for an existing registration, so the answer does not tell whether one exists. The
    password is hashed on both paths, so the time taken does not tell either.
    """
    user, errors = applicant_registration_errors(
        full_name=full_name, nik=nik, email=email, phone=phone, password=password
    )
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    matches = registered_matches(user)
    if not matches:
        user.save()
        audit_record(action="applicant.register", actor=user, target=f"user:{user.pk}")
        return SignupOutcome(user=user)
    owners: dict[User, list[str]] = {}
    for matched_field, found in matches.items():
        for owner in found:
            owners.setdefault(owner, []).append(matched_field)
    for owner, fields in owners.items():
        audit_record(action="applicant.register_existing", target=f"user:{owner.pk}", fields=fields)
    return SignupOutcome(user=None, owners=owners)


@transaction.atomic
def membership_change(
    *, membership: RoleMembership, changed_by: Any = None, door: str = "", **fields: Any
) -> RoleMembership:
    """
    Change a membership's office, role or period (the admin's edit form); record before and after.

    Raise DomainError for an unknown role or a reversed period.
    """
    role = fields.get("role", membership.role)
    if role not in Role.values:
        raise DomainError(_("Peran %(role)s tidak dikenal.") % {"role": role}, code="unknown_role")
    before = {name: _plain(getattr(membership, name)) for name in fields}
    for name, value in fields.items():
        setattr(membership, name, value)
    if membership.valid_to is not None and membership.valid_to < membership.valid_from:
        raise DomainError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="period_reversed")
    membership.save()
    after = {name: _plain(getattr(membership, name)) for name in fields}
    audit_record(
        action="membership.change",
        office=membership.office,
        actor=changed_by,
        target=f"user:{membership.user_id}",
        membership=membership.pk,
        role=membership.role,
        before=before,
        after=after,
        door=door,
    )
    return membership


@transaction.atomic
def membership_delete(*, membership: RoleMembership, deleted_by: Any = None, door: str = "") -> None:
    """Delete a membership row (a grant made by mistake); the audit row keeps what it was."""
    audit_record(
        action="membership.delete",
        office=membership.office,
        actor=deleted_by,
        target=f"user:{membership.user_id}",
        role=membership.role,
        valid_from=membership.valid_from.isoformat(),
        valid_to=membership.valid_to.isoformat() if membership.valid_to else None,
        membership=membership.pk,
        door=door,
    )
    membership.delete()


@transaction.atomic
def acting_change(
    *, appointment: ActingAppointment, changed_by: Any = None, door: str = "", **fields: Any
) -> ActingAppointment:
    """Change a Plh appointment (the admin's edit form); record before and after."""
    before = {name: _plain(getattr(appointment, name)) for name in fields}
    for name, value in fields.items():
        setattr(appointment, name, value)
    if appointment.acting_user_id == appointment.official_id:
        raise DomainError(_("Pejabat tidak dapat menjadi Plh bagi dirinya sendiri."), code="acting_self")
    if appointment.valid_to < appointment.valid_from:
        raise DomainError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="period_reversed")
    appointment.save()
    after = {name: _plain(getattr(appointment, name)) for name in fields}
    audit_record(
        action="acting.change",
        office=appointment.office,
        actor=changed_by,
        target=f"user:{appointment.acting_user_id}",
        appointment=appointment.pk,
        role=appointment.role,
        before=before,
        after=after,
        door=door,
    )
    return appointment


@transaction.atomic
def acting_delete(*, appointment: ActingAppointment, deleted_by: Any = None, door: str = "") -> None:
    """Delete a Plh appointment; the audit row keeps what it was."""
    audit_record(
        action="acting.delete",
        office=appointment.office,
        actor=deleted_by,
        target=f"user:{appointment.acting_user_id}",
        role=appointment.role,
        official=appointment.official_id,
        valid_from=appointment.valid_from.isoformat(),
        valid_to=appointment.valid_to.isoformat(),
        appointment=appointment.pk,
        door=door,
    )
    appointment.delete()


def _plain(value: Any) -> Any:
    """A value as it goes into an audit row's JSON (dates as ISO text, rows by id)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# --- passwords ---------------------------------------------------------------------------------


@transaction.atomic
def password_change(
    *,
    user: User,
    new_password: str,
    actor: Any = None,
    keep_session_key: str | None = None,
    keep_token_id: int | None = None,
    reason: str = "change",
) -> tuple[int, int]:
    """
    Set the user's password and end every other session and API token of the user.

    ``keep_session_key`` / ``keep_token_id`` name the request's own session or token, which
    stays signed in (a reset keeps none). Raise ValidationError when Django's password
    validators refuse the password. Return the sessions and tokens ended.
    """
    validate_password(new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions, tokens = credentials_revoke(user=user, keep_session_key=keep_session_key, keep_token_id=keep_token_id)
    audit_record(
        action=f"password.{reason}",
        actor=actor if actor is not None else user,
        target=f"user:{user.pk}",
        sessions_ended=sessions,
        tokens_revoked=tokens,
    )
    return sessions, tokens


def user_for_reset(identifier: str) -> User | None:
    """The active account a reset form's username, e-mail or phone names, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username__iexact=identifier).first() or user_for_identifier(identifier)
    if user is None or not user.is_active or not user.has_usable_password():
        return None
    return user


@transaction.atomic
def password_reset_request(*, identifier: str, office: Office, link_for: Any, at: Any = None) -> bool:
    """
    Queue a reset link for the account ``identifier`` names (e-mail first, else SMS) through the
    outbox. ``link_for(user)`` makes the link (``accounts.views``: a single-use, expiring token).

    The caller answers the same whatever this returns; it returns whether a link was queued (no
    account, no address, or too many links in the last hour: False). At most
    ``RESET_NOTICES_PER_HOUR`` links per account and hour, so the form cannot flood an owner.
    """
    now = at or timezone.now()
    user = user_for_reset(identifier)
    if user is None or not (user.email or user.phone):
        return False
    conf = account_settings()
    recent = AuditEvent.objects.filter(
        action="password.reset_request", target=f"user:{user.pk}", at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= int(conf["RESET_NOTICES_PER_HOUR"]):
        return False
    notify = import_string(conf["PASSWORD_RESET_NOTIFY"])
    notices = notify(office=office, user=user, link=link_for(user), at=now)
    audit_record(action="password.reset_request", office=office, target=f"user:{user.pk}", notices=len(notices or []))
    return bool(notices)
