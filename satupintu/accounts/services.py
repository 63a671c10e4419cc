"""
Writes for accounts: applicant sign-up, role memberships, Plh appointments (sign-in: throttle.py).

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.models import ActingAppointment, RoleMembership, User
from satupintu.accounts.roles import Role, office_roles
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError
from satupintu.core.models import Office
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
) -> RoleMembership:
    """Give the user ``role`` in the office for the period and record who did it."""
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
    )
    return membership


@transaction.atomic
def membership_end(*, membership: RoleMembership, last_day: dt.date, ended_by: Any = None) -> RoleMembership:
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
