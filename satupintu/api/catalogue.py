"""Public catalogue endpoints: the services an office offers and their whole standard."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from satupintu.api.schemas import Error, UtcDatetime
from satupintu.catalogue import selectors as catalogue
from satupintu.catalogue.fees import fee_summary
from satupintu.catalogue.schema import ServiceStandardSpec
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
    office: OfficeOut
    url: str


class ServiceDetail(ServiceSummary):
    loaded_at: UtcDatetime
    checksum: str
    standard: ServiceStandardSpec


def office_or_default(slug: str | None) -> Office:
    """The office a request names, else the default office (NotFound either way when there is none)."""
    return office_get(slug) if slug else office_default()


def _summary(request: HttpRequest, office: Office, spec: ServiceStandardSpec, version_no: int) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_code": spec.short_code,
        "product": spec.product.name,
        "completion_time": spec.completion_time.text,
        "fee_amount": spec.fee.amount,
        "fee_kind": spec.fee.effective_kind,
        "fee_summary": fee_summary(spec.fee),
        "version": version_no,
        "office": office,
        "url": request.build_absolute_uri(reverse("portal:office_service", args=[office.slug, spec.code])),
    }


@router.get("/services", response={200: list[ServiceSummary], 404: Error}, summary="Daftar layanan")
def services_list(request: HttpRequest, office: str | None = None, q: str = "") -> list[dict]:
    """Services an office offers (the default office unless ``office`` names one), searchable with ``q``."""
    the_office = office_or_default(office)
    rows = []
    for service in catalogue.services_list(office=the_office, query=q[:100]):
        version = catalogue.current_version_of(service)
        rows.append(_summary(request, the_office, catalogue.spec_of(version), version.version))
    return rows


@router.get("/services/{code}", response={200: ServiceDetail, 404: Error}, summary="Standar pelayanan")
def service_detail(request: HttpRequest, code: str, office: str | None = None) -> dict:
    """The whole current standard of a service: all 14 components and the SOP steps."""
    the_office = office_or_default(office)
    _service, version, spec = catalogue.service_get(office=the_office, code=code)
    loaded_at: dt.datetime = version.loaded_at
    return {
        **_summary(request, the_office, spec, version.version),
        "loaded_at": loaded_at,
        "checksum": version.checksum,
        "standard": spec,
    }
