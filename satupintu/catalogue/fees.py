"""
What an application costs: the standard's fee (``schema.Fee``) applied to the form's data.

Pure: no database. The caller gives the form data and, for a fee in a foreign currency, the
exchange rate the standard's ``conversion`` rule names (the office records the day's rate,
``payments.models.ExchangeRate``). Amounts are ``Decimal`` throughout; the rupiah amount is
rounded once, at the end, to ``round_to`` rupiah by the formula's ``rounding``:

- ``half_up`` (the default): to the nearest rupiah, halves up — the usual reading of "dibulatkan";
- ``down``: the fraction dropped ("dibulatkan ke bawah"), as some Perda say so the payer never pays more;
- ``up``: to the next multiple ("dibulatkan ke atas").

A formula's tiers set the rate per unit by the quantity: the first tier whose ``up_to`` is at
least the quantity applies to every unit (a step rate, as tariff tables of Perda retribusi are
written), not progressively.

Every quote carries an explanation in Indonesian ("US$ 100 × 2 orang × 6 bulan = US$ 1.200 ×
Rp 16.250 (kurs 01-12-2026) = Rp 19.500.000"), which the public page, the review page, the API
and the bill (SKRD) print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from satupintu.catalogue.schema import Fee, FeeFormula, FormField

_ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}
_ROUNDING_TEXT = {
    "half_up": "dibulatkan ke {unit} terdekat",
    "down": "dibulatkan ke bawah ke {unit}",
    "up": "dibulatkan ke atas ke {unit}",
}
CURRENCY_SIGN = {"IDR": "Rp", "USD": "US$"}


def _group(value: Decimal) -> str:
    """1234567.5 → '1.234.567,5' (Indonesian grouping; no trailing zero decimals)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    fraction = value - whole
    text = f"{whole:,}".replace(",", ".")
    if fraction:
        digits = format(fraction.normalize(), "f").split(".")[1]
        text += "," + digits
    return sign + text


def money(value: Decimal | int, currency: str = "IDR") -> str:
    """'Rp 1.500.000', 'US$ 100'."""
    return f"{CURRENCY_SIGN.get(currency, currency)} {_group(Decimal(value))}"


def round_rupiah(value: Decimal, rounding: str = "half_up", round_to: int = 1) -> int:
    """Round a rupiah amount to a multiple of ``round_to`` rupiah by the standard's rule."""
    step = Decimal(round_to)
    return int((value / step).quantize(Decimal(1), rounding=_ROUNDING[rounding]) * step)


@dataclass(frozen=True)
class FeeQuote:
    """The amount (or the estimate) for one application, with how it is computed."""

    kind: str | None
    #: Rupiah to pay; None when it cannot be computed yet (a form field not filled, no rate yet).
    amount: int | None
    #: The amount may still change: the rate is the one of the day the bill is issued, not fixed yet.
    estimate: bool
    explanation: str
    legal_basis: str = ""
    currency: str = "IDR"
    #: The amount in the fee's currency before conversion (formula fees).
    foreign_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    rate_date: dt.date | None = None
    #: Form fields the formula needs that have no usable value.
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def charged(self) -> bool:
        return self.kind in {"fixed", "formula"}

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "amount": self.amount,
            "estimate": self.estimate,
            "explanation": self.explanation,
            "legal_basis": self.legal_basis,
            "currency": self.currency,
            "foreign_amount": str(self.foreign_amount) if self.foreign_amount is not None else None,
            "exchange_rate": str(self.exchange_rate) if self.exchange_rate is not None else None,
            "rate_date": self.rate_date.isoformat() if self.rate_date else None,
            "missing": list(self.missing),
        }


def _number(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def tier_rate(formula: FeeFormula, quantity: Decimal) -> Decimal:
    """The rate per unit for ``quantity``: the first tier that holds it, else the flat rate."""
    for tier in formula.tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return tier.rate
    assert formula.rate is not None or formula.tiers
    return formula.rate if formula.rate is not None else formula.tiers[-1].rate


def formula_text(formula: FeeFormula) -> str:
    """How a formula fee is computed, without data: for the public page."""
    per = f" per {formula.period_unit}" if formula.period_unit else ""
    if formula.tiers:
        parts = []
        lower = Decimal(0)
        for tier in formula.tiers:
            if tier.up_to is None:
                span = f"lebih dari {_group(lower)} {formula.unit}"
            else:
                span = f"sampai {_group(tier.up_to)} {formula.unit}"
                lower = tier.up_to
            parts.append(f"{span}: {money(tier.rate, formula.currency)} per {formula.unit}{per}")
        text = "Tarif bertingkat menurut jumlah " + formula.unit + " (" + "; ".join(parts) + ")"
    else:
        assert formula.rate is not None
        text = f"{money(formula.rate, formula.currency)} per {formula.unit}{per}"
    text += f" × jumlah {formula.unit}" + (f" × jumlah {formula.period_unit}" if formula.period_unit else "")
    if formula.minimum:
        text += f", paling sedikit {money(formula.minimum, formula.currency)}"
    if formula.currency != "IDR":
        text += f"; dibayar dalam rupiah dengan {formula.conversion}"
    unit = "rupiah" if formula.round_to == 1 else f"kelipatan {money(formula.round_to)}"
    return text + "; " + _ROUNDING_TEXT[formula.rounding].format(unit=unit)


def fee_summary(fee: Fee) -> str:
    """One sentence for the public page: what the service costs and how it is computed."""
    kind = fee.effective_kind
    if kind == "free":
        return "Gratis (tidak dipungut biaya)."
    if kind == "fixed":
        assert fee.amount is not None
        return f"{money(fee.amount)} ({fee.legal_basis})."
    if kind == "formula":
        assert fee.formula is not None
        return f"{formula_text(fee.formula)} ({fee.legal_basis})."
    if kind == "tax":
        return f"Dikenakan pajak menurut {fee.legal_basis}, dipungut oleh {fee.collected_by}, bukan oleh kantor ini."
    return "Biaya belum ditetapkan oleh kantor."


def fee_quote(
    fee: Fee,
    data: Mapping[str, Any],
    *,
    fields: Mapping[str, FormField] | None = None,
    exchange_rate: Decimal | None = None,
    rate_date: dt.date | None = None,
    final: bool = False,
) -> FeeQuote:
    """
    The fee of one application from its form ``data``.

    ``exchange_rate``: rupiah per unit of the fee's currency on ``rate_date``; without it a
    foreign-currency fee is shown in that currency and has no rupiah amount yet. ``final``: the
    rate is the one fixed for the bill (the SKRD), so the amount is no longer an estimate.
    ``fields`` (key → form field) lets the explanation name a missing field by its label.
    """
    kind = fee.effective_kind
    basis = fee.legal_basis
    if kind == "free":
        return FeeQuote(kind, 0, False, "Gratis.", basis)
    if kind == "fixed":
        assert fee.amount is not None
        return FeeQuote(kind, fee.amount, False, f"Biaya tetap {money(fee.amount)}.", basis)
    if kind == "tax":
        return FeeQuote(kind, None, False, fee_summary(fee), basis)
    if kind is None:
        return FeeQuote(None, None, False, fee_summary(fee), basis)
    formula = fee.formula
    assert formula is not None
    quantity = _number(data.get(formula.quantity_field))
    period = _number(data.get(formula.period_field)) if formula.period_field else Decimal(1)
    missing = tuple(
        key
        for key, value in ((formula.quantity_field, quantity), (formula.period_field, period))
        if key and value is None
    )
    if missing:
        labels = ", ".join(fields[k].label if fields and k in fields else k for k in missing)
        return FeeQuote(
            kind,
            None,
            True,
            f"{formula_text(formula)}. Isi {labels} untuk melihat perkiraan biaya.",
            basis,
            formula.currency,
            missing=missing,
        )
    assert quantity is not None and period is not None
    rate = tier_rate(formula, quantity)
    subtotal = rate * quantity * period
    steps = f"{money(rate, formula.currency)} × {_group(quantity)} {formula.unit}"
    if formula.period_field:
        steps += f" × {_group(period)} {formula.period_unit}"
    if formula.minimum is not None and subtotal < formula.minimum:
        steps += f" = {money(subtotal, formula.currency)}, kurang dari biaya paling sedikit"
        subtotal = formula.minimum
    steps += f" = {money(subtotal, formula.currency)}"
    if formula.currency == "IDR":
        amount = round_rupiah(subtotal, formula.rounding, formula.round_to)
        if Decimal(amount) != subtotal:
            steps += f", dibulatkan menjadi {money(amount)}"
        return FeeQuote(kind, amount, False, steps + ".", basis, "IDR", subtotal)
    if exchange_rate is None:
        return FeeQuote(
            kind,
            None,
            True,
            f"{steps}; dibayar dalam rupiah dengan {formula.conversion} (kurs belum tercatat).",
            basis,
            formula.currency,
            subtotal,
        )
    rupiah = subtotal * exchange_rate
    amount = round_rupiah(rupiah, formula.rounding, formula.round_to)
    when = f" ({rate_date.strftime('%d-%m-%Y')})" if rate_date else ""
    steps += f" × kurs {money(exchange_rate)}{when} = {money(rupiah)}"
    if Decimal(amount) != rupiah:
        steps += f", dibulatkan menjadi {money(amount)}"
    if not final:
        steps += f". Perkiraan: jumlah pasti dihitung dengan {formula.conversion}"
    return FeeQuote(kind, amount, not final, steps + ".", basis, formula.currency, subtotal, exchange_rate, rate_date)
