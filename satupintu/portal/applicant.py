"""
The applicant's pages: apply, upload, check answers, hand in, receipt, my applications, status,
permit. Views parse the request, call the applications services and selectors, and render;
domain errors become Indonesian messages on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.applications import selectors, services
from satupintu.applications.models import Application, Status
from satupintu.applications.uploads import UploadRejected
from satupintu.catalogue import selectors as catalogue
from satupintu.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from satupintu.core.validators import display_phone
from satupintu.documents import requirement_letters
from satupintu.documents.services import permit_download
from satupintu.portal import display
from satupintu.portal.forms import KINDS, ApplicationDataForm, KindForm, UploadForm, WithdrawForm, accept_for
from satupintu.portal.views import office_or_404

View = Callable[..., HttpResponse]
#: Where the fields the profile already knows go on the application form (by the field's purpose).
PROFILE_FIELDS = {"applicant_name": "full_name", "applicant_nik": "nik", "applicant_phone": "phone"}


def domain_pages(view: View) -> View:
    """Show NotFound and PermissionDenied as Indonesian 404 and 403 pages, never a stack trace."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return render(
                request, "portal/problem.html", {"title": _("Halaman tidak ditemukan"), "exc": exc}, status=404
            )
        except PermissionDenied as exc:
            return render(request, "portal/problem.html", {"title": _("Tidak diizinkan"), "exc": exc}, status=403)
        except catalogue.ServiceClosed as exc:
            title = _("Layanan belum menerima permohonan")
            return render(request, "portal/problem.html", {"title": title, "exc": exc}, status=409)

    return wrapper


def _own(request: HttpRequest, number: str) -> Application:
    return selectors.application_for_applicant(number=number, user=request.user)


def _prefill(spec: Any, user: Any) -> dict[str, Any]:
    """Answers the account already holds (name, NIK, phone, e-mail), so the applicant types them once."""
    initial: dict[str, Any] = {}
    for spec_field in spec.form_fields():
        attribute = PROFILE_FIELDS.get(spec_field.purpose or "")
        if spec_field.purpose == "applicant_email":
            attribute = "email"
        value = getattr(user, attribute, "") if attribute else ""
        if value:
            initial[spec_field.key] = display_phone(value) if spec_field.type == "phone" else value
    return initial


def _form_errors_from(form: ApplicationDataForm, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        form.add_error(key if key in form.fields else None, message)


def _render_form(request: HttpRequest, template: str, form: ApplicationDataForm, context: dict[str, Any]) -> Any:
    sections = display.application_field_views(form)
    views = [v for s in sections for v in s["fields"]]
    context.update(form=form, sections=sections, errors=display.error_summary(form, views=views))
    return render(request, template, context)


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str, office_slug: str | None = None) -> HttpResponse:
    """
    Start an application: first “new or renewal?” (one question), then the service's form.

    A valid form creates the draft (``application_create``) and leads to the uploads page.
    """
    office = office_or_404(office_slug)
    service, _version, spec = catalogue.service_get(office=office, code=code)
    catalogue.version_for_new_application(service)  # the same rule as application_create, before any question
    context: dict[str, Any] = {"office": office, "service": service, "spec": spec}
    kind = request.GET.get("jenis")
    if kind not in KINDS:
        kind_form = KindForm(request.GET if {"jenis", "dijawab"} & set(request.GET) else None)
        kind_form.is_valid()
        question = display.field_view(kind_form["jenis"])
        context.update(question=question, errors=display.error_summary(views=[question]))
        return render(request, "portal/apply_kind.html", context)
    renewal = KINDS[kind]
    context.update(kind=kind, renewal=renewal)
    if request.method == "POST":
        form = ApplicationDataForm(request.POST, spec=spec, renewal=renewal)
        if form.is_valid():
            try:
                application = services.application_create(
                    office=office, service=service, actor=request.user, data=form.data_for_service(), renewal=renewal
                )
            except services.InvalidData as exc:
                _form_errors_from(form, exc.errors)
            else:
                messages.success(
                    request,
                    _("Permohonan %(number)s dibuat. Sekarang unggah berkas persyaratan.")
                    % {"number": application.number},
                )
                return redirect("portal:documents", number=application.number)
    else:
        form = ApplicationDataForm(initial=_prefill(spec, request.user), spec=spec, renewal=renewal)
    return _render_form(request, "portal/apply_form.html", form, context)


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, number: str) -> HttpResponse:
    """Change the answers of a draft or returned application (``application_update_data``)."""
    application = _own(request, number)
    spec = services.spec_for(application)
    context: dict[str, Any] = {"application": application, "spec": spec, "office": application.office}
    if not selectors.available_actions(application, request.user).can_edit:
        messages.info(request, _("Permohonan ini sudah diajukan dan tidak dapat diubah lagi."))
        return redirect("portal:application", number=number)
    if request.method == "POST":
        form = ApplicationDataForm(request.POST, spec=spec, renewal=application.renewal)
        if form.is_valid():
            try:
                services.application_update_data(
                    application=application, actor=request.user, data=form.data_for_service()
                )
            except services.InvalidData as exc:
                _form_errors_from(form, exc.errors)
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("portal:application", number=number)
            else:
                messages.success(request, _("Jawaban Anda disimpan."))
                return redirect("portal:review", number=number)
    else:
        form = ApplicationDataForm(initial=application.data, spec=spec, renewal=application.renewal)
    return _render_form(request, "portal/edit.html", form, context)


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, number: str) -> HttpResponse:
    """One file input per applicable requirement; each chosen file goes to ``document_attach``."""
    application = _own(request, number)
    spec = services.spec_for(application)
    keys = [r.key for r in spec.requirements_for(renewal=application.renewal)]
    editable = selectors.available_actions(application, request.user).can_edit
    accept = accept_for(spec)
    form = UploadForm(request.POST or None, request.FILES or None, requirement_keys=keys, accept=accept)
    if request.method == "POST" and editable and form.is_valid():
        attached = 0
        for key in keys:
            upload = form.cleaned_data.get(f"berkas_{key}")
            if not upload:
                continue
            try:
                services.document_attach(
                    application=application,
                    actor=request.user,
                    requirement_key=key,
                    stream=upload,
                    filename=upload.name,
                )
            except (UploadRejected, Conflict, DomainError) as exc:
                form.add_error(f"berkas_{key}", exc.message)
            else:
                attached += 1
        if attached:
            messages.success(request, _("%(n)s berkas berhasil diunggah.") % {"n": attached})
        if not form.errors:
            if not attached:
                messages.info(request, _("Belum ada berkas yang dipilih."))
            return redirect("portal:documents", number=number)
    rows = display.requirement_rows(spec, application, list(selectors.documents_of(application)))
    views = []
    for row in rows:
        row["field"] = display.field_view(form[f"berkas_{row['requirement'].key}"])
        row["letter"] = requirement_letters.letter_kind_for(row["requirement"]) is not None
        views.append(row["field"])
    context = {
        "application": application,
        "spec": spec,
        "office": application.office,
        "rows": rows,
        "missing": [r for r in rows if r["document"] is None],
        "editable": editable,
        "accept": accept,
        "types": ", ".join(t.upper() for t in spec.uploads.types),
        "errors": display.error_summary(form, views=views),
    }
    return render(request, "portal/documents.html", context)


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, number: str) -> HttpResponse:
    """Check your answers, then hand the file in (``application_submit``)."""
    application = _own(request, number)
    spec = services.spec_for(application)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        handed_in_before = application.submitted_at is not None
        responses = {k[len("jawaban_") :]: str(v) for k, v in request.POST.items() if k.startswith("jawaban_")}
        try:
            application = services.application_submit(application=application, actor=request.user, responses=responses)
        except services.InvalidData as exc:
            errors = _submit_errors(application, spec, exc)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, exc.message)
            return redirect("portal:application", number=number)
        else:
            if handed_in_before:
                messages.success(request, _("Permohonan Anda sudah diajukan kembali dan akan diperiksa ulang."))
                return redirect("portal:application", number=number)
            return redirect("portal:receipt", number=number)
    actions = selectors.available_actions(application, request.user)
    if not actions.can_edit and not errors:
        return redirect("portal:application", number=number)
    rows = display.requirement_rows(spec, application, list(selectors.documents_of(application)))
    context = {
        "application": application,
        "spec": spec,
        "office": application.office,
        "answers": display.answers_by_section(spec, application),
        "rows": rows,
        "missing": [r for r in rows if r["document"] is None],
        "errors": errors,
        "resubmission": application.status == Status.RETURNED,
        "flagged": _flagged(application, request.POST if request.method == "POST" else None),
        **_payment_context(application),
    }
    return render(request, "portal/review.html", context)


def _flagged(application: Application, posted: Any) -> list[dict[str, Any]]:
    """On a resubmission: each requirement the officer flagged, whether its file was replaced, the answer typed."""
    if application.status != Status.RETURNED:
        return []
    changes = selectors.changes_since_return(application)
    if changes is None:
        return []
    return [
        {"item": item, "answer": posted.get(f"jawaban_{item.key}", "") if posted is not None else ""}
        for item in changes.items
    ]


def _submit_errors(application: Application, spec: Any, exc: services.InvalidData) -> list[dict[str, str]]:
    """The submit refusal as summary rows: missing documents link to the uploads, answers to the form."""
    labels = {f.key: f.label for f in spec.form_fields()}
    requirements = {r.key: r.label for r in spec.requirements}
    rows = []
    for key, message in exc.errors.items():
        if key in requirements and key not in labels:
            rows.append({"message": f"{requirements[key]}: {message}", "anchor": f"#jawaban-{key}"})
        elif key == "documents":
            url = reverse("portal:documents", args=[application.number])
            rows.append({"message": _("Berkas belum diunggah: %(items)s.") % {"items": message}, "anchor": url})
        else:
            url = reverse("portal:edit", args=[application.number]) + f"#id_{key}"
            rows.append({"message": f"{labels.get(key, key)}: {message}", "anchor": url})
    return rows


@login_required
@domain_pages
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """Tanda terima: the registration number, the tracking code, what was handed in and what happens next."""
    application = _own(request, number)
    if application.submitted_at is None:
        return redirect("portal:review", number=number)
    spec = services.spec_for(application)
    rows = display.requirement_rows(spec, application, list(selectors.documents_of(application)))
    track_url = request.build_absolute_uri(reverse("portal:track")) + f"?nomor={application.number}"
    context = {
        "application": application,
        "spec": spec,
        "office": application.office,
        "rows": [r for r in rows if r["document"] is not None],
        "originals": display.originals_to_bring(spec, application),
        "track_url": track_url,
        "track_path": reverse("portal:track"),
    }
    return render(request, "portal/receipt.html", context)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """Every application of the signed-in applicant, newest first."""
    rows = [
        {"application": a, "status": selectors.status_text(a)} for a in selectors.applications_of(request.user)[:200]
    ]
    return render(request, "portal/my_applications.html", {"rows": rows})


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, number: str) -> HttpResponse:
    """
    Where the application is now, what the applicant can do about it, and what happened so far;
    read-only for the holder it names and the admins of the organisation it was applied for.
    """
    application = selectors.application_for_viewer(number=number, user=request.user)
    withdraw_form = WithdrawForm(request.POST or None)
    if request.method == "POST" and withdraw_form.is_valid():
        try:
            services.application_withdraw(
                application=application, actor=request.user, reason=withdraw_form.cleaned_data["reason"]
            )
        except services.InvalidData as exc:
            withdraw_form.add_error("reason", exc.errors.get("reason") or exc.message)
        except (Conflict, PermissionDenied) as exc:
            messages.error(request, exc.message)
            return redirect("portal:application", number=number)
        else:
            messages.success(request, _("Permohonan %(number)s dibatalkan.") % {"number": number})
            return redirect("portal:application", number=number)
    return _status_page(request, application, withdraw_form)


def _status_page(request: HttpRequest, application: Application, withdraw_form: WithdrawForm) -> HttpResponse:
    view = selectors.application_view(application, request.user)
    spec = view.spec
    actions = view.actions
    permit = getattr(application, "permit", None) if application.status in {Status.READY, Status.COLLECTED} else None
    timeline = [
        {
            "stage": row["stage"],
            "outcome": row["outcome_label"],
            "note": row["note"],
            "at": row["entry"].completed_at,
        }
        for row in view.card
    ]
    reason_view = display.field_view(withdraw_form["reason"])
    context = {
        "application": application,
        "spec": spec,
        "office": application.office,
        "status": selectors.status_text(application),
        "stage": view.stage,
        "step": display.current_step(spec, application),
        "actions": actions,
        "can_download": actions.allows("download"),
        "permit": permit,
        "timeline": timeline,
        "withdraw": reason_view,
        "errors": display.error_summary(withdraw_form, views=[reason_view]),
        "Status": Status,
        **_payment_context(application),
        "view": view,
    }
    return render(request, "portal/application.html", context)


def _payment_context(application: Application) -> dict[str, Any]:
    from satupintu.portal.payments import context_for

    return context_for(application)


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def permit(request: HttpRequest, number: str) -> HttpResponse:
    """
    The permit: POST is the applicant's first download, which *is* the handover by download
    (the handover step's outcome ``download`` on the card: the survey invitation goes out, the
    uncollected-product letter does not); GET shows the permit and its PDF once handed over.
    """
    application = _own(request, number)
    if request.method == "POST":
        try:
            permit_download(number=application.number, user=request.user)
        except (Conflict, PermissionDenied, DomainError) as exc:
            messages.error(request, exc.message)
            return redirect("portal:application", number=number)
        return redirect("portal:permit", number=number)
    application = _own(request, number)
    record = getattr(application, "permit", None)
    if record is None or application.status != Status.COLLECTED:
        messages.info(request, _("Surat izin belum dapat diunduh untuk permohonan ini."))
        return redirect("portal:application", number=number)
    spec = services.spec_for(application)
    context = {
        "application": application,
        "office": application.office,
        "permit": record,
        "validity": display.permit_validity(spec, record),
    }
    return render(request, "portal/permit.html", context)


@login_required
@domain_pages
def requirement_letter(request: HttpRequest, number: str, key: str) -> HttpResponse:
    """
    The Surat Permohonan or Surat Pernyataan a requirement names, filled in with the applicant's
    data, as a PDF to print, sign and upload (only the applicant's own application).
    """
    application = _own(request, number)
    spec = services.spec_for(application)
    requirement = next(
        (r for r in requirement_letters.letter_requirements(spec, renewal=application.renewal) if r.key == key), None
    )
    if requirement is None:
        raise NotFound(_("Persyaratan ini tidak memiliki templat surat."))
    pdf = requirement_letters.letter_pdf(application, requirement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{key.replace("_", "-")}-{application.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
