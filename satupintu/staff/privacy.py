"""
The data protection officer's page (UU 27/2022): who read whose personal data, searched by the
person (NIK or name), the official, a period and the door, and exported as CSV or XLSX.

Only the office's ``pejabat_pelindungan_data`` opens it (``Action.VIEW_ACCESS_LOG``). The log
itself is written by ``satupintu.core.privacy.personal_read`` at every door; exporting it is a
read of the people it names, so the export writes its own rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, require
from satupintu.core.models import AccessKind, Office
from satupintu.core.privacy import Subject, access_csv, access_search, access_xlsx, kind_label, personal_read
from satupintu.core.selectors import office_get
from satupintu.staff import display
from satupintu.staff.views import staff_view

PAGE_SIZE = 50
#: The export holds at most this many rows; narrow the filters for more.
EXPORT_MAX = 50_000
FORMATS = ("csv", "xlsx")
PARAMS = ("orang", "petugas", "dari", "sampai", "jenis")


def _date(value: str, label: str, errors: dict[str, str], key: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[key] = _("%(label)s harus berupa tanggal, mis. 2026-03-31.") % {"label": label}
        return None


def _filters(request: HttpRequest, office: Office) -> tuple[dict[str, Any], dict[str, str]]:
    get = request.GET
    errors: dict[str, str] = {}
    person = " ".join(get.get("orang", "").split())[:100]
    if person.isdigit() and len(person) != 16:
        errors["orang"] = _("NIK terdiri atas 16 angka; atau tulis sebagian nama.")
    period_from = _date(get.get("dari", ""), _("Tanggal awal"), errors, "dari")
    period_to = _date(get.get("sampai", ""), _("Tanggal akhir"), errors, "sampai")
    if period_from and period_to and period_from > period_to:
        errors["sampai"] = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
    kind = get.get("jenis", "")
    if kind and kind not in AccessKind.values:
        errors["jenis"] = _("Jenis akses tidak dikenal.")
    filters = {
        "office": office,
        "person": "" if "orang" in errors else person,
        "official": " ".join(get.get("petugas", "").split())[:100],
        "period_from": period_from,
        "period_to": None if "sampai" in errors else period_to,
        "kind": "" if "jenis" in errors else kind,
    }
    return filters, errors


@staff_view
def access_log(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Search the office's personal-data access log."""
    office = office_get(office_slug)
    require(request.user, Action.VIEW_ACCESS_LOG, office)
    filters, errors = _filters(request, office)
    found = access_search(**filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [
        {
            "access": row,
            "kind": kind_label(row.kind),
            "roles": ", ".join(display.role_label(code) for code in row.roles.split(",") if code),
        }
        for row in page
    ]
    kept = {key: request.GET.get(key, "") for key in PARAMS if request.GET.get(key)}
    return render(
        request,
        "staff/privacy/access_log.html",
        {
            "office": office,
            "page": page,
            "rows": rows,
            "kinds": AccessKind.choices,
            "values": {key: request.GET.get(key, "") for key in PARAMS},
            "errors": errors,
            "problem": _("Periksa saringan.") if errors else "",
            "error_links": [{"anchor": key, "text": text} for key, text in errors.items()],
            "query_string": urlencode(kept),
        },
        status=422 if errors else 200,
    )


@staff_view
def access_log_export(request: HttpRequest, office_slug: str, fmt: str) -> HttpResponse:
    """The filtered log as CSV or XLSX (at most ``EXPORT_MAX`` rows, newest first)."""
    if fmt not in FORMATS:
        raise Http404(_("Format ekspor: csv atau xlsx."))
    office = office_get(office_slug)
    require(request.user, Action.VIEW_ACCESS_LOG, office)
    filters, errors = _filters(request, office)
    if errors:
        return HttpResponse(" ".join(errors.values()), status=422, content_type="text/plain; charset=utf-8")
    rows = list(access_search(**filters)[:EXPORT_MAX])
    personal_read(
        actor=request.user,
        kind=AccessKind.EXPORT,
        office=office,
        subjects=[Subject(user_id=r.subject_id, nik=r.subject_nik, name=r.subject_name) for r in rows],
        target=f"access_log:{office.slug}:{fmt}",
        fields=["subject_nik", "subject_name"],
        purpose=_("Pengawasan pelindungan data pribadi"),
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        content = access_xlsx(rows, office)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = access_csv(rows, office)
        kind = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="akses-data-pribadi-{office.slug}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response
