"""
The front office's counter pages of issue 15: register an organisation from its papers (its
admin accepts the invitation from their own account), and record a proxy who brings a file with
a power of attorney (surat kuasa). The rules are in ``organisations.services`` and
``applications.services``; these pages parse and render.
"""

from __future__ import annotations

from typing import IO, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import require_role
from satupintu.accounts.roles import Role
from satupintu.applications import selectors, services
from satupintu.applications.uploads import UploadRejected
from satupintu.core.errors import Conflict, InvalidData
from satupintu.core.selectors import office_get
from satupintu.organisations import services as organisations
from satupintu.organisations.models import OrganisationKind
from satupintu.staff.views import staff_view


class CounterOrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama organisasi"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis organisasi"), choices=[("", "—"), *OrganisationKind.choices], required=False
    )
    nib = forms.CharField(label=gettext_lazy("NIB (13 angka)"), max_length=20, required=False)
    npwp = forms.CharField(label=gettext_lazy("NPWP (15 atau 16 angka)"), max_length=25, required=False)
    address = forms.CharField(label=gettext_lazy("Alamat"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    admin = forms.CharField(
        label=gettext_lazy("NIK atau surel akun admin organisasi"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Orang ini menjadi admin setelah menerima undangan dari akunnya sendiri."),
    )
    position = forms.CharField(label=gettext_lazy("Jabatan admin"), max_length=200, required=False)


class ProxyApplicantForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama kuasa"), max_length=200, required=False)
    id_number = forms.CharField(label=gettext_lazy("Nomor identitas kuasa (NIK/KTP)"), max_length=40, required=False)
    letter = forms.FileField(label=gettext_lazy("Surat kuasa (PDF/JPG/PNG)"), required=False)


def _domain_errors(form: forms.Form, exc: InvalidData) -> None:
    for key, message in exc.errors.items():
        form.add_error(key if key in form.fields else None, message)


@staff_view
def organisation_new(request: HttpRequest, office_slug: str) -> HttpResponse:
    """Register an organisation at the counter (front office)."""
    office = office_get(office_slug)
    require_role(request.user, office, Role.FRONT_OFFICE)
    form = CounterOrganisationForm(request.POST if request.method == "POST" else None)
    status, problem = 200, ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            organisation = organisations.organisation_register_at_counter(
                officer=request.user, office=office, data=data, admin=data.pop("admin")
            )
        except InvalidData as exc:
            _domain_errors(form, exc)
            status, problem = exc.http_status, exc.message
        else:
            messages.success(
                request,
                _("Organisasi %(name)s terdaftar. Adminnya menerima undangan dari akunnya sendiri di menu Organisasi.")
                % {"name": organisation.name},
            )
            return redirect("staff:counter_start", office_slug=office.slug)
    return render(
        request, "staff/counter_organisation.html", {"office": office, "form": form, "problem": problem}, status=status
    )


@staff_view
def proxy_applicant(request: HttpRequest, number: str) -> HttpResponse:
    """Record the proxy who brought a counter file, with the power of attorney, before it is handed in."""
    application = selectors.application_for_staff(number=number, user=request.user)
    require_role(request.user, application.office, Role.FRONT_OFFICE)
    form = ProxyApplicantForm(request.POST or None, request.FILES or None)
    status, problem = 200, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["letter"]
        try:
            if upload is None:
                raise InvalidData(_("Data kuasa belum lengkap."), {"letter": _("Unggah surat kuasa.")})
            services.proxy_application_record(
                application=application,
                actor=request.user,
                name=form.cleaned_data["name"],
                id_number=form.cleaned_data["id_number"],
                stream=cast(IO[bytes], upload),
                filename=upload.name or "surat-kuasa",
            )
        except InvalidData as exc:
            _domain_errors(form, exc)
            status, problem = exc.http_status, exc.message
        except UploadRejected as exc:
            form.add_error("letter", exc.message)
            status, problem = 422, exc.message
        except Conflict as exc:
            status, problem = exc.http_status, exc.message
        else:
            messages.success(request, _("Kuasa pengajuan dicatat dengan surat kuasanya."))
            return redirect("staff:application", number=application.number)
    return render(
        request,
        "staff/counter_proxy.html",
        {"office": application.office, "app": application, "form": form, "problem": problem},
        status=status,
    )
