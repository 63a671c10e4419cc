"""Performance figures as an XLSX workbook (openpyxl): per officer and step, backlog, SLA, delays."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from satupintu.documents.spreadsheets import number_formats
from satupintu.reports.selectors import BacklogRow, PerformanceRow, SlaRow
from satupintu.workdays import WorkingDuration


def standard_text(time_standard: str) -> str:
    """A time standard always with its number: ``1 hari kerja``, ``35 menit`` (as written when unreadable)."""
    try:
        return str(WorkingDuration.parse(time_standard))
    except ValueError:
        return time_standard


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def performance_xlsx(
    *,
    title: str,
    rows: Sequence[PerformanceRow],
    backlog_rows: Sequence[BacklogRow],
    sla_rows: Sequence[SlaRow],
    late: Sequence[Any],
    role_label: Any = str,
    tz: dt.tzinfo | None = None,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Kinerja"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _("Petugas"),
            _("Langkah"),
            _("Peran"),
            _("Layanan"),
            _("Ditangani"),
            _("Tepat waktu"),
            _("Terlambat"),
            _("% tepat waktu"),
            _("Rata-rata (menit)"),
            _("Median (menit)"),
            _("P90 (menit)"),
            _("Standar (menit)"),
            _("Kelebihan waktu (menit)"),
            _("Standar waktu"),
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.actor_name,
                r.step_label,
                role_label(r.role) if r.role else "",
                r.service_name,
                r.handled,
                r.on_time,
                r.late,
                round(100 * r.on_time_share, 1),
                _minutes(r.mean_seconds),
                _minutes(r.median_seconds),
                _minutes(r.p90_seconds),
                _minutes(r.standard_seconds),
                _minutes(r.excess_seconds),
                standard_text(r.time_standard),
            ]
        )
    backlog = book.create_sheet("Tunggakan")
    backlog.append([_("Peran"), _("Diklaim oleh"), _("Terbuka"), _("Lewat batas waktu")])
    for b in backlog_rows:
        backlog.append([role_label(b.role), b.claimed_by_name or _("(belum diklaim)"), b.open, b.overdue])
    sla = book.create_sheet("SLA layanan")
    sla.append([_("Layanan"), _("Selesai"), _("Tepat waktu"), _("% tepat waktu")])
    for s in sla_rows:
        sla.append([s.service_name, s.finished, s.on_time, round(100 * s.share, 1)])
    delays = book.create_sheet("Keterlambatan")
    delays.append(
        [_("Permohonan"), _("Langkah"), _("Peran"), _("Petugas"), _("Diterima"), _("Diserahkan"), _("Menit kerja")]
    )
    for e in late:
        delays.append(
            [
                e.application.number,
                e.step_label,
                role_label(e.role),
                e.actor_name,
                e.received_at.astimezone(tz).replace(tzinfo=None) if tz else e.received_at.replace(tzinfo=None),
                e.completed_at.astimezone(tz).replace(tzinfo=None) if tz else e.completed_at.replace(tzinfo=None),
                _minutes(e.worked_seconds),
            ]
        )
    for ws in (sheet, backlog, sla, delays):
        header_row = 2 if ws is sheet else 1
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
    number_formats(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
