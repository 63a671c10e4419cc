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
