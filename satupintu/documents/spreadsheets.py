"""
Number and date formats of the XLSX workbooks (SKM report, complaint report, performance).

A workbook stores numbers as numbers: the spreadsheet writes them with the reader's decimal
separator (a comma in an Indonesian Excel or LibreOffice) as long as the cell has a number format
and the value is not text. ``number_formats`` gives every number and date cell one: decimals as
they were computed (``0.0``, ``0.00``, ``0.0000``; the ``.`` of a format code is the locale's
separator), dates as ``DD/MM/YYYY``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def number_format_of(value: Any) -> str | None:
    """The format code for a cell value, or None to leave the cell as it is."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return "0." + "0" * places if places else "0"
    if isinstance(value, float):
        return "0.0" if round(value, 1) == value else "0.00"
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    return None


def number_formats(book: Any) -> None:
    """Give every number and date cell of the workbook its format (``number_format_of``)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                code = number_format_of(cell.value)
                if code is not None:
                    cell.number_format = code
