from django.contrib import admin

from satupintu.core.models import AuditEvent, Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "region", "time_zone", "cuti_bersama_is_working")
    search_fields = ("name", "slug", "region")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "office", "actor", "action", "target")
    list_filter = ("action", "office")
    readonly_fields = ("at", "office", "actor", "action", "target", "data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
