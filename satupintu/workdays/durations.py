"""
``WorkingDuration``: a time standard of a service standard, such as ``20 menit`` or ``1 hari``.

The seeds write time standards in Indonesian; "1 hari" always means one working day and
"20 menit" twenty working minutes (see ``calendar.add_duration``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Unit = Literal["minute", "hour", "day"]

_UNITS: dict[str, Unit] = {"menit": "minute", "jam": "hour", "hari": "day", "hari kerja": "day"}
_PATTERN = re.compile(r"^(\d+)\s*(menit|jam|hari kerja|hari)$")
_WORDS: dict[Unit, str] = {"minute": "menit", "hour": "jam", "day": "hari kerja"}


@dataclass(frozen=True, slots=True)
class WorkingDuration:
    """A whole number of working minutes, hours or days."""

    value: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in _WORDS:
            raise ValueError(_("Satuan waktu %(unit)s tidak dikenal.") % {"unit": self.unit})
        if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
            raise ValueError(_("Lama waktu harus bilangan bulat nol atau lebih."))

    @classmethod
    def parse(cls, text: str) -> WorkingDuration:
        """
        Read a time standard as the seeds write it: ``"3 menit"``, ``"1 jam"``, ``"1 hari"``,
        ``"2 hari kerja"``; case and spacing do not matter. Raise ValueError (in Indonesian) for
        anything else, including numbers in words (``"tiga menit"``) and other units (``"minggu"``).
        """
        normalised = " ".join(str(text).split()).lower()
        match = _PATTERN.match(normalised)
        if match is None:
            raise ValueError(
                _(
                    "Standar waktu “%(text)s” tidak dapat dibaca. Tulis angka lalu satuan: "
                    "menit, jam, atau hari (kerja), misalnya “20 menit” atau “1 hari”."
                )
                % {"text": text}
            )
        return cls(int(match.group(1)), cast(Unit, _UNITS[match.group(2)]))

    def __str__(self) -> str:
        """The duration with its number, in the active language: ``1 hari kerja``, ``20 menit``."""
        n = self.value
        if self.unit == "minute":
            return ngettext("%(n)d menit", "%(n)d menit", n) % {"n": n}
        if self.unit == "hour":
            return ngettext("%(n)d jam", "%(n)d jam", n) % {"n": n}
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", n) % {"n": n}
