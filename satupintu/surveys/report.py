"""
The SKM report (Laporan Survei Kepuasan Masyarakat) as officials expect it: respondents against
the sample required, per element the answer sum, NRR, weighted NRR (1/9), converted value and
grade, the IKM with its grade and the 0,111 figure, results per service, follow-up plans; with a
bar chart of the elements. XLSX (openpyxl) and PDF (the documents app's renderer and the
office-editable ``skm_report`` template).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from satupintu.accounts.permissions import holders_of
from satupintu.accounts.roles import Role
from satupintu.core.dates import date_words
from satupintu.core.numbers import number_text
from satupintu.documents import context as doc_context
from satupintu.documents.models import DocumentKind
from satupintu.documents.rendering import render_pdf
from satupintu.documents.spreadsheets import number_formats
from satupintu.surveys.ikm import GRADES, IkmResult
from satupintu.surveys.models import ResponseChannel
from satupintu.surveys.selectors import SurveySummary, suggestions

GRADE_COLOURS = {"A": "00703c", "B": "1d70b8", "C": "f47738", "D": "d4351c"}


def element_rows(summary: SurveySummary) -> list[dict[str, Any]]:
    """One row per element: code, name, regulation number, sum, NRR, weighted NRR, converted, grade."""
    result = summary.result
    if result is None:
        return []
    rows = []
    for e in result.elements:
        element = summary.elements.get(e.code)
        rows.append(
            {
                "code": e.code,
                "name": element.name if element else e.code,
                "regulation_number": element.regulation_number if element else None,
                "total": e.total,
                "nrr": e.nrr_display,
                "weighted": e.weighted_display,
                "converted": e.converted,
                "grade": e.grade.letter,
                "grade_label": e.grade.label,
                "needs_follow_up": e.needs_follow_up,
            }
        )
    return rows


def channel_facts(summary: SurveySummary) -> list[tuple[str, object]]:
    """How the counted respondents answered (online, paper, import) and how many still wait for approval."""
    channels = summary.channels
    return [
        (_("— daring (tautan undangan)"), channels.get("online", 0)),
        (_("— kuesioner kertas (disetujui petugas kedua)"), channels.get("paper", 0)),
        (_("— impor berkas (disetujui petugas kedua)"), channels.get("import", 0)),
        (_("Jawaban kertas/impor menunggu persetujuan (tidak dihitung)"), summary.pending),
    ]


def _title(summary: SurveySummary) -> str:
    scope = summary.service.name if summary.service else _("Semua layanan")
    return _("Survei Kepuasan Masyarakat %(office)s — %(scope)s — periode %(period)s") % {
        "office": summary.office.name,
        "scope": scope,
        "period": summary.period.label,
    }


def suggestions_sheet(book: Any, summary: SurveySummary) -> Any:
    """The sheet "Saran dan masukan": each respondent's free text, with the elements they rated low."""
    sheet = book.create_sheet("Saran dan masukan")
    sheet.append([_("Tanggal"), _("Layanan"), _("Cara pengisian"), _("Saran dan masukan"), _("Unsur dinilai kurang")])
    channels = dict(ResponseChannel.choices)
    for item in suggestions(summary.office, summary.period, service=summary.service):
        low = ", ".join(
            f"{code} {summary.elements[code].name}" if code in summary.elements else code for code in item.low_elements
        )
        sheet.append(
            [item.created_on, item.service.name if item.service else "", channels.get(item.channel), item.text, low]
        )
    sheet.column_dimensions["D"].width = 70
    sheet.column_dimensions["E"].width = 40
    return sheet


def skm_report_xlsx(summary: SurveySummary) -> bytes:
    """The SKM report as a workbook: summary, elements (with a bar chart), per service, follow-up plans."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    bold = Font(bold=True)
    result = summary.result
    sheet.append([_title(summary)])
    sheet["A1"].font = Font(bold=True, size=13)
    facts: list[tuple[str, object]] = [
        (_("Jumlah responden"), summary.respondents),
        *channel_facts(summary),
        (_("Jumlah pengguna layanan (populasi)"), summary.population),
        (_("Sampel minimal (Krejcie & Morgan)"), summary.sample_required),
        (_("Sampel terpenuhi"), _("Ya") if summary.sample_met else _("Tidak")),
    ]
    if result is not None:
        facts += [
            (_("Nilai indeks (Σ NRR tertimbang, bobot 1/9)"), result.index_display),
            (_("IKM (nilai konversi)"), result.ikm),
            (_("Mutu pelayanan"), result.grade.letter),
            (_("Kinerja unit pelayanan"), result.grade.label),
            (_("IKM dengan bobot 0,111 (pembanding)"), result.ikm_weight_0111),
        ]
    for label, value in facts:
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 18

    elements = book.create_sheet("Unsur")
    header = [
        _("Kode"),
        _("Unsur"),
        _("No. pada peraturan"),
        _("Jumlah nilai"),
        "NRR",
        _("NRR tertimbang"),
        _("Nilai konversi"),
        _("Mutu"),
        _("Kinerja"),
        _("Perlu tindak lanjut"),
    ]
    elements.append(header)
    for cell in elements[1]:
        cell.font = bold
    rows = element_rows(summary)
    for row in rows:
        elements.append(
            [
                row["code"],
                row["name"],
                row["regulation_number"],
                row["total"],
                row["nrr"],
                row["weighted"],
                row["converted"],
                row["grade"],
                row["grade_label"],
                _("Ya") if row["needs_follow_up"] else "",
            ]
        )
    if result is not None:
        elements.append(
            [_("IKM"), "", "", "", "", result.index_display, result.ikm, result.grade.letter, result.grade.label]
        )
    elements.column_dimensions["B"].width = 40
    if rows:
        chart = BarChart()
        chart.title = _("Nilai konversi per unsur")
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.add_data(Reference(elements, min_col=7, min_row=1, max_row=1 + len(rows)), titles_from_data=True)
        chart.set_categories(Reference(elements, min_col=1, min_row=2, max_row=1 + len(rows)))
        chart.legend = None
        elements.add_chart(chart, "L2")

    per_service = book.create_sheet("Per layanan")
    per_service.append([_("Layanan"), _("Responden"), _("IKM"), _("Mutu"), _("IKM bobot 0,111")])
    for service, service_result in summary.by_service:
        per_service.append(
            [
                service.name if service else _("(tanpa layanan)"),
                service_result.respondents,
                service_result.ikm,
                service_result.grade.letter,
                service_result.ikm_weight_0111,
            ]
        )
    plans = book.create_sheet("Tindak lanjut")
    plans.append(
        [_("Unsur"), _("Rencana tindak lanjut"), _("Penanggung jawab"), _("Target"), _("Status"), _("Catatan")]
    )
    for plan in summary.plans:
        plans.append(
            [plan.element_code, plan.action, plan.owner, plan.due_on, plan.get_status_display(), plan.done_note]
        )
    for code in summary.missing_plans:
        plans.append([code, _("BELUM ADA RENCANA TINDAK LANJUT"), "", "", "", ""])
    advice = suggestions_sheet(book, summary)
    for ws in (elements, per_service, plans, advice):
        for cell in ws[1]:
            cell.font = bold
    for ws in (sheet, elements, per_service):
        for row_cells in ws.iter_rows():
            for cell in row_cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "0.00" if cell.value.as_tuple().exponent == -2 else "0.0000"
    number_formats(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    """A value as the report prints it: decimals as the locale writes them (``75,00``)."""
    if isinstance(value, Decimal | float):
        return number_text(value)
    return "" if value is None else str(value)


def report_suggestions(summary: SurveySummary) -> list[str]:
    """The respondents' free-text suggestions ("Saran dan masukan") of the summary's office, period and service."""
    found = suggestions(summary.office, summary.period, service=summary.service)
    return [item.text.strip() for item in found if item.text.strip()]


def skm_report_approvals(summary: SurveySummary) -> list[dict[str, Any]]:
    """The report's approval blocks: the Sekretaris approves it ("Menyetujui"), the Kepala Dinas knows it."""
    office = summary.office
    secretaries = holders_of(office, Role.SEKRETARIS)
    return [
        doc_context.approval(
            heading=_("Menyetujui,"),
            title_lines=[f"{Role.SEKRETARIS.label} {office.name}"],
            user=secretaries[0] if secretaries else None,
            tz=office.time_zone,
        ),
        doc_context.head_approval(office, heading=_("Mengetahui,")),
    ]


def skm_report_context(summary: SurveySummary, *, suggestions: list[str] | None = None) -> dict[str, Any]:
    """
    The data of the ``skm_report`` document template (``documents/typst/skm_report.typ``): the
    facts, the elements (with the chart's bars), results per service, follow-up plans, the
    suggestions (``report_suggestions`` unless given) and the approval blocks. Every number is
    written as the locale writes it.
    """
    office = summary.office
    result: IkmResult | None = summary.result
    facts: list[tuple[str, object]] = [
        (_("Jumlah responden"), summary.respondents),
        *channel_facts(summary),
        (_("Pengguna layanan dalam periode (populasi)"), summary.population),
        (_("Sampel minimal (Krejcie & Morgan)"), summary.sample_required),
        (_("Sampel terpenuhi"), _("Ya") if summary.sample_met else _("Tidak")),
    ]
    if result is not None:
        facts += [
            (_("Nilai indeks (Σ NRR tertimbang, bobot 1/9)"), result.index_display),
            (_("IKM (bobot 1/9)"), f"{number_text(result.ikm)} — {result.grade.letter} ({result.grade.label})"),
            (
                _("IKM dengan bobot 0,111 (pembanding)"),
                f"{number_text(result.ikm_weight_0111)} — {result.grade_weight_0111.letter}",
            ),
        ]
    rows = element_rows(summary)
    data = doc_context.report_base(office, title=_title(summary))
    data.update(
        {
            "title": _("LAPORAN SURVEI KEPUASAN MASYARAKAT"),
            "subtitle": _title(summary),
            "facts": [[str(label), _text(value)] for label, value in facts],
            "has_result": result is not None,
            "elements": [
                [
                    row["code"],
                    row["name"],
                    _text(row["total"]),
                    _text(row["nrr"]),
                    _text(row["weighted"]),
                    _text(row["converted"]),
                    row["grade"],
                ]
                for row in rows
            ],
            "ikm_row": [_("IKM"), "", "", "", _text(result.index_display), _text(result.ikm), result.grade.letter]
            if result is not None
            else [],
            "bars": [
                {
                    "label": f"{row['code']} {row['name']}",
                    "share": float(row["converted"]) / 100,
                    "text": f"{_text(row['converted'])} ({row['grade']})",
                    "colour": GRADE_COLOURS[row["grade"]],
                }
                for row in rows
            ]
            + (
                [
                    {
                        "label": _("IKM"),
                        "share": float(result.ikm) / 100,
                        "text": f"{_text(result.ikm)} ({result.grade.letter})",
                        "colour": "0b0c0c",
                    }
                ]
                if result is not None
                else []
            ),
            "good_border": {"share": float(GRADES[1].lowest) / 100, "text": _text(GRADES[1].lowest)},
            "legend": "; ".join(f"{g.letter} {g.label} ≥ {number_text(g.lowest)}" for g in GRADES),
            "by_service": [
                [s.name if s else _("(tanpa layanan)"), _text(r.respondents), _text(r.ikm), r.grade.letter]
                for s, r in summary.by_service
            ],
            "plans": [
                [p.element_code, p.action, p.owner, date_words(p.due_on), str(p.get_status_display())]
                for p in summary.plans
            ]
            + [[code, _("BELUM ADA RENCANA TINDAK LANJUT"), "", "", ""] for code in summary.missing_plans],
            "suggestions": report_suggestions(summary) if suggestions is None else suggestions,
            "place_date": doc_context.place_date(office, None),
            "approvals": skm_report_approvals(summary),
        }
    )
    return data


def skm_report_pdf(summary: SurveySummary, *, suggestions: list[str] | None = None) -> bytes:
    """The SKM report as PDF through the documents app's renderer (the office's ``skm_report`` template)."""
    return render_pdf(
        DocumentKind.SKM_REPORT,
        skm_report_context(summary, suggestions=suggestions),
        office_id=summary.office.pk,
        service_code=summary.service.code if summary.service else "",
    )
