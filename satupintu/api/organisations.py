"""
Organisations through the API: register one (online, or at the counter by the front office),
invite and answer, apply for one of its people or itself, and read its files and its people's
permits with their expiry. The same services and selectors as the portal pages; whoever is not a
member gets 404, a member who is not an admin 403.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from satupintu.api.auth import bearer, caller
from satupintu.api.catalogue import office_or_default
from satupintu.api.schemas import Error, InvalidError, UtcDatetime
from satupintu.applications import selectors, services
from satupintu.catalogue import selectors as catalogue
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.organisations import selectors as org_selectors
from satupintu.organisations import services as org_services
from satupintu.organisations.models import MemberRole, Membership, MemberStatus, Organisation

router = Router(auth=bearer, tags=["organisasi"])
proxy_router = Router(auth=bearer, tags=["kuasa"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError}


class OrganisationIn(Schema):
    name: str
    kind: str = Field(description="rumah_sakit | klinik | puskesmas | perusahaan | yayasan | koperasi | lainnya")
    nib: str = Field(default="", description="NIB, 13 angka (isi NIB atau NPWP)")
    npwp: str = Field(default="", description="NPWP, 15 atau 16 angka")
    address: str
    position: str = ""


class CounterOrganisationIn(OrganisationIn):
    office: str | None = Field(default=None, description="slug kantor; kosong: kantor bawaan")
    admin: str = Field(description="NIK atau surel akun orang yang akan menjadi admin (ia menerima undangan)")


class MemberOut(Schema):
    id: int
    name: str
    role: str
    position: str
    status: str = Field(description="invited | active")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    nib: str
    npwp: str
    address: str
    is_admin: bool
    members: list[MemberOut]


class InviteIn(Schema):
    identifier: str = Field(description="NIK atau surel akun orang yang diundang")
    role: str = Field(default=MemberRole.MEMBER, description="admin | member")
    position: str = ""


class AnswerIn(Schema):
    accept: bool


class OnBehalfIn(Schema):
    service: str = Field(description="kode layanan")
    office: str | None = None
    holder: int | None = Field(
        description="id keanggotaan (anggota aktif) pemegang izin; null: organisasi sendiri bila standar mengizinkan"
    )
    renewal: bool = False
    data: dict[str, Any] = Field(default_factory=dict, description="isian formulir; nama dan NIK dari akun pemegang")


class OnBehalfCreated(Schema):
    number: str
    tracking_code: str
    holder_name: str
    status: str


class OrgApplicationOut(Schema):
    number: str
    service: str
    status: str
    status_text: str
    holder_name: str
    holder_is_organisation: bool
    applied_by: str
    created_at: UtcDatetime
    submitted_at: UtcDatetime | None


class OrgPermitOut(Schema):
    number: str
    title: str
    holder_name: str
    application: str
    issued_at: UtcDatetime
    valid_until: dt.date | None = Field(description="berlaku sampai; null: tanpa batas")
    status: str
    proxy_name: str


def _member(m: Membership) -> dict[str, Any]:
    return {"id": m.pk, "name": m.user.display_name, "role": m.role, "position": m.position, "status": m.status}


def _organisation(organisation: Organisation, user: Any) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "nib": organisation.nib,
        "npwp": organisation.npwp,
        "address": organisation.address,
        "is_admin": org_selectors.is_admin(user, organisation),
        "members": [_member(m) for m in org_selectors.members_of(organisation)],
    }


def _as_admin(pk: int, user: Any) -> Organisation:
    organisation = org_selectors.organisation_for_member(pk=pk, user=user)
    if not org_selectors.is_admin(user, organisation):
        raise PermissionDenied(_("Hanya admin organisasi yang dapat melakukan ini."))
    return organisation


@router.get("/organisations", response={200: list[OrganisationOut], 401: Error}, summary="Organisasi saya")
def organisations_mine(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    return [_organisation(o, user) for o in org_selectors.organisations_of(user)]


@router.post("/organisations", response={201: OrganisationOut, **ERRORS}, summary="Daftarkan organisasi")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    """Register an organisation; the caller becomes its first admin."""
    user = caller(request)
    organisation = org_services.organisation_register(actor=user, data=payload.dict())
    return Status(201, _organisation(organisation, user))


@router.post(
    "/organisations/counter", response={201: OrganisationOut, **ERRORS}, summary="Daftarkan organisasi di loket"
)
def organisation_counter_create(request: HttpRequest, payload: CounterOrganisationIn) -> Status[dict[str, Any]]:
    """The front office registers an organisation; the named admin accepts the invitation from their account."""
    user = caller(request)
    data = payload.dict()
    organisation = org_services.organisation_register_at_counter(
        officer=user, office=office_or_default(data.pop("office")), data=data, admin=data.pop("admin")
    )
    return Status(201, _organisation(organisation, user))


@router.get("/organisations/invitations", response={200: list[MemberOut], 401: Error}, summary="Undangan untuk saya")
def invitations_mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [{**_member(m), "name": m.organisation.name} for m in org_selectors.invitations_for(caller(request))]


@router.post(
    "/organisations/invitations/{membership_id}", response={200: MemberOut, **ERRORS}, summary="Jawab undangan"
)
def invitation_answer(request: HttpRequest, membership_id: int, payload: AnswerIn) -> dict[str, Any]:
    membership = org_services.invitation_answer(
        actor=caller(request), membership_id=membership_id, accept=payload.accept
    )
    return _member(membership)


@router.get("/organisations/{pk}", response={200: OrganisationOut, 401: Error, 404: Error}, summary="Organisasi")
def organisation_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = caller(request)
    return _organisation(org_selectors.organisation_for_member(pk=pk, user=user), user)


@router.post("/organisations/{pk}/members", response={201: MemberOut, **ERRORS}, summary="Undang orang")
def member_invite(request: HttpRequest, pk: int, payload: InviteIn) -> Status[dict[str, Any]]:
    user = caller(request)
    organisation = org_selectors.organisation_for_member(pk=pk, user=user)
    membership = org_services.member_invite(
        actor=user,
        organisation=organisation,
        identifier=payload.identifier,
        role=payload.role,
        position=payload.position,
    )
    return Status(201, _member(membership))


@router.get(
    "/organisations/{pk}/applications",
    response={200: list[OrgApplicationOut], 401: Error, 403: Error, 404: Error},
    summary="Permohonan atas nama organisasi",
)
def organisation_applications(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    organisation = _as_admin(pk, caller(request))
    return [
        {
            "number": a.number,
            "service": a.service.code,
            "status": a.status,
            "status_text": selectors.status_text(a),
            "holder_name": organisation.name if a.holder_is_organisation else a.applicant_name,
            "holder_is_organisation": a.holder_is_organisation,
            "applied_by": a.applicant.display_name if a.applicant else "",
            "created_at": a.created_at,
            "submitted_at": a.submitted_at,
        }
        for a in selectors.organisation_applications(organisation)[:500]
    ]


@router.post(
    "/organisations/{pk}/applications",
    response={201: OnBehalfCreated, **ERRORS},
    summary="Ajukan permohonan atas nama organisasi",
)
def organisation_apply(request: HttpRequest, pk: int, payload: OnBehalfIn) -> Status[dict[str, Any]]:
    """
    Apply for one of the organisation's people (``holder``: the id of an active membership, whose
    account accepted the invitation) or for the organisation itself (``holder`` null, where the
    standard's permit terms allow an organisation holder). Then upload and submit as for any file.
    """
    user = caller(request)
    organisation = _as_admin(pk, user)
    holder = None
    if payload.holder is not None:
        membership = (
            Membership.objects.filter(pk=payload.holder, organisation=organisation, status=MemberStatus.ACTIVE)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise NotFound(_("Anggota aktif ini tidak ada di organisasi."), code="member_not_found")
        holder = membership.user
    office = office_or_default(payload.office)
    service, _version, _spec = catalogue.service_get(office=office, code=payload.service)
    application = services.application_create(
        office=office,
        service=service,
        actor=user,
        data=payload.data,
        renewal=payload.renewal,
        organisation=organisation,
        holder=holder,
    )
    return Status(
        201,
        {
            "number": application.number,
            "tracking_code": application.tracking_code,
            "holder_name": services.holder_name_of(application),
            "status": application.status,
        },
    )


@router.get(
    "/organisations/{pk}/permits",
    response={200: list[OrgPermitOut], 401: Error, 403: Error, 404: Error},
    summary="Surat izin orang-orang organisasi dan masa berlakunya",
)
def organisation_permits(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The permits of the organisation's files, soonest expiry first (null: without end, last)."""
    organisation = _as_admin(pk, caller(request))
    return [
        {
            "number": p.number,
            "title": p.title,
            "holder_name": p.holder_name,
            "application": p.application.number,
            "issued_at": p.issued_at,
            "valid_until": p.valid_until,
            "status": p.status,
            "proxy_name": p.proxy_name,
        }
        for p in selectors.organisation_permits(organisation)[:500]
    ]


class ProxyApplicantOut(Schema):
    number: str
    proxy_name: str
    holder_name: str
    document: int = Field(description="id berkas surat kuasa")


@proxy_router.post(
    "/applications/{number}/proxy-applicant",
    response={201: ProxyApplicantOut, **ERRORS},
    summary="Catat kuasa yang mengajukan di loket (dengan surat kuasa)",
)
def proxy_applicant_record(
    request: HttpRequest, number: str, name: Form[str], id_number: Form[str], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """
    The front office records that a proxy brought this counter application for the holder, with
    the power of attorney (PDF/JPG/PNG, checked like every upload), before the file is handed in.
    """
    application = selectors.application_by_number(number)
    user = caller(request)
    selectors.application_view(application, user)  # 404 for whoever may not see the file
    document = services.proxy_application_record(
        application=application,
        actor=user,
        name=name,
        id_number=id_number,
        stream=cast(IO[bytes], file.file),  # an upload always has its stream
        filename=file.name or "surat-kuasa",
    )
    return Status(
        201,
        {
            "number": application.number,
            "proxy_name": name.strip(),
            "holder_name": application.applicant_name,
            "document": document.pk,
        },
    )
