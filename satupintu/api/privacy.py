"""
``GET /me/data-access``: who read the caller's personal data (UU 27/2022), the same list as the
portal page "Siapa yang mengakses data saya".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from satupintu.accounts.roles import Role
from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error, UtcDatetime
from satupintu.core.privacy import person_entries

router = Router(auth=bearer, tags=["data pribadi"])


class DataAccessOut(Schema):
    at: UtcDatetime
    office: str
    office_slug: str
    reader: str
    roles: list[str]
    kind: str
    kind_text: str
    target: str
    target_text: str
    fields: list[str]
    purpose: str


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


@router.get(
    "/me/data-access",
    response={200: list[DataAccessOut], 401: Error},
    summary="Siapa yang mengakses data pribadi saya",
)
def my_data_access(request: HttpRequest) -> list[dict[str, Any]]:
    """Every read of the caller's data by someone else, newest first (the latest 500)."""
    return person_entries(caller(request), role_label=_role_label)
