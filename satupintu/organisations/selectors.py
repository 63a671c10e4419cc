"""Reads of organisations: whose they are, who is in them, and whom an admin may apply for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.organisations.models import MemberRole, Membership, MemberStatus, Organisation


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "pk", None))


def membership_of(user: Any, organisation: Organisation) -> Membership | None:
    """The user's active membership (invitation accepted) in the organisation, or None."""
    if not _signed_in(user):
        return None
    return Membership.objects.filter(organisation=organisation, user=user, status=MemberStatus.ACTIVE).first()


def is_admin(user: Any, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.role == MemberRole.ADMIN and organisation.active


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """The organisations the user is an active member of."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=MemberStatus.ACTIVE, active=True
    ).distinct()


def admin_organisation_ids(user: Any) -> list[int]:
    """Ids of the organisations the user administers (they see those organisations' files)."""
    if not _signed_in(user):
        return []
    return list(
        Membership.objects.filter(
            user=user, role=MemberRole.ADMIN, status=MemberStatus.ACTIVE, organisation__active=True
        ).values_list("organisation_id", flat=True)
    )


def invitations_for(user: Any) -> QuerySet[Membership]:
    """Invitations the user has not answered yet."""
    if not _signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, status=MemberStatus.INVITED).select_related(
        "organisation", "invited_by"
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's people: active members and open invitations, admins first."""
    return (
        Membership.objects.filter(organisation=organisation, status__in=[MemberStatus.INVITED, MemberStatus.ACTIVE])
        .select_related("user")
        .order_by("-role", "status", "user__full_name")
    )


def organisation_for_member(*, pk: int, user: Any) -> Organisation:
    """The organisation, if the user is an active member of it (NotFound otherwise: do not reveal it)."""
    organisation = Organisation.objects.filter(pk=pk, active=True).first()
    if organisation is None or membership_of(user, organisation) is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    return organisation


def holder_check(*, actor: Any, organisation: Organisation, holder: Any) -> None:
    """
    May ``actor`` apply on behalf of ``organisation`` for ``holder`` (a person, or None for the
    organisation itself)? Only an admin of the organisation applies for it, and only for a person
    whose own account accepted the organisation's invitation: an invitation not yet accepted, a
    declined or ended one, or a stranger's NIK is refused (PermissionDenied).
    """
    if not is_admin(actor, organisation):
        raise PermissionDenied(_("Hanya admin organisasi yang dapat mengajukan permohonan atas nama organisasi ini."))
    if holder is None:
        return
    if membership_of(holder, organisation) is None:
        raise PermissionDenied(
            _(
                "%(name)s belum menjadi anggota %(organisation)s: orang itu harus menerima undangan organisasi "
                "dari akunnya sendiri sebelum permohonan diajukan atas namanya."
            )
            % {"name": getattr(holder, "display_name", str(holder)), "organisation": organisation.name}
        )
