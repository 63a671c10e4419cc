"""
The SKM report (Laporan Survei Kepuasan Masyarakat) as officials expect it: respondents against
the sample required, per element the answer sum, NRR, weighted NRR (1/9), converted value and
grade, the IKM with its grade and the 0,111 figure, results per service, follow-up plans; with a
bar chart of the elements. XLSX (openpyxl) and PDF (Typst).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from satupintu.core.dates import date_words
from satupintu.core.numbers import number_text
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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typst_text(value: object) -> str:
    """A Typst string literal (code mode): no markup in it is interpreted; decimals as the locale writes them."""
    if isinstance(value, Decimal | float):
        value = number_text(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'#"{text}"'


def _cells(*values: object) -> str:
    return ", ".join(f"[{_typst_text(v)}]" for v in values)


def skm_report_typst(summary: SurveySummary) -> str:
    """The Typst source of the SKM report (letter layout: letterhead, title, tables, chart)."""
    office = summary.office
    result: IkmResult | None = summary.result
    lines = [
        '#set page(paper: "a4", margin: (x: 2cm, y: 2cm))',
        '#set text(size: 10pt, lang: "id")',
        "#align(center)[",
    ]
    for line in office.letterhead_lines or [office.name.upper()]:
        lines.append(f"  #strong[{_typst_text(line)}] \\")
    lines += ["]", "#line(length: 100%)", ""]
    lines.append(f"#align(center)[#text(size: 12pt)[#strong[{_typst_text(_('LAPORAN SURVEI KEPUASAN MASYARAKAT'))}]]]")
    lines.append(f"#align(center)[{_typst_text(_title(summary))}]")
    lines.append("")
    facts: list[tuple[str, object]] = [
        (_("Jumlah responden"), summary.respondents),
        *channel_facts(summary),
        (_("Pengguna layanan dalam periode (populasi)"), summary.population),
        (_("Sampel minimal (Krejcie & Morgan)"), summary.sample_required),
    ]
    if result is not None:
        facts += [
            (_("IKM (bobot 1/9)"), f"{number_text(result.ikm)} — {result.grade.letter} ({result.grade.label})"),
            (
                _("IKM dengan bobot 0,111 (pembanding)"),
                f"{number_text(result.ikm_weight_0111)} — {result.grade_weight_0111.letter}",
            ),
        ]
    lines.append("#table(columns: (auto, auto), stroke: none, " + ", ".join(_cells(k, v) for k, v in facts) + ")")
    if result is None:
        lines.append(f"#par[{_typst_text(_('Belum ada jawaban pada periode ini.'))}]")
        return "\n".join(lines)
    lines.append(f"== {_typst_text(_('Nilai per unsur'))}")
    header = _cells(_("Kode"), _("Unsur"), _("Jumlah"), "NRR", _("NRR tertimbang"), _("Konversi"), _("Mutu"))
    body = []
    for row in element_rows(summary):
        body.append(
            _cells(row["code"], row["name"], row["total"], row["nrr"], row["weighted"], row["converted"], row["grade"])
        )
    body.append(_cells(_("IKM"), "", "", "", result.index_display, result.ikm, result.grade.letter))
    lines.append(
        "#table(columns: (auto, 1fr, auto, auto, auto, auto, auto), align: (left, left, right, right, right, right, "
        "center), table.header(" + header + "), " + ", ".join(body) + ")"
    )
    lines.append(f"== {_typst_text(_('Grafik nilai konversi per unsur'))}")
    bars = []
    for e in result.elements:
        width = float(e.converted) / 100 * 12
        colour = GRADE_COLOURS[e.grade.letter]
        bars.append(
            f'[{_typst_text(e.code)}], [#box(width: {width:.2f}cm, height: 9pt, fill: rgb("#{colour}")) '
            f"{_typst_text(e.converted)} ({_typst_text(e.grade.letter)})]"
        )
    lines.append("#table(columns: (auto, 1fr), stroke: none, " + ", ".join(bars) + ")")
    legend = "; ".join(f"{g.letter} {g.label} ≥ {number_text(g.lowest)}" for g in GRADES)
    lines.append(f"#text(size: 8pt)[{_typst_text(legend)}]")
    if summary.by_service:
        lines.append(f"== {_typst_text(_('IKM per layanan'))}")
        cells = [
            _cells(s.name if s else _("(tanpa layanan)"), r.respondents, r.ikm, r.grade.letter)
            for s, r in summary.by_service
        ]
        lines.append(
            "#table(columns: (1fr, auto, auto, auto), table.header("
            + _cells(_("Layanan"), _("Responden"), _("IKM"), _("Mutu"))
            + "), "
            + ", ".join(cells)
            + ")"
        )
    lines.append(f"== {_typst_text(_('Rencana tindak lanjut'))}")
    plan_cells = [
        _cells(p.element_code, p.action, p.owner, date_words(p.due_on), p.get_status_display()) for p in summary.plans
    ]
    plan_cells += [_cells(code, _("BELUM ADA RENCANA"), "", "", "") for code in summary.missing_plans]
    if plan_cells:
        lines.append(
            "#table(columns: (auto, 1fr, auto, auto, auto), table.header("
            + _cells(_("Unsur"), _("Rencana"), _("Penanggung jawab"), _("Target"), _("Status"))
            + "), "
            + ", ".join(plan_cells)
            + ")"
        )
    else:
        lines.append(f"#par[{_typst_text(_('Tidak ada unsur bermutu di bawah Baik.'))}]")
    return "\n".join(lines)


def skm_report_pdf(summary: SurveySummary) -> bytes:
    """
    The SKM report as PDF, rendered by Typst (PyPI ``typst``). Raise NotImplementedError when the
    package is not installed (the documents issue brings it in).
    """
    try:
        import typst
    except ImportError:  # pragma: no cover - depends on the environment
        raise NotImplementedError("PDF laporan SKM membutuhkan paket 'typst'.") from None
    return bytes(typst.compile(skm_report_typst(summary).encode("utf-8")))
