from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from satupintu.accounts.forms import ThrottledAdminLoginForm
from satupintu.accounts.models import ActingAppointment, LoginAttempt, OfficeRole, RoleMembership, User
from satupintu.accounts.office_roles import grantable_actions, office_role_deactivate, office_role_save
from satupintu.accounts.roles import Role, office_roles
from satupintu.core.errors import InvalidData


class RoleCodeForm(forms.ModelForm):
    """A membership or Plh names a built-in role or one of its office's own roles."""

    def clean(self):
        data = super().clean() or {}
        role, office = data.get("role"), data.get("office")
        if role and office and role not in Role.values and role not in office_roles(office):
            self.add_error("role", f"Peran {role} tidak dikenal di kantor ini (peran bawaan atau peran kantor).")
        return data


# /admin/login/ is one more door: the same throttle and attempt log as the web and the API.
admin.site.login_form = ThrottledAdminLoginForm


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    form = RoleCodeForm
    fk_name = "user"
    extra = 0
    fields = ("office", "role", "valid_from", "valid_to")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Data kepegawaian dan identitas", {"fields": ("full_name", "phone", "nik", "nip", "rank", "position")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "nip")
    inlines = [RoleMembershipInline]


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    form = RoleCodeForm
    list_display = ("user", "office", "role", "valid_from", "valid_to")
    list_filter = ("office", "role")
    search_fields = ("user__username", "user__full_name")


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(admin.ModelAdmin):
    form = RoleCodeForm
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


class OfficeRoleForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(
        label="Kewenangan", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = OfficeRole
        fields = ("office", "code", "name", "permissions", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.value, a.value) for a in grantable_actions()]
        self.fields["permissions"].choices = choices  # type: ignore[attr-defined]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in Role.values:
            raise ValidationError(f"Kode {code} adalah peran bawaan; pilih kode lain.")
        return code


@admin.register(OfficeRole)
class OfficeRoleAdmin(admin.ModelAdmin):
    """An office's own roles; saved through ``office_role_save`` so each change is audited."""

    form = OfficeRoleForm
    list_display = ("name", "code", "office", "active")
    list_filter = ("office", "active")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = office_role_save(
                office=data["office"],
                code=data["code"],
                name=data["name"],
                permissions=list(data["permissions"]),
                actor=request.user,
            )
        except InvalidData as exc:
            messages.error(request, "; ".join(exc.errors.values()))
            return
        if not data["active"]:
            saved = office_role_deactivate(office=saved.office, code=saved.code, actor=request.user)
        obj.pk = saved.pk
