"""
The catalogue in the Django admin: an office's services and the versions of their standards
(read-only: a version changes only through its approval), and “Salin dari templat”, which gives
an office — one just added in the admin, too — a service copied from a shipped template.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.selectors import templates_list
from satupintu.catalogue.services import service_copy_from_template
from satupintu.core.errors import DomainError
from satupintu.core.models import Office


class CopyFromTemplateForm(forms.Form):
    office = forms.ModelChoiceField(queryset=Office.objects.order_by("name"), label="Kantor")
    template = forms.ChoiceField(label="Templat", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.code, t.name) for t in templates_list()]  # type: ignore[attr-defined]


class VersionInline(admin.TabularInline):
    model = ServiceStandardVersion
    extra = 0
    can_delete = False
    fields = ("version", "status", "decree_number", "decree_date", "effective_from", "loaded_at", "source_path")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "office", "code", "template", "active")
    list_filter = ("office", "active")
    search_fields = ("name", "code")
    readonly_fields = ("office", "code", "template", "created_at")
    fields = ("office", "code", "name", "short_code", "active", "template", "created_at")
    inlines = [VersionInline]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """Adding a service is copying a template into an office (``service_copy_from_template``)."""
        form = CopyFromTemplateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = service_copy_from_template(
                    office=form.cleaned_data["office"],
                    template_code=form.cleaned_data["template"],
                    actor=request.user,
                    django_admin=True,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                service = version.service
                messages.success(
                    request, f"{service.name} disalin ke {service.office} sebagai konsep v{version.version}."
                )
                return redirect("admin:catalogue_service_change", version.service.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Salin dari templat",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalogue/copy_from_template.html", context)


@admin.register(ServiceStandardVersion)
class ServiceStandardVersionAdmin(admin.ModelAdmin):
    list_display = ("service", "version", "status", "decree_number", "effective_from", "office")
    list_filter = ("status", "office")
    readonly_fields = [f.name for f in ServiceStandardVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
