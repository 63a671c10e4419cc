"""
Officers' pages: queues per role, the application page with the actions allowed now, the counter
registration, the printable kartu kendali and the uploaded files.

Views parse the request, call ``applications.services`` / ``selectors`` and ``accounts.permissions``,
and render; the rules live there. Every page needs a signed-in officer of the office concerned;
domain errors become messages on the page with their HTTP status (403, 404, 409, 422).
"""

from __future__ import annotations

import secrets
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

from satupintu.accounts.permissions import holders_of, require_role
from satupintu.accounts.roles import Role, office_role_codes
from satupintu.applications import idempotency, selectors, services
from satupintu.applications.models import Application, Channel, SignatureState
from satupintu.applications.services import InvalidData
from satupintu.applications.uploads import UploadRejected
from satupintu.applications.workflow import kind, records_at
from satupintu.catalogue.schema import FormField, RoleCode, ServiceStandardSpec
from satupintu.catalogue.selectors import service_get, services_list
from satupintu.catalogue.step_kinds import SESUAI, TIDAK_SESUAI, outcome_label
from satupintu.control_card.selectors import card_check
from satupintu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from satupintu.core.models import AccessKind
from satupintu.core.selectors import office_get
from satupintu.core.serving import upload_response
from satupintu.documents.signing import signing_needs_credentials
from satupintu.staff import display
from satupintu.staff.forms import KIND_FIELD, CounterApplicationForm

#: Roles that work SOP steps, so have a queue.
SOP_ROLES = frozenset(get_args(RoleCode)) - {Role.PEMOHON.value}
QUEUE_PAGE_SIZE = 50

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


# Queues ---------------------------------------------------------------------------------


@staff_view
def queue(request: HttpRequest, office_slug: str, role: str) -> HttpResponse:
    """What waits for one role in the office: overdue first, then by due time."""
    office = office_get(office_slug)
    if role not in office_role_codes(office) - {Role.PEMOHON.value}:
        raise NotFound(_("Antrian tidak dikenal."))
    grant = require_role(request.user, office, role)
    now = timezone.now()
    rows_of_queue = selectors.queue_for(office=office, role=role, now=now).only(*selectors.QUEUE_ROW_FIELDS)
    page = Paginator(rows_of_queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("halaman"))
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
            "role_label": display.role_label(role, office),
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
    and status when it refuses. A step (complete, submit) sent again with the form's hidden
    ``idempotency_key`` — the officer pressed again after a lost answer — gets the first answer
    (``applications.idempotency``) instead of "the step has moved".
    """
    app = selectors.application_for_staff(number=number, user=request.user)
    action = request.POST.get("action", "complete")
    if action not in {"complete", "submit"}:
        return _act(request, app, action)
    files = [(f"file:{name}", f"{f.name}:{f.size}") for name in request.FILES for f in request.FILES.getlist(name)]
    answered: list[HttpResponse] = []

    def run() -> idempotency.Answer:
        response = _act(request, app, action)
        answered.append(response)
        return _answer_of(response)

    answer, replayed = idempotency.idempotent(
        user=request.user,
        key=idempotency.key_clean(request.POST.get("idempotency_key")),
        scope=f"POST {request.path}",
        fingerprint=idempotency.fingerprint_form([*request.POST.items(), *files]),
        run=run,
    )
    if not replayed:
        return answered[0]
    if answer.status in {301, 302, 303}:
        if answer.message:
            messages.info(request, answer.message)
        return redirect(answer.location)
    fresh = selectors.application_for_staff(number=number, user=request.user)
    return _application_page(request, fresh, status=answer.status, problem=answer.message)


def _answer_of(response: HttpResponse) -> idempotency.Answer:
    """What to remember of a page's answer: the status, where it redirects, the message it shows."""
    message = getattr(response, "satupintu_message", "")
    return idempotency.Answer(status=response.status_code, location=response.get("Location", ""), message=message)


def _act(request: HttpRequest, app: Application, action: str) -> HttpResponse:
    number = app.number
    try:
        step = int(request.POST.get("step", ""))
    except ValueError:
        step = 0
    text = ""
    try:
        if action == "complete":
            text = _complete(request, app, step)
        elif action == "claim":
            services.step_claim(application=app, actor=request.user, step_number=step)
            text = _("Langkah ini Anda ambil; petugas lain tidak dapat mengerjakannya.")
        elif action == "release":
            services.step_release(application=app, actor=request.user)
            text = _("Langkah ini dikembalikan ke antrian.")
        elif action == "upload":
            _upload(request, app)
        elif action == "submit":
            services.application_submit(application=app, actor=request.user)
            text = _("Berkas diajukan dan menunggu pemeriksaan kelengkapan.")
        elif action == "withdraw":
            services.application_withdraw(application=app, actor=request.user, reason=request.POST.get("reason", ""))
            text = _("Permohonan dibatalkan atas permintaan pemohon.")
        else:
            raise DomainError(_("Tindakan tidak dikenal."), code="unknown_action")
    except InvalidData as exc:
        fresh = selectors.application_for_staff(number=number, user=request.user)
        page = _application_page(
            request, fresh, status=exc.http_status, problem=exc.message, errors=exc.errors, posted=request.POST
        )
        page.satupintu_message = exc.message  # type: ignore[attr-defined]
        return page
    except DomainError as exc:
        fresh = selectors.application_for_staff(number=number, user=request.user)
        # After a conflict the page shows the file as it is now, not the stale input.
        posted = None if isinstance(exc, Conflict) else request.POST
        page = _application_page(request, fresh, status=exc.http_status, problem=exc.message, posted=posted)
        page.satupintu_message = exc.message  # type: ignore[attr-defined]
        return page
    if text:
        messages.success(request, text)
    response = redirect("staff:application", number=app.number)
    response.satupintu_message = text  # type: ignore[attr-defined]
    return response


def _complete(request: HttpRequest, app: Application, step_number: int) -> str:
    outcome = request.POST.get("outcome", "")
    spec = services.spec_for(app)
    data: dict[str, Any] = {}
    step = spec.step(step_number) if 1 <= step_number <= len(spec.sop.steps) else None
    if step is not None and outcome in step.outcomes:
        data = _step_data(request, spec, app, kind(step).outcome(outcome).records or "")
    done = services.step_complete(
        application=app,
        actor=request.user,
        step_number=step_number,
        outcome=outcome,
        note=request.POST.get("note", ""),
        data=data,
    )
    permit_number = _permit_number(done)
    pending = services.signature_open(done) if done.current_step == step_number else None
    if pending is not None:
        if pending.state == SignatureState.FAILED:
            return _("Nomor surat izin %(number)s diambil, tetapi tanda tangan gagal: %(error)s") % {
                "number": permit_number,
                "error": pending.error,
            }
        return _("Nomor surat izin %(number)s diambil; surat izin sedang ditandatangani.") % {"number": permit_number}
    text = _("Langkah %(step)s selesai: %(outcome)s.") % {
        "step": step.label or step_number if step else step_number,
        "outcome": outcome_label(step.kind, outcome) if step else outcome,
    }
    if permit_number and step is not None and kind(step).takes_number:
        text += " " + _("Nomor surat izin: %(number)s.") % {"number": permit_number}
    return text


def _step_data(request: HttpRequest, spec: ServiceStandardSpec, app: Application, records: str) -> dict[str, Any]:
    """The data an outcome records, from the page's form (what the step-kind table says it records)."""
    post = request.POST
    if records == "checklist":
        return {
            "checklist": {
                r.key: {"judgement": post.get(f"judge-{r.key}", ""), "reason": post.get(f"reason-{r.key}", "")}
                for r in spec.requirements_for(renewal=app.renewal)
            }
        }
    if records == "bap":
        return {
            "bap": {
                "date": post.get("bap_date", ""),
                "team": post.getlist("bap_team"),
                "findings": post.get("bap_findings", ""),
                "recommendation": post.get("bap_recommendation", ""),
            }
        }
    if records == "draft":
        changes: dict[str, Any] = {}
        for f in selectors.draft_form(app):
            name = f"draft-{f.key}"
            if f.type == "checkbox":
                if f"{name}-shown" in post:
                    changes[f.key] = post.get(name) == "1"
            elif name in post:
                changes[f.key] = post.get(name, "")
        return {"changes": changes}
    if records == "handover":
        proxy = ""
        upload = request.FILES.get("proxy_letter")
        if upload is not None:
            proxy = str(
                services.proxy_letter_attach(
                    application=app, actor=request.user, stream=upload, filename=upload.name or ""
                ).pk
            )
        else:
            proxy = post.get("proxy_document", "")
        return {
            "handover": {
                "relation": post.get("handover_relation", ""),
                "name": post.get("handover_name", ""),
                "id_number": post.get("handover_id_number", ""),
                "proxy_document": proxy,
            }
        }
    if records == "signature":
        return {"credentials": {k: post.get(f"tte_{k}", "") for k in ("passphrase", "totp") if post.get(f"tte_{k}")}}
    if records == "responses":
        return {"responses": {k[len("response-") :]: v for k, v in post.items() if k.startswith("response-")}}
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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _permit_number(app: Application) -> str:
    permit = getattr(app, "permit", None) if app.pk else None
    return permit.number if permit is not None else ""


def _shown_value(field: FormField, view: selectors.ApplicationView) -> str:
    """A form value as this viewer may see it (the one masking rule), written for people."""
    if field.key not in view.data:
        return _("(disembunyikan: data pribadi)") if view.application.data.get(field.key) not in (None, "") else "—"
    value = view.data.get(field.key)
    if value is None or value == "":
        return "—"
    if field.type == "checkbox":
        return _("Ya") if value else _("Tidak")
    return display.office_date(value) if field.type == "date" else str(value)


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
    view = selectors.application_view(app, user)
    spec = view.spec
    errors = errors or {}
    may_see_personal = view.may_see_personal
    if may_see_personal:
        selectors.application_read(app, user, kind=AccessKind.APPLICATION_PAGE)
    actions = view.actions
    current = spec.step(app.current_step) if app.current_step else None
    signature = services.signature_open(app) if current is not None and "signature" in records_at(current) else None
    requirements = spec.requirements_for(renewal=app.renewal)

    sections = []
    for section in spec.application_form:
        rows = [
            {"label": f.label, "value": _shown_value(f, view), "error": errors.get(f.key, "")}
            for f in section.fields
            if app.renewal or not f.renewal_only
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})

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

    records = actions.records
    changes = selectors.changes_since_return(app) if "checklist" in records else None
    changed = {item.key: item for item in changes.items} if changes else {}
    checklist = []
    if "checklist" in records:
        for requirement, row in zip(requirements, by_requirement, strict=True):
            key = requirement.key
            judgement = posted.get(f"judge-{key}", "") if posted is not None else ""
            reason = posted.get(f"reason-{key}", "") if posted is not None else ""
            checklist.append(
                {
                    **row,
                    "key": key,
                    "judgement": judgement,
                    "reason": reason,
                    "error": errors.get(key, ""),
                    "change": changed.get(key),
                }
            )
    draft_rows = []
    if "draft" in records:
        for f in selectors.draft_form(app):
            current_value = app.data.get(f.key, "")
            value = posted.get(f"draft-{f.key}", current_value) if posted is not None else current_value
            draft_rows.append({"field": f, "value": value, "error": errors.get(f.key, "")})
    team = holders_of(office, Role.TIM_TEKNIS) if "bap" in records else []
    chosen_team = set(posted.getlist("bap_team")) if posted is not None else set()

    card_rows = [
        {
            "entry": row["entry"],
            "role": display.role_label(row["entry"].role),
            "outcome": row["outcome_label"],
            "completed": display.office_time(row["entry"].completed_at, office),
            "changes": (row["entry"].data or {}).get("changes", []),
            "handover": (row["entry"].data or {}).get("handover"),
            "has_bap": bool((row["entry"].data or {}).get("bap")),
        }
        for row in view.card
    ]
    return render(
        request,
        "staff/application.html",
        {
            "office": office,
            "app": app,
            "spec": spec,
            "status_label": app.get_status_display(),
            "stage": view.stage,
            "current": current,
            "current_activity": _first_line(current.activity) if current else "",
            "current_role": display.role_label(app.current_role) if app.current_role else "",
            "received": display.office_time(app.step_received_at, office),
            "step_due": display.office_time(app.step_due_at, office),
            "return_due": display.office_time(app.return_due_at, office) if app.return_due_at else "",
            "overdue": app.step_due_at is not None and app.step_due_at < timezone.now(),
            "submitted": display.office_time(app.submitted_at, office),
            "due": display.office_time(app.due_at, office),
            "claimed_at": display.office_time(app.claimed_at, office),
            "permit_number": _permit_number(app),
            "identity": {k: v if v is not None else "********" for k, v in view.identity.items()},
            "may_see_personal": may_see_personal,
            "sections": sections,
            "documents": by_requirement,
            "bap_date": display.office_date(app.bap.get("date")) if app.bap else "",
            "bap_team": [m.get("name", m) if isinstance(m, dict) else m for m in app.bap.get("team", [])]
            if app.bap
            else [],
            "actions": actions,
            "records": records,
            "step_hint": kind(actions.step).officer_hint if actions.step is not None else "",
            "action_role": display.role_label(actions.role) if actions.role else "",
            "checklist": checklist,
            "changes": changes,
            "identity_warnings": selectors.identity_warnings(app) if "checklist" in records else [],
            "draft_rows": draft_rows,
            "team": [{"id": str(u.pk), "name": u.display_name, "checked": str(u.pk) in chosen_team} for u in team],
            "proxy_letters": list(selectors.proxy_letters(app)) if "handover" in records else [],
            "needs_credentials": "signature" in records and signing_needs_credentials(office),
            "signature": signature,
            "idempotency_key": secrets.token_urlsafe(18),
            "outcome_buttons": actions.outcomes,
            "card_rows": card_rows,
            "SESUAI": SESUAI,
            "TIDAK_SESUAI": TIDAK_SESUAI,
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
        "relation": "handover_relation",
        "name": "handover_name",
        "id_number": "handover_id_number",
        "proxy_document": "proxy_letter",
    }
    links = []
    for key, message in errors.items():
        if key.startswith("file-"):
            anchor = key
        elif key in {r.key for r in spec.requirements}:
            anchor = f"reason-{key}"
        elif key in {f.key for f in spec.form_fields()}:
            anchor = f"draft-{key}"
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
    if doc.application is not None:
        selectors.application_read(
            doc.application,
            request.user,
            kind=AccessKind.DOCUMENT,
            target=f"document:{pk}",
            fields=[doc.requirement_key],
        )
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
                "outcome": outcome_label(e.step_kind, e.outcome),
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
