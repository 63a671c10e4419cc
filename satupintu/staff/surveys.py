"""
Officers' pages of the satisfaction survey and of staff performance: IKM results per office,
service and period (element table, SVG chart, sample size, missing follow-up plans), paper
entry, file import, follow-up plans, the SKM report (XLSX, PDF), the invitation link of a
collected file, and the performance dashboard with its XLSX export.

Views parse the request, call ``surveys`` / ``reports`` selectors and services, and render.
"""

from __future__ import annotations

import functools
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import Action, can, require
from satupintu.applications import selectors as applications
from satupintu.applications.models import Status
from satupintu.catalogue.models import Service
from satupintu.core.errors import DomainError, InvalidData, NotFound
from satupintu.core.models import Office
from satupintu.core.numbers import number_text
from satupintu.core.selectors import office_get
from satupintu.reports import selectors as reports
from satupintu.reports.charts import Bar, bar_chart_svg
from satupintu.reports.exports import performance_xlsx
from satupintu.staff import display
from satupintu.staff.views import staff_view
from satupintu.surveys import report, selectors, services
from satupintu.surveys.ikm import GRADES
from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.models import (
    AgeBand,
    BatchStatus,
    Education,
    FollowUpPlan,
    Occupation,
    PlanStatus,
    ResponseChannel,
    Sex,
)
from satupintu.surveys.periods import Period, PeriodInvalid, period_parse
from satupintu.surveys.report import GRADE_COLOURS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _this_year(office: Office) -> Period:
    return period_parse(str(timezone.localtime(timezone.now(), ZoneInfo(office.time_zone)).year))


def _period(request: HttpRequest, office: Office) -> tuple[Period, str]:
    """The period asked for (``?periode=``), else this year; and an error message for a bad one."""
    text = request.GET.get("periode", "").strip()
    if not text:
        return _this_year(office), ""
    try:
        return period_parse(text), ""
    except PeriodInvalid as exc:
        return _this_year(office), str(exc)


def _service(request: HttpRequest, office: Office, key: str = "layanan") -> Service | None:
    code = (request.GET.get(key) or request.POST.get(key) or "").strip()
    if not code:
        return None
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return service


def _office_for(request: HttpRequest, office_slug: str, action: Action) -> Office:
    office = office_get(office_slug)
    require(request.user, action, office)
    return office


def ikm_chart(summary: selectors.SurveySummary) -> str:
    if summary.result is None:
        return ""
    bars = [
        Bar(
            label=f"{e.code} {summary.elements[e.code].name if e.code in summary.elements else ''}".strip(),
            value=float(e.converted),
            text=f"{number_text(e.converted)} ({e.grade.letter})",
            colour="#" + GRADE_COLOURS[e.grade.letter],
        )
        for e in summary.result.elements
    ]
    bars.append(
        Bar(
            label="IKM",
            value=float(summary.result.ikm),
            text=f"{number_text(summary.result.ikm)} ({summary.result.grade.letter})",
            colour="#0b0c0c",
        )
    )
    return bar_chart_svg(
        bars,
        title=_("Nilai konversi per unsur"),
        maximum=100,
        marker=76.61,
        marker_label=_("batas Baik 76,61"),
    )


@staff_view
def results(request: HttpRequest, office_slug: str) -> HttpResponse:
    """IKM of the office (or one service) in a period, per element, with the sample check and follow-up gaps."""
    office = _office_for(request, office_slug, Action.VIEW_STAFF_PAGES)
    period, period_error = _period(request, office)
    service = _service(request, office)
    summary = selectors.survey_summary(office=office, period=period, service=service)
    return render(
        request,
        "staff/surveys/results.html",
        {
            "office": office,
            "period": period,
            "period_error": period_error,
            "service": service,
            "services": Service.objects.filter(office=office).order_by("name"),
            "summary": summary,
            "rows": report.element_rows(summary),
            "chart": ikm_chart(summary),
            "grades": GRADES,
            "can_plan": can(request.user, Action.VIEW_PERFORMANCE, office),
            "channel_labels": dict(ResponseChannel.choices),
        },
    )


def _questions(errors: dict[str, str], values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"element": e, "error": errors.get(code, ""), "value": values.get(code, "")}
        for code, e in selectors.elements_of().items()
    ]


PROFILE_FIELDS = [
    ("sex", gettext_lazy("Jenis kelamin"), Sex.choices),
    ("age_band", gettext_lazy("Usia"), AgeBand.choices),
    ("education", gettext_lazy("Pendidikan terakhir"), Education.choices),
    ("occupation", gettext_lazy("Pekerjaan utama"), Occupation.choices),
]


def questionnaire_context(errors: dict[str, str], values: dict[str, str]) -> dict[str, Any]:
    """What the questionnaire partial needs: questions with their answers, the profile fields."""
    return {
        "questions": _questions(errors, values),
        "profile_fields": [
            {"name": name, "label": label, "choices": choices, "value": values.get(name, ""), "error": errors.get(name)}
            for name, label, choices in PROFILE_FIELDS
        ],
        "errors": errors,
        "suggestion": values.get("saran", ""),
    }


def _posted(request: HttpRequest) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    values = {k: request.POST.get(k, "").strip() for k in request.POST if k != "csrfmiddlewaretoken"}
    answers = {code: values.get(code, "") for code in selectors.elements_of()}
    profile = {name: values.get(name, "") for name, _label, _c in PROFILE_FIELDS}
    return values, answers, profile


def _today(office: Office):
    return timezone.localtime(timezone.now(), ZoneInfo(office.time_zone)).date()


@staff_view
def paper_entry(request: HttpRequest, office_slug: str) -> HttpResponse:
    """
    Paper questionnaires come in batches: open one (the day and place they were collected and
    the officer who collected them), then type its questionnaires in one by one.
    """
    office = _office_for(request, office_slug, Action.MANAGE_SURVEYS)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in request.POST if k != "csrfmiddlewaretoken"}
        staff_by_pk = {str(u.pk): u for u in selectors.office_staff(office, day=_today(office))}
        try:
            batch = services.survey_batch_open(
                office=office,
                actor=request.user,
                collected_on=parse_date(values.get("tanggal", "")) if _valid_date(values.get("tanggal")) else None,
                place=values.get("tempat", ""),
                collected_by=staff_by_pk.get(values.get("pengumpul", "")) or request.user,
                period=values.get("periode", ""),
                service=_service(request, office),
            )
        except InvalidData as exc:
            errors, status = {str(k): str(v) for k, v in exc.errors.items()}, 422
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kelompok kuesioner dibuat. Masukkan kuesionernya satu per satu."))
            return redirect("surveys_staff:paper_batch", office_slug=office.slug, pk=batch.pk)
    context = {
        "office": office,
        "values": values,
        "errors": errors,
        "services": Service.objects.filter(office=office).order_by("name"),
        "officers": selectors.office_staff(office, day=_today(office)),
        "open_batches": list(selectors.batches_for(office=office, status=BatchStatus.PENDING).filter(kind="paper")),
    }
    return render(request, "staff/surveys/entry.html", context, status=status)


@staff_view
def paper_batch(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    """Type in one paper questionnaire of a batch; the form comes back empty for the next one."""
    office = _office_for(request, office_slug, Action.MANAGE_SURVEYS)
    batch = selectors.batch_get(pk=pk, office=office)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values, answers, profile = _posted(request)
        try:
            services.response_enter_paper(
                office=office,
                actor=request.user,
                answers=answers,
                profile=profile,
                suggestion=values.get("saran", ""),
                batch=batch,
            )
        except DomainError as exc:
            errors = {str(k): str(v) for k, v in getattr(exc, "errors", {}).items()}
            status = exc.http_status
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kuesioner tersimpan. Silakan masukkan kuesioner berikutnya."))
            return redirect("surveys_staff:paper_batch", office_slug=office.slug, pk=batch.pk)
    context = {"office": office, "batch": batch, "values": values, **questionnaire_context(errors, values)}
    return render(request, "staff/surveys/entry_batch.html", context, status=status)


@staff_view
def batches(request: HttpRequest, office_slug: str) -> HttpResponse:
    """
    Every batch of paper or imported answers with its source and status; a second officer
    approves a batch (its answers then count) or rejects it with a reason.
    """
    office = _office_for(request, office_slug, Action.VIEW_STAFF_PAGES)
    status = 200
    if request.method == "POST":
        batch = selectors.batch_get(pk=request.POST.get("batch", ""), office=office)
        try:
            services.survey_batch_decide(
                batch=batch,
                actor=request.user,
                approve=request.POST.get("keputusan") == "setujui",
                note=request.POST.get("catatan", ""),
            )
        except DomainError as exc:
            status = exc.http_status
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Keputusan atas kelompok %(pk)s disimpan.") % {"pk": batch.pk})
            return redirect("surveys_staff:batches", office_slug=office.slug)
    return render(
        request,
        "staff/surveys/batches.html",
        {
            "office": office,
            "batches": list(selectors.batches_for(office=office)[:100]),
            "can_approve": can(request.user, Action.APPROVE_SURVEY_BATCH, office),
            "me": request.user.pk,
        },
        status=status,
    )


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


@staff_view
def import_file(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Upload a CSV/XLSX of answers; every row is checked and the errors are listed per row."""
    office = _office_for(request, office_slug, Action.MANAGE_SURVEYS)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        try:
            if upload is None:
                raise InvalidData(_("Pilih berkas CSV atau XLSX."), {"berkas": _("Belum ada berkas.")})
            collected = request.POST.get("tanggal", "")
            batch = services.responses_import(
                office=office,
                actor=request.user,
                stream=upload,
                filename=upload.name or "",
                collected_on=parse_date(collected) if _valid_date(collected) else None,
                place=request.POST.get("tempat", ""),
            )
        except InvalidData as exc:
            errors, status = {str(k): str(v) for k, v in exc.errors.items()}, 422
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(n)s jawaban diimpor (kelompok nomor %(batch)s); dihitung setelah disetujui petugas kedua.")
                % {"n": batch.count, "batch": batch.pk},
            )
            return redirect("surveys_staff:import", office_slug=office.slug)
    batches = office_batches(office)
    return render(
        request, "staff/surveys/import.html", {"office": office, "errors": errors, "batches": batches}, status=status
    )


def office_batches(office: Office) -> list[Any]:
    return list(selectors.batches_for(office=office).filter(kind="import")[:20])


def _plan_values(request: HttpRequest) -> dict[str, Any]:
    return {
        "action": request.POST.get("action", ""),
        "owner": request.POST.get("owner", ""),
        "due_on": parse_date(request.POST.get("due_on", "") or "") if _valid_date(request.POST.get("due_on")) else None,
    }


def _valid_date(text: str | None) -> bool:
    try:
        return bool(text) and parse_date(text or "") is not None
    except ValueError:
        return False


@staff_view
def plans(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Follow-up plans of a period: the list, the elements still without one, and a form to add one."""
    office = _office_for(request, office_slug, Action.VIEW_PERFORMANCE)
    period, period_error = _period(request, office)
    service = _service(request, office)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            services.followup_plan_create(
                office=office,
                actor=request.user,
                period=request.POST.get("periode", period.label),
                element_code=request.POST.get("element_code", ""),
                service=service,
                published=request.POST.get("published") == "1",
                **_plan_values(request),
            )
        except InvalidData as exc:
            errors, status = {str(k): str(v) for k, v in exc.errors.items()}, 422
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Rencana tindak lanjut disimpan."))
            return redirect(
                reverse("surveys_staff:plans", args=[office.slug])
                + "?"
                + _query({"periode": period.label, "layanan": service.code if service else ""})
            )
    summary = selectors.survey_summary(office=office, period=period, service=service)
    low = [e.code for e in summary.result.below_good] if summary.result else []
    grouped = selectors.suggestions_by_element(
        selectors.suggestions(office, period, service=service), low or list(summary.elements)
    )
    return render(
        request,
        "staff/surveys/plans.html",
        {
            "office": office,
            "suggestion_groups": [
                (code, summary.elements.get(code), _suggestion_rows(items, summary.elements))
                for code, items in grouped.items()
                if code and items
            ],
            "period": period,
            "period_error": period_error,
            "service": service,
            "summary": summary,
            "errors": errors,
            "posted": request.POST,
            "preset": request.GET.get("unsur", ""),
            "statuses": PlanStatus.choices,
        },
        status=status,
    )


@staff_view
def plan_edit(request: HttpRequest, office_slug: str, pk: int) -> HttpResponse:
    """Change a plan or move it on (planned → in progress → done, with a note of what was done)."""
    office = _office_for(request, office_slug, Action.VIEW_PERFORMANCE)
    plan = get_object_or_404(FollowUpPlan, pk=pk, office=office)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _plan_values(request)
        try:
            services.followup_plan_update(
                plan=plan,
                actor=request.user,
                action=values["action"] or None,
                owner=values["owner"] or None,
                due_on=values["due_on"],
                status=request.POST.get("status") or None,
                done_note=request.POST.get("done_note", ""),
                published=request.POST.get("published") == "1",
            )
        except DomainError as exc:
            errors = {str(k): str(v) for k, v in getattr(exc, "errors", {}).items()}
            status = exc.http_status
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Rencana tindak lanjut diperbarui."))
            return redirect(reverse("surveys_staff:plans", args=[office.slug]) + "?" + _query({"periode": plan.period}))
    return render(
        request,
        "staff/surveys/plan_edit.html",
        {"office": office, "plan": plan, "errors": errors, "statuses": PlanStatus.choices},
        status=status,
    )


@staff_view
def suggestions(request: HttpRequest, office_slug: str) -> HttpResponse:
    """
    The *saran dan masukan* respondents wrote, with filters (period, service, an element the
    respondent rated low, words), each with the elements its writer found wanting.
    """
    office = _office_for(request, office_slug, Action.VIEW_STAFF_PAGES)
    period, period_error = _period(request, office)
    service = _service(request, office)
    element = request.GET.get("unsur", "").strip().upper()
    query = request.GET.get("q", "").strip()[:100]
    elements = selectors.elements_of()
    items = selectors.suggestions(
        office, period, service=service, element=element if element in elements else "", query=query
    )
    return render(
        request,
        "staff/surveys/suggestions.html",
        {
            "office": office,
            "period": period,
            "period_error": period_error,
            "service": service,
            "services": Service.objects.filter(office=office).order_by("name"),
            "elements": elements,
            "element": element,
            "query": query,
            "items": _suggestion_rows(items, elements),
        },
    )


def _suggestion_rows(items: list[selectors.Suggestion], elements: dict[str, Any]) -> list[dict[str, Any]]:
    channels = dict(ResponseChannel.choices)
    return [
        {
            "item": item,
            "channel": channels.get(item.channel, item.channel),
            "low": [elements[code].name for code in item.low_elements if code in elements],
        }
        for item in items
    ]


def _summary_for_export(request: HttpRequest, office_slug: str) -> selectors.SurveySummary:
    office = _office_for(request, office_slug, Action.VIEW_STAFF_PAGES)
    period, _error = _period(request, office)
    return selectors.survey_summary(office=office, period=period, service=_service(request, office))


def _filename(summary: selectors.SurveySummary, ext: str) -> str:
    scope = f"-{summary.service.code}" if summary.service else ""
    return f"laporan-skm-{summary.office.slug}-{summary.period.label}{scope}.{ext}"


@staff_view
def report_xlsx(request: HttpRequest, office_slug: str) -> HttpResponse:
    summary = _summary_for_export(request, office_slug)
    response = HttpResponse(report.skm_report_xlsx(summary), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(summary, "xlsx")}"'
    return response


@staff_view
def report_pdf(request: HttpRequest, office_slug: str) -> HttpResponse:
    summary = _summary_for_export(request, office_slug)
    response = HttpResponse(report.skm_report_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(summary, "pdf")}"'
    return response


@staff_view
def invitation(request: HttpRequest, office_slug: str, number: str) -> HttpResponse:
    """The survey link of a collected file, to print or show as a QR code at the counter."""
    office = _office_for(request, office_slug, Action.VIEW_STAFF_PAGES)
    application = applications.application_for_staff(number=number, user=request.user)
    if application.office_id != office.pk or application.status != Status.COLLECTED:
        raise NotFound(_("Undangan survei hanya untuk permohonan yang produknya sudah diterima."))
    link = request.build_absolute_uri(reverse("surveys_public:answer", args=[invitation_token(application)]))
    qr = ""
    try:
        import segno

        qr = segno.make(link, error="m").svg_inline(scale=4)
    except ImportError:
        pass
    return render(
        request, "staff/surveys/invitation.html", {"office": office, "application": application, "link": link, "qr": qr}
    )


# Performance ------------------------------------------------------------------------------------


def _performance_data(request: HttpRequest, office: Office) -> dict[str, Any]:
    period, period_error = _period(request, office)
    start, end = reports.period_bounds(office, period)
    service = _service(request, office)
    rows = reports.performance_rows(office=office, start=start, end=end, by=("officer", "step"), service=service)
    officers = reports.performance_rows(office=office, start=start, end=end, by=("officer",), service=service)
    return {
        "office": office,
        "period": period,
        "period_error": period_error,
        "service": service,
        "services": Service.objects.filter(office=office).order_by("name"),
        "rows": rows,
        "officers": officers,
        "backlog": reports.backlog(office=office),
        "sla": reports.sla_by_service(office=office, start=start, end=end),
        "late": list(reports.late_entries(office=office, start=start, end=end)),
    }


@staff_view
def performance(request: HttpRequest, office_slug: str) -> HttpResponse:
    """
    Staff performance from the kartu kendali (seed, Evaluasi kinerja pelaksana b): per officer
    and step, backlog now, SLA compliance per service, delays attributed; charts drawn as SVG.
    """
    office = _office_for(request, office_slug, Action.VIEW_PERFORMANCE)
    data = _performance_data(request, office)
    data["on_time_chart"] = bar_chart_svg(
        [
            Bar(
                label=r.actor_name or "—",
                value=100 * r.on_time_share,
                text=f"{100 * r.on_time_share:.0f}% ({r.handled})",
            )
            for r in data["officers"]
        ],
        title=_("Bagian langkah yang tepat waktu per petugas (%)"),
        maximum=100,
    )
    data["sla_chart"] = bar_chart_svg(
        [
            Bar(label=s.service_name, value=100 * s.share, text=f"{100 * s.share:.0f}% ({s.finished})")
            for s in data["sla"]
        ],
        title=_("Kepatuhan waktu penyelesaian per layanan (%)"),
        maximum=100,
    )
    data["role_label"] = display.role_label
    # Each role and time standard is written once per page (a big office has hundreds of rows).
    role_text = functools.cache(lambda role: display.role_label(role) if role else "")
    standard_text = functools.cache(display.standard_text)
    for row in data["rows"]:
        row.role_text = role_text(row.role)
        row.standard_text = standard_text(row.time_standard)
    for b in data["backlog"]:
        b.role_text = role_text(b.role)
    return render(request, "staff/surveys/performance.html", data)


@staff_view
def performance_export(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = _office_for(request, office_slug, Action.VIEW_PERFORMANCE)
    data = _performance_data(request, office)
    title = _("Kinerja petugas %(office)s, periode %(period)s") % {
        "office": office.name,
        "period": data["period"].label,
    }
    body = performance_xlsx(
        title=title,
        rows=data["rows"],
        backlog_rows=data["backlog"],
        sla_rows=data["sla"],
        late=data["late"],
        role_label=display.role_label,
        tz=ZoneInfo(office.time_zone),
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kinerja-{office.slug}-{data["period"].label}.xlsx"'
    return response
