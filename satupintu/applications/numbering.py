"""
Gap-free numbering per office, series and year.

A number is taken inside the transaction of the step that needs it: the series row is locked
until commit, and a rollback returns the number, so issued numbers have no gaps and no doubles.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from satupintu.applications.models import NumberSeries
from satupintu.core.models import Office

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def series_next(*, office: Office, key: str, year: int) -> int:
    """Take the next value of the series (1 for a new year); call inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("series_next must run inside the transaction that uses the number")
    updated = NumberSeries.objects.filter(office=office, key=key, year=year).update(last_value=F("last_value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                NumberSeries.objects.create(office=office, key=key, year=year, last_value=1)
            return 1
        except IntegrityError:
            # Another transaction created the series first; it has committed, so increment it.
            NumberSeries.objects.filter(office=office, key=key, year=year).update(last_value=F("last_value") + 1)
    return NumberSeries.objects.values_list("last_value", flat=True).get(office=office, key=key, year=year)


def format_number(template: str, *, seq: int, when: dt.date, short_code: str = "", office_code: str = "") -> str:
    """Fill a number format such as ``500.16.7.2/{seq:04d}/SIKR/DPMPTSP-{office_code}/{year}``."""
    return template.format(
        seq=seq,
        year=when.year,
        month=when.month,
        roman_month=ROMAN_MONTHS[when.month - 1],
        short_code=short_code,
        office_code=office_code,
    )


def office_code(office: Office) -> str:
    """The office's short code in numbers: its registration prefix (``PKU``), else its slug."""
    return office.registration_prefix or office.slug.upper()


def registration_format(*, office: Office, year: int, seq: int) -> str:
    """How a registration number is written: the office's prefix, the year, six digits (``PKU-2026-000123``)."""
    return f"{office_code(office)}-{year}-{seq:06d}"


def registration_number(*, office: Office, when: dt.date) -> str:
    """The next registration (tracking) number of the office: ``PKU-2026-000123``."""
    seq = series_next(office=office, key="registrasi", year=when.year)
    return registration_format(office=office, year=when.year, seq=seq)
