"""
The monthly *Laporan Pengaduan Pelayanan Publik* (seed clause 6 j–k): drafted from the Buku
Pengaduan by the complaint officer, checked by the Sekretaris — sent back with notes, corrected,
checked again — approved, then submitted to the Kepala Dinas as the monthly report.

``REPORT_TRANSITIONS`` is the one table the review follows; every step is a ``ComplaintReportStep``
row written in the same transaction, and the next role gets an office task.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import statistics
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, grant_for, office_today, require
from satupintu.accounts.roles import Role
from satupintu.complaints import rules as rulebook
from satupintu.complaints.models import (
    Complaint,
    ComplaintChannel,
    ComplaintReport,
    ComplaintReportStep,
    ComplaintStatus,
    Kind,
    ReportStatus,
    Weight,
)
from satupintu.core.audit import audit_record
from satupintu.core.dates import MONTHS_ID
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.core.models import Office
from satupintu.core.numbers import number_text
from satupintu.documents import context as doc_context
from satupintu.documents.models import DocumentKind
from satupintu.documents.rendering import render_pdf
from satupintu.documents.spreadsheets import number_formats
from satupintu.notifications.models import OfficeTask
from satupintu.notifications.templates import date_id
from satupintu.workdays import working_time_between

TASK_KIND = "complaint_report"


@dataclass(frozen=True)
class ReportTransition:
    sources: frozenset[str]
    target: str
    role: str
    label: str
    note_required: bool = False


R = ReportStatus
REPORT_TRANSITIONS: dict[str, ReportTransition] = {
    # j. "diserahkan kepada Sekretaris ... untuk diperiksa" (again after a correction)
    "submit": ReportTransition(
        frozenset({R.DRAFT, R.RETURNED}), R.IN_REVIEW, Role.PENGELOLA_PENGADUAN, "Ajukan untuk diperiksa"
    ),
    # j. "Apabila ... perlu dilakukan perbaikan, maka laporan ... diserahkan kembali ... untuk diperbaiki"
    "return": ReportTransition(
        frozenset({R.IN_REVIEW}), R.RETURNED, Role.SEKRETARIS, "Kembalikan untuk diperbaiki", True
    ),
    # j. "... diperiksa kembali oleh Sekretaris ... untuk disetujui"
    "approve": ReportTransition(frozenset({R.IN_REVIEW}), R.APPROVED, Role.SEKRETARIS, "Setujui"),
    # k. "... yang telah disetujui oleh Sekretaris akan diserahkan kepada Kepala Dinas ... sebagai laporan bulanan"
    "deliver": ReportTransition(frozenset({R.APPROVED}), R.SUBMITTED, Role.SEKRETARIS, "Serahkan kepada Kepala Dinas"),
}
#: Who gets the office task once the report reaches a status.
NEXT_ROLE = {
    R.DRAFT: Role.PENGELOLA_PENGADUAN,
    R.IN_REVIEW: Role.SEKRETARIS,
    R.RETURNED: Role.PENGELOLA_PENGADUAN,
    R.APPROVED: Role.SEKRETARIS,
    R.SUBMITTED: Role.KEPALA_DINAS,
}


def month_bounds(office: Office, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month in the office's time zone, as aware UTC bounds [start, end)."""
    tz = ZoneInfo(office.time_zone)
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def month_name(year: int, month: int) -> str:
    return f"{MONTHS_ID[month - 1]} {year}"


def report_figures(*, office: Office, year: int, month: int, at: dt.datetime | None = None) -> dict[str, Any]:
    """
    The report's figures from the register: complaints received in the month by channel, kind,
    weight, category and status (as at ``at``), and time to answer in working hours.
    """
    now = at or timezone.now()
    start, end = month_bounds(office, year, month)
    rows = list(
        Complaint.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
        .select_related("category")
        .order_by("received_at", "id")
    )
    r = rulebook.rules()

    def count(values: list[str], keys: list[str]) -> dict[str, int]:
        return {key: sum(1 for v in values if v == key) for key in keys}

    answered = [c for c in rows if c.answered_at]
    hours = [working_time_between(c.received_at, c.answered_at, office=office).total_seconds() / 3600 for c in answered]  # type: ignore[arg-type]
    on_time = sum(1 for c in answered if c.due_at and c.answered_at and c.answered_at <= c.due_at)
    overdue_open = sum(1 for c in rows if not c.answered_at and c.due_at and c.due_at < now)
    categories: dict[str, int] = {}
    for c in rows:
        name = c.category.name if c.category else _("Belum dikategorikan")
        categories[name] = categories.get(name, 0) + 1
    tz = office.time_zone
    register = [
        {
            "ticket": c.ticket,
            "date": date_id(c.received_at, tz=tz),
            "complainant": _("Anonim")
            if c.anonymous
            else (_("Dirahasiakan") if c.confidential else c.complainant_name),
            "kind": c.get_kind_display(),
            "weight": c.get_weight_display() if c.weight else "-",
            "channel": c.get_channel_display(),
            "category": c.category.name if c.category else "-",
            "status": c.get_status_display(),
            "answered": date_id(c.answered_at, tz=tz) if c.answered_at else "-",
            "hours": round(working_time_between(c.received_at, c.answered_at, office=office).total_seconds() / 3600, 1)
            if c.answered_at
            else None,
        }
        for c in rows
    ]
    return {
        "office": office.name,
        "period": {"year": year, "month": month, "name": month_name(year, month)},
        "computed_at": now.astimezone(dt.UTC).isoformat(),
        "total": len(rows),
        "by_channel": count([c.channel for c in rows], list(ComplaintChannel.values)),
        "by_channel_group": count(
            [r.channels[c.channel].group for c in rows], sorted({ch.group for ch in r.channels.values()})
        ),
        "by_kind": count([c.kind for c in rows], list(Kind.values)),
        "by_weight": {**count([c.weight for c in rows], list(Weight.values)), "": sum(1 for c in rows if not c.weight)},
        "by_status": count([c.status for c in rows], list(ComplaintStatus.values)),
        "by_category": categories,
        "answered": len(answered),
        "answered_on_time": on_time,
        "overdue_open": overdue_open,
        "hours_to_answer": {
            "mean": round(statistics.fmean(hours), 1) if hours else None,
            "median": round(statistics.median(hours), 1) if hours else None,
            "max": round(max(hours), 1) if hours else None,
        },
        "register": register,
    }


def _grant(actor: Any, office: Office, role: str) -> Any:
    require(actor, Action.HANDLE_COMPLAINTS, office)
    grant = grant_for(actor, office, role)
    if grant is None:
        raise PermissionDenied(_("Tindakan ini hanya untuk %(role)s.") % {"role": Role(role).label})
    return grant


def _step(
    report: ComplaintReport, *, action: str, from_status: str, actor: Any, role: str, note: str, at: dt.datetime
) -> None:
    ComplaintReportStep.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        revision=report.revision,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(getattr(actor, "display_name", "") or _("Sistem"))
        if getattr(actor, "pk", None)
        else _("Sistem"),
        role=role,
        note=note,
        at=at,
    )
    # The previous holder's task is done; the next role gets one.
    open_tasks = OfficeTask.objects.filter(
        office=report.office, kind=TASK_KIND, key__startswith=f"{TASK_KIND}:{report.pk}:", done_at__isnull=True
    )
    open_tasks.update(done_at=at, done_by=actor if getattr(actor, "pk", None) else None)
    role_next = NEXT_ROLE[ReportStatus(report.status)]
    titles = {
        R.DRAFT: _("Periksa konsep laporan pengaduan %(month)s dan ajukan kepada Sekretaris"),
        R.IN_REVIEW: _("Periksa laporan pengaduan %(month)s"),
        R.RETURNED: _("Perbaiki laporan pengaduan %(month)s sesuai catatan Sekretaris"),
        R.APPROVED: _("Serahkan laporan pengaduan %(month)s kepada Kepala Dinas"),
        R.SUBMITTED: _("Laporan pengaduan %(month)s telah diserahkan"),
    }
    count = ComplaintReportStep.objects.filter(report=report).count()
    OfficeTask.objects.get_or_create(
        key=f"{TASK_KIND}:{report.pk}:{count}",
        defaults={
            "office": report.office,
            "role": role_next,
            "kind": TASK_KIND,
            "title": titles[ReportStatus(report.status)] % {"month": month_name(report.year, report.month)},
            "detail": note,
            "created_at": at,
        },
    )


def month_ended(*, office: Office, year: int, month: int, at: dt.datetime | None = None) -> bool:
    """Whether the month is over in the office's time zone (a report counts a whole month)."""
    today = office_today(office, at)
    return (year, month) < (today.year, today.month)


def month_ended_check(*, office: Office, year: int, month: int, at: dt.datetime | None = None) -> None:
    """Raise InvalidData (Indonesian) for a month still running or still to come."""
    if not month_ended(office=office, year=year, month=month, at=at):
        today = office_today(office, at)
        message = _(
            "Laporan bulan %(month)s belum dapat disusun: bulan itu belum berakhir. "
            "Laporan bulanan disusun setelah bulannya selesai (paling awal tanggal 1 bulan berikutnya); "
            "bulan terakhir yang dapat dilaporkan adalah %(last)s."
        ) % {"month": month_name(year, month), "last": month_name(*last_ended_month(today))}
        raise InvalidData(message, {"month": message})


def last_ended_month(today: dt.date) -> tuple[int, int]:
    """The (year, month) of the last month that has ended on ``today``."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


@transaction.atomic
def complaint_report_draft(
    *, office: Office, year: int, month: int, actor: Any = None, at: dt.datetime | None = None
) -> ComplaintReport:
    """
    Draft (or redraft, while it is a draft) the month's report from the register.

    The scan drafts last month's on the 1st as the system; a complaint officer may draft any month
    that has ended (InvalidData for the month still running: its figures would not be final).
    Raise Conflict once the report has gone for review (it is then corrected through ``submit``).
    """
    now = at or timezone.now()
    if actor is not None:
        _grant(actor, office, Role.PENGELOLA_PENGADUAN)
    if not 1 <= month <= 12:
        raise InvalidData(_("Bulan tidak valid."), {"month": _("Bulan 1–12.")})
    month_ended_check(office=office, year=year, month=month, at=now)
    report = ComplaintReport.objects.select_for_update().filter(office=office, year=year, month=month).first()
    figures = report_figures(office=office, year=year, month=month, at=now)
    if report is None:
        report = ComplaintReport.objects.create(
            office=office,
            year=year,
            month=month,
            figures=figures,
            drafted_at=now,
            drafted_by=actor if getattr(actor, "pk", None) else None,
        )
        _step(
            report,
            action="draft",
            from_status="",
            actor=actor,
            role=Role.PENGELOLA_PENGADUAN if actor else "",
            note="",
            at=now,
        )
        return report
    if report.status != ReportStatus.DRAFT:
        raise Conflict(
            _("Laporan bulan ini sudah diajukan; perbaikan dilakukan setelah dikembalikan."), code="report_not_draft"
        )
    report.figures = figures
    report.drafted_at = now
    report.save(update_fields=["figures", "drafted_at", "updated_at"])
    return report


@transaction.atomic
def complaint_report_act(
    *,
    report: ComplaintReport,
    actor: Any,
    action: str,
    note: str = "",
    summary: str | None = None,
    at: dt.datetime | None = None,
) -> ComplaintReport:
    """
    Move the report one step through its review (``REPORT_TRANSITIONS``).

    ``submit`` after a return is the correction: the figures are drawn again from the register,
    ``summary`` replaces the analysis, and the revision number goes up. ``return`` needs the
    Sekretaris' notes. Raise Conflict for a step that does not fit the status, PermissionDenied for
    the wrong role.
    """
    now = at or timezone.now()
    report = ComplaintReport.objects.select_for_update().select_related("office").get(pk=report.pk)
    transition = REPORT_TRANSITIONS.get(action)
    if transition is None:
        raise InvalidData(_("Tindakan tidak dikenal."), {"action": _("Tindakan tidak dikenal.")})
    if report.status not in transition.sources:
        raise Conflict(
            _("Laporan berstatus “%(status)s”: “%(action)s” tidak dapat dilakukan.")
            % {"status": report.get_status_display(), "action": _(transition.label)},
            code="wrong_status",
        )
    _grant(actor, report.office, transition.role)
    note = note.strip()
    if transition.note_required and not note:
        raise InvalidData(_("Catatan perbaikan wajib diisi."), {"note": _("Tuliskan apa yang harus diperbaiki.")})
    previous = report.status
    if action == "submit":
        if previous == ReportStatus.RETURNED:
            report.revision += 1
        report.figures = report_figures(office=report.office, year=report.year, month=report.month, at=now)
        if summary is not None:
            report.summary = summary.strip()
    if action == "return":
        report.review_note = note
    if action == "approve":
        report.approved_at, report.approved_by = now, actor
    if action == "deliver":
        report.submitted_at = now
    report.status = transition.target
    report.save()
    _step(report, action=action, from_status=previous, actor=actor, role=transition.role, note=note, at=now)
    audit_record(
        action=f"complaint_report.{action}", office=report.office, actor=actor, target=f"complaint_report:{report.pk}"
    )
    return report


def reports_draft_last_month(*, at: dt.datetime | None = None) -> int:
    """
    The monthly scan: draft last month's report for every office that has complaint officers or
    complaints, unless one exists. Return how many were drafted.
    """
    now = at or timezone.now()
    drafted = 0
    for office in Office.objects.all():
        year, month = last_ended_month(office_today(office, now))
        if ComplaintReport.objects.filter(office=office, year=year, month=month).exists():
            continue
        start, end = month_bounds(office, year, month)
        has_complaints = Complaint.objects.filter(office=office, received_at__gte=start, received_at__lt=end).exists()
        has_officers = office.memberships.filter(role=Role.PENGELOLA_PENGADUAN).exists()
        if not (has_complaints or has_officers):
            continue
        complaint_report_draft(office=office, year=year, month=month, at=now)
        drafted += 1
    return drafted


# --- exports -----------------------------------------------------------------------------------------

CHANNEL_LABELS = dict(ComplaintChannel.choices)
KIND_LABELS = dict(Kind.choices)
WEIGHT_LABELS = {**dict(Weight.choices), "": "Belum dipilah"}
STATUS_LABELS = dict(ComplaintStatus.choices)


def report_tables(report: ComplaintReport) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The summary tables, labelled in Indonesian: (title, [(label, value), …])."""
    f = report.figures
    hours = f.get("hours_to_answer", {})
    return [
        (_("Menurut media"), [(str(CHANNEL_LABELS.get(k, k)), v) for k, v in f["by_channel"].items()]),
        (_("Menurut jenis"), [(str(KIND_LABELS.get(k, k)), v) for k, v in f["by_kind"].items()]),
        (_("Menurut bobot"), [(str(WEIGHT_LABELS.get(k, k)), v) for k, v in f["by_weight"].items()]),
        (_("Menurut status"), [(str(STATUS_LABELS.get(k, k)), v) for k, v in f["by_status"].items()]),
        (_("Menurut kategori"), list(f["by_category"].items())),
        (
            _("Waktu menanggapi (jam kerja)"),
            [
                (_("Ditanggapi"), f["answered"]),
                (_("Tepat waktu"), f["answered_on_time"]),
                (_("Belum ditanggapi, lewat batas waktu"), f["overdue_open"]),
                (_("Rata-rata"), hours.get("mean") if hours.get("mean") is not None else "-"),
                (_("Median"), hours.get("median") if hours.get("median") is not None else "-"),
                (_("Terlama"), hours.get("max") if hours.get("max") is not None else "-"),
            ],
        ),
    ]


REGISTER_COLUMNS = [
    ("ticket", "Nomor tiket"),
    ("date", "Tanggal pengaduan"),
    ("complainant", "Identitas pengadu"),
    ("kind", "Jenis"),
    ("weight", "Bobot"),
    ("channel", "Media"),
    ("category", "Kategori"),
    ("status", "Status"),
    ("answered", "Ditanggapi"),
    ("hours", "Jam kerja"),
]


def report_title(report: ComplaintReport) -> str:
    return _("Laporan Pengaduan Pelayanan Publik — %(month)s") % {"month": month_name(report.year, report.month)}


def complaint_report_xlsx(report: ComplaintReport) -> bytes:
    """The report as an XLSX workbook: a summary sheet and the Buku Pengaduan of the month."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    sheet.append([report_title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([report.office.name])
    sheet.append([_("Status"), report.get_status_display(), _("Perbaikan ke-"), report.revision])
    sheet.append([_("Jumlah pengaduan, saran dan masukan"), report.figures["total"]])
    for title, rows in report_tables(report):
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, value in rows:
            sheet.append([label, value])
    if report.summary:
        sheet.append([])
        sheet.append([_("Uraian"), report.summary])
    sheet.column_dimensions["A"].width = 42
    register = book.create_sheet("Buku Pengaduan")
    register.append([label for _key, label in REGISTER_COLUMNS])
    for cell in register[1]:
        cell.font = Font(bold=True)
    for row in report.figures["register"]:
        register.append([row.get(key) for key, _label in REGISTER_COLUMNS])
    number_formats(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    """A table cell of the PDF: decimals as the locale writes them (``2,5`` jam), nothing as ``-``."""
    if value is None:
        return "-"
    return number_text(value) if isinstance(value, float) else str(value)


def _step_of(report: ComplaintReport, action: str) -> ComplaintReportStep | None:
    return report.steps.filter(action=action).select_related("actor").order_by("-at", "-id").first()


def report_approvals(report: ComplaintReport) -> list[dict[str, Any]]:
    """
    The report's approval blocks (seed clause 6 j–k): the complaint officer who submitted it, the
    Sekretaris who approved it ("Menyetujui") and the Kepala Dinas who received it ("Diterima"),
    each with the record of the step once it is taken.
    """
    office = report.office
    tz = office.time_zone
    submitted = _step_of(report, "submit")
    delivered = _step_of(report, "deliver")

    def title(role: str) -> list[str]:
        return [f"{Role(role).label} {office.name}"]

    return [
        doc_context.approval(
            heading=_("Dibuat oleh,"),
            title_lines=[str(Role.PENGELOLA_PENGADUAN.label)],
            user=submitted.actor if submitted else None,
            at=submitted.at if submitted else None,
            mark=_("Diajukan melalui satupintu") if submitted else "",
            tz=tz,
        ),
        doc_context.approval(
            heading=_("Menyetujui,"),
            title_lines=title(Role.SEKRETARIS),
            user=report.approved_by,
            at=report.approved_at,
            mark=_("Disetujui melalui satupintu") if report.approved_at else "",
            tz=tz,
        ),
        doc_context.head_approval(
            office,
            heading=_("Diterima,"),
            at=report.submitted_at,
            mark=_("Diserahkan melalui satupintu oleh %(name)s") % {"name": delivered.actor_name} if delivered else "",
        ),
    ]


def report_context(report: ComplaintReport) -> dict[str, Any]:
    """The data of the ``complaint_report`` document template (``documents/typst/complaint_report.typ``)."""
    office = report.office
    figures = report.figures
    data = doc_context.report_base(office, title=str(report_title(report)))
    data.update(
        {
            "title": _("LAPORAN PENGADUAN PELAYANAN PUBLIK"),
            "period": _("Bulan %(month)s") % {"month": month_name(report.year, report.month)},
            "facts": [
                [_("Status laporan"), str(report.get_status_display())],
                [_("Perbaikan ke-"), str(report.revision)],
                [_("Jumlah pengaduan, saran dan masukan"), str(figures["total"])],
                [_("Dihitung dari Buku Pengaduan pada"), doc_context.tanggal(report.drafted_at, tz=office.time_zone)],
            ],
            "tables": [
                {"title": str(title), "rows": [[str(label), _cell(value)] for label, value in rows]}
                for title, rows in report_tables(report)
            ],
            "summary": report.summary,
            "review_note": report.review_note if report.status == ReportStatus.RETURNED else "",
            "columns": [str(_(label)) for _key, label in REGISTER_COLUMNS],
            "register": [[_cell(row.get(key)) for key, _l in REGISTER_COLUMNS] for row in figures["register"]],
            "approvals": report_approvals(report),
            "place_date": doc_context.place_date(
                office, report.submitted_at or report.approved_at or report.drafted_at
            ),
        }
    )
    return data


def complaint_report_pdf(report: ComplaintReport) -> bytes:
    """
    The report as a PDF through the documents app's renderer: the office's ``complaint_report``
    template (or the shipped one), its kop, the summary tables, the approval blocks and the Buku
    Pengaduan of the month as the annex.
    """
    return render_pdf(DocumentKind.COMPLAINT_REPORT, report_context(report), office_id=report.office_id)


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
