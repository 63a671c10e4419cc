"""Reads of bills, payments and rates: the applicant's quote, the treasurer's reconciliation and revenue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from satupintu.accounts.permissions import office_today
from satupintu.applications.models import Application
from satupintu.catalogue.fees import FeeQuote, fee_quote
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.core.models import Office
from satupintu.payments.models import Bill, BillStatus, ExchangeRate, Payment, Refund


def exchange_rate_on(office: Office, currency: str, day: dt.date) -> ExchangeRate | None:
    """The rate in force on ``day``: the latest the office recorded on or before it."""
    return ExchangeRate.objects.filter(office=office, currency=currency, date__lte=day).order_by("-date").first()


def quote(
    spec: ServiceStandardSpec, office: Office, data: dict[str, Any], *, at: dt.datetime | None = None
) -> FeeQuote:
    """The estimate for form ``data``: at the latest rate the office recorded (an estimate until the SKRD)."""
    formula = spec.fee.formula
    rate = None
    if formula is not None and formula.currency != "IDR":
        rate = exchange_rate_on(office, formula.currency, office_today(office, at or timezone.now()))
    return fee_quote(
        spec.fee,
        data,
        fields={f.key: f for f in spec.form_fields()},
        exchange_rate=rate.rate if rate else None,
        rate_date=rate.date if rate else None,
    )


def bill_of(application: Application) -> Bill | None:
    return Bill.objects.filter(application=application).first()


def bill_facts(application: Application) -> dict[str, Any] | None:
    """The bill as the payment step's parser reads it (``step_kinds.parse_payment``)."""
    bill = bill_of(application)
    if bill is None:
        return None
    payment = bill.payments.filter(accepted=True).order_by("-paid_at").first()
    return {
        "number": bill.number,
        "amount": bill.amount,
        "status": bill.status,
        "closes_at": bill.closes_at,
        "paid_at": payment.paid_at if payment else None,
        "channel": payment.channel if payment else "",
        "reference": payment.reference if payment else "",
    }


def payment_state(application: Application) -> dict[str, Any] | None:
    """The bill and its payments for the API and the pages."""
    bill = bill_of(application)
    if bill is None:
        return None
    payments = list(bill.payments.order_by("paid_at"))
    refund = Refund.objects.filter(bill=bill).first()
    return {
        "number": bill.number,
        "amount": bill.amount,
        "explanation": bill.explanation,
        "legal_basis": bill.legal_basis,
        "payment_code": bill.payment_code,
        "status": bill.status,
        "status_label": bill.get_status_display(),
        "issued_at": bill.issued_at,
        "due_at": bill.due_at,
        "reminded_at": bill.reminded_at,
        "closes_at": bill.closes_at,
        "paid_at": bill.paid_at,
        "payments": [
            {
                "channel": p.channel,
                "reference": p.reference,
                "amount": p.amount,
                "paid_at": p.paid_at,
                "accepted": p.accepted,
                "problem": p.problem,
                "receipt_number": p.receipt_number,
            }
            for p in payments
        ],
        "refund": {"amount": refund.amount, "reference": refund.reference, "refunded_at": refund.refunded_at}
        if refund
        else None,
    }


@dataclass
class Reconciliation:
    """One day's payments of an office: what was received per channel, what is flagged."""

    day: dt.date
    payments: list[Payment]
    flagged: list[Payment]
    by_channel: dict[str, int] = field(default_factory=dict)
    total: int = 0
    bills_paid: int = 0
    bills_total: int = 0


def _day_bounds(office: Office, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    import zoneinfo

    tz = zoneinfo.ZoneInfo(office.time_zone)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def reconciliation(office: Office, day: dt.date) -> Reconciliation:
    """
    The payments received on ``day`` (office time) against the bills settled that day: the
    accepted payments' total equals the settled bills' amounts; flagged ones are listed apart.
    """
    start, end = _day_bounds(office, day)
    rows = list(
        Payment.objects.filter(office=office, paid_at__gte=start, paid_at__lt=end)
        .select_related("bill", "bill__application", "bill__application__service")
        .order_by("paid_at")
    )
    accepted = [p for p in rows if p.accepted]
    by_channel: dict[str, int] = defaultdict(int)
    for p in accepted:
        by_channel[p.channel] += p.amount
    bills = Bill.objects.filter(office=office, paid_at__gte=start, paid_at__lt=end).exclude(status=BillStatus.UNPAID)
    return Reconciliation(
        day=day,
        payments=accepted,
        flagged=[p for p in rows if not p.accepted],
        by_channel=dict(by_channel),
        total=sum(p.amount for p in accepted),
        bills_paid=bills.count(),
        bills_total=sum(b.amount for b in bills),
    )


@dataclass
class RevenueRow:
    service: str
    bills: int = 0
    paid: int = 0
    received: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.received - self.refunded


def revenue_month(office: Office, year: int, month: int) -> list[RevenueRow]:
    """Per service: bills issued, bills paid and money received in the month, refunds, net revenue."""
    start, _end = _day_bounds(office, dt.date(year, month, 1))
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    end, _x = _day_bounds(office, following)
    rows: dict[str, RevenueRow] = {}

    def row(name: str) -> RevenueRow:
        return rows.setdefault(name, RevenueRow(service=name))

    for bill in Bill.objects.filter(office=office, issued_at__gte=start, issued_at__lt=end).select_related(
        "application__service"
    ):
        row(bill.application.service.name).bills += 1
    for p in Payment.objects.filter(office=office, accepted=True, paid_at__gte=start, paid_at__lt=end).select_related(
        "bill__application__service"
    ):
        r = row(p.bill.application.service.name)
        r.paid += 1
        r.received += p.amount
    for refund in Refund.objects.filter(office=office, refunded_at__gte=start, refunded_at__lt=end).select_related(
        "bill__application__service"
    ):
        row(refund.bill.application.service.name).refunded += refund.amount
    return sorted(rows.values(), key=lambda r: r.service)
