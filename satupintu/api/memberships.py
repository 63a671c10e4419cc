"""
Role memberships and Plh appointments of an office through the API (the ``api`` door), for the
office's admin. Each call goes through ``accounts.services``, which writes the audit row, as the
admin site, the staff page "Peran dan Plh" and ``manage.py role_grant`` do.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.permissions import Action, require
from satupintu.accounts.services import acting_appoint, membership_end, membership_grant
from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_get

router = Router(tags=["peran"])


class MembershipIn(Schema):
    username: str
    role: str = Field(description="kode peran, mis. front_office")
    valid_from: dt.date
    valid_to: dt.date | None = None


class MembershipEndIn(Schema):
    last_day: dt.date


class MembershipOut(Schema):
    id: int
    username: str
    role: str
    valid_from: dt.date
    valid_to: dt.date | None


class ActingIn(Schema):
    acting_username: str
    official_username: str
    role: str
    valid_from: dt.date
    valid_to: dt.date
    decree_number: str = ""
    reason: str = ""


class ActingOut(Schema):
    id: int
    acting_username: str
    official_username: str
    role: str
    valid_from: dt.date
    valid_to: dt.date


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("Pengguna '%(name)s' tidak ada.") % {"name": username}, code="user_not_found")
    return user


def _membership_out(m: RoleMembership) -> dict:
    return {"id": m.pk, "username": m.user.username, "role": m.role, "valid_from": m.valid_from, "valid_to": m.valid_to}


@router.post(
    "/offices/{office}/memberships",
    auth=bearer,
    response={201: MembershipOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Beri peran",
)
def membership_create(request: HttpRequest, office: str, payload: MembershipIn) -> Status:
    """Give a user a role in the office for a period (the office's admin only)."""
    target = office_get(office)
    actor = caller(request)
    require(actor, Action.MANAGE_USERS, target)
    membership = membership_grant(
        office=target,
        user=_user(payload.username),
        role=payload.role,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        granted_by=actor,
        door="api",
    )
    return Status(201, _membership_out(membership))


@router.post(
    "/offices/{office}/memberships/{membership_id}/end",
    auth=bearer,
    response={200: MembershipOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Akhiri peran",
)
def membership_finish(request: HttpRequest, office: str, membership_id: int, payload: MembershipEndIn) -> dict:
    """End a membership after ``last_day`` (inclusive)."""
    target = office_get(office)
    actor = caller(request)
    require(actor, Action.MANAGE_USERS, target)
    membership = RoleMembership.objects.filter(office=target, pk=membership_id).select_related("user").first()
    if membership is None:
        raise NotFound(_("Keanggotaan ini tidak ada di kantor ini."), code="membership_not_found")
    membership_end(membership=membership, last_day=payload.last_day, ended_by=actor, door="api")
    return _membership_out(membership)


@router.post(
    "/offices/{office}/acting-appointments",
    auth=bearer,
    response={201: ActingOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Tunjuk Plh",
)
def acting_create(request: HttpRequest, office: str, payload: ActingIn) -> Status:
    """Appoint a Plh for an official in a role for a period."""
    target = office_get(office)
    actor = caller(request)
    require(actor, Action.MANAGE_USERS, target)
    appointment = acting_appoint(
        office=target,
        role=payload.role,
        acting_user=_user(payload.acting_username),
        official=_user(payload.official_username),
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        decree_number=payload.decree_number,
        reason=payload.reason,
        appointed_by=actor,
        door="api",
    )
    return Status(
        201,
        {
            "id": appointment.pk,
            "acting_username": appointment.acting_user.username,
            "official_username": appointment.official.username,
            "role": appointment.role,
            "valid_from": appointment.valid_from,
            "valid_to": appointment.valid_to,
        },
    )
