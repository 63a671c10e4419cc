"""
Numbers written for people in the active language: ``82,15`` in Indonesian, ``82.15`` in English.

Pages get this from Django's localisation already; PDFs, charts and any text built in Python use
``number_text`` so a decimal never shows with a point in an Indonesian document.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats


def number_text(value: Decimal | float | int, places: int | None = None) -> str:
    """``Decimal("82.15")`` → ``82,15`` (Indonesian); ``places`` fixes the decimals shown."""
    return formats.number_format(value, decimal_pos=places, use_l10n=True)
