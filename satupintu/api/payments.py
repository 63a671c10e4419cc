"""
Payment endpoints: the bill and payment state of an application, its SKRD and receipt PDFs, the
estimate for form data, and the payment gateway's callback (docs/payments.md).

The callback is not called with a token: the gateway signs the raw body with the shared secret
(``X-Signature: hex(HMAC-SHA256(secret, body))``). A forged or unsigned callback gets 403 and
changes nothing; a delivery repeated gets ``duplicate``; an amount that is not the bill's is kept
and answered ``flagged`` (200, so the bank stops retrying; the treasurer sees it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from satupintu.api.applications import _visible
from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error, InvalidError
from satupintu.applications.services import spec_for
from satupintu.core.errors import NotFound
from satupintu.payments import pdf, selectors, services
from satupintu.payments.gateway import SIGNATURE_HEADER

router = Router(auth=bearer, tags=["pembayaran"])
callback_router = Router(tags=["pembayaran"])


class FeeQuoteOut(Schema):
    kind: str | None
    amount: int | None
    estimate: bool
    explanation: str
    legal_basis: str
    currency: str
    foreign_amount: str | None
    exchange_rate: str | None
    rate_date: str | None
    missing: list[str]


class PaymentOut(Schema):
    channel: str
    reference: str
    amount: int
    paid_at: dt.datetime
    accepted: bool
    problem: str
    receipt_number: str


class RefundOut(Schema):
    amount: int
    reference: str
    refunded_at: dt.datetime


class BillOut(Schema):
    number: str
    amount: int
    explanation: str
    legal_basis: str
    payment_code: str
    status: str
    status_label: str
    issued_at: dt.datetime
    due_at: dt.datetime
    reminded_at: dt.datetime | None
    closes_at: dt.datetime | None
    paid_at: dt.datetime | None
    payments: list[PaymentOut]
    refund: RefundOut | None


class PaymentStateOut(Schema):
    fee: FeeQuoteOut
    bill: BillOut | None


class CallbackIn(Schema):
    payment_code: str
    amount: int
    reference: str
    paid_at: dt.datetime
    status: str = "paid"


class CallbackOut(Schema):
    status: str
    bill: str
    receipt: str = ""
    problem: str = ""


@router.get(
    "/applications/{number}/payment",
    response={200: PaymentStateOut, 401: Error, 404: Error},
    summary="Biaya, SKRD dan status pembayaran permohonan",
)
def payment_state(request: HttpRequest, number: str) -> dict[str, Any]:
    """The fee (the estimate, or the amount fixed by the SKRD) and the bill with its payments."""
    application, _view = _visible(number, caller(request))
    spec = spec_for(application)
    bill = selectors.payment_state(application)
    quote = (
        bill_quote
        if bill and (bill_quote := application.bill.quote)
        else selectors.quote(spec, application.office, application.data).as_dict()
    )
    return {"fee": quote, "bill": bill}


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@router.get(
    "/applications/{number}/payment/skrd.pdf",
    response={200: None, 401: Error, 404: Error},
    summary="SKRD (PDF)",
)
def skrd_pdf(request: HttpRequest, number: str) -> HttpResponse:
    application, _view = _visible(number, caller(request))
    bill = selectors.bill_of(application)
    if bill is None:
        raise NotFound(_("Permohonan ini belum memiliki SKRD."))
    return _pdf(pdf.skrd_pdf(bill), "skrd.pdf")


@router.get(
    "/applications/{number}/payment/receipt.pdf",
    response={200: None, 401: Error, 404: Error},
    summary="Tanda bukti pembayaran (PDF)",
)
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    application, _view = _visible(number, caller(request))
    bill = selectors.bill_of(application)
    payment = bill.payments.filter(accepted=True).first() if bill else None
    if payment is None:
        raise NotFound(_("Belum ada pembayaran yang diterima untuk permohonan ini."))
    return _pdf(pdf.receipt_pdf(payment), "tanda-bukti-pembayaran.pdf")


@callback_router.post(
    "/payments/callback",
    response={200: CallbackOut, 403: Error, 404: Error, 422: InvalidError},
    summary="Callback gateway pembayaran (bank / QRIS)",
    openapi_extra={
        "parameters": [
            {
                "name": SIGNATURE_HEADER,
                "in": "header",
                "required": True,
                "description": "hex(HMAC-SHA256(rahasia bersama, isi permintaan mentah))",
                "schema": {"type": "string"},
            }
        ]
    },
)
def payment_callback(request: HttpRequest, payload: CallbackIn) -> dict[str, Any]:
    """
    The gateway reports a paid bill. Authenticated by the body's HMAC signature (403 otherwise);
    idempotent per ``reference`` (``duplicate``); reconciled against the bill: a different amount
    is recorded as ``flagged`` and does not pay the bill.
    """
    return services.callback_receive(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
