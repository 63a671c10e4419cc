"""
The Kepala Dinas's batch signature (ADR 0009): choose many files waiting for a signature, sign
them in one action (one BSrE passphrase or TOTP), and follow each file's progress.

The rules are in ``documents.services.signature_batch_start`` (each file through the same
``step_complete`` as one by one) and ``documents.selectors``; this module parses and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts.permissions import require_role
from satupintu.accounts.roles import Role
from satupintu.core.errors import DomainError, InvalidData
from satupintu.core.selectors import office_get
from satupintu.documents.selectors import BATCH_MAX, awaiting_signature, signature_batch
from satupintu.documents.services import signature_batch_start
from satupintu.documents.signing import signing_needs_credentials
from satupintu.staff import display
from satupintu.staff.views import staff_view

#: Seconds between refreshes of the progress page while a file is still being signed.
REFRESH_SECONDS = 2


@staff_view
@require_http_methods(["GET", "POST"])
def batch_sign(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The files waiting for the user's signature, with a box each; POST signs the chosen ones."""
    office = office_get(office_slug)
    grant = require_role(request.user, office, Role.KEPALA_DINAS)
    problem, status, chosen = "", 200, set(request.POST.getlist("applications"))
    if request.method == "POST":
        credentials = {
            k: request.POST.get(f"tte_{k}", "") for k in ("passphrase", "totp") if request.POST.get(f"tte_{k}")
        }
        try:
            batch, results = signature_batch_start(
                office=office, actor=request.user, numbers=request.POST.getlist("applications"), credentials=credentials
            )
        except InvalidData as exc:
            problem, status = exc.message, exc.http_status
        except DomainError as exc:
            problem, status = exc.message, exc.http_status
        else:
            for result in results:
                if not result.accepted:
                    messages.error(request, f"{result.number}: {result.message}")
            if any(r.accepted for r in results):
                return redirect("staff:batch_sign_status", office_slug=office.slug, batch=batch)
            problem, status = _("Tidak ada berkas yang dapat ditandatangani."), 409
    rows = [
        {"item": item, "received": display.office_time(item.application.step_received_at, office)}
        for item in awaiting_signature(office=office, user=request.user)
    ]
    return render(
        request,
        "staff/signing/batch.html",
        {
            "office": office,
            "acting_for": grant.acting_for,
            "rows": rows,
            "chosen": chosen,
            "needs_credentials": signing_needs_credentials(office),
            "batch_max": BATCH_MAX,
            "problem": problem,
        },
        status=status,
    )


@staff_view
def batch_sign_status(request: HttpRequest, office_slug: str, batch: str) -> HttpResponse:
    """Each file of one batch and where it stands; refreshes itself until none is still on its way."""
    office = office_get(office_slug)
    rows = signature_batch(office=office, batch=batch, user=request.user)
    counts = {state: sum(1 for r in rows if r.state == state) for state in ("pending", "signing", "signed", "failed")}
    busy = counts["pending"] + counts["signing"]
    return render(
        request,
        "staff/signing/status.html",
        {
            "office": office,
            "batch": batch,
            "rows": rows,
            "counts": counts,
            "busy": busy,
            "done": len(rows) - busy,
            "total": len(rows),
            "refresh": REFRESH_SECONDS if busy else 0,
        },
    )
