"""
The officers' search: one box for a registration number, permit number, name or NIK, and
filters (service, status, overdue, period) on one results page.

An exact registration or permit number opens the application straight away, as the old
"Buka permohonan" box did. The matching rules are ``applications.search``'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, offices_for
from satupintu.applications.models import Status
from satupintu.applications.search import (
    application_exact,
    application_overdue,
    applications_search,
    nik_search_allowed,
    registration_number_example,
    status_choices,
)
from satupintu.applications.selectors import application_subject
from satupintu.catalogue.models import Service
from satupintu.core.errors import PermissionDenied
from satupintu.core.models import AccessKind, Office
from satupintu.core.privacy import personal_read
from satupintu.staff import display
from satupintu.staff.views import staff_view

PAGE_SIZE = 25
NIK_LENGTH = 16
#: The query parameters the page reads; the pager keeps them.
PARAMS = ("q", "kantor", "layanan", "status", "terlambat", "dari", "sampai")


def search_offices(user: Any) -> list[Office]:
    """The offices the user may search in now (where they are an officer)."""
    return [office for office in offices_for(user) if can(user, Action.VIEW_STAFF_PAGES, office)]


def search_box(user: Any, offices: list[Office], *, office: Office | None = None, q: str = "") -> dict[str, Any]:
    """What the search box needs: the offices to choose from, the example number, whether a NIK may be typed."""
    office = office or offices[0]
    return {
        "search_offices": offices,
        "search_office": office,
        "search_q": q,
        "search_nik": nik_search_allowed(office=office, viewer=user),
        "search_example": registration_number_example(office),
    }


def _date(value: str, label: str, errors: dict[str, str], key: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[key] = _("%(label)s harus berupa tanggal, mis. 2026-03-31.") % {"label": label}
        return None


@staff_view
def search(request: HttpRequest) -> HttpResponseBase:
    """The results page: the office's applications matching the query and the filters, newest first."""
    user = request.user
    offices = search_offices(user)
    if not offices:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas kantor."))
    get = request.GET
    office = next((o for o in offices if o.slug == get.get("kantor")), offices[0])
    q = " ".join(get.get("q", "").split())[:100]
    filters_given = any(get.get(key) for key in ("layanan", "status", "terlambat", "dari", "sampai", "halaman"))
    if q and not filters_given:
        # A number read off a receipt or letter opens the file; the chosen office first, then the others.
        for candidate in [office, *[o for o in offices if o != office]]:
            exact = application_exact(office=candidate, viewer=user, q=q)
            if exact is not None:
                return redirect("staff:application", number=exact.number)

    errors: dict[str, str] = {}
    services = list(Service.objects.filter(office=office).order_by("name"))
    service = next((s for s in services if s.code == get.get("layanan")), None)
    status = get.get("status") if get.get("status") in Status.values else None
    overdue = {"1": True, "0": False}.get(get.get("terlambat", ""))
    period_from = _date(get.get("dari", ""), _("Tanggal awal"), errors, "dari")
    period_to = _date(get.get("sampai", ""), _("Tanggal akhir"), errors, "sampai")
    if period_from and period_to and period_from > period_to:
        errors["sampai"] = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
        period_to = None

    searched = bool(q or service or status or overdue is not None or period_from or period_to)
    now = timezone.now()
    page = None
    rows = []
    if searched:
        found = applications_search(
            office=office,
            viewer=user,
            q=q,
            service=service,
            status=status,
            overdue=overdue,
            period_from=period_from,
            period_to=period_to,
            now=now,
        )
        page = Paginator(found, PAGE_SIZE).get_page(get.get("halaman"))
        for app in page:
            permit = getattr(app, "permit", None)
            rows.append(
                {
                    "app": app,
                    "status": str(Status(app.status).label),
                    "role": display.role_label(app.current_role) if app.current_role and not app.is_final else "",
                    "registered": display.office_time(app.created_at, office),
                    "due": display.office_time(app.step_due_at, office) if not app.is_final else "",
                    "overdue": application_overdue(app, now),
                    "permit_number": permit.number if permit is not None else "",
                }
            )
        if q.isdigit() and len(q) == NIK_LENGTH and nik_search_allowed(office=office, viewer=user):
            # Found by NIK: the page confirms whose number it is; every person shown is logged.
            personal_read(
                actor=user,
                kind=AccessKind.SEARCH,
                office=office,
                subjects=[application_subject(app) for app in page if app.applicant_nik == q],
                target=f"search:{office.slug}",
                fields=["applicant_nik", "applicant_name"],
            )
    kept = {key: get.get(key, "") for key in PARAMS if get.get(key)}
    context = {
        **search_box(user, offices, office=office, q=q),
        "office": office,
        "services": services,
        "service": service,
        "statuses": status_choices(),
        "status": status or "",
        "overdue": get.get("terlambat", ""),
        "period_from": get.get("dari", ""),
        "period_to": get.get("sampai", ""),
        "errors": errors,
        "problem": _("Periksa saringan tanggal.") if errors else "",
        "error_links": [{"anchor": key, "text": text} for key, text in errors.items()],
        "searched": searched,
        # Filters stay folded on a phone until used (or refused), so the results come first.
        "filters_open": bool(errors or service or status or overdue is not None or period_from or period_to),
        "page": page,
        "rows": rows,
        "query_string": urlencode(kept),
    }
    return render(request, "staff/search.html", context)
