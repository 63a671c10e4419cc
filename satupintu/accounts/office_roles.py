"""
An office's own roles (``OfficeRole``): add one with the office actions it may perform, switch one
off. Every change is audited. Memberships, Plh appointments, queues and SOP steps then name the
role by its code like a built-in one (``roles.office_role_codes``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.accounts.models import OfficeRole
from satupintu.accounts.permissions import Action
from satupintu.accounts.roles import Role
from satupintu.core.audit import audit_record
from satupintu.core.errors import InvalidData, NotFound
from satupintu.core.models import Office

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")

#: What an office role may be given: every office action but the administrator's own.
_NOT_GRANTABLE = frozenset({Action.MANAGE_OFFICE, Action.MANAGE_USERS, Action.MANAGE_ROLES})


def grantable_actions() -> list[Action]:
    """The office actions an office role may be given, in the order of ``Action``."""
    return [action for action in Action if action not in _NOT_GRANTABLE]


def office_roles_list(*, office: Office) -> QuerySet[OfficeRole]:
    return OfficeRole.objects.filter(office=office).order_by("-active", "name")


@transaction.atomic
def office_role_save(*, office: Office, code: str, name: str, permissions: list[str], actor: Any) -> OfficeRole:
    """
    Add the office's role ``code`` or change its name and actions. Raise InvalidData (per field)
    for a malformed code, a built-in code, a missing name or an action an office role may not have.
    """
    code, name = code.strip(), name.strip()
    errors: dict[str, str] = {}
    if not _CODE.match(code):
        errors["code"] = _("Kode peran: huruf kecil, angka dan garis bawah, diawali huruf (2–40 karakter).")
    elif code in Role.values:
        errors["code"] = _("Kode %(code)s adalah peran bawaan; pilih kode lain.") % {"code": code}
    if not name:
        errors["name"] = _("Isi nama peran.")
    allowed = {a.value for a in grantable_actions()}
    unknown = [p for p in permissions if p not in allowed]
    if unknown:
        errors["permissions"] = _("Kewenangan tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise InvalidData(_("Periksa kembali isian peran."), errors)
    chosen = sorted(set(permissions))
    role, created = OfficeRole.objects.select_for_update().get_or_create(
        office=office, code=code, defaults={"name": name, "permissions": chosen}
    )
    before = {"name": role.name, "permissions": role.permissions, "active": role.active}
    if not created:
        role.name, role.permissions, role.active = name, chosen, True
        role.save(update_fields=["name", "permissions", "active"])
    audit_record(
        action="office_role.create" if created else "office_role.change",
        office=office,
        actor=actor,
        target=f"role:{code}",
        before={} if created else before,
        after={"name": name, "permissions": chosen, "active": True},
    )
    return role


@transaction.atomic
def office_role_deactivate(*, office: Office, code: str, actor: Any) -> OfficeRole:
    """Switch the office's role off: it grants nothing and standards can no longer name it."""
    role = OfficeRole.objects.select_for_update().filter(office=office, code=code).first()
    if role is None:
        raise NotFound(_("Peran %(code)s tidak ada di kantor ini.") % {"code": code})
    role.active = False
    role.save(update_fields=["active"])
    audit_record(action="office_role.deactivate", office=office, actor=actor, target=f"role:{code}")
    return role
