from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from satupintu.accounts.forms import ThrottledAdminLoginForm
from satupintu.accounts.models import ActingAppointment, LoginAttempt, RoleMembership, User
from satupintu.core.privacy import PersonalReadAdminMixin

# /admin/login/ is one more door: the same throttle and attempt log as the web and the API.
admin.site.login_form = ThrottledAdminLoginForm


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    fk_name = "user"
    extra = 0
    fields = ("office", "role", "valid_from", "valid_to")


@admin.register(User)
class UserAdmin(PersonalReadAdminMixin, BaseUserAdmin):
    # Every display of a user's page (NIK, phone, e-mail) is an access row (UU 27/2022).
    access_fields = ("nik", "phone", "email", "full_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Data kepegawaian dan identitas", {"fields": ("full_name", "phone", "nik", "nip", "rank", "position")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "nip")
    inlines = [RoleMembershipInline]


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role", "valid_from", "valid_to")
    list_filter = ("office", "role")
    search_fields = ("user__username", "user__full_name")


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(admin.ModelAdmin):
    list_display = ("acting_user", "role", "official", "office", "valid_from", "valid_to", "decree_number")
    list_filter = ("office", "role")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("username", "ip_address", "attempted_at", "succeeded", "throttled", "door")
    list_filter = ("succeeded", "throttled", "door")
    search_fields = ("username", "ip_address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
