"""
"Siapa yang mengakses data saya": the signed-in person's list of who read their data (UU 27/2022
Pasal 7, the right of access). The API has the same list at ``GET /api/v1/me/data-access``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from satupintu.accounts.roles import Role
from satupintu.core.privacy import person_entries


def role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


@login_required
def my_data_access(request: HttpRequest) -> HttpResponse:
    """Every read of the person's data by someone else, newest first (the latest 500)."""
    return render(
        request,
        "portal/my_data_access.html",
        {"entries": person_entries(request.user, role_label=role_label)},
    )
