"""Template filters of the payment pages: the fee's one-sentence summary, rupiah amounts."""

from __future__ import annotations

from typing import Any

from django import template

from satupintu.catalogue.fees import fee_summary as summary
from satupintu.catalogue.fees import money

register = template.Library()


@register.filter
def fee_summary(fee: Any) -> str:
    """What the service costs and how it is computed (``catalogue.fees.fee_summary``)."""
    return summary(fee)


@register.filter
def idr(amount: Any) -> str:
    """An amount in rupiah: ``Rp 19.500.660``."""
    return money(int(amount)) if amount is not None and amount != "" else ""


@register.inclusion_tag("payments/_staff_bill.html")
def staff_bill(application: Any) -> dict[str, Any]:
    """The bill of a file on the officer's page: number, amount, status, payments (nothing without a bill)."""
    from satupintu.payments.selectors import bill_of

    bill = bill_of(application)
    return {"bill": bill, "payments": list(bill.payments.order_by("paid_at")) if bill else []}
