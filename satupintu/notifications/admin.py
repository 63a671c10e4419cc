"""Django admin for the outbox, the editable templates and the office task list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from satupintu.core.errors import DomainError
from satupintu.notifications.models import Notice, NoticeStatus, NoticeTemplate, OfficeTask
from satupintu.notifications.selectors import mask_recipient
from satupintu.notifications.services import notice_cancel, notice_resend, office_task_done
from satupintu.notifications.templates import PLACEHOLDERS, TEMPLATE_KEYS, unknown_placeholders


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "masked_recipient", "event", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event", "office"]
    search_fields = ["application__number", "idempotency_key", "provider_message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["application"]
    actions = ["resend", "cancel"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    @admin.display(description="penerima")
    def masked_recipient(self, obj: Notice) -> str:
        return mask_recipient(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notices come from events and scans, never typed in

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the outbox is the record of what was sent

    @admin.action(description="Kirim ulang pemberitahuan yang gagal")
    def resend(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        done = 0
        for notice in queryset.filter(status__in=[NoticeStatus.FAILED, NoticeStatus.CANCELLED]):
            try:
                notice_resend(notice=notice, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{notice.pk}: {exc}", messages.WARNING)
        self.message_user(request, f"{done} pemberitahuan dijadwalkan untuk dikirim ulang.", messages.SUCCESS)

    @admin.action(description="Batalkan pemberitahuan yang belum terkirim")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        done = 0
        for notice in queryset.filter(status=NoticeStatus.PENDING):
            notice_cancel(notice=notice, actor=request.user)
            done += 1
        self.message_user(request, f"{done} pemberitahuan dibatalkan.", messages.SUCCESS)


class NoticeTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label="peristiwa", choices=sorted(TEMPLATE_KEYS.items()))

    class Meta:
        model = NoticeTemplate
        fields = ["office", "key", "channel", "subject", "body", "active"]
        help_texts = {"body": "Tempat isian: " + ", ".join("{" + name + "}" for name in PLACEHOLDERS)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unknown = unknown_placeholders(f"{data.get('subject', '')} {data.get('body', '')}")
        if unknown:
            raise forms.ValidationError(
                "Tempat isian tidak dikenal: %(names)s.", params={"names": ", ".join("{" + n + "}" for n in unknown)}
            )
        return data


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    form = NoticeTemplateForm
    list_display = ["key", "channel", "office", "active", "length", "updated_at"]
    list_filter = ["channel", "active", "office", "key"]
    search_fields = ["key", "subject", "body"]

    @admin.display(description="panjang isi")
    def length(self, obj: NoticeTemplate) -> int:
        return len(obj.body)


@admin.register(OfficeTask)
class OfficeTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "role", "kind", "created_at", "due_at", "done_at", "done_by"]
    list_filter = ["office", "role", "kind", ("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "application__number"]
    readonly_fields = ["application", "notice", "key", "created_at", "done_at", "done_by"]
    actions = ["mark_done"]

    @admin.action(description="Tandai selesai (surat sudah dikirim)")
    def mark_done(self, request: HttpRequest, queryset: QuerySet[OfficeTask]) -> None:
        done = 0
        for task in queryset.filter(done_at__isnull=True):
            office_task_done(task=task, actor=request.user)
            done += 1
        self.message_user(request, f"{done} tugas ditandai selesai.", messages.SUCCESS)
