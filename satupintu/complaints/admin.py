"""Admin: the office's complaint categories (the Open311 services), read-only views of the register and keys."""

from django.contrib import admin

from satupintu.complaints.models import Complaint, ComplaintCategory, Open311Key


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "office", "active", "order"]
    list_filter = ["active", "office"]
    search_fields = ["code", "name"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """The register is written by the complaint services only; the admin reads it."""

    list_display = ["ticket", "received_at", "channel", "kind", "weight", "status", "office"]
    list_filter = ["status", "weight", "channel", "office"]
    search_fields = ["ticket", "application_number"]
    # Identity stays out of the admin list and search (confidential complaints).
    exclude = ["complainant_name", "complainant_phone", "complainant_email", "complainant_address", "access_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys are issued with ``manage.py complaints_open311_key``; here they can be switched off."""

    list_display = ["name", "office", "active", "created_at"]
    fields = ["name", "office", "active"]
    readonly_fields = ["name", "office"]

    def has_add_permission(self, request):
        return False
