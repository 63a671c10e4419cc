"""Issue 14: workbooks store numbers as numbers with a format, so an Indonesian spreadsheet shows 3,0."""

import datetime as dt
from decimal import Decimal

from openpyxl import Workbook

from satupintu.documents.spreadsheets import number_format_of, number_formats


def test_each_number_keeps_the_decimals_it_was_computed_with():
    assert number_format_of(Decimal("75.00")) == "0.00"
    assert number_format_of(Decimal("3.0000")) == "0.0000"
    assert number_format_of(Decimal("7")) == "0"
    assert number_format_of(3.0) == "0.0" and number_format_of(2.25) == "0.00"
    assert number_format_of(dt.date(2026, 3, 9)) == "DD/MM/YYYY"
    # the workbooks write wall-clock times of the office (naive, as Excel holds them)
    assert number_format_of(dt.datetime(2026, 3, 9, 9, 5, tzinfo=dt.UTC).replace(tzinfo=None)) == "DD/MM/YYYY HH:MM"
    assert number_format_of(True) is None and number_format_of("3.0") is None and number_format_of(4) is None


def test_number_formats_reach_every_sheet():
    book = Workbook()
    book.active.append(["Rata-rata", 3.0])
    book.create_sheet("Unsur").append(["U1", Decimal("75.00")])
    number_formats(book)
    assert book.active["B1"].number_format == "0.0"
    assert book["Unsur"]["B1"].number_format == "0.00" and book["Unsur"]["B1"].data_type == "n"
