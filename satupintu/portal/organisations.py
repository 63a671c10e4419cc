"""
The organisation pages: my organisations and invitations, register one, its page (record,
people, files, permits with expiry), invite a person, apply for one of its people or itself.
Views parse, call ``organisations.services`` / ``applications.services`` and render; the rules
(who may apply for whom) live in the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.applications import selectors, services
from satupintu.catalogue import selectors as catalogue
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.organisations import selectors as org_selectors
from satupintu.organisations import services as org_services
from satupintu.organisations.models import MemberRole, MemberStatus, Organisation, OrganisationKind
from satupintu.portal import display
from satupintu.portal.applicant import _form_errors_from, _prefill, _render_form, domain_pages
from satupintu.portal.forms import KINDS, ApplicationDataForm
from satupintu.portal.views import office_or_404

#: The value of the holder question for the organisation itself (the others are membership ids).
ITSELF = "organisasi"
#: Permits ending within this many days are marked for renewal on the organisation's page.
RENEW_WITHIN_DAYS = 90


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama organisasi"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis organisasi"),
        choices=[("", gettext_lazy("— pilih —")), *OrganisationKind.choices],
        required=False,
    )
    nib = forms.CharField(
        label=gettext_lazy("NIB"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Nomor Induk Berusaha dari OSS, 13 angka. Isi NIB atau NPWP."),
    )
    npwp = forms.CharField(
        label=gettext_lazy("NPWP"),
        required=False,
        max_length=25,
        help_text=gettext_lazy("15 atau 16 angka, boleh dengan titik dan tanda hubung."),
    )
    address = forms.CharField(label=gettext_lazy("Alamat"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    position = forms.CharField(label=gettext_lazy("Jabatan Anda di organisasi"), max_length=200, required=False)


class InviteForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("NIK atau surel akun orang yang diundang"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Orang itu harus sudah mempunyai akun dan menerima undangan dari akunnya sendiri "
            "sebelum permohonan dapat diajukan atas namanya."
        ),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Peran"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        widget=forms.RadioSelect,
        required=False,
    )
    position = forms.CharField(label=gettext_lazy("Jabatan/pekerjaan"), max_length=200, required=False)


def _errors_onto(form: forms.Form, exc: InvalidData) -> None:
    for key, message in exc.errors.items():
        form.add_error(key if key in form.fields else None, message)
    if not any(key in form.fields for key in exc.errors):
        form.add_error(None, exc.message)


def _views(form: forms.Form) -> list[display.FieldView]:
    return [display.field_view(form[name]) for name in form.fields]


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """My organisations, the invitations waiting for my answer, and registering a new one."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = org_services.organisation_register(actor=request.user, data=form.cleaned_data)
        except InvalidData as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Organisasi %(name)s terdaftar; Anda adminnya.") % {"name": organisation})
            return redirect("portal:organisation", pk=organisation.pk)
    views = _views(form)
    context = {
        "organisations": org_selectors.organisations_of(request.user),
        "invitations": org_selectors.invitations_for(request.user),
        "fields": views,
        "errors": display.error_summary(form, views=views),
    }
    return render(request, "portal/organisations.html", context)


@login_required
@require_POST
def invitation(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Accept or decline an invitation: only the invited person, from their own account."""
    accept = request.POST.get("jawab") == "terima"
    try:
        membership = org_services.invitation_answer(actor=request.user, membership_id=membership_id, accept=accept)
    except (NotFound, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("portal:organisations")
    if accept:
        messages.success(request, _("Anda sekarang anggota %(name)s.") % {"name": membership.organisation})
        return redirect("portal:organisation", pk=membership.organisation_id)
    messages.info(request, _("Undangan %(name)s ditolak.") % {"name": membership.organisation})
    return redirect("portal:organisations")


def _permit_rows(organisation: Organisation) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for permit in selectors.organisation_permits(organisation)[:500]:
        days = (permit.valid_until - today).days if permit.valid_until else None
        rows.append({"permit": permit, "days_left": days, "renew": days is not None and days <= RENEW_WITHIN_DAYS})
    return rows


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """
    The organisation's page. Every member sees its record and people; its admins also invite,
    see the files applied for on its behalf and its people's permits with their expiry dates.
    """
    organisation = org_selectors.organisation_for_member(pk=pk, user=request.user)
    admin = org_selectors.is_admin(request.user, organisation)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.member_invite(
                actor=request.user,
                organisation=organisation,
                identifier=form.cleaned_data["identifier"],
                role=form.cleaned_data["role"] or MemberRole.MEMBER,
                position=form.cleaned_data["position"],
            )
        except InvalidData as exc:
            _errors_onto(form, exc)
        except Conflict as exc:
            form.add_error("identifier", exc.message)
        else:
            messages.success(request, _("Undangan terkirim; orang itu menerimanya dari akunnya sendiri."))
            return redirect("portal:organisation", pk=pk)
    views = _views(form) if admin else []
    office = office_or_404(None)
    context = {
        "organisation": organisation,
        "is_admin": admin,
        "members": org_selectors.members_of(organisation),
        "MemberStatus": MemberStatus,
        "fields": views,
        "errors": display.error_summary(form, views=views) if admin else [],
        "applications": [
            {"application": a, "status": selectors.status_text(a)}
            for a in selectors.organisation_applications(organisation)[:200]
        ]
        if admin
        else [],
        "permits": _permit_rows(organisation) if admin else [],
        "services": catalogue.services_list(office=office) if admin else [],
        "office": office,
        "renew_within": RENEW_WITHIN_DAYS,
    }
    return render(request, "portal/organisation.html", context)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    try:
        org_services.member_end(actor=request.user, membership_id=membership_id)
    except (NotFound, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Keanggotaan diakhiri."))
    if org_selectors.organisations_of(request.user).filter(pk=pk).exists():
        return redirect("portal:organisation", pk=pk)
    return redirect("portal:organisations")


def _holder_choices(organisation: Organisation, spec: Any) -> list[tuple[str, str]]:
    choices = [
        (str(m.pk), f"{m.user.display_name}{' — ' + m.position if m.position else ''}")
        for m in org_selectors.members_of(organisation)
        if m.status == MemberStatus.ACTIVE
    ]
    if spec.permit.organisation_holder:
        choices.append((ITSELF, _("%(name)s sendiri (izin atas nama organisasi)") % {"name": organisation.name}))
    return choices


class HolderForm(forms.Form):
    pemegang = forms.ChoiceField(
        label=gettext_lazy("Atas nama siapa izin ini diajukan?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Pilih pemegang izin."),
            "invalid_choice": gettext_lazy("Pilih pemegang izin dari daftar."),
        },
        help_text=gettext_lazy("Hanya anggota yang sudah menerima undangan organisasi yang dapat dipilih."),
    )
    jenis = forms.ChoiceField(
        label=gettext_lazy("Permohonan baru atau perpanjangan?"),
        choices=[("baru", gettext_lazy("Permohonan baru")), ("perpanjangan", gettext_lazy("Perpanjangan izin"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih permohonan baru atau perpanjangan.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pemegang"].choices = choices  # type: ignore[attr-defined]


def _identity_from_holder(form: ApplicationDataForm, holder: Any) -> None:
    """The identity fields say whose account they come from (the holder's, not the admin's)."""
    for field in form.fields.values():
        if field.disabled:
            field.help_text = _("Diambil dari akun %(name)s dan tidak dapat diubah pada permohonan.") % {
                "name": holder.display_name
            }


@login_required
@domain_pages
@require_http_methods(["GET", "POST"])
def apply_for(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """
    Apply on behalf of the organisation: first whom the permit names (one of its people who
    accepted its invitation, or the organisation itself where the standard allows it), then the
    service's form, with the holder's name and NIK taken from the holder's own account.
    """
    organisation = org_selectors.organisation_for_member(pk=pk, user=request.user)
    if not org_selectors.is_admin(request.user, organisation):
        raise PermissionDenied(_("Hanya admin organisasi yang dapat mengajukan permohonan atas nama organisasi."))
    office = office_or_404(None)
    service, _version, spec = catalogue.service_get(office=office, code=code)
    catalogue.version_for_new_application(service)
    choices = _holder_choices(organisation, spec)
    answered = "pemegang" in request.GET or "dijawab" in request.GET
    question = HolderForm(request.GET if answered else None, choices=choices)
    context: dict[str, Any] = {"office": office, "service": service, "spec": spec, "organisation": organisation}
    if not question.is_valid():
        views = [display.field_view(question["pemegang"]), display.field_view(question["jenis"])]
        context.update(fields=views, errors=display.error_summary(question, views=views) if question.is_bound else [])
        return render(request, "portal/organisation_apply_holder.html", context)
    chosen = question.cleaned_data["pemegang"]
    holder = None
    if chosen != ITSELF:
        holder = next(m.user for m in org_selectors.members_of(organisation) if str(m.pk) == chosen)
    renewal = KINDS[question.cleaned_data["jenis"]]
    context.update(
        holder=holder,
        renewal=renewal,
        kind=question.cleaned_data["jenis"],
        holder_value=chosen,
        holder_label=dict(choices)[chosen],
    )
    if request.method == "POST":
        form = ApplicationDataForm(request.POST, spec=spec, renewal=renewal)
        if form.is_valid():
            try:
                application = services.application_create(
                    office=office,
                    service=service,
                    actor=request.user,
                    data=form.data_for_service(),
                    renewal=renewal,
                    organisation=organisation,
                    holder=holder,
                )
            except InvalidData as exc:
                _form_errors_from(form, exc.errors)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Permohonan %(number)s dibuat atas nama %(holder)s. Sekarang unggah berkas persyaratan.")
                    % {"number": application.number, "holder": application.applicant_name},
                )
                return redirect("portal:documents", number=application.number)
    else:
        form = ApplicationDataForm(initial=_prefill(spec, holder or request.user), spec=spec, renewal=renewal)
    if holder is not None:
        _identity_from_holder(form, holder)
    return _render_form(request, "portal/organisation_apply_form.html", form, context)
