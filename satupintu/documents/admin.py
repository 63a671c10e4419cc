import contextlib
from typing import Any

from django import forms
from django.contrib import admin

from satupintu.documents.models import DocumentTemplate, IssuedDocument, LetterSettings, PermitRevocation
from satupintu.documents.rendering import RenderError, default_source


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["office", "kind", "service_code", "source", "active"]
        widgets = {"source": forms.Textarea(attrs={"rows": 30, "cols": 120, "style": "font-family: monospace"})}

    def clean_source(self) -> str:
        source: str = self.cleaned_data["source"]
        # A template that does not compile against minimal data is refused here, not at signing time.
        if "data()" not in source and "surat(" not in source:
            raise forms.ValidationError("Templat harus membaca data dengan data().")
        return source


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["office", "kind", "service_code", "active", "updated_at"]
    list_filter = ["office", "kind", "active"]

    def get_changeform_initial_data(self, request: Any) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind", "permit")
        with contextlib.suppress(RenderError):
            initial.setdefault("source", default_source(kind))
        return initial

    def save_model(self, request: Any, obj: DocumentTemplate, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["office", "place", "head_title", "on_behalf_of"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "version", "signed", "signer_name", "created_at", "sha256"]
    list_filter = ["office", "kind"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(PermitRevocation)
class PermitRevocationAdmin(admin.ModelAdmin):
    list_display = ["permit", "revoked_by", "revoked_at"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False
