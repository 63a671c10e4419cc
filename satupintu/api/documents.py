"""
Document endpoints (DESIGN §12): the public permit verification and the signed permit PDF.

``GET /verify/{code}`` is public JSON (the twin of the page ``/verifikasi/{code}/``) with key
facts only. ``GET /applications/{number}/permit.pdf`` serves the newest signed file to the
applicant (once the product is ready) and to the office's officers; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.documents import printouts
from satupintu.documents.selectors import application_for_documents, permit_verify, read_file
from satupintu.documents.services import permit_download

router = Router(auth=bearer, tags=["dokumen"])
public_router = Router(tags=["verifikasi"])


class FactOut(Schema):
    label: str
    value: str


class VerifyOut(Schema):
    authentic: bool
    status: str
    status_label: str
    number: str
    title: str
    holder_name: str
    service: str
    facts: list[FactOut]
    issued_at: dt.datetime
    valid_until: dt.date | None
    validity: str
    office: str
    revoked_at: dt.datetime | None
    replaced_by: str | None
    sha256: str | None
    reasons: list[str]


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_router.get(
    "/verify/{code}", response={200: VerifyOut, 404: Error}, auth=None, summary="Verifikasi surat izin (publik)"
)
def verify(request: HttpRequest, code: str) -> dict[str, Any]:
    verification = permit_verify(code)
    if verification is None:
        raise NotFound(_("Kode verifikasi tidak dikenal."))
    return verification.as_json()


@router.get(
    "/applications/{number}/permit.pdf",
    response={200: None, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Surat izin bertanda tangan elektronik (PDF)",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def permit_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """
    The newest signed permit. For the applicant, the first download while the permit waits at the
    handover step *is* the handover by download: it is recorded on the control card (``download``).
    """
    document = permit_download(number=number, user=caller(request))
    return _pdf(read_file(document), f"surat-izin-{number}-v{document.version}.pdf")


@router.get(
    "/applications/{number}/receipt.pdf",
    response={200: None, 401: Error, 404: Error},
    summary="Tanda terima berkas (PDF)",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    application, _is_officer = application_for_documents(number=number, user=caller(request))
    return _pdf(printouts.receipt_pdf(application), f"tanda-terima-{number}.pdf")


@router.get(
    "/applications/{number}/card.pdf",
    response={200: None, 401: Error, 403: Error, 404: Error},
    summary="Kartu kendali (PDF, petugas)",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def card_pdf(request: HttpRequest, number: str) -> HttpResponse:
    application, is_officer = application_for_documents(number=number, user=caller(request))
    if not is_officer:
        raise PermissionDenied(_("Kartu kendali hanya untuk petugas kantor."))
    return _pdf(printouts.card_pdf(application), f"kartu-kendali-{number}.pdf")
