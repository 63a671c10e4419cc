"""
Writes of organisations: register (online by its admin, or at the counter), change, invite a
person, answer an invitation, end a membership. Each change is an audit row in its transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User
from satupintu.accounts.permissions import grant_for
from satupintu.accounts.roles import Role
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.organisations.models import (
    MemberRole,
    Membership,
    MemberStatus,
    Organisation,
    OrganisationKind,
)
from satupintu.organisations.selectors import is_admin, membership_of
from satupintu.organisations.validators import normalise_identifier, validate_nib, validate_npwp

#: The fields an organisation's record carries (what registration and changes accept).
FIELDS = ("name", "kind", "nib", "npwp", "address")


def _target(organisation: Organisation) -> str:
    return f"organisation:{organisation.pk}"


def _clean(given: dict[str, Any], *, instance: Organisation | None = None) -> dict[str, str]:
    """The organisation's fields, checked; InvalidData with an Indonesian error per field."""
    errors: dict[str, str] = {}
    clean = {
        "name": " ".join(str(given.get("name", "") or "").split())[:200],
        "kind": str(given.get("kind", "") or ""),
        "nib": normalise_identifier(given.get("nib", "")),
        "npwp": normalise_identifier(given.get("npwp", "")),
        "address": str(given.get("address", "") or "").strip(),
    }
    if not clean["name"]:
        errors["name"] = _("Nama organisasi wajib diisi.")
    if clean["kind"] not in OrganisationKind.values:
        errors["kind"] = _("Pilih jenis organisasi.")
    if not clean["address"]:
        errors["address"] = _("Alamat organisasi wajib diisi.")
    for key, check in (("nib", validate_nib), ("npwp", validate_npwp)):
        try:
            check(clean[key])
        except ValidationError as exc:
            errors[key] = str(exc.messages[0])
    if not clean["nib"] and not clean["npwp"]:
        errors["nib"] = _("Isi NIB (usaha) atau NPWP organisasi.")
    others = Organisation.objects.exclude(pk=instance.pk) if instance is not None else Organisation.objects.all()
    if clean["nib"] and "nib" not in errors and others.filter(nib=clean["nib"]).exists():
        errors["nib"] = _("NIB ini sudah terdaftar untuk organisasi lain.")
    if clean["npwp"] and "npwp" not in errors and others.filter(npwp=clean["npwp"]).exists():
        errors["npwp"] = _("NPWP ini sudah terdaftar untuk organisasi lain.")
    if errors:
        raise InvalidData(_("Periksa kembali data organisasi."), errors)
    return clean


def _require_person(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    if not getattr(actor, "nik", ""):
        raise InvalidData(
            _("Akun Anda belum mencatat NIK; lengkapi profil akun terlebih dahulu."),
            {"nik": _("NIK belum tercatat pada akun.")},
        )


@transaction.atomic
def organisation_register(*, actor: Any, data: dict[str, Any], at: dt.datetime | None = None) -> Organisation:
    """Register an organisation online; the person registering becomes its first admin."""
    _require_person(actor)
    now = at or timezone.now()
    organisation = Organisation.objects.create(**_clean(data), registered_by=actor)
    Membership.objects.create(
        organisation=organisation,
        user=actor,
        role=MemberRole.ADMIN,
        position=str(data.get("position", "") or "")[:200],
        status=MemberStatus.ACTIVE,
        invited_by=actor,
        invited_at=now,
        accepted_at=now,
    )
    audit_record(action="organisation.register", actor=actor, target=_target(organisation), channel="online")
    return organisation


def _account_by(identifier: str) -> User | None:
    """An active account by its exact NIK or e-mail (never by a name: names are not unique)."""
    value = str(identifier or "").strip()
    if not value:
        return None
    query = Q(nik=value) if value.isdigit() else Q(email__iexact=value)
    return User.objects.filter(query, is_active=True).first()


@transaction.atomic
def organisation_register_at_counter(
    *, officer: Any, office: Office, data: dict[str, Any], admin: str, at: dt.datetime | None = None
) -> Organisation:
    """
    The front office registers an organisation from its papers (akta, NIB); the person named as
    its admin (by NIK or e-mail of their account) becomes admin only once their account accepts
    the invitation — the counter cannot make anyone a member.
    """
    if grant_for(officer, office, Role.FRONT_OFFICE, at=at) is None:
        raise PermissionDenied(_("Hanya petugas loket yang dapat mendaftarkan organisasi di loket."))
    clean = _clean(data)
    person = _account_by(admin)
    if person is None:
        raise InvalidData(
            _("Periksa kembali data organisasi."),
            {"admin": _("Tidak ada akun dengan NIK atau surel ini; minta admin organisasi mendaftar akun dahulu.")},
        )
    now = at or timezone.now()
    organisation = Organisation.objects.create(**clean, registered_at_office=office, registered_by=officer)
    Membership.objects.create(
        organisation=organisation,
        user=person,
        role=MemberRole.ADMIN,
        position=str(data.get("position", "") or "")[:200],
        invited_by=officer,
        invited_at=now,
    )
    audit_record(
        action="organisation.register",
        office=office,
        actor=officer,
        target=_target(organisation),
        channel="counter",
        admin_invited=person.pk,
    )
    return organisation


def _require_admin(actor: Any, organisation: Organisation) -> None:
    if not is_admin(actor, organisation):
        raise PermissionDenied(_("Hanya admin organisasi yang dapat mengubah organisasi ini."))


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change the organisation's record (its admins); the audit row keeps what changed."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_admin(actor, organisation)
    clean = _clean({**{f: getattr(organisation, f) for f in FIELDS}, **data}, instance=organisation)
    changes = {f: [getattr(organisation, f), v] for f, v in clean.items() if getattr(organisation, f) != v}
    for key, value in clean.items():
        setattr(organisation, key, value)
    organisation.save()
    if changes:
        audit_record(action="organisation.update", actor=actor, target=_target(organisation), changes=changes)
    return organisation


@transaction.atomic
def member_invite(
    *,
    actor: Any,
    organisation: Organisation,
    identifier: str,
    role: str = MemberRole.MEMBER,
    position: str = "",
    at: dt.datetime | None = None,
) -> Membership:
    """
    Invite a person by their account's NIK or e-mail. They become a member (and can be named on
    the organisation's applications) only when they accept from their own account.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_admin(actor, organisation)
    if role not in MemberRole.values:
        raise InvalidData(_("Periksa kembali undangan."), {"role": _("Pilih peran: admin atau anggota.")})
    person = _account_by(identifier)
    if person is None:
        raise InvalidData(
            _("Periksa kembali undangan."),
            {
                "identifier": _(
                    "Tidak ada akun dengan NIK atau surel ini. Orang yang diundang harus mendaftar akun sendiri dahulu."
                )
            },
        )
    if Membership.objects.filter(
        organisation=organisation, user=person, status__in=[MemberStatus.INVITED, MemberStatus.ACTIVE]
    ).exists():
        raise Conflict(_("Orang ini sudah anggota atau sudah diundang."), code="already_member")
    membership = Membership.objects.create(
        organisation=organisation,
        user=person,
        role=role,
        position=position.strip()[:200],
        invited_by=actor,
        invited_at=at or timezone.now(),
    )
    audit_record(action="organisation.invite", actor=actor, target=_target(organisation), user=person.pk, role=role)
    return membership


@transaction.atomic
def invitation_answer(*, actor: Any, membership_id: int, accept: bool, at: dt.datetime | None = None) -> Membership:
    """The invited person accepts or declines, from their own account (nobody else can)."""
    membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
    if membership is None or membership.user_id != getattr(actor, "pk", None):
        raise NotFound(_("Undangan tidak ditemukan."))
    if membership.status != MemberStatus.INVITED:
        raise Conflict(_("Undangan ini sudah dijawab."), code="answered")
    now = at or timezone.now()
    if accept:
        membership.status, membership.accepted_at = MemberStatus.ACTIVE, now
    else:
        membership.status, membership.ended_at = MemberStatus.DECLINED, now
    membership.save(update_fields=["status", "accepted_at", "ended_at"])
    audit_record(
        action="organisation.invitation_accept" if accept else "organisation.invitation_decline",
        actor=actor,
        target=_target(membership.organisation),
        membership=membership.pk,
    )
    return membership


@transaction.atomic
def member_end(*, actor: Any, membership_id: int, at: dt.datetime | None = None) -> Membership:
    """
    End a membership or withdraw an invitation: by an admin, or by the person themselves. The
    last admin stays (an organisation always has someone who answers for it).
    """
    membership = Membership.objects.select_for_update().select_related("organisation").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("Anggota tidak ditemukan."))
    organisation = membership.organisation
    is_self = membership.user_id == getattr(actor, "pk", None)
    if not (is_self or is_admin(actor, organisation)):
        raise NotFound(_("Anggota tidak ditemukan."))
    if membership.status not in (MemberStatus.INVITED, MemberStatus.ACTIVE):
        raise Conflict(_("Keanggotaan ini sudah berakhir."), code="ended")
    if (
        membership.role == MemberRole.ADMIN
        and membership.status == MemberStatus.ACTIVE
        and not Membership.objects.filter(organisation=organisation, role=MemberRole.ADMIN, status=MemberStatus.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise Conflict(
            _("Admin terakhir tidak dapat dikeluarkan; tunjuk admin lain terlebih dahulu."), code="last_admin"
        )
    membership.status, membership.ended_at = MemberStatus.ENDED, at or timezone.now()
    membership.save(update_fields=["status", "ended_at"])
    audit_record(action="organisation.member_end", actor=actor, target=_target(organisation), membership=membership.pk)
    return membership


__all__ = [
    "invitation_answer",
    "member_end",
    "member_invite",
    "membership_of",
    "organisation_register",
    "organisation_register_at_counter",
    "organisation_update",
]
