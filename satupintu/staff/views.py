"""
Officers' pages: queues per role, the application page with the actions allowed now, the counter
registration, the printable kartu kendali and the uploaded files.

Views parse the request, call ``applications.services`` / ``selectors`` and ``accounts.permissions``,
and render; the rules live there. Every page needs a signed-in officer of the office concerned;
domain errors become messages on the page with their HTTP status (403, 404, 409, 422).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, get_args

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.permissions import Action, can, grant_for, offices_for, require_role
from satupintu.accounts.roles import Role
from satupintu.applications import selectors, services
from satupintu.applications.models import Application, Channel
from satupintu.applications.services import InvalidData
from satupintu.applications.uploads import UploadRejected
from satupintu.applications.workflow import OUTCOME_LABELS
from satupintu.catalogue.schema import FormField, RoleCode, ServiceStandardSpec
from satupintu.catalogue.selectors import service_get, services_list
from satupintu.control_card.selectors import card_check
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from satupintu.core.selectors import office_get
from satupintu.core.serving import upload_response
from satupintu.notifications.selectors import office_tasks_open
from satupintu.staff import display
from satupintu.staff.forms import KIND_FIELD, CounterApplicationForm

#: Roles that work SOP steps, so have a queue.
SOP_ROLES = frozenset(get_args(RoleCode)) - {Role.PEMOHON.value}
QUEUE_PAGE_SIZE = 50
#: Outcomes that send a file back or end it; their buttons look like warnings.
WARNING_OUTCOMES = frozenset({"incomplete", "reject", "revise"})
#: Form field types whose personal values keep their first and last digits when masked.
NUMBER_TYPES = frozenset({"nik", "phone"})

View = Callable[..., HttpResponseBase]


def staff_view(view: View) -> View:
    """Require sign-in; turn NotFound into 404 and PermissionDenied into a 403 page with its message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except PermissionDenied as exc:
            return render(request, "staff/refused.html", {"message": exc.message}, status=exc.http_status)

    return login_required(wrapped)


# Home and queues ---------------------------------------------------------------------------------


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    """The user's offices, each with the user's role queues and their counts."""
    number = request.GET.get("nomor", "").strip().replace("/", "")
    if number:
        return redirect("staff:application", number=number)
    offices = []
    for office in offices_for(request.user):
        if not can(request.user, Action.VIEW_STAFF_PAGES, office):
            continue
        counts = selectors.queue_counts(user=request.user, office=office)
        queues = [
            {"role": role, "label": display.role_label(role), "count": count, "has_queue": role in SOP_ROLES}
            for role, count in counts.items()
            if role != Role.PEMOHON
        ]
        queues.sort(key=lambda q: (not q["has_queue"], q["label"]))
        counter = grant_for(request.user, office, Role.FRONT_OFFICE) is not None
        roles = set(counts)
        tasks = sum(1 for task in office_tasks_open(office) if task.role in roles)
        offices.append(
            {
                "office": office,
                "queues": queues,
                "counter": counter,
                "tasks": tasks,
                "notices": can(request.user, Action.MANAGE_NOTICES, office),
                "complaints": can(request.user, Action.HANDLE_COMPLAINTS, office),
            }
        )
    if not offices:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas kantor."))
    return render(request, "staff/home.html", {"offices": offices})


@staff_view
def queue(request: HttpRequest, office_slug: str, role: str) -> HttpResponse:
    """What waits for one role in the office: overdue first, then by due time."""
    office = office_get(office_slug)
    if role not in SOP_ROLES:
        raise NotFound(_("Antrian tidak dikenal."))
    grant = require_role(request.user, office, role)
    now = timezone.now()
    page = Paginator(selectors.queue_for(office=office, role=role, now=now), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    rows = []
    for app in page:
        step = services.spec_for(app).step(app.current_step) if app.current_step else None
        rows.append(
            {
                "app": app,
                "step_label": (step.label or str(step.number)) if step else "",
                "activity": _first_line(step.activity) if step else "",
                "received": display.office_time(app.step_received_at, office),
                "waiting": display.waiting_text(app.step_received_at, now, office),
                "due": display.office_time(app.step_due_at, office),
                "overdue": app.step_due_at is not None and app.step_due_at < now,
                "claimed_by": app.claimed_by.display_name if app.claimed_by else "",
                "mine": app.claimed_by_id == request.user.pk,
            }
        )
    return render(
        request,
        "staff/queue.html",
        {
            "office": office,
            "role": role,
            "role_label": display.role_label(role),
            "acting_for": grant.acting_for,
            "page": page,
            "rows": rows,
        },
    )


# The application page and its actions ------------------------------------------------------------


@staff_view
def application(request: HttpRequest, number: str) -> HttpResponse:
    """One file: its data, documents, card and the actions the user may take now."""
    app = selectors.application_for_staff(number=number, user=request.user)
    return _application_page(request, app)


@staff_view
@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    """
    Carry out one action from the application page (``action``: complete, claim, release,
    upload, submit, withdraw) and redirect back; re-render the page with the domain's message
    and status when it refuses.
    """
    app = selectors.application_for_staff(number=number, user=request.user)
    action = request.POST.get("action", "complete")
    try:
        step = int(request.POST.get("step", ""))
    except ValueError:
        step = 0
    try:
        if action == "complete":
            _complete(request, app, step)
        elif action == "claim":
            services.step_claim(application=app, actor=request.user, step_number=step)
            messages.success(request, _("Langkah ini Anda ambil; petugas lain tidak dapat mengerjakannya."))
        elif action == "release":
            services.step_release(application=app, actor=request.user)
            messages.success(request, _("Langkah ini dikembalikan ke antrian."))
        elif action == "upload":
            _upload(request, app)
        elif action == "submit":
            services.application_submit(application=app, actor=request.user)
            messages.success(request, _("Berkas diajukan dan menunggu pemeriksaan kelengkapan."))
        elif action == "withdraw":
            services.application_withdraw(application=app, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Permohonan dibatalkan atas permintaan pemohon."))
        else:
            raise DomainError(_("Tindakan tidak dikenal."), code="unknown_action")
    except InvalidData as exc:
        fresh = selectors.application_for_staff(number=number, user=request.user)
        return _application_page(
            request, fresh, status=exc.http_status, problem=exc.message, errors=exc.errors, posted=request.POST
        )
    except DomainError as exc:
        fresh = selectors.application_for_staff(number=number, user=request.user)
        # After a conflict the page shows the file as it is now, not the stale input.
        posted = None if isinstance(exc, Conflict) else request.POST
        return _application_page(request, fresh, status=exc.http_status, problem=exc.message, posted=posted)
    return redirect("staff:application", number=app.number)


def _complete(request: HttpRequest, app: Application, step_number: int) -> None:
    outcome = request.POST.get("outcome", "")
    spec = services.spec_for(app)
    data: dict[str, Any] = {}
    if 1 <= step_number <= len(spec.sop.steps):
        data = _step_data(spec, app, spec.step(step_number).kind, request.POST)
    done = services.step_complete(
        application=app,
        actor=request.user,
        step_number=step_number,
        outcome=outcome,
        note=request.POST.get("note", ""),
        data=data,
    )
    text = _("Langkah %(step)s selesai: %(outcome)s.") % {
        "step": spec.step(step_number).label or step_number,
        "outcome": OUTCOME_LABELS.get(outcome, outcome),
    }
    permit_number = _permit_number(done)
    if outcome == "numbered" and permit_number:
        text += " " + _("Nomor surat izin: %(number)s.") % {"number": permit_number}
    messages.success(request, text)


def _step_data(spec: ServiceStandardSpec, app: Application, kind: str, post: QueryDict) -> dict[str, Any]:
    """The data a step records from the page: the completeness checklist or the BAP."""
    if kind == "completeness_check":
        return {
            "checklist": {
                r.key: {"ok": post.get(f"ok-{r.key}") == "1", "reason": post.get(f"reason-{r.key}", "")}
                for r in spec.requirements_for(renewal=app.renewal)
            }
        }
    if kind == "inspection":
        return {
            "bap": {
                "date": post.get("bap_date", ""),
                "team": post.get("bap_team", ""),
                "findings": post.get("bap_findings", ""),
                "recommendation": post.get("bap_recommendation", ""),
            }
        }
    return {}


def _upload(request: HttpRequest, app: Application) -> None:
    """Attach each chosen file to its requirement; report the files refused, per requirement."""
    spec = services.spec_for(app)
    attached, errors = 0, {}
    for requirement in spec.requirements_for(renewal=app.renewal):
        upload = request.FILES.get(f"file-{requirement.key}")
        if upload is None:
            continue
        try:
            services.document_attach(
                application=app,
                actor=request.user,
                requirement_key=requirement.key,
                stream=upload,
                filename=upload.name or "",
            )
            attached += 1
        except UploadRejected as exc:
            errors[f"file-{requirement.key}"] = exc.message
    if attached:
        messages.success(request, _("%(n)d berkas terunggah.") % {"n": attached})
    if errors:
        raise InvalidData(_("Sebagian berkas tidak dapat diterima."), errors)
    if not attached:
        raise InvalidData(_("Pilih berkas yang akan diunggah."), {"upload": _("Belum ada berkas yang dipilih.")})


def _button_label(outcome: str, kind: str) -> str:
    """What the button for an outcome says (the card records the outcome in ``OUTCOME_LABELS``' words)."""
    if outcome == "approve":
        return _("Tandatangani") if kind == "sign" else _("Setujui (paraf)")
    return {
        "complete": _("Berkas lengkap"),
        "incomplete": _("Tidak lengkap — kembalikan ke pemohon"),
        "reject": _("Tolak permohonan"),
        "recommend": _("Simpan BAP dan rekomendasikan"),
        "drafted": _("Konsep surat izin selesai"),
        "revise": _("Kembalikan untuk diperbaiki"),
        "numbered": _("Beri nomor surat izin"),
        "pickup": _("Produk diserahkan kepada pemohon"),
    }.get(outcome, "")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _permit_number(app: Application) -> str:
    permit = getattr(app, "permit", None) if app.pk else None
    return permit.number if permit is not None else ""


def _shown_value(field: FormField, value: Any, *, may_see_personal: bool) -> str:
    if value is None or value == "":
        return "—"
    if field.type == "checkbox":
        return _("Ya") if value else _("Tidak")
    text = display.office_date(value) if field.type == "date" else str(value)
    if field.personal and not may_see_personal:
        return selectors.mask(str(value)) if field.type in NUMBER_TYPES else "********"
    return text


def _application_page(
    request: HttpRequest,
    app: Application,
    *,
    status: int = 200,
    problem: str = "",
    errors: dict[str, str] | None = None,
    posted: QueryDict | None = None,
) -> HttpResponse:
    user = request.user
    office = app.office
    spec = services.spec_for(app)
    errors = errors or {}
    may_see_personal = can(user, Action.VIEW_PERSONAL_DATA, office)
    actions = selectors.available_actions(app, user)
    current = spec.step(app.current_step) if app.current_step else None
    requirements = spec.requirements_for(renewal=app.renewal)

    sections = []
    for section in spec.application_form:
        rows = [
            {
                "label": f.label,
                "value": _shown_value(f, app.data.get(f.key), may_see_personal=may_see_personal),
                "error": errors.get(f.key, ""),
            }
            for f in section.fields
            if app.renewal or not f.renewal_only
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})

    def personal(value: str, *, number: bool = True) -> str:
        if not value or may_see_personal:
            return value
        return selectors.mask(value) if number else "********"

    documents = list(selectors.documents_of(app, include_replaced=True))
    by_requirement = []
    for requirement in requirements:
        mine = [d for d in documents if d.requirement_key == requirement.key]
        by_requirement.append(
            {
                "requirement": requirement,
                "active": next((d for d in mine if d.active), None),
                "replaced": [d for d in mine if not d.active],
                "error": errors.get(f"file-{requirement.key}", ""),
            }
        )

    checklist = []
    step_kind = actions.step.kind if actions.step is not None and actions.outcomes else ""
    if step_kind == "completeness_check":
        for requirement, row in zip(requirements, by_requirement, strict=True):
            key = requirement.key
            if posted is not None:
                ok, reason = posted.get(f"ok-{key}") == "1", posted.get(f"reason-{key}", "")
            else:
                ok, reason = row["active"] is not None, ""
            checklist.append({**row, "key": key, "ok": ok, "reason": reason, "error": errors.get(key, "")})

    outcome_buttons = [
        {"value": value, "label": _button_label(value, step_kind) or label, "warning": value in WARNING_OUTCOMES}
        for value, label in actions.outcomes
        if step_kind != "submit"
    ]

    view = selectors.card_view(app)
    card_rows = [
        {
            "entry": e,
            "role": display.role_label(e.role),
            "outcome": OUTCOME_LABELS.get(e.outcome, e.outcome),
            "completed": display.office_time(e.completed_at, office),
        }
        for e in view.entries
    ]

    return render(
        request,
        "staff/application.html",
        {
            "office": office,
            "app": app,
            "spec": spec,
            "status_label": app.get_status_display(),
            "current": current,
            "current_activity": _first_line(current.activity) if current else "",
            "current_role": display.role_label(app.current_role) if app.current_role else "",
            "received": display.office_time(app.step_received_at, office),
            "step_due": display.office_time(app.step_due_at, office),
            "overdue": app.step_due_at is not None and app.step_due_at < timezone.now(),
            "submitted": display.office_time(app.submitted_at, office),
            "due": display.office_time(app.due_at, office),
            "claimed_at": display.office_time(app.claimed_at, office),
            "permit_number": _permit_number(app),
            "identity": {
                "nik": personal(app.applicant_nik),
                "phone": personal(app.applicant_phone),
                "email": personal(app.applicant_email, number=False),
                "address": personal(app.applicant_address, number=False),
            },
            "may_see_personal": may_see_personal,
            "sections": sections,
            "documents": by_requirement,
            "bap_date": display.office_date(app.bap.get("date")) if app.bap else "",
            "actions": actions,
            "action_role": display.role_label(actions.role) if actions.role else "",
            "step_kind": step_kind,
            "checklist": checklist,
            "outcome_buttons": outcome_buttons,
            "card_rows": card_rows,
            "problem": problem,
            "errors": errors,
            "error_links": _error_links(errors, spec),
            "posted": posted or {},
        },
        status=status,
    )


def _error_links(errors: dict[str, str], spec: ServiceStandardSpec) -> list[dict[str, str]]:
    """The error summary: each message with the id of the input it concerns, when the page has one."""
    labels = {r.key: r.label for r in spec.requirements}
    labels.update({f"file-{r.key}": r.label for r in spec.requirements})
    labels.update({f.key: f.label for f in spec.form_fields()})
    anchors = {
        "note": "note",
        "reason": "withdraw-reason",
        "date": "bap_date",
        "team": "bap_team",
        "findings": "bap_findings",
        "recommendation": "bap_recommendation",
        "documents": "documents",
        "upload": "documents",
        "checklist": "checklist",
    }
    links = []
    for key, message in errors.items():
        if key.startswith("file-"):
            anchor = key
        elif key in {r.key for r in spec.requirements}:
            anchor = f"reason-{key}"
        else:
            anchor = anchors.get(key, "data")
        label = labels.get(key, "")
        links.append({"anchor": anchor, "text": f"{label}: {message}" if label else message})
    return links


# Files and the control card -----------------------------------------------------------------------


@staff_view
def document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Stream an uploaded file to an officer who may see personal data; log every access (UU 27/2022)."""
    doc = selectors.document_for_staff(pk=pk, user=request.user)
    try:
        stream = doc.file.open("rb")
    except OSError:
        raise Http404(_("Berkas tidak ada di penyimpanan.")) from None
    audit_record(action="document.view", office=doc.office, actor=request.user, target=f"document:{pk}")
    return upload_response(stream, content_type=doc.content_type, filename=doc.original_name)


@staff_view
def card(request: HttpRequest, number: str) -> HttpResponse:
    """The printable kartu kendali: every step's paraf and times, where a delay happened, and the chain check."""
    app = selectors.application_for_staff(number=number, user=request.user)
    office = app.office
    view = selectors.card_view(app)
    rows = []
    for e in view.entries:
        standard = display.standard_text(e.time_standard)
        rows.append(
            {
                "entry": e,
                "role": display.role_label(e.role),
                "received": display.office_time(e.received_at, office),
                "completed": display.office_time(e.completed_at, office),
                "outcome": OUTCOME_LABELS.get(e.outcome, e.outcome),
                "time": _("%(worked)s / standar %(standard)s")
                % {"worked": display.duration_text(e.worked_seconds), "standard": standard},
                "late": e.late and e.office_time,
            }
        )
    delays = "; ".join(
        _("langkah %(step)s (%(role)s)") % {"step": e.step_label, "role": display.role_label(e.role)}
        for e in view.delays
    )
    # An application without entries records no head hash yet: nothing to compare the chain's end with.
    check = card_check(app.pk, head_hash=app.card_head_hash)
    return render(
        request,
        "staff/card.html",
        {
            "office": office,
            "app": app,
            "rows": rows,
            "open_step": view.open_step,
            "open_role": display.role_label(app.current_role) if app.current_role else "",
            "open_activity": _first_line(view.open_step.activity) if view.open_step else "",
            "open_received": display.office_time(view.open_received_at, office),
            "open_due": display.office_time(view.open_due_at, office),
            "delays": delays,
            "check": check,
            "submitted": display.office_time(app.submitted_at, office),
            "due": display.office_time(app.due_at, office),
            "printed": display.office_time(timezone.now(), office),
        },
    )


# The counter ------------------------------------------------------------------------------------


@staff_view
def counter_start(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The front office's start: the office's services, and the files registered but not yet handed in."""
    office = office_get(office_slug)
    require_role(request.user, office, Role.FRONT_OFFICE)
    drafts = [
        {"app": app, "created": display.office_time(app.created_at, office)}
        for app in selectors.counter_drafts(office=office)[:QUEUE_PAGE_SIZE]
    ]
    return render(
        request,
        "staff/counter_start.html",
        {"office": office, "services": services_list(office=office), "drafts": drafts},
    )


@staff_view
def counter_new(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """Register an application at the counter from the service's application form."""
    office = office_get(office_slug)
    require_role(request.user, office, Role.FRONT_OFFICE)
    service, _version, spec = service_get(office=office, code=code)
    form = CounterApplicationForm(request.POST if request.method == "POST" else None, spec=spec)
    status, problem = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                app = services.application_create(
                    office=office,
                    service=service,
                    actor=request.user,
                    data=form.application_data(),
                    renewal=form.renewal,
                    channel=Channel.COUNTER,
                )
            except InvalidData as exc:
                form.add_domain_errors(exc.errors)
                status, problem = exc.http_status, exc.message
            else:
                messages.success(
                    request,
                    _("Permohonan %(number)s terdaftar. Unggah pindaian berkas persyaratan, lalu ajukan.")
                    % {"number": app.number},
                )
                return redirect("staff:application", number=app.number)
        else:
            status, problem = 422, _("Periksa kembali isian formulir.")
    return render(
        request,
        "staff/counter_new.html",
        {
            "office": office,
            "service": service,
            "spec": spec,
            "form": form,
            "kind_field": form[KIND_FIELD],
            "problem": problem,
        },
        status=status,
    )
