"""Fee computation per kind (catalogue/fees.py): pure, Decimal, rounded to the rupiah by the standard's rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from satupintu.catalogue.fees import fee_quote, fee_summary, money, round_rupiah
from satupintu.catalogue.schema import Fee

BASIS = "Perda Kota Contoh Nomor 1 Tahun 2024 tentang Retribusi Daerah, Lampiran II"


def test_a_free_fee_costs_nothing_and_says_so():
    quote = fee_quote(Fee(amount=0, text="GRATIS"), {})
    assert (quote.kind, quote.amount, quote.estimate, quote.charged) == ("free", 0, False, False)


def test_an_old_style_fixed_amount_still_works_and_is_its_own_kind():
    fee = Fee(amount=150000, text="Rp 150.000", legal_basis=BASIS)
    assert fee.effective_kind == "fixed" and fee.is_set and fee.charged
    quote = fee_quote(fee, {})
    assert quote.amount == 150000 and "Rp 150.000" in quote.explanation


def test_an_unset_fee_is_not_set_and_a_formula_is_set_without_an_amount():
    assert not Fee(amount=None, text="belum").is_set
    formula = Fee(
        kind="formula",
        text="Rp 5.000 per m²",
        legal_basis=BASIS,
        formula={"rate": 5000, "unit": "m²", "quantity_field": "luas"},
    )
    assert formula.amount is None and formula.is_set


def test_a_formula_in_rupiah_multiplies_rate_quantity_and_period():
    fee = Fee(
        kind="formula",
        text="Rp 12.500 per m² per tahun",
        legal_basis=BASIS,
        formula={
            "rate": "12500",
            "unit": "m²",
            "quantity_field": "luas",
            "period_field": "tahun",
            "period_unit": "tahun",
        },
    )
    quote = fee_quote(fee, {"luas": "7,5", "tahun": 2})
    assert quote.amount == 187500 and not quote.estimate
    assert quote.explanation.startswith("Rp 12.500 × 7,5 m² × 2 tahun = Rp 187.500")


def test_tiers_set_the_rate_of_every_unit_by_the_quantity():
    fee = Fee(
        kind="formula",
        text="bertingkat",
        legal_basis=BASIS,
        formula={
            "unit": "m²",
            "quantity_field": "luas",
            "tiers": [{"up_to": 100, "rate": 10000}, {"up_to": 500, "rate": 8000}, {"rate": 6000}],
            "minimum": 250000,
        },
    )
    assert fee_quote(fee, {"luas": 10}).amount == 250000  # 100.000 is below the minimum
    assert fee_quote(fee, {"luas": 100}).amount == 1_000_000
    assert fee_quote(fee, {"luas": 101}).amount == 808_000
    assert fee_quote(fee, {"luas": 1000}).amount == 6_000_000


def _usd(rounding: str = "half_up", round_to: int = 1) -> Fee:
    return Fee(
        kind="formula",
        text="US$ 100 per orang per bulan",
        legal_basis="PP 97/2012; Perda retribusi perpanjangan IMTA",
        formula={
            "currency": "USD",
            "rate": 100,
            "unit": "orang",
            "quantity_field": "jumlah_tka",
            "period_field": "bulan",
            "period_unit": "bulan",
            "conversion": "kurs KMK pada tanggal SKRD",
            "rounding": rounding,
            "round_to": round_to,
        },
    )


def test_us_dollars_per_worker_per_month_are_paid_in_rupiah_at_the_days_rate_rounded_to_the_rupiah():
    day = dt.date(2026, 12, 1)
    quote = fee_quote(_usd(), {"jumlah_tka": 3, "bulan": 12}, exchange_rate=Decimal("16250.555"), rate_date=day)
    # US$ 3.600 × 16.250,555 = 58.501.998 exactly; a half rupiah example follows.
    assert quote.foreign_amount == Decimal(3600) and quote.amount == 58_501_998
    assert quote.estimate  # the SKRD's rate decides
    half = fee_quote(_usd(), {"jumlah_tka": 1, "bulan": 1}, exchange_rate=Decimal("16250.555"), rate_date=day)
    assert half.amount == 1_625_056  # Rp 1.625.055,5 rounded half up
    assert "US$ 100 × 1 orang × 1 bulan = US$ 100 × kurs Rp 16.250,555 (01-12-2026)" in half.explanation
    assert "dibulatkan menjadi Rp 1.625.056" in half.explanation
    final = fee_quote(_usd(), {"jumlah_tka": 1, "bulan": 1}, exchange_rate=Decimal("16250.555"), final=True)
    assert not final.estimate and "Perkiraan" not in final.explanation


@pytest.mark.parametrize(
    ("rounding", "round_to", "expected"),
    [("half_up", 1, 1_625_056), ("down", 1, 1_625_055), ("up", 100, 1_625_100), ("down", 100, 1_625_000)],
)
def test_the_rounding_rule_is_the_standards(rounding, round_to, expected):
    quote = fee_quote(_usd(rounding, round_to), {"jumlah_tka": 1, "bulan": 1}, exchange_rate=Decimal("16250.555"))
    assert quote.amount == expected
    assert round_rupiah(Decimal("1625055.5"), rounding, round_to) == expected


def test_without_the_days_rate_a_dollar_fee_is_an_estimate_in_dollars_and_missing_fields_are_named():
    quote = fee_quote(_usd(), {"jumlah_tka": 2, "bulan": 6})
    assert quote.amount is None and quote.estimate and quote.foreign_amount == Decimal(1200)
    assert "kurs belum tercatat" in quote.explanation
    missing = fee_quote(_usd(), {"jumlah_tka": ""})
    assert missing.missing == ("jumlah_tka", "bulan") and missing.amount is None


def test_a_tax_under_another_regulation_is_not_billed_here():
    fee = Fee(kind="tax", text="Pajak reklame 25%", legal_basis="Perda Kabupaten Siak 1/2024", collected_by="Bapenda")
    quote = fee_quote(fee, {})
    assert quote.kind == "tax" and quote.amount is None and not quote.charged
    assert "dipungut oleh Bapenda, bukan oleh kantor ini" in fee_summary(fee)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "fixed", "text": "x", "legal_basis": BASIS},  # no amount
        {"kind": "formula", "text": "x", "legal_basis": BASIS},  # no formula
        {"kind": "tax", "text": "x", "legal_basis": BASIS},  # no collector
        {"amount": 5000, "kind": "fixed", "text": "x"},  # no legal basis
        {
            "kind": "formula",
            "text": "x",
            "legal_basis": BASIS,
            "formula": {"currency": "USD", "rate": 1, "unit": "orang", "quantity_field": "n"},
        },  # a currency without its conversion rule
    ],
)
def test_a_fee_without_what_its_kind_needs_is_refused(bad):
    with pytest.raises(ValidationError):
        Fee(**bad)


def test_money_is_written_the_indonesian_way():
    assert money(19500660) == "Rp 19.500.660" and money(Decimal("100.5"), "USD") == "US$ 100,5"
