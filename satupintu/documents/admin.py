import base64
import contextlib
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from satupintu.applications.uploads import UploadRejected
from satupintu.core.errors import DomainError
from satupintu.documents.models import DocumentTemplate, IssuedDocument, LetterSettings, PermitRevocation
from satupintu.documents.rendering import RenderError, default_source
from satupintu.documents.services import emblem_png, letter_emblem_set


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


class LetterSettingsForm(forms.ModelForm):
    """The letter settings with the emblem as an upload (checked and re-encoded by the service)."""

    emblem_upload = forms.FileField(
        label="Unggah lambang daerah",
        required=False,
        help_text="PNG atau JPEG, paling besar 2 MB; disimpan ulang sebagai PNG. Kosongkan bila tidak diganti.",
    )
    emblem_remove = forms.BooleanField(label="Hapus lambang", required=False)

    class Meta:
        model = LetterSettings
        fields = ["office", "place", "head_title", "on_behalf_of", "tembusan", "public_url"]

    def clean_emblem_upload(self) -> Any:
        upload = self.cleaned_data.get("emblem_upload")
        if upload is not None:
            try:
                emblem_png(upload)  # refused here with the upload's own message, stored by the service
            except UploadRejected as exc:
                raise forms.ValidationError(exc.message) from exc
            upload.seek(0)
        return upload


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    form = LetterSettingsForm
    list_display = ["office", "place", "head_title", "on_behalf_of", "has_emblem"]
    readonly_fields = ["emblem_preview"]

    @admin.display(description="lambang", boolean=True)
    def has_emblem(self, obj: LetterSettings) -> bool:
        return bool(obj.emblem_png)

    @admin.display(description="lambang saat ini")
    def emblem_preview(self, obj: LetterSettings) -> str:
        if not obj.emblem_png:
            return "Belum ada (kop surat tanpa lambang)."
        encoded = base64.b64encode(bytes(obj.emblem_png)).decode()
        return format_html('<img src="data:image/png;base64,{}" alt="Lambang daerah" style="height:80px">', encoded)

    def save_model(self, request: Any, obj: LetterSettings, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("emblem_upload")
        if upload is not None or form.cleaned_data.get("emblem_remove"):
            try:
                letter_emblem_set(office=obj.office, actor=request.user, upload=upload)
            except DomainError as exc:  # not the office's administrator
                self.message_user(request, exc.message, level=messages.ERROR)


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
