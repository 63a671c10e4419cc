"""
Writes for accounts: applicant sign-up, role memberships, Plh appointments (sign-in: throttle.py).

Each writes its audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.accounts.models import ActingAppointment, RoleMembership, User
from satupintu.accounts.roles import Role
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
    if role not in Role.values:
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
    Check a sign-up without writing: the unsaved user it would create and the errors per field.

    Rules: a full name; a valid NIK (``parse_nik``); an e-mail or a phone (or both), the phone
    normalised to E.164; none of NIK, e-mail or phone already registered; a password Django's
    validators accept. Messages are Indonesian.
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
    if "nik" not in errors and User.objects.filter(nik=nik).exists():
        errors["nik"] = [_("NIK ini sudah terdaftar. Masuk dengan akun yang ada, atau hubungi loket bila lupa.")]
    if email and "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Surel ini sudah terdaftar. Masuk dengan surel ini, atau gunakan surel lain.")]
    if phone and "phone" not in errors and User.objects.filter(phone=phone).exists():
        errors["phone"] = [_("Nomor HP ini sudah terdaftar. Masuk dengan nomor ini, atau gunakan nomor lain.")]
    username = email or phone
    if username and not errors and User.objects.filter(username__iexact=username).exists():
        errors["email" if email else "phone"] = [_("Akun dengan nama pengguna ini sudah ada.")]
    user = User(username=username, full_name=full_name, nik=nik, email=email, phone=phone)
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    else:
        errors["password"] = [_("Kata sandi wajib diisi.")]
    return user, errors


@transaction.atomic
def applicant_register(*, full_name: str, nik: str, email: str, phone: str, password: str) -> User:
    """
    Create an applicant's account and record it in the audit log.

    The username is the e-mail (lowercased) or, without one, the phone number in E.164; both can
    be used to sign in. Raise ValidationError with Indonesian messages per field (``full_name``,
    ``nik``, ``email``, ``phone``, ``password``) when ``applicant_registration_errors`` finds any.
    """
    user, errors = applicant_registration_errors(
        full_name=full_name, nik=nik, email=email, phone=phone, password=password
    )
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit_record(action="applicant.register", actor=user, target=f"user:{user.pk}")
    return user
