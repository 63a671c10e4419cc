"""
Application endpoints: apply, upload, submit, read, work the SOP steps, queues and public tracking.

Every state change goes through ``applications.services``; this module only finds the file the
caller may see, calls the service and shapes the answer. Whoever may not see a file gets 404, so
the API does not reveal which registration numbers exist; whoever may see it but not act gets the
service's 403.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import IO, Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Status
from ninja.files import UploadedFile

from satupintu.accounts.models import User
from satupintu.accounts.permissions import offices_for, roles_in
from satupintu.accounts.roles import Role
from satupintu.api.auth import bearer, caller
from satupintu.api.catalogue import office_or_default
from satupintu.api.schemas import (
    ActionIn,
    ApplicationCreated,
    ApplicationIn,
    ApplicationOut,
    ApplicationSummary,
    ClaimIn,
    DocumentOut,
    Error,
    InvalidError,
    QueueItem,
    SubmitIn,
    TrackOut,
    WithdrawIn,
)
from satupintu.applications import idempotency, selectors, services
from satupintu.applications.models import Application, Permit, SignatureRequest
from satupintu.applications.search import number_normalise
from satupintu.applications.workflow import kind
from satupintu.catalogue import selectors as catalogue
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check
from satupintu.core.errors import DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import AccessKind, Office

router = Router(auth=bearer, tags=["permohonan"])
queue_router = Router(auth=bearer, tags=["antrean"])
public_router = Router(tags=["pelacakan"])

WRITE_ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError}

IDEMPOTENCY_HELP = (
    "kunci unik per permintaan (mis. UUID); mengulang permintaan yang sama dengan kunci yang sama "
    "mengembalikan jawaban pertama (kode dan isi yang sama), bukan 409; kunci yang sama untuk isi "
    "lain dijawab 422. Disimpan 24 jam."
)


# --- who sees what ---------------------------------------------------------------------------


def _visible(number: str, user: User) -> tuple[Application, selectors.ApplicationView]:
    """The application and how the caller sees it; NotFound unless they are its applicant or its office's officer."""
    application = selectors.application_by_number(number)
    return application, selectors.application_view(application, user)


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


#: What each kind of recorded data looks like in ``data`` (for API clients; the step-kind table says which).
RECORDS_SHAPE = {
    "checklist": {"checklist": {"<requirement key>": {"judgement": "sesuai | tidak_sesuai", "reason": "text"}}},
    "bap": {
        "bap": {
            "date": "YYYY-MM-DD",
            "team": ["<user id of a Tim Teknis member>"],
            "findings": "",
            "recommendation": "",
        }
    },
    "draft": {"changes": {"<form field key>": "<new value>"}},
    "handover": {"handover": {"relation": "self | proxy", "name": "", "id_number": "", "proxy_document": "<id>"}},
    "responses": {"responses": {"<flagged requirement key>": "answer when the file is not replaced"}},
    "signature": {"credentials": {"passphrase": "(BSrE only, never stored)", "totp": ""}},
}


# --- shaping ---------------------------------------------------------------------------------


def _current_step(application: Application, view: selectors.ApplicationView | None) -> dict[str, Any] | None:
    if application.current_step is None:
        return None
    step = services.spec_for(application).step(application.current_step)
    claimed = application.claimed_by
    allowed = view.actions.outcomes if view is not None else []
    return {
        "number": step.number,
        "label": step.label or str(step.number),
        "kind": step.kind,
        "stage": str(kind(step).stage),
        "role": application.current_role,
        "role_label": _role_label(application.current_role),
        "received_at": application.step_received_at,
        "due_at": application.step_due_at,
        "claimed_by": claimed.display_name if claimed is not None and view and view.is_officer else None,
        "outcomes": list(step.outcomes),
        "allowed": [{**o.as_json(), "data": RECORDS_SHAPE.get(o.records) if o.records else None} for o in allowed],
    }


def _card_entry(row: dict[str, Any], view: selectors.ApplicationView) -> dict[str, Any]:
    # Officers' names are for the office; the applicant reads who acted by role.
    entry: ControlCardEntry = row["entry"]
    data = entry.data or {}
    return {
        "seq": entry.seq,
        "step": entry.step_number,
        "label": entry.step_label,
        "kind": entry.step_kind,
        "role": entry.role,
        "role_label": _role_label(entry.role),
        "actor": row["actor"],
        "acting_for": row["acting_for"] or None,
        "received_at": entry.received_at,
        "due_at": entry.due_at,
        "completed_at": entry.completed_at,
        "outcome": entry.outcome,
        "outcome_label": row["outcome_label"],
        "note": row["note"],
        "changes": data.get("changes") if view.is_officer else None,
        "handover": data.get("handover") if view.is_officer else None,
        "worked_seconds": entry.worked_seconds,
        "standard_seconds": entry.standard_seconds,
        "time_standard": entry.time_standard,
        "late": entry.late,
        "office_time": entry.office_time,
        "hash": entry.hash,
        "prev_hash": entry.prev_hash,
    }


def _permit(application: Application) -> dict[str, Any] | None:
    permit = Permit.objects.filter(application=application).first()
    if permit is None:
        return None
    return {
        "number": permit.number,
        "valid_until": permit.valid_until,
        "issued_at": permit.issued_at,
        "status": permit.status,
        "holder_name": permit.holder_name,
        "proxy_name": permit.proxy_name,
    }


def signature_json(request: SignatureRequest | None, *, detail: bool) -> dict[str, Any] | None:
    """The open signature request as the API shows it (ADR 0009); the reason of a failure and the batch for officers."""
    if request is None:
        return None
    return {
        "state": request.state,
        "state_text": request.get_state_display(),
        "error": request.error if detail else "",
        "batch": request.batch if detail else "",
        "requested_at": request.requested_at,
        "attempts": request.attempts,
    }


def _application(application: Application, user: User) -> dict[str, Any]:
    """The whole application as this viewer may see it (the one view per viewer)."""
    application = selectors.application_by_number(application.number)  # fresh, with its relations
    view = selectors.application_view(application, user)
    spec = view.spec
    if view.may_see_personal and view.is_officer:
        selectors.application_read(application, user, kind=AccessKind.API_DETAIL)
    return {
        "number": application.number,
        "tracking_code": application.tracking_code,
        "service": application.service.code,
        "service_name": spec.name,
        "office": application.office.slug,
        "channel": application.channel,
        "renewal": application.renewal,
        "status": application.status,
        "status_text": selectors.status_text(application),
        "stage": view.stage,
        "current_step": _current_step(application, view),
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "clock_started_at": application.clock_started_at,
        "due_at": application.due_at,
        "completed_at": application.completed_at,
        "closed_at": application.closed_at,
        "return_due_at": application.return_due_at,
        "permit": _permit(application),
        "signature": signature_json(services.signature_open(application), detail=view.is_officer),
        "return_reasons": application.return_reasons or [],
        "rejection_reason": application.rejection_reason,
        "data": view.data,
        "control_card": [_card_entry(row, view) for row in view.card],
        "card_intact": card_check(application.pk, head_hash=application.card_head_hash).ok,
        "can_withdraw": view.actions.can_withdraw,
        "payment": _payment(application, spec),
    }


def _payment(application: Application, spec: Any) -> dict[str, Any] | None:
    """The fee and the bill of a charged service (None for a free one)."""
    from satupintu.payments import selectors as payments

    if not spec.fee.charged:
        return None
    bill = payments.bill_of(application)
    quote = bill.quote if bill else payments.quote(spec, application.office, application.data).as_dict()
    return {
        "fee": quote,
        "bill": {
            "number": bill.number,
            "amount": bill.amount,
            "payment_code": bill.payment_code,
            "due_at": bill.due_at.isoformat(),
            "status": bill.status,
        }
        if bill
        else None,
    }


def _summary(application: Application) -> dict[str, Any]:
    step = services.spec_for(application).step(application.current_step) if application.current_step else None
    return {
        "number": application.number,
        "tracking_code": application.tracking_code,
        "service": application.service.code,
        "service_name": application.service.name,
        "office": application.office.slug,
        "status": application.status,
        "status_text": selectors.status_text(application),
        "current_step_label": (step.label or str(step.number)) if step else None,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "completed_at": application.completed_at,
    }


# --- the applicant's side ----------------------------------------------------------------------


@router.post(
    "/applications",
    response={201: ApplicationCreated, 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Ajukan permohonan baru (draf)",
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    """
    Start an application: a draft with its registration number and tracking code.

    ``applicant`` holds identity fields of the form (``nama_lengkap``, ``nik``, ``no_hp``, …) and is
    merged into ``data``; keys in ``data`` win. ``channel: counter`` is for front-office officers
    registering on an applicant's behalf.
    """
    user = caller(request)
    office = office_or_default(payload.office)
    service, _version, _spec = catalogue.service_get(office=office, code=payload.service)
    application = services.application_create(
        office=office,
        service=service,
        actor=user,
        data={**payload.applicant, **payload.data},
        renewal=payload.renewal,
        channel=payload.channel,
    )
    view = selectors.application_view(application, user)
    return Status(
        201,
        {
            "number": application.number,
            "tracking_code": application.tracking_code,
            "status": application.status,
            "status_text": selectors.status_text(application),
            "current_step": _current_step(application, view),
        },
    )


@router.get("/applications", response={200: list[ApplicationSummary], 401: Error}, summary="Permohonan saya")
def applications_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own applications, newest first."""
    return [_summary(a) for a in selectors.applications_of(caller(request))]


@router.post(
    "/applications/{number}/documents",
    response={201: DocumentOut, **WRITE_ERRORS},
    summary="Unggah berkas persyaratan",
)
def document_upload(
    request: HttpRequest, number: str, requirement: Form[str], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """
    Upload the file for one requirement (PDF/JPG/PNG as the standard allows, within its size limit).

    The content is checked, not the name: a text file named ``.pdf`` is refused (422,
    ``upload_rejected``). A new upload for the same requirement replaces the earlier one.
    """
    user = caller(request)
    application, _view = _visible(number, user)
    document = services.document_attach(
        application=application,
        actor=user,
        requirement_key=requirement,
        stream=cast(IO[bytes], file.file),  # an upload always has its stream
        filename=file.name or "",
    )
    return Status(
        201,
        {
            "requirement": document.requirement_key,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
            "uploaded_at": document.uploaded_at,
        },
    )


@router.post(
    "/applications/{number}/submit",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Ajukan berkas (atau ajukan ulang setelah dilengkapi)",
)
def application_submit(
    request: HttpRequest,
    number: str,
    payload: SubmitIn | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=IDEMPOTENCY_HELP),
) -> HttpResponse:
    """Hand the file in: every applicable requirement uploaded and the form valid (422 listing what is missing)."""
    user = caller(request)

    def act() -> Application:
        application, _view = _visible(number, user)
        return services.application_submit(
            application=application, actor=user, responses=payload.responses if payload else None
        )

    return _idempotent_step(request, user, idempotency_key, act)


@router.get(
    "/applications/{number}",
    response={200: ApplicationOut, 401: Error, 404: Error},
    summary="Rincian permohonan dan kartu kendali",
)
def application_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    """
    The application for its applicant or an officer of its office (404 for anyone else).

    Personal data is shown to the applicant and to officers allowed to see it, masked for other
    officers; officers' names on the control card are shown to officers only.
    """
    user = caller(request)
    application, _view = _visible(number, user)
    return _application(application, user)


# --- working the steps -------------------------------------------------------------------------


@router.post(
    "/applications/{number}/actions",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Selesaikan langkah SOP dengan suatu hasil",
)
def application_act(
    request: HttpRequest,
    number: str,
    payload: ActionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=IDEMPOTENCY_HELP),
) -> HttpResponse:
    """
    Complete the caller's step with an outcome (409 if the step has moved on, 403 if the caller may not).

    A completeness check takes ``data.checklist`` (a reason for every unmet requirement); an
    inspection's ``recommend`` takes ``data.bap``; ``reject``, ``revise`` need a ``note``. The
    submit step's ``submitted`` is the same as ``POST …/submit``. An approving signature answers
    at once with the number taken and ``signature.state`` ``pending``; the signed permit follows
    (``GET`` the application until ``signature`` is ``null`` or ``failed``).
    """
    user = caller(request)

    def act() -> Application:
        application, _view = _visible(number, user)
        return services.step_complete(
            application=application,
            actor=user,
            step_number=payload.step,
            outcome=payload.outcome,
            note=payload.note,
            data=payload.data,
        )

    return _idempotent_step(request, user, idempotency_key, act)


def _idempotent_step(
    request: HttpRequest, user: User, raw_key: str | None, act: Callable[[], Application]
) -> HttpResponse:
    """Run a step request once per Idempotency-Key (``applications.idempotency``) and answer as the API does."""
    from satupintu.api.api import api

    def run() -> idempotency.Answer:
        try:
            application = act()
            body: Any = ApplicationOut.model_validate(_application(application, user)).model_dump(by_alias=True)
            status = 200
        except DomainError as exc:
            body = {"detail": exc.message, "code": exc.code}
            errors = getattr(exc, "errors", None)
            if isinstance(errors, dict):
                body["errors"] = {str(k): str(v) for k, v in errors.items()}
            status = exc.http_status
        response = api.create_response(request, body, status=status)
        return idempotency.Answer(status=status, body=response.content, content_type=response["Content-Type"])

    answer, replayed = idempotency.idempotent(
        user=user,
        key=idempotency.key_clean(raw_key),
        scope=f"POST {request.path}",
        fingerprint=idempotency.fingerprint_json(request.body),
        run=run,
    )
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/applications/{number}/claim",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Ambil langkah (agar tidak dikerjakan dua petugas)",
)
def application_claim(request: HttpRequest, number: str, payload: ClaimIn) -> dict[str, Any]:
    """Take the current step so no other officer works it at the same time (409 if taken or moved on)."""
    user = caller(request)
    application, _view = _visible(number, user)
    application = services.step_claim(application=application, actor=user, step_number=payload.step)
    return _application(application, user)


@router.post(
    "/applications/{number}/release",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Lepaskan langkah yang diambil",
)
def application_release(request: HttpRequest, number: str) -> dict[str, Any]:
    """Give a claimed step back to the queue."""
    user = caller(request)
    application, _view = _visible(number, user)
    application = services.step_release(application=application, actor=user)
    return _application(application, user)


@router.post(
    "/applications/{number}/withdraw",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Batalkan permohonan",
)
def application_withdraw(request: HttpRequest, number: str, payload: WithdrawIn) -> dict[str, Any]:
    """Withdraw the application (its applicant, or the front office for them), with a reason."""
    user = caller(request)
    application, _view = _visible(number, user)
    application = services.application_withdraw(application=application, actor=user, reason=payload.reason)
    return _application(application, user)


# --- queues ------------------------------------------------------------------------------------


_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)
QUEUE_PAGE_MAX = 200


def _cursor_encode(key: selectors.QueueKey) -> str:
    due, received, pk = key
    raw = json.dumps([due.isoformat() if due else None, received.isoformat() if received else None, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_decode(cursor: str) -> selectors.QueueKey:
    """The queue position a cursor names; InvalidData (422) for anything this API did not hand out."""
    try:
        due, received, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        times = [dt.datetime.fromisoformat(t) if t else None for t in (due, received)]
        if any(t is not None and t.tzinfo is None for t in times):
            raise ValueError("naive time in cursor")
        return (times[0], times[1], int(pk))
    except (ValueError, TypeError):
        message = _("Gunakan kursor dari jawaban sebelumnya.")
        raise InvalidData(_("Kursor halaman tidak sah."), {"cursor": message}) from None


def _queue_order(key: selectors.QueueKey) -> tuple[bool, dt.datetime, dt.datetime, int]:
    due, received, pk = key
    return (due is None, due or _FAR, received or _FAR, pk)


@queue_router.get(
    "/queue",
    response={200: list[QueueItem], 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Antrean tugas saya",
)
def queue(
    request: HttpRequest,
    response: HttpResponse,
    office: str | None = None,
    role: str | None = None,
    limit: int = Query(50, ge=1, le=QUEUE_PAGE_MAX),
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """
    What waits for the caller's roles in the caller's offices, overdue first, then by due time.

    ``office`` (slug) and ``role`` narrow it to one office or one role. Cursor-paginated: up to
    ``limit`` items (50; at most 200); when more follow, the ``Link`` header (``rel="next"``)
    gives the next page's address and ``X-Next-Cursor`` its ``cursor``. A page is read from the
    index wherever it starts, so walking a long queue costs the same per page.
    """
    user = caller(request)
    offices = offices_for(user)
    if office:
        wanted = office_or_default(office)
        if wanted not in offices:
            raise PermissionDenied(_("Anda tidak memegang peran di kantor ini saat ini."))
        offices = [wanted]
    after = _cursor_decode(cursor) if cursor else None
    now = timezone.now()
    page: list[tuple[Application, Office, str]] = []
    for the_office in offices:
        for the_role in sorted(roles_in(user, the_office)):
            if role and the_role != role:
                continue
            rows = selectors.queue_page(office=the_office, role=the_role, after=after, limit=limit + 1)
            page.extend((application, the_office, the_role) for application in rows)
    # Each (office, role) queue is in order; merged, the first ``limit`` of all are this page.
    page.sort(key=lambda item: _queue_order(selectors.queue_key(item[0])))
    more = len(page) > limit
    page = page[:limit]
    if more:
        next_cursor = _cursor_encode(selectors.queue_key(page[-1][0]))
        query = request.GET.copy()
        query["cursor"] = next_cursor
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
        response["X-Next-Cursor"] = next_cursor
    items = []
    for application, the_office, the_role in page:
        step = services.spec_for(application).step(application.current_step or 1)
        claimed = application.claimed_by
        items.append(
            {
                "number": application.number,
                "service": application.service.code,
                "service_name": application.service.name,
                "office": the_office.slug,
                "step": step.number,
                "label": step.label or str(step.number),
                "kind": step.kind,
                "role": the_role,
                "received_at": application.step_received_at,
                "due_at": application.step_due_at,
                "overdue": application.step_due_at is not None and application.step_due_at < now,
                "claimed_by": claimed.display_name if claimed is not None else None,
            }
        )
    return items


# --- public tracking ---------------------------------------------------------------------------


@public_router.get("/track", response={200: TrackOut, 404: Error, 429: Error}, summary="Lacak permohonan (publik)")
def track(request: HttpRequest, number: str, code: str) -> dict[str, Any]:
    """
    Where a file is, for anyone holding its registration number and receipt code. Nothing personal.
    """
    application = selectors.application_track(
        number=number_normalise(number), code=number_normalise(code), client=request.META.get("REMOTE_ADDR", "")
    )
    if application is None:
        raise NotFound(_("Nomor registrasi atau kode tidak cocok."))
    step = services.spec_for(application).step(application.current_step) if application.current_step else None
    return {
        "number": application.number,
        "service": application.service.code,
        "service_name": application.service.name,
        "office": application.office.slug,
        "status": application.status,
        "status_text": selectors.status_text(application),
        "current_step": {
            "label": step.label or str(step.number),
            "role": application.current_role,
            "role_label": _role_label(application.current_role),
        }
        if step
        else None,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "completed_at": application.completed_at,
    }
