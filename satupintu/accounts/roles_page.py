"""
The staff page "Peran dan Plh" of an office: grant a role, end a membership, appoint a Plh (the
``staff`` door; the admin, the API and ``manage.py role_grant`` are the others). Each goes
through ``accounts.services``, which writes the audit row. Only the office's admin may use it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from satupintu.accounts.forms import PlhAppointForm, RoleGrantForm
from satupintu.accounts.models import ActingAppointment, RoleMembership
from satupintu.accounts.permissions import Action, office_today, require
from satupintu.accounts.services import acting_appoint, membership_end, membership_grant
from satupintu.core.errors import DomainError, NotFound, PermissionDenied
from satupintu.core.selectors import office_get


@login_required
def office_roles(request: HttpRequest, office_slug: str) -> HttpResponse:
    try:
        office = office_get(office_slug)
        require(request.user, Action.MANAGE_USERS, office)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    today = office_today(office)
    action = request.POST.get("action") if request.method == "POST" else None
    grant_form = RoleGrantForm(request.POST if action == "grant" else None, initial={"valid_from": today})
    plh_form = PlhAppointForm(request.POST if action == "plh" else None, initial={"valid_from": today})
    try:
        if action == "grant" and grant_form.is_valid():
            data = grant_form.cleaned_data
            membership_grant(
                office=office,
                user=data["username"],
                role=data["role"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                granted_by=request.user,
                door="staff",
            )
            messages.success(request, _("Peran sudah diberikan."))
            return redirect("accounts:office_roles", office_slug=office.slug)
        if action == "plh" and plh_form.is_valid():
            data = plh_form.cleaned_data
            acting_appoint(
                office=office,
                role=data["role"],
                acting_user=data["acting"],
                official=data["official"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                decree_number=data["decree_number"],
                reason=data["reason"],
                appointed_by=request.user,
                door="staff",
            )
            messages.success(request, _("Plh sudah ditunjuk."))
            return redirect("accounts:office_roles", office_slug=office.slug)
        if action == "end":
            membership = RoleMembership.objects.filter(office=office, pk=request.POST.get("membership") or 0).first()
            if membership is None:
                messages.error(request, _("Keanggotaan ini tidak ada di kantor ini."))
            else:
                membership_end(membership=membership, last_day=today, ended_by=request.user, door="staff")
                messages.success(request, _("Keanggotaan peran diakhiri hari ini."))
            return redirect("accounts:office_roles", office_slug=office.slug)
    except DomainError as exc:
        (grant_form if action == "grant" else plh_form).add_error(None, exc.message)
    context: dict[str, Any] = {
        "office": office,
        "memberships": RoleMembership.objects.filter(office=office)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
        .order_by("role", "user__username"),
        "appointments": ActingAppointment.objects.filter(office=office, valid_to__gte=today)
        .select_related("acting_user", "official")
        .order_by("valid_from"),
        "grant_form": grant_form,
        "plh_form": plh_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/office_roles.html", context, status=status)
