"""Reads of the service catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import office_today
from satupintu.catalogue.models import Service, ServiceStandardVersion, VersionStatus
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.models import Office


class ServiceClosed(DomainError):
    """The service takes no applications now (not published, or its fee is not set)."""

    code = "service_closed"
    http_status = 409


def _in_force(versions: QuerySet[ServiceStandardVersion], day: dt.date) -> QuerySet[ServiceStandardVersion]:
    return versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day).order_by("-version")


def current_version_of(service: Service, *, day: dt.date | None = None) -> ServiceStandardVersion:
    """
    The version in force: the newest published version whose ``effective_from`` is on or before
    today in the office's time zone. Drafts, versions in review and versions published for a
    later date are not in force.
    """
    version = _in_force(service.versions.all(), day or office_today(service.office)).first()
    if version is None:
        raise NotFound(_("Layanan %(code)s belum memiliki standar pelayanan yang berlaku.") % {"code": service.code})
    return version


def closed_reason(service: Service, spec: ServiceStandardSpec | None) -> str:
    """Why the service takes no applications now, or "" when it takes them."""
    if not service.active:
        return _("Layanan ini tidak aktif.")
    if spec is None:
        return _("Standar pelayanan layanan ini belum diumumkan.")
    if not spec.fee.is_set:
        return _("Biaya/tarif layanan ini belum ditetapkan kantor; permohonan belum dapat diterima.")
    return ""


def version_for_new_application(service: Service) -> ServiceStandardVersion:
    """
    The version a new application starts on (the one in force), or ServiceClosed when the
    service takes no applications: not active, not published, or its fee not set.
    """
    try:
        version = current_version_of(service)
    except NotFound:
        version = None
    reason = closed_reason(service, spec_of(version) if version is not None else None)
    if reason:
        raise ServiceClosed(reason)
    assert version is not None
    return version


def versions_of(service: Service) -> QuerySet[ServiceStandardVersion]:
    """Every version of the service's standard, newest first (staff)."""
    return service.versions.select_related("sent_for_review_by", "approved_by", "published_by").order_by("-version")


def version_get(*, office: Office, code: str, version: int) -> ServiceStandardVersion:
    """One version of one of the office's services, whatever its status (staff); NotFound otherwise."""
    found = (
        ServiceStandardVersion.objects.select_related("service", "office")
        .filter(office=office, service__code=code, version=version)
        .first()
    )
    if found is None:
        raise NotFound(_("Versi standar tidak ditemukan."))
    return found


def office_services(*, office: Office) -> QuerySet[Service]:
    """Every service of the office, whatever the state of its standard (staff)."""
    return Service.objects.filter(office=office).order_by("name")


@dataclass(frozen=True)
class Template:
    """A shipped standard any office may copy and adapt (``standards/*.yaml``)."""

    code: str
    name: str
    path: Path


def templates_list() -> list[Template]:
    """The standards shipped with satupintu that offices copy as templates, by name."""
    directory = Path(settings.SATUPINTU_STANDARDS_DIR)
    found = []
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and data.get("code"):
            found.append(Template(code=str(data["code"]), name=str(data.get("name", data["code"])), path=path))
    return sorted(found, key=lambda t: t.name)


def template_get(code: str) -> Template:
    for template in templates_list():
        if template.code == code:
            return template
    raise NotFound(_("Templat '%(code)s' tidak ditemukan.") % {"code": code})


@lru_cache(maxsize=256)
def spec_of_version_id(version_id: int) -> ServiceStandardSpec:
    """
    The validated standard of a version, read and parsed once per process.

    Versions never change once loaded, so the cache needs no expiry; the loader clears it when it
    creates a version (a test database may reuse ids).
    """
    definition = ServiceStandardVersion.objects.values_list("definition", flat=True).get(pk=version_id)
    return ServiceStandardSpec.model_validate(definition, context={"stored": True})


def spec_cache_clear() -> None:
    spec_of_version_id.cache_clear()


def spec_of(version: ServiceStandardVersion) -> ServiceStandardSpec:
    """The validated standard of a version."""
    return spec_of_version_id(version.pk)


def services_list(*, office: Office, query: str = "") -> QuerySet[Service]:
    """
    Active services of the office with a standard in force (published, effective today), matching
    ``query`` anywhere in that standard.
    """
    newest = _in_force(ServiceStandardVersion.objects.filter(service=OuterRef("pk")), office_today(office))
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


def _without_curation(value: object) -> object:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            if (key == "provenance" or key.endswith("_provenance")) and isinstance(item, dict):
                out[key] = {**item, "note": "", "source": item.get("source", "")}
            elif key == "source" and isinstance(item, dict) and "publisher" in item:
                out[key] = {**item, "note": ""}
            else:
                out[key] = _without_curation(item)
        return out
    if isinstance(value, list):
        return [_without_curation(item) for item in value]
    return value


def public_spec(spec: ServiceStandardSpec) -> ServiceStandardSpec:
    """
    The standard as the public sees it (portal and API): the curation notes written for staff
    (``provenance.note``, ``source.note``) left out; whether a clause comes from the source stays.
    """
    stripped = _without_curation(spec.model_dump(mode="json"))
    assert isinstance(stripped, dict)
    return ServiceStandardSpec.model_validate(stripped, context={"stored": True})


def not_from_source_count(spec: ServiceStandardSpec) -> int:
    """How many clauses of the standard are marked as not transcribed from the source document."""

    def count(value: object) -> int:
        if isinstance(value, dict):
            provenance = value.get("provenance")
            own = 1 if isinstance(provenance, dict) and provenance.get("from_seed") is False else 0
            return own + sum(count(v) for k, v in value.items() if k != "provenance")
        if isinstance(value, list):
            return sum(count(v) for v in value)
        return 0

    return count(spec.model_dump())
