"""
Read a file of survey answers as offices keep them: CSV (comma or semicolon) or XLSX, one row per
respondent, a header row with columns ``U1``…``U9``, ``period`` (or ``periode``) and optionally
``service`` (``layanan``) and the profile columns. Parsing only: rows come back as dicts of text.
"""

from __future__ import annotations

import csv
import io
from typing import IO

from django.utils.translation import gettext as _

from satupintu.core.errors import InvalidData

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000

#: Header aliases (lower case) → the column's key.
HEADERS = {
    **{f"u{i}": f"U{i}" for i in range(1, 10)},
    "period": "period",
    "periode": "period",
    "service": "service",
    "layanan": "service",
    "sex": "sex",
    "jenis_kelamin": "sex",
    "jenis kelamin": "sex",
    "age_band": "age_band",
    "usia": "age_band",
    "umur": "age_band",
    "education": "education",
    "pendidikan": "education",
    "occupation": "occupation",
    "pekerjaan": "occupation",
    "saran": "suggestion",
    "suggestion": "suggestion",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _keyed(header: list[object]) -> list[str | None]:
    return [HEADERS.get(_text(h).lower()) for h in header]


def _rows_csv(data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _rows_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidData(_("Berkas XLSX tidak dapat dibaca."), {"file": _("Berkas rusak atau bukan XLSX.")}) from None
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def rows_read(stream: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """
    The data rows of the file as ``(line number, {column: text})``; blank rows are skipped.

    Raise InvalidData (Indonesian) for an unreadable file, an unknown type, a missing column or
    too many rows.
    """
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidData(_("Berkas terlalu besar (maksimal 10 MB)."), {"file": _("Berkas terlalu besar.")})
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        raw = _rows_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        raw = _rows_csv(data)
    else:
        raise InvalidData(_("Unggah berkas CSV atau XLSX."), {"file": _("Jenis berkas tidak didukung.")})
    if not raw:
        raise InvalidData(_("Berkas kosong."), {"file": _("Berkas tidak berisi baris.")})
    keys = _keyed(raw[0])
    missing = [c for c in (*(f"U{i}" for i in range(1, 10)), "period") if c not in keys]
    if missing:
        raise InvalidData(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)},
            {"file": _("Baris pertama harus berisi judul kolom U1 sampai U9 dan period.")},
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in enumerate(raw[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        row = {key: _text(value) for key, value in zip(keys, values, strict=False) if key}
        rows.append((line, row))
        if len(rows) > MAX_ROWS:
            raise InvalidData(
                _("Berkas berisi lebih dari %(n)s responden; bagi menjadi beberapa berkas.") % {"n": MAX_ROWS},
                {"file": _("Terlalu banyak baris.")},
            )
    if not rows:
        raise InvalidData(_("Berkas tidak berisi jawaban."), {"file": _("Tidak ada baris jawaban.")})
    return rows
