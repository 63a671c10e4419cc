"""
The Django admin for accounts. /admin/login/ is one more door (the same throttle, attempt log
and second factor as the web). Role and Plh grants made here go through the services, which
write their audit rows, like every other door.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from satupintu.accounts import services
from satupintu.accounts.forms import ThrottledAdminLoginForm
from satupintu.accounts.models import (
    ActingAppointment,
    LoginAttempt,
    OfficeAccountPolicy,
    OfficeRole,
    RoleMembership,
    SecurityKey,
    User,
    UserSession,
)
from satupintu.accounts.office_roles import grantable_actions, office_role_deactivate, office_role_save
from satupintu.accounts.roles import Role, office_roles
from satupintu.accounts.sessions import credentials_revoke
from satupintu.accounts.twofactor import otp_reset
from satupintu.core.audit import audit_record
from satupintu.core.errors import InvalidData
from satupintu.core.privacy import PersonalReadAdminMixin


class RoleCodeForm(forms.ModelForm):
    """A membership or Plh names a built-in role or one of its office's own roles."""

    def clean(self):
        data = super().clean() or {}
        role, office = data.get("role"), data.get("office")
        if role and office and role not in Role.values and role not in office_roles(office):
            self.add_error("role", f"Peran {role} tidak dikenal di kantor ini (peran bawaan atau peran kantor).")
        return data


admin.site.login_form = ThrottledAdminLoginForm

MEMBERSHIP_FIELDS = ("office", "user", "role", "valid_from", "valid_to")
ACTING_FIELDS = ("office", "role", "acting_user", "official", "valid_from", "valid_to", "decree_number", "reason")


def membership_save(request: HttpRequest, obj: RoleMembership, changed: list[str]) -> None:
    """Save an admin form's membership through the services (grant or change)."""
    if obj.pk is None:
        created = services.membership_grant(
            office=obj.office,
            user=obj.user,
            role=obj.role,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            granted_by=request.user,
            door="admin",
        )
        obj.pk, obj.created_at, obj.created_by = created.pk, created.created_at, created.created_by
    else:
        fields = {name: getattr(obj, name) for name in changed if name in MEMBERSHIP_FIELDS}
        current = RoleMembership.objects.get(pk=obj.pk)
        services.membership_change(membership=current, changed_by=request.user, door="admin", **fields)


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    form = RoleCodeForm
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
    actions = ["otp_reset_action"]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Setting someone's password here ends their other sessions and API tokens, on record."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            keep = request.session.session_key if user.pk == request.user.pk else None
            sessions, tokens = credentials_revoke(user=user, keep_session_key=keep)
            audit_record(
                action="password.admin_set",
                actor=request.user,
                target=f"user:{user.pk}",
                usable=user.has_usable_password(),
                sessions_ended=sessions,
                tokens_revoked=tokens,
            )
        return response

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleMembership:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if obj.pk is not None:
                services.membership_delete(membership=obj, deleted_by=request.user, door="admin")
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for obj in instances:
            membership_save(request, obj, changed.get(id(obj), list(MEMBERSHIP_FIELDS)))
        formset.save_m2m()

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        flags = [
            name
            for name in ("is_staff", "is_superuser", "is_active", "groups", "user_permissions")
            if name in form.changed_data
        ]
        if flags:
            audit_record(
                action="user.admin_change",
                actor=request.user,
                target=f"user:{obj.pk}",
                fields=flags,
                is_staff=obj.is_staff,
                is_superuser=obj.is_superuser,
                is_active=obj.is_active,
            )

    @admin.action(description="Hapus aplikasi autentikator (daftar ulang verifikasi dua langkah)")
    def otp_reset_action(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            otp_reset(user=user, actor=request.user)
        self.message_user(request, f"Autentikator {queryset.count()} pengguna dihapus.", messages.SUCCESS)


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    form = RoleCodeForm
    list_display = ("user", "office", "role", "valid_from", "valid_to")
    list_filter = ("office", "role")
    search_fields = ("user__username", "user__full_name")
    fields = MEMBERSHIP_FIELDS

    def save_model(self, request: HttpRequest, obj: RoleMembership, form: Any, change: bool) -> None:
        membership_save(request, obj, list(form.changed_data) if change else list(MEMBERSHIP_FIELDS))

    def delete_model(self, request: HttpRequest, obj: RoleMembership) -> None:
        services.membership_delete(membership=obj, deleted_by=request.user, door="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleMembership]) -> None:
        for obj in queryset:
            services.membership_delete(membership=obj, deleted_by=request.user, door="admin")


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(admin.ModelAdmin):
    form = RoleCodeForm
    list_display = ("acting_user", "role", "official", "office", "valid_from", "valid_to", "decree_number")
    list_filter = ("office", "role")
    fields = ACTING_FIELDS

    def save_model(self, request: HttpRequest, obj: ActingAppointment, form: Any, change: bool) -> None:
        if not change:
            created = services.acting_appoint(
                office=obj.office,
                role=obj.role,
                acting_user=obj.acting_user,
                official=obj.official,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                decree_number=obj.decree_number,
                reason=obj.reason,
                appointed_by=request.user,
                door="admin",
            )
            obj.pk, obj.created_at, obj.created_by = created.pk, created.created_at, created.created_by
            return
        current = ActingAppointment.objects.get(pk=obj.pk)
        fields = {name: getattr(obj, name) for name in form.changed_data if name in ACTING_FIELDS}
        services.acting_change(appointment=current, changed_by=request.user, door="admin", **fields)

    def delete_model(self, request: HttpRequest, obj: ActingAppointment) -> None:
        services.acting_delete(appointment=obj, deleted_by=request.user, door="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ActingAppointment]) -> None:
        for obj in queryset:
            services.acting_delete(appointment=obj, deleted_by=request.user, door="admin")


@admin.register(OfficeAccountPolicy)
class OfficeAccountPolicyAdmin(admin.ModelAdmin):
    list_display = ("office", "staff_otp_required", "updated_at")

    def save_model(self, request: HttpRequest, obj: OfficeAccountPolicy, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="office.account_policy",
            office=obj.office,
            actor=request.user,
            target=f"office:{obj.office_id}",
            staff_otp_required=obj.staff_otp_required,
        )


@admin.register(SecurityKey)
class SecurityKeyAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    search_fields = ("user__username",)
    fields = ("user", "name", "created_at", "last_used_at", "sign_count")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "ip_address", "user_agent", "created_at", "last_seen_at")
    search_fields = ("user__username", "ip_address")
    exclude = ("session_key",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
