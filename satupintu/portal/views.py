"""
Public pages: the service catalogue, sign-up and public tracking.

Views parse the request, call services and selectors, and render.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts.services import applicant_registration_errors, applicant_signup
from satupintu.applications import selectors as applications
from satupintu.applications.search import registration_number_example
from satupintu.applications.services import spec_for
from satupintu.catalogue import selectors as catalogue
from satupintu.core.errors import NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get
from satupintu.core.throttle import Throttled
from satupintu.documents import requirement_letters
from satupintu.notifications.services import signup_existing_notify
from satupintu.portal import display
from satupintu.portal.caching import public_page
from satupintu.portal.forms import SignupForm, TrackForm
from satupintu.workdays import WorkingDuration

#: Fields of ``applicant_register``'s errors → fields of the sign-up form.
SIGNUP_FIELDS = {"full_name": "full_name", "nik": "nik", "email": "email", "phone": "phone", "password": "password1"}


def office_or_404(office_slug: str | None) -> Office:
    """The office the URL names, else the default office; 404 when there is none."""
    try:
        return office_get(office_slug) if office_slug else office_default()
    except NotFound as exc:
        raise Http404(exc.message) from None


@public_page
def services(request: HttpRequest, office_slug: str | None = None) -> HttpResponse:
    """The catalogue: every service of the office, searchable across the whole standard."""
    office = office_or_404(office_slug)
    query = request.GET.get("q", "").strip()[:100]
    rows = []
    for service in catalogue.services_list(office=office, query=query):
        version = catalogue.current_version_of(service)
        rows.append({"service": service, "spec": catalogue.spec_of(version)})
    return render(request, "portal/services.html", {"office": office, "rows": rows, "query": query})


@public_page
def service_detail(request: HttpRequest, code: str, office_slug: str | None = None) -> HttpResponse:
    """A service's whole standard, as a citizen and an auditor would read it."""
    office = office_or_404(office_slug)
    try:
        service, version, spec = catalogue.service_get(office=office, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    spec = catalogue.public_spec(spec)
    steps = [{"step": step, "duration": WorkingDuration.parse(step.time)} for step in spec.sop.steps]
    not_from_seed = catalogue.not_from_source_count(spec)
    return render(
        request,
        "portal/service_detail.html",
        {
            "office": office,
            "service": service,
            "version": version,
            "spec": spec,
            "steps": steps,
            "not_from_seed": not_from_seed,
            "letter_keys": {r.key for r in spec.requirements if requirement_letters.letter_kind_for(r) is not None},
            "closed_reason": catalogue.closed_reason(service, spec),
        },
    )


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return value
    return ""


def _signup_errors(form: SignupForm, errors: dict[str, list[str]]) -> None:
    """Put the service's errors on the form's fields, skipping fields that already have one."""
    for key, messages_ in errors.items():
        field = SIGNUP_FIELDS.get(key)
        if field in form.errors:
            continue
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """
    Sign up as an applicant (``applicant_signup``), then sign in to continue to ``next`` or to
    “Permohonan saya”.

    The answer is the same whether or not the NIK, e-mail or phone is already registered (audit
    finding: sign-up told): the person is sent to the sign-in page with one neutral message, and
    an existing account's owner is told instead (``signup_existing_notify``).
    """
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "portal:my_applications")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        typed = {key: form.data.get(field, "") for key, field in SIGNUP_FIELDS.items()}
        if form.is_valid():
            try:
                outcome = applicant_signup(**typed)
            except ValidationError as exc:
                _signup_errors(form, exc.message_dict)
            else:
                # Without an office set up yet there is no outbox to write to; the audit rows remain.
                with contextlib.suppress(NotFound):
                    if outcome.owners:
                        signup_existing_notify(office=office_default(), owners=outcome.owners)
                messages.info(
                    request,
                    _(
                        "Pendaftaran diterima. Masuk dengan surel atau nomor HP dan kata sandi yang Anda buat. "
                        "Bila data Anda ternyata sudah pernah terdaftar, kami mengirim pemberitahuan ke surel "
                        "atau nomor HP yang terdaftar."
                    ),
                )
                login_url = reverse("accounts:login")
                return redirect(f"{login_url}?{urlencode({'next': next_url or reverse('portal:my_applications')})}")
        else:
            # Show every problem at once (GOV.UK), not the form's first and the service's later.
            _user, errors = applicant_registration_errors(**typed)
            _signup_errors(form, errors)
    views = {name: display.field_view(form[name]) for name in form.fields}
    context = {
        "form": form,
        "fields": views,
        "next": next_url,
        "errors": display.error_summary(form, views=list(views.values())),
    }
    return render(request, "portal/signup.html", context)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """
    Public tracking by registration number and receipt code.

    Shows the status and the step only, never who applied; a wrong pair gets one neutral message
    that does not say which half was wrong. GET parameters prefill the form (the receipt links here
    with the number).
    """
    source = request.POST if request.method == "POST" else request.GET
    submitted = request.method == "POST" or ("nomor" in source and "kode" in source)
    try:
        example = registration_number_example(office_default())
    except NotFound:
        example = ""
    form = TrackForm(source if submitted else None, initial={"nomor": source.get("nomor", "")[:40]}, example=example)
    result = None
    if submitted and form.is_valid():
        try:
            application = applications.application_track(
                number=form.cleaned_data["nomor"],
                code=form.cleaned_data["kode"],
                client=request.META.get("REMOTE_ADDR", ""),
            )
        except Throttled as exc:
            form.add_error(None, exc.message)
        else:
            if application is None:
                form.add_error(None, _("Nomor registrasi atau kode tidak cocok."))
            else:
                spec = spec_for(application)
                result = {
                    "application": application,
                    "office": application.office,
                    "service": application.service.name,
                    "status": applications.status_text(application),
                    "stage": applications.stage_text(application),
                    "step": display.current_step(spec, application),
                }
    views = [display.field_view(form["nomor"]), display.field_view(form["kode"])]
    context = {"form": form, "fields": views, "result": result, "errors": display.error_summary(form, views=views)}
    return render(request, "portal/track.html", context)
