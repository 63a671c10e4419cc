"""
The treasurer's (Bendahara Penerima's) pages: the day's reconciliation, the bills waiting for
payment with the counter-payment form (amount, receipt number, proof upload), the day's exchange
rate, refunds of paid bills of refused applications, and the monthly revenue report per service
(XLSX and PDF). Every write goes through ``payments.services`` (audited there).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.permissions import Action, can, office_today, require
from satupintu.applications.models import Status
from satupintu.core.errors import Conflict, InvalidData
from satupintu.core.selectors import office_get
from satupintu.payments import pdf, selectors, services
from satupintu.payments.models import Bill, BillStatus
from satupintu.staff.views import staff_view


def _day(request: HttpRequest, office) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return office_today(office)


def _month(request: HttpRequest, office) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in request.GET.get("bulan", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = office_today(office)
        year, month = today.year, today.month
    return year, month


@staff_view
def treasurer(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = office_get(office_slug)
    require(request.user, Action.VIEW_REVENUE, office)
    day = _day(request, office)
    year, month = _month(request, office)
    rec = selectors.reconciliation(office, day)
    unpaid = Bill.objects.filter(office=office, status=BillStatus.UNPAID).select_related("application__service")
    refundable = Bill.objects.filter(
        office=office, status=BillStatus.PAID, application__status=Status.REJECTED
    ).select_related("application__service")
    rate = selectors.exchange_rate_on(office, "USD", office_today(office))
    return render(
        request,
        "staff/treasurer.html",
        {
            "office": office,
            "day": day,
            "month": f"{year:04d}-{month:02d}",
            "rec": rec,
            "revenue": selectors.revenue_month(office, year, month),
            "unpaid": unpaid,
            "refundable": refundable,
            "rate": rate,
            "may_manage": can(request.user, Action.MANAGE_PAYMENTS, office),
            "today": office_today(office).isoformat(),
        },
    )


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@staff_view
def reconciliation_file(request: HttpRequest, office_slug: str, kind: str) -> HttpResponse:
    office = office_get(office_slug)
    require(request.user, Action.VIEW_REVENUE, office)
    rec = selectors.reconciliation(office, _day(request, office))
    content = pdf.reconciliation_pdf(office, rec) if kind == "pdf" else pdf.reconciliation_xlsx(office, rec)
    return _download(content, f"rekonsiliasi-{rec.day.isoformat()}", "pdf" if kind == "pdf" else "xlsx")


@staff_view
def revenue_file(request: HttpRequest, office_slug: str, kind: str) -> HttpResponse:
    office = office_get(office_slug)
    require(request.user, Action.VIEW_REVENUE, office)
    year, month = _month(request, office)
    rows = selectors.revenue_month(office, year, month)
    content = pdf.revenue_pdf(office, year, month, rows) if kind == "pdf" else pdf.revenue_xlsx(rows)
    return _download(content, f"penerimaan-{year:04d}-{month:02d}", "pdf" if kind == "pdf" else "xlsx")


def _back(office_slug: str) -> HttpResponse:
    return redirect("staff:treasurer", office_slug=office_slug)


@staff_view
@require_POST
def counter_payment(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = office_get(office_slug)
    bill = get_object_or_404(Bill, pk=pk, office=office)
    try:
        services.counter_payment_record(
            application=bill.application,
            actor=request.user,
            amount=request.POST.get("jumlah", ""),
            reference=request.POST.get("rujukan", ""),
            proof=request.FILES.get("bukti"),
        )
    except InvalidData as exc:
        messages.error(request, f"{exc.message} " + " ".join(str(v) for v in exc.errors.values()))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pembayaran SKRD %(number)s dicatat.") % {"number": bill.number})
    return _back(office_slug)


@staff_view
@require_POST
def rate_record(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = office_get(office_slug)
    try:
        day = dt.date.fromisoformat(request.POST.get("tanggal", ""))
    except ValueError:
        day = office_today(office, timezone.now())
    try:
        services.exchange_rate_record(
            office=office,
            actor=request.user,
            currency="USD",
            date=day,
            rate=request.POST.get("kurs", ""),
            source=request.POST.get("sumber", ""),
        )
    except InvalidData as exc:
        messages.error(request, f"{exc.message} " + " ".join(str(v) for v in exc.errors.values()))
    else:
        messages.success(request, _("Kurs dicatat."))
    return _back(office_slug)


@staff_view
@require_POST
def refund(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    office = office_get(office_slug)
    bill = get_object_or_404(Bill, pk=pk, office=office)
    try:
        services.refund_record(
            bill=bill,
            actor=request.user,
            amount=request.POST.get("jumlah", ""),
            reason=request.POST.get("alasan", ""),
            reference=request.POST.get("rujukan", ""),
        )
    except InvalidData as exc:
        messages.error(request, f"{exc.message} " + " ".join(str(v) for v in exc.errors.values()))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengembalian retribusi SKRD %(number)s dicatat.") % {"number": bill.number})
    return _back(office_slug)
