"""
The applicant's payment pages: the SKRD and the receipt as PDF, the fake gateway's "pay now"
(development and tests only: ``SATUPINTU_PAYMENTS["BACKEND"] == "fake"``), and the public SKRD
check that the bill's QR and footer point to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.payments import gateway, pdf, selectors, services
from satupintu.payments.models import Bill, BillStatus
from satupintu.portal.applicant import _own, domain_pages


def _bill(request: HttpRequest, number: str) -> Bill:
    bill = selectors.bill_of(_own(request, number))
    if bill is None:
        raise Http404(_("Permohonan ini belum memiliki SKRD."))
    return bill


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@domain_pages
def bill_pdf(request: HttpRequest, number: str) -> HttpResponse:
    return _pdf(pdf.skrd_pdf(_bill(request, number)), "skrd.pdf")


@login_required
@domain_pages
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    payment = _bill(request, number).payments.filter(accepted=True).first()
    if payment is None:
        raise Http404(_("Belum ada pembayaran yang diterima."))
    return _pdf(pdf.receipt_pdf(payment), "tanda-bukti-pembayaran.pdf")


@login_required
@domain_pages
def unpaid_letter_pdf(request: HttpRequest, number: str) -> HttpResponse:
    bill = _bill(request, number)
    if bill.status != BillStatus.EXPIRED:
        raise Http404(_("Permohonan ini tidak ditutup karena retribusi."))
    return _pdf(pdf.unpaid_letter_pdf(bill), "surat-penutupan.pdf")


@login_required
@require_POST
@domain_pages
def pay_fake(request: HttpRequest, number: str) -> HttpResponse:
    """Development only: the fake bank pays the bill by sending the signed callback a bank would."""
    if gateway.config().get("BACKEND") != "fake":
        raise Http404()
    bill = _bill(request, number)
    body, headers = gateway.fake_gateway.callback(bill.payment_code, bill.amount)
    answer = services.callback_receive(body=body, signature=headers["HTTP_X_SIGNATURE"])
    if answer["status"] == services.CALLBACK_PAID:
        messages.success(request, _("Pembayaran diterima. Tanda bukti pembayaran dapat diunduh."))
    else:
        messages.error(request, answer.get("problem") or _("Pembayaran tidak tercatat."))
    return redirect("portal:application", number=number)


def bill_check(request: HttpRequest) -> HttpResponse:
    """Public: whether a payment code belongs to an SKRD this office issued (no personal data)."""
    code = "".join(request.GET.get("kode", "").split())[:40]
    bill = Bill.objects.select_related("application__service").filter(payment_code=code).first() if code else None
    return render(request, "payments/bill_check.html", {"code": code, "bill": bill})


def context_for(application) -> dict:
    """What the application and review pages show of the fee and the bill."""
    spec = services.engine.spec_for(application)
    bill = selectors.bill_of(application)
    quote = selectors.quote(spec, application.office, application.data)
    return {
        "quote": quote,
        "bill": bill,
        "receipt": bill.payments.filter(accepted=True).first() if bill else None,
        "fake_gateway": gateway.config().get("BACKEND") == "fake",
    }
