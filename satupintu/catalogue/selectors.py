"""Reads of the service catalogue."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.errors import NotFound
from satupintu.core.models import Office


def current_version_of(service: Service) -> ServiceStandardVersion:
    """The newest loaded version of the service's standard."""
    version = service.versions.order_by("-version").first()
    if version is None:
        raise NotFound(_("Layanan %(code)s belum memiliki standar pelayanan.") % {"code": service.code})
    return version


@lru_cache(maxsize=256)
def spec_of_version_id(version_id: int) -> ServiceStandardSpec:
    """
    The validated standard of a version, read and parsed once per process.

    Versions never change once loaded, so the cache needs no expiry; the loader clears it when it
    creates a version (a test database may reuse ids).
    """
    definition = ServiceStandardVersion.objects.values_list("definition", flat=True).get(pk=version_id)
    return ServiceStandardSpec.model_validate(definition)


def spec_cache_clear() -> None:
    spec_of_version_id.cache_clear()


def spec_of(version: ServiceStandardVersion) -> ServiceStandardSpec:
    """The validated standard of a version."""
    return spec_of_version_id(version.pk)


def services_list(*, office: Office, query: str = "") -> QuerySet[Service]:
    """Active services of the office that have a standard, matching ``query`` anywhere in the standard."""
    newest = ServiceStandardVersion.objects.filter(service=OuterRef("pk")).order_by("-version")
    services = (
        Service.objects.filter(office=office, active=True)
        .annotate(current_version_id=Subquery(newest.values("pk")[:1]))
        .filter(current_version_id__isnull=False)
    )
    words = [w for w in query.lower().split() if w]
    if words:
        matching = ServiceStandardVersion.objects.filter(office=office)
        for word in words:
            matching = matching.filter(search_text__contains=word)
        services = services.filter(current_version_id__in=matching.values("pk"))
    return services.order_by("name")


def service_get(*, office: Office, code: str) -> tuple[Service, ServiceStandardVersion, ServiceStandardSpec]:
    """The active service with ``code`` in the office, its current version and standard; NotFound otherwise."""
    service = Service.objects.filter(office=office, code=code, active=True).first()
    if service is None:
        raise NotFound(_("Layanan '%(code)s' tidak ditemukan.") % {"code": code})
    version = current_version_of(service)
    return service, version, spec_of(version)
