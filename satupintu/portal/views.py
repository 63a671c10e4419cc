"""Public pages: the service catalogue. Views parse the request, call selectors and render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from satupintu.catalogue import selectors as catalogue
from satupintu.core.errors import NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get
from satupintu.workdays import WorkingDuration


def _office(office_slug: str | None) -> Office:
    try:
        return office_get(office_slug) if office_slug else office_default()
    except NotFound as exc:
        raise Http404(exc.message) from None


def services(request: HttpRequest, office_slug: str | None = None) -> HttpResponse:
    """The catalogue: every service of the office, searchable across the whole standard."""
    office = _office(office_slug)
    query = request.GET.get("q", "").strip()[:100]
    rows = []
    for service in catalogue.services_list(office=office, query=query):
        version = catalogue.current_version_of(service)
        rows.append({"service": service, "spec": catalogue.spec_of(version)})
    return render(request, "portal/services.html", {"office": office, "rows": rows, "query": query})


def service_detail(request: HttpRequest, code: str, office_slug: str | None = None) -> HttpResponse:
    """A service's whole standard, as a citizen and an auditor would read it."""
    office = _office(office_slug)
    try:
        service, version, spec = catalogue.service_get(office=office, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    steps = [{"step": step, "duration": WorkingDuration.parse(step.time)} for step in spec.sop.steps]
    not_from_seed = _count_not_from_seed(spec.model_dump())
    return render(
        request,
        "portal/service_detail.html",
        {
            "office": office,
            "service": service,
            "version": version,
            "spec": spec,
            "steps": steps,
            "not_from_seed": not_from_seed,
        },
    )


def _count_not_from_seed(value: object) -> int:
    """How many clauses of the standard are marked as not transcribed from the source document."""
    if isinstance(value, dict):
        own = 1 if value.get("provenance", {}).get("from_seed") is False else 0
        return own + sum(_count_not_from_seed(v) for k, v in value.items() if k != "provenance")
    if isinstance(value, list):
        return sum(_count_not_from_seed(v) for v in value)
    return 0
