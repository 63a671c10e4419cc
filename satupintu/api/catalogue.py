"""Public catalogue endpoints: the services an office offers and their whole standard."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error, InvalidError, UtcDatetime
from satupintu.catalogue import selectors as catalogue
from satupintu.catalogue import services as catalogue_services
from satupintu.catalogue.diff import standard_diff
from satupintu.catalogue.fees import fee_summary
from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.errors import NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get

router = Router(tags=["layanan"])


class OfficeOut(Schema):
    slug: str
    name: str
    region: str


class ServiceSummary(Schema):
    code: str
    name: str
    short_code: str
    product: str
    completion_time: str
    fee_amount: int | None
    fee_kind: str | None
    fee_summary: str
    version: int
    effective_from: dt.date | None
    decree_number: str
    accepts_applications: bool
    closed_reason: str
    office: OfficeOut
    url: str


class ServiceDetail(ServiceSummary):
    loaded_at: UtcDatetime
    checksum: str
    standard: ServiceStandardSpec


def office_or_default(slug: str | None) -> Office:
    """The office a request names, else the default office (NotFound either way when there is none)."""
    return office_get(slug) if slug else office_default()


def _summary(request: HttpRequest, office: Office, service: Service, version: ServiceStandardVersion) -> dict:
    spec = catalogue.spec_of(version)
    reason = catalogue.closed_reason(service, spec)
    return {
        "code": spec.code,
        "name": spec.name,
        "short_code": spec.short_code,
        "product": spec.product.name,
        "completion_time": spec.completion_time.text,
        "fee_amount": spec.fee.amount,
        "fee_kind": spec.fee.effective_kind,
        "fee_summary": fee_summary(spec.fee),
        "version": version.version,
        "effective_from": version.effective_from,
        "decree_number": version.decree_number,
        "accepts_applications": not reason,
        "closed_reason": reason,
        "office": office,
        "url": request.build_absolute_uri(reverse("portal:office_service", args=[office.slug, spec.code])),
    }


@router.get("/services", response={200: list[ServiceSummary], 404: Error}, summary="Daftar layanan")
def services_list(request: HttpRequest, office: str | None = None, q: str = "") -> list[dict]:
    """Services an office offers (the default office unless ``office`` names one), searchable with ``q``."""
    the_office = office_or_default(office)
    rows = []
    for service in catalogue.services_list(office=the_office, query=q[:100]):
        rows.append(_summary(request, the_office, service, catalogue.current_version_of(service)))
    return rows


@router.get("/services/{code}", response={200: ServiceDetail, 404: Error}, summary="Standar pelayanan")
def service_detail(request: HttpRequest, code: str, office: str | None = None) -> dict:
    """
    The whole standard in force of a service: all 14 components and the SOP steps, without the
    curation notes written for staff (as on the public page).
    """
    the_office = office_or_default(office)
    service, version, spec = catalogue.service_get(office=the_office, code=code)
    loaded_at: dt.datetime = version.loaded_at
    return {
        **_summary(request, the_office, service, version),
        "loaded_at": loaded_at,
        "checksum": version.checksum,
        "standard": catalogue.public_spec(spec),
    }


# Standards of an office (staff): copy a template, list versions, move a version along its
# approval, compare two versions. The same services and rules as the staff pages.

standards_router = Router(auth=bearer, tags=["standar"])


class VersionOut(Schema):
    service: str
    version: int
    status: str
    status_text: str
    checksum: str
    loaded_at: UtcDatetime
    sent_for_review_at: UtcDatetime | None
    approved_at: UtcDatetime | None
    decree_number: str
    decree_date: dt.date | None
    published_at: UtcDatetime | None
    effective_from: dt.date | None
    review_note: str
    transitions: list[str]


class CopyIn(Schema):
    office: str | None = None
    template: str


class TransitionIn(Schema):
    office: str | None = None
    transition: str
    note: str = ""
    decree_number: str = ""
    decree_date: dt.date | None = None
    effective_from: dt.date | None = None


class ChangeOut(Schema):
    path: str
    kind: str
    old: str | None
    new: str | None


class ComponentDiffOut(Schema):
    component: str
    changed: bool
    changes: list[ChangeOut]


def _version_out(version: ServiceStandardVersion, user: object) -> dict:
    return {
        "service": version.service.code,
        "version": version.version,
        "status": version.status,
        "status_text": version.get_status_display(),
        "checksum": version.checksum,
        "loaded_at": version.loaded_at,
        "sent_for_review_at": version.sent_for_review_at,
        "approved_at": version.approved_at,
        "decree_number": version.decree_number,
        "decree_date": version.decree_date,
        "published_at": version.published_at,
        "effective_from": version.effective_from,
        "review_note": version.review_note,
        "transitions": [t.code for t in catalogue_services.transitions_for(version, user)],
    }


STANDARD_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError}


@standards_router.post("/standards/copy", response={201: VersionOut, **STANDARD_ERRORS}, summary="Salin dari templat")
def standard_copy(request: HttpRequest, payload: CopyIn) -> Status:
    """Copy a shipped template into the office as a new service with a draft version."""
    user = caller(request)
    version = catalogue_services.service_copy_from_template(
        office=office_or_default(payload.office), template_code=payload.template, actor=user
    )
    return Status(201, _version_out(version, user))


class ImportOut(VersionOut):
    report: dict


class RoleMapIn(Schema):
    office: str | None = None
    name: str
    roles: list[str]


@standards_router.post(
    "/standards/import",
    response={201: ImportOut, **STANDARD_ERRORS},
    summary="Impor naskah Standar Pelayanan sebagai konsep",
)
def standard_import(
    request: HttpRequest,
    file: File[UploadedFile],
    office: Form[str | None] = None,
    service: Form[str | None] = None,
) -> Status:
    """
    Import a published Standar Pelayanan (PDF, DOCX, HTML or TXT, at most 5 MB) as a draft: of a
    new service named by the document, or (``service``) the next draft of that service. The
    import report is stored with the draft and returned: unmapped Pelaksana names, guessed step
    kinds, unplaced lines, filled clauses. 422 for a file that cannot be read or holds no
    standard, 409 when the office already has the document's service.
    """
    user = caller(request)
    the_office = office_or_default(office)
    catalogue_services.require_standards_access(user, the_office)
    target = None
    if service:
        target = Service.objects.filter(office=the_office, code=service).first()
        if target is None:
            raise NotFound(_("Layanan tidak ditemukan."))
    version = catalogue_services.standard_import_create(
        office=the_office,
        data=file.read(catalogue_services.IMPORT_MAX_BYTES + 1),
        filename=file.name or "",
        actor=user,
        service=target,
    )
    return Status(201, {**_version_out(version, user), "report": version.import_report or {}})


@standards_router.post(
    "/standards/{code}/role-map",
    response={201: ImportOut, **STANDARD_ERRORS},
    summary="Petakan nama pelaksana pada naskah ke peran",
)
def standard_role_map(request: HttpRequest, code: str, payload: RoleMapIn) -> Status:
    """Map a Pelaksana name the import left unmapped to role codes: the next draft, with the report updated."""
    user = caller(request)
    the_office = office_or_default(payload.office)
    catalogue_services.require_standards_access(user, the_office)
    target = Service.objects.filter(office=the_office, code=code).first()
    if target is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    version = catalogue_services.standard_role_map(service=target, name=payload.name, codes=payload.roles, actor=user)
    return Status(201, {**_version_out(version, user), "report": version.import_report or {}})


@standards_router.get("/standards/{code}/versions", response={200: list[VersionOut], **STANDARD_ERRORS})
def standard_versions(request: HttpRequest, code: str, office: str | None = None) -> list[dict]:
    """Every version of a service's standard, newest first, with the transitions the caller may make."""
    user = caller(request)
    the_office = office_or_default(office)
    catalogue_services.require_standards_access(user, the_office)
    service = Service.objects.filter(office=the_office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return [_version_out(v, user) for v in catalogue.versions_of(service)]


@standards_router.post(
    "/standards/{code}/versions/{number}/transitions",
    response={200: VersionOut, **STANDARD_ERRORS},
    summary="Ajukan, kembalikan, setujui, umumkan atau tarik versi",
)
def standard_transition(request: HttpRequest, code: str, number: int, payload: TransitionIn) -> dict:
    """Make one transition of the version's approval; 422 with errors per field when something is missing."""
    user = caller(request)
    the_office = office_or_default(payload.office)
    catalogue_services.require_standards_access(user, the_office)
    version = catalogue.version_get(office=the_office, code=code, version=number)
    version = catalogue_services.standard_transition(
        version=version,
        transition=payload.transition,
        actor=user,
        note=payload.note,
        decree_number=payload.decree_number,
        decree_date=payload.decree_date,
        effective_from=payload.effective_from,
    )
    return _version_out(version, user)


@standards_router.get("/standards/{code}/diff", response={200: list[ComponentDiffOut], **STANDARD_ERRORS})
def standard_diff_view(request: HttpRequest, code: str, old: int, new: int, office: str | None = None) -> list[dict]:
    """The difference between versions ``old`` and ``new``, component by component."""
    user = caller(request)
    the_office = office_or_default(office)
    catalogue_services.require_standards_access(user, the_office)
    before = catalogue.version_get(office=the_office, code=code, version=old)
    after = catalogue.version_get(office=the_office, code=code, version=new)
    return [
        {
            "component": str(c.label),
            "changed": c.changed,
            "changes": [{"path": ch.path, "kind": ch.kind, "old": ch.old, "new": ch.new} for ch in c.changes],
        }
        for c in standard_diff(before.definition, after.definition)
    ]
