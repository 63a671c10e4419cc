"""
Structured logs: one JSON object per line, with personal data masked.

Logs leave the application (journald, a log shipper) and are kept longer than the data they talk
about, so no e-mail address, phone number or NIK may appear in them. ``MaskPersonalData`` masks
those patterns in every message before any handler writes it; ``JsonFormatter`` writes one line
per record that journald and log shippers read without parsing rules.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Indonesian mobile numbers (+62 8…, 62 8…, 08…) with optional separators, and 16-digit NIKs.
PHONE = re.compile(r"(?<![\w])(?:\+?62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")

# Attributes every LogRecord has; anything else was passed in ``extra`` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask(text: str) -> str:
    """Replace e-mail addresses, phone numbers and NIKs in ``text`` with placeholders."""
    text = EMAIL.sub("[email]", text)
    text = NIK.sub("[nik]", text)
    return PHONE.sub("[telepon]", text)


class MaskPersonalData(logging.Filter):
    """Mask personal data in the formatted message (the record is changed for every handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must still be logged
            message = str(record.msg)
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, process, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key == "request":  # django.request passes the request: its path only, never the query
                entry["path"] = getattr(value, "path", "")
            elif key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value if isinstance(value, int | float | bool | None) else mask(str(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)
