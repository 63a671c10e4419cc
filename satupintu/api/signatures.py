"""
Batch signatures (ADR 0009): the Kepala Dinas signs many permits in one call and follows each.

``POST /signatures`` records each chosen file's approving signature (its number taken) and
answers 202 with a result per file; the files are then signed together, outside the request's
transactions, in one call of the signer (one BSrE passphrase or TOTP). ``GET /signatures/{batch}``
says where each file stands (pending, signing, signed, failed).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from satupintu.accounts.permissions import require_role
from satupintu.accounts.roles import Role
from satupintu.api.auth import bearer, caller
from satupintu.api.schemas import Error, InvalidError
from satupintu.core.selectors import office_get
from satupintu.documents.selectors import BATCH_MAX, signature_batch
from satupintu.documents.services import signature_batch_start

router = Router(auth=bearer, tags=["tanda tangan"])


class CredentialsIn(Schema):
    passphrase: str = Field("", description="passphrase TTE (BSrE saja; tidak disimpan)")
    totp: str = Field("", description="atau kode TOTP (BSrE saja; tidak disimpan)")


class BatchIn(Schema):
    office: str = Field(description="slug kantor")
    applications: list[str] = Field(
        description=f"nomor registrasi berkas yang ditandatangani (paling banyak {BATCH_MAX})"
    )
    credentials: CredentialsIn | None = None


class BatchResultOut(Schema):
    number: str
    accepted: bool
    message: str


class BatchStarted(Schema):
    batch: str
    results: list[BatchResultOut]
    status_url: str


class BatchRowOut(Schema):
    number: str
    permit_number: str
    state: str = Field(description="pending | signing | signed | failed")
    state_text: str
    error: str
    document_id: int | None


class BatchOut(Schema):
    batch: str
    total: int
    done: int
    items: list[BatchRowOut]


@router.post(
    "/signatures",
    response={202: BatchStarted, 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Tandatangani banyak berkas sekaligus (Kepala Dinas)",
)
def signatures_start(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """
    Each chosen file must wait at its sign step for the caller (Kepala Dinas or Plh); a file
    that does not is reported in ``results`` and does not stop the others. 422 when none is chosen
    or more than the limit.
    """
    user = caller(request)
    office = office_get(payload.office)
    require_role(user, office, Role.KEPALA_DINAS)
    credentials = (
        {k: v for k, v in payload.credentials.model_dump().items() if v} if payload.credentials is not None else None
    )
    batch, results = signature_batch_start(
        office=office, actor=user, numbers=payload.applications, credentials=credentials
    )
    return Status(
        202,
        {
            "batch": batch,
            "results": [{"number": r.number, "accepted": r.accepted, "message": r.message} for r in results],
            "status_url": f"/api/v1/signatures/{office.slug}/{batch}",
        },
    )


@router.get(
    "/signatures/{office_slug}/{batch}",
    response={200: BatchOut, 401: Error, 404: Error},
    summary="Kemajuan tanda tangan sekaligus",
)
def signatures_status(request: HttpRequest, office_slug: str, batch: str) -> dict[str, Any]:
    user = caller(request)
    office = office_get(office_slug)
    rows = signature_batch(office=office, batch=batch, user=user)
    return {
        "batch": batch,
        "total": len(rows),
        "done": sum(1 for r in rows if r.state in {"signed", "failed"}),
        "items": [r.__dict__ for r in rows],
    }
