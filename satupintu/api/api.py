"""
REST API v1 (DESIGN §12). Endpoints parse input, call selectors and services, and shape output.

Errors are ``{"detail": "…", "code": "…"}`` with the domain error's HTTP status.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from satupintu.catalogue import selectors as catalogue
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.errors import DomainError
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get

api = NinjaAPI(
    title="satupintu API",
    version="1",
    description=(
        "API pelayanan perizinan satu pintu (DPMPTSP). Semua waktu dalam UTC (ISO 8601); "
        'galat berbentuk {"detail": "…", "code": "…"}.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class Error(Schema):
    detail: str
    code: str


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=exc.http_status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = "; ".join(f"{'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg', '')}" for err in exc.errors)
    return api.create_response(request, {"detail": f"Data tidak sah: {problems}", "code": "invalid"}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "http_error"}, status=exc.status_code)


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
    version: int
    office: OfficeOut
    url: str


class ServiceDetail(ServiceSummary):
    loaded_at: dt.datetime
    checksum: str
    standard: ServiceStandardSpec


def _office(slug: str | None) -> Office:
    return office_get(slug) if slug else office_default()


def _summary(request: HttpRequest, office: Office, spec: ServiceStandardSpec, version_no: int) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_code": spec.short_code,
        "product": spec.product.name,
        "completion_time": spec.completion_time.text,
        "fee_amount": spec.fee.amount,
        "version": version_no,
        "office": office,
        "url": request.build_absolute_uri(reverse("portal:office_service", args=[office.slug, spec.code])),
    }


@api.get("/services", response={200: list[ServiceSummary], 404: Error}, tags=["layanan"], summary="Daftar layanan")
def services_list(request: HttpRequest, office: str | None = None, q: str = "") -> list[dict]:
    """Services an office offers (the default office unless ``office`` names one), searchable with ``q``."""
    the_office = _office(office)
    rows = []
    for service in catalogue.services_list(office=the_office, query=q[:100]):
        version = catalogue.current_version_of(service)
        rows.append(_summary(request, the_office, catalogue.spec_of(version), version.version))
    return rows


@api.get("/services/{code}", response={200: ServiceDetail, 404: Error}, tags=["layanan"], summary="Standar pelayanan")
def service_detail(request: HttpRequest, code: str, office: str | None = None) -> dict:
    """The whole current standard of a service: all 14 components and the SOP steps."""
    the_office = _office(office)
    _service, version, spec = catalogue.service_get(office=the_office, code=code)
    return {
        **_summary(request, the_office, spec, version.version),
        "loaded_at": version.loaded_at,
        "checksum": version.checksum,
        "standard": spec,
    }
