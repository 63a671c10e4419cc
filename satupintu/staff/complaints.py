"""
Complaint officers' pages (seed clause 6): the Buku Pengaduan, registering a complaint brought by
letter, phone/fax/SMS or in person (with the scan), sorting it by weight, recording coordination
and the decision, answering on the channel it came in, and the monthly report's review.

Views parse the request and call ``complaints.services`` / ``monthly`` / ``selectors``; every page
needs a role that handles complaints in the office (``Action.HANDLE_COMPLAINTS``).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts.permissions import Action, can, offices_for, require, roles_in
from satupintu.complaints import labels, monthly, selectors, services
from satupintu.complaints import rules as rulebook
from satupintu.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintChannel,
    ComplaintReport,
    ComplaintStatus,
    Kind,
    ReplyMethod,
    Weight,
)
from satupintu.core.errors import Conflict, DomainError, InvalidData, PermissionDenied
from satupintu.core.models import AccessKind
from satupintu.core.privacy import personal_read
from satupintu.core.selectors import office_get
from satupintu.core.serving import upload_response
from satupintu.staff import display
from satupintu.staff.views import staff_view

PAGE_SIZE = 50


class RegisterForm(forms.Form):
    """A complaint brought to the office (seed a.1, a.3, a.4; a.2 when typed in from a letter or call)."""

    channel = forms.ChoiceField(label=gettext_lazy("Media"), choices=ComplaintChannel.choices)
    source = forms.CharField(
        label=gettext_lazy("Sumber"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Mis. kotak saran, diserahkan di loket, pos, operator telepon."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=Kind.choices, initial=Kind.COMPLAINT)
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), required=False)
    subject = forms.CharField(label=gettext_lazy("Perihal"), required=False, max_length=200)
    description = forms.CharField(label=gettext_lazy("Isi pengaduan"), widget=forms.Textarea(attrs={"rows": 5}))
    application_number = forms.CharField(label=gettext_lazy("Nomor permohonan terkait"), required=False, max_length=40)
    name = forms.CharField(label=gettext_lazy("Nama pengadu"), required=False, max_length=200)
    phone = forms.CharField(label=gettext_lazy("Telepon / HP / faks"), required=False, max_length=20)
    email = forms.CharField(label=gettext_lazy("Surel"), required=False, max_length=254)
    address = forms.CharField(label=gettext_lazy("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    anonymous = forms.BooleanField(label=gettext_lazy("Anonim"), required=False)
    confidential = forms.BooleanField(label=gettext_lazy("Rahasiakan identitas"), required=False)
    scan = forms.FileField(
        label=gettext_lazy("Pindaian surat (PDF, JPG atau PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", "—")] + [
            (c.code, c.name) for c in selectors.categories_for(office)
        ]


def _complaint_offices(request: HttpRequest) -> list:
    return [o for o in offices_for(request.user) if can(request.user, Action.HANDLE_COMPLAINTS, o)]


@staff_view
def home(request: HttpRequest) -> HttpResponseBase:
    """The register of the user's office (the list of offices when they handle complaints in several)."""
    offices = _complaint_offices(request)
    if not offices:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas yang menangani pengaduan."))
    if len(offices) == 1:
        return redirect("complaints_staff:register", office_slug=offices[0].slug)
    return render(request, "staff/complaints/home.html", {"offices": offices})


@staff_view
def register(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The Buku Pengaduan: date, complainant, type, weight, channel, status; filters; overdue marked."""
    office = office_get(office_slug)
    require(request.user, Action.HANDLE_COMPLAINTS, office)
    status = request.GET.get("status", "")
    weight = request.GET.get("bobot", "")
    channel = request.GET.get("media", "")
    query = request.GET.get("q", "").strip()[:60]
    rows = selectors.register_for(
        office,
        status=status if status in ComplaintStatus.values else "",
        weight=weight if weight in Weight.values else "",
        channel=channel if channel in ComplaintChannel.values else "",
        query=query,
        open_only=request.GET.get("terbuka") == "1",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("hal"))
    now = timezone.now()
    items = [
        {
            "complaint": c,
            "who": _("Anonim")
            if c.anonymous
            else (_("Dirahasiakan") if not selectors.identity_visible(c, request.user) else c.complainant_name),
            "overdue": bool(c.due_at and not c.answered_at and c.due_at < now),
        }
        for c in page
    ]
    return render(
        request,
        "staff/complaints/register.html",
        {
            "office": office,
            "page": page,
            "items": items,
            "status": status,
            "weight": weight,
            "channel": channel,
            "query": query,
            "statuses": ComplaintStatus.choices,
            "weights": Weight.choices,
            "channels": ComplaintChannel.choices,
            "can_register": bool(roles_in(request.user, office) & set(rulebook.rules().register_roles)),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def new(request: HttpRequest, office_slug: str) -> HttpResponseBase:
    """Register a complaint brought by letter, phone/fax/SMS or in person, with the letter's scan."""
    office = office_get(office_slug)
    require(request.user, Action.HANDLE_COMPLAINTS, office)
    form = RegisterForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scan = data.get("scan")
        try:
            complaint = services.complaint_register(
                office=office,
                channel=data["channel"],
                source=data["source"],
                kind=data["kind"],
                category=data["category"],
                subject=data["subject"],
                description=data["description"],
                application_number=data["application_number"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
                anonymous=data["anonymous"],
                confidential=data["confidential"],
                actor=request.user,
                attachments=[(scan.name, scan)] if scan else None,
            )
        except InvalidData as exc:
            for key, message in exc.errors.items():
                target = {"attachment": "scan"}.get(key, key)
                form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Pengaduan dicatat dengan nomor tiket %(ticket)s, kode %(code)s. Berikan keduanya kepada pengadu.")
                % {"ticket": complaint.ticket, "code": complaint.access_code},
            )
            return redirect("complaints_staff:detail", ticket=complaint.ticket)
    return render(request, "staff/complaints/new.html", {"office": office, "form": form})


@staff_view
def detail(request: HttpRequest, ticket: str) -> HttpResponse:
    """One complaint: identity (as the viewer may see it), the history with its chain check, the actions allowed now."""
    complaint = selectors.complaint_for_staff(ticket, request.user)
    return _detail_page(request, complaint)


def _detail_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    public_text: str | None = None,
    public_error: str = "",
    status: int = 200,
) -> HttpResponse:
    view = selectors.staff_detail(complaint, request.user)
    r = rulebook.rules()
    if public_text is None:
        public_text = complaint.public_text or services.public_text_suggestion(complaint)
    return render(
        request,
        "staff/complaints/detail.html",
        {
            "office": complaint.office,
            "complaint": complaint,
            "view": view,
            "public_text": public_text,
            "public_error": public_error,
            "weights": [(code, rule.label, rule.deadline_working_days) for code, rule in r.weights.items()],
            "kinds": Kind.choices,
            "categories": selectors.categories_for(complaint.office),
            "parties": list(r.parties.items()),
            "methods": [(m, ReplyMethod(m).label) for m in view["reply_methods"]],
            "missing": [display.role_label(role) for role in view["coordination_missing"]],
        },
        status=status,
    )


@require_POST
@staff_view
def act(request: HttpRequest, ticket: str) -> HttpResponseBase:
    """Take one action (the form's ``action``) and come back to the complaint with the outcome."""
    complaint = selectors.complaint_for_staff(ticket, request.user)
    action = request.POST.get("action", "")
    try:
        services.complaint_act(complaint=complaint, actor=request.user, action=action, data=request.POST.dict())
    except InvalidData as exc:
        messages.error(request, " ".join([exc.message, *exc.errors.values()]))
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tindakan dicatat: %(action)s.") % {"action": _(rulebook.ACTION_LABELS[action])})
    return redirect("complaints_staff:detail", ticket=complaint.ticket)


@require_POST
@staff_view
def publication(request: HttpRequest, ticket: str) -> HttpResponse:
    """ "Tinjau untuk publikasi": publish the reviewed public text (Open311), or withdraw it."""
    complaint = selectors.complaint_for_staff(ticket, request.user)
    publish = request.POST.get("publish") != "0"
    text = request.POST.get("public_text", "")
    try:
        services.complaint_publication_review(complaint=complaint, actor=request.user, text=text, publish=publish)
    except InvalidData as exc:
        message = " ".join([exc.message, *exc.errors.values()])
        return _detail_page(request, complaint, public_text=text, public_error=message, status=422)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Teks publik dipublikasikan.") if publish else _("Pengaduan ditarik dari publikasi.")
        )
    return redirect("complaints_staff:detail", ticket=complaint.ticket)


@staff_view
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    row = get_object_or_404(ComplaintAttachment.objects.select_related("complaint", "office"), pk=pk)
    require(request.user, Action.HANDLE_COMPLAINTS, row.office)
    if not selectors.identity_visible(row.complaint, request.user):
        raise PermissionDenied(_("Lampiran pengaduan yang dirahasiakan hanya untuk pengelola pengaduan."))
    personal_read(
        actor=request.user,
        kind=AccessKind.DOCUMENT,
        office=row.office,
        subjects=[selectors.complaint_subject(row.complaint)],
        target=f"complaint_attachment:{row.pk}",
        fields=["attachment"],
        purpose=_("Menangani pengaduan"),
    )
    return upload_response(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)


# --- the monthly report -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def reports(request: HttpRequest, office_slug: str) -> HttpResponseBase:
    """The monthly reports of the office; the complaint officer drafts a month's report here."""
    office = office_get(office_slug)
    require(request.user, Action.HANDLE_COMPLAINTS, office)
    if request.method == "POST":
        try:
            year, month = (int(x) for x in request.POST.get("bulan", "").split("-"))
            report = monthly.complaint_report_draft(office=office, year=year, month=month, actor=request.user)
        except ValueError:
            messages.error(request, _("Pilih bulan laporan."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("complaints_staff:report", pk=report.pk)
    today = timezone.localdate()
    last = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    rows = ComplaintReport.objects.filter(office=office).order_by("-year", "-month")
    return render(request, "staff/complaints/reports.html", {"office": office, "reports": rows, "last_month": last})


def _report(request: HttpRequest, pk: int) -> ComplaintReport:
    report = get_object_or_404(ComplaintReport.objects.select_related("office"), pk=pk)
    require(request.user, Action.HANDLE_COMPLAINTS, report.office)
    return report


@staff_view
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A month's report: its figures, the review so far, and the step the user may take now."""
    item = _report(request, pk)
    roles = roles_in(request.user, item.office)
    actions = [
        (name, t.label, t.note_required)
        for name, t in monthly.REPORT_TRANSITIONS.items()
        if item.status in t.sources and t.role in roles
    ]
    return render(
        request,
        "staff/complaints/report.html",
        {
            "office": item.office,
            "report": item,
            "tables": monthly.report_tables(item),
            "title": monthly.report_title(item),
            "steps": [
                {
                    "at": s.at,
                    "action_text": labels.report_action_label(s.action),
                    "actor_name": s.actor_name,
                    "note": s.note,
                }
                for s in item.steps.order_by("at", "id")
            ],
            "actions": actions,
            "columns": monthly.REGISTER_COLUMNS,
            "register": [
                [row.get(key) for key, _l in monthly.REGISTER_COLUMNS] for row in item.figures.get("register", [])
            ],
        },
    )


@require_POST
@staff_view
def report_act(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _report(request, pk)
    summary = request.POST.get("summary")
    try:
        monthly.complaint_report_act(
            report=item,
            actor=request.user,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
            summary=summary,
        )
    except InvalidData as exc:
        messages.error(request, " ".join([exc.message, *exc.errors.values()]))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Laporan diperbarui."))
    return redirect("complaints_staff:report", pk=item.pk)


@staff_view
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as PDF or XLSX."""
    item = _report(request, pk)
    name = f"laporan-pengaduan-{item.year}-{item.month:02d}"
    if fmt == "xlsx":
        content = monthly.complaint_report_xlsx(item)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = monthly.complaint_report_pdf(item)
        kind = "application/pdf"
    # The register in it names the complainants: the export is a read of their data (UU 27/2022).
    personal_read(
        actor=request.user,
        kind=AccessKind.EXPORT,
        office=item.office,
        subjects=selectors.report_subjects(item),
        target=f"complaint_report:{item.pk}:{fmt}",
        fields=["complainant_name"],
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
