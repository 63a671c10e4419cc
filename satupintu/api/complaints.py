"""
Complaint endpoints (DESIGN §12): file a complaint (public), read its status with the code
(public), and the complaint officers' register, detail and actions (bearer token).

Rules live in ``complaints.services``; this module parses, calls and shapes. The public status
never names the complainant or the officers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from satupintu.accounts.models import User
from satupintu.accounts.permissions import Action, require
from satupintu.api.auth import Unauthenticated, bearer, caller
from satupintu.api.schemas import Error, InvalidError, UtcDatetime
from satupintu.api.tokens import token_authenticate
from satupintu.complaints import monthly, selectors, services
from satupintu.core.errors import NotFound
from satupintu.core.selectors import office_default, office_get

router = Router(tags=["pengaduan"])


class ComplaintIn(Schema):
    channel: Literal["website", "email", "letter", "phone", "fax", "sms", "in_person"] = Field(
        default="website",
        description="media (seed a.1–a.4); selain website/email hanya untuk petugas pengaduan dengan token",
    )
    office: str | None = Field(default=None, description="slug kantor; kosong: kantor bawaan")
    kind: Literal["pengaduan", "saran", "masukan"] = "pengaduan"
    category: str = Field(default="", description="kode kategori (service_code Open311)")
    subject: str = ""
    description: str = Field(description="isi pengaduan, saran atau masukan")
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    anonymous: bool = False
    confidential: bool = False
    application_number: str = Field(default="", description="nomor registrasi permohonan yang diadukan, bila ada")
    source: str = ""


class ComplaintCreated(Schema):
    ticket: str
    code: str = Field(description="kode untuk melihat status pengaduan; simpan bersama nomor tiket")
    status: str
    received_at: UtcDatetime
    status_url: str


class HistoryStep(Schema):
    action: str
    label: str
    at: UtcDatetime


class ComplaintStatusOut(Schema):
    ticket: str
    office: str
    office_name: str
    status: str
    status_text: str
    kind: str
    channel: str
    category: str | None
    weight: str | None
    received_at: UtcDatetime
    due_at: UtcDatetime | None
    answered_at: UtcDatetime | None
    reply_method: str | None
    reply: str | None
    decision: str | None
    rating: str | None
    rating_text: str | None
    rated_at: UtcDatetime | None
    can_rate: bool
    history: list[HistoryStep]


class StaffEvent(Schema):
    seq: int
    action: str
    action_text: str = Field(description="tindakan dalam kata-kata (bukan kode)")
    from_status: str
    to_status: str
    to_status_text: str
    at: UtcDatetime
    actor: str
    role: str
    acting_for: str | None
    note: str
    data: dict[str, Any]
    hash: str
    prev_hash: str


class ComplaintStaffOut(Schema):
    ticket: str
    office: str
    status: str
    status_text: str
    channel: str
    source: str
    kind: str
    category: str | None
    weight: str | None
    unit: str
    subject: str
    description: str
    anonymous: bool
    confidential: bool
    complainant: dict[str, str | None]
    application: str | None
    application_linked: bool
    received_at: UtcDatetime
    due_at: UtcDatetime | None
    decided_at: UtcDatetime | None
    decision: str
    answered_at: UtcDatetime | None
    reply_method: str | None
    reply: str
    rating: str | None
    rating_text: str | None
    rating_reason: str
    rated_at: UtcDatetime | None
    reopened_count: int
    actions: list[str]
    reply_methods: list[str]
    coordination_missing: list[str]
    history_ok: bool
    history: list[StaffEvent]


class ComplaintSummary(Schema):
    ticket: str
    status: str
    channel: str
    kind: str
    weight: str | None
    category: str | None
    received_at: UtcDatetime
    due_at: UtcDatetime | None
    overdue: bool


class ActionIn(Schema):
    action: Literal["triage", "coordinate", "decide", "reply", "note"]
    weight: str = ""
    kind: str = ""
    category: str = ""
    unit: str = ""
    note: str = ""
    party: str = Field(default="", description="berat: walikota_asisten atau sekretaris_daerah")
    decision: str = ""
    method: str = Field(default="", description="cara menanggapi: letter, phone, fax, sms, email, web, in_person")
    text: str = ""
    contact_result: str = ""


class RatingIn(Schema):
    code: str = Field(description="kode pengaduan yang diterima saat menyampaikan pengaduan")
    rating: Literal["satisfied", "not_satisfied"]
    reason: str = Field(default="", description="alasan; wajib bila tidak puas")


class ReportDraftIn(Schema):
    office: str | None = Field(default=None, description="slug kantor; kosong: kantor bawaan")
    year: int
    month: int = Field(description="1–12; hanya bulan yang sudah berakhir")


class ReportOut(Schema):
    id: int
    year: int
    month: int
    status: str
    status_text: str
    revision: int
    total: int


def _optional_user(request: HttpRequest) -> User | None:
    """The bearer token's user when the request carries one (officers registering on their channels)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = token_authenticate(header[7:].strip())
    if token is None:
        raise Unauthenticated(_("Token akses tidak ada, kedaluwarsa atau sudah dicabut."))
    return token.user


def _status_url(request: HttpRequest, ticket: str) -> str:
    try:
        return request.build_absolute_uri(reverse("complaints_public:status") + f"?tiket={ticket}")
    except NoReverseMatch:
        return ""


@router.post(
    "/complaints",
    response={201: ComplaintCreated, 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Sampaikan pengaduan, saran atau masukan (publik)",
)
def complaint_create(request: HttpRequest, payload: ComplaintIn) -> Any:
    """
    Register a complaint; answer with its ticket and the code to follow it. The website and e-mail
    channels are public; letters, phone/fax/SMS and in-person complaints are registered by a
    complaint officer with a bearer token.
    """
    actor = _optional_user(request)
    office = office_get(payload.office) if payload.office else office_default()
    complaint = services.complaint_register(
        office=office,
        channel=payload.channel,
        kind=payload.kind,
        category=payload.category,
        subject=payload.subject,
        description=payload.description,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        address=payload.address,
        anonymous=payload.anonymous,
        confidential=payload.confidential,
        application_number=payload.application_number,
        source=payload.source or ("API" if actor else "API publik"),
        actor=actor,
        complainant_user=None,
    )
    return Status(
        201,
        {
            "ticket": complaint.ticket,
            "code": complaint.access_code,
            "status": complaint.status,
            "received_at": complaint.received_at,
            "status_url": _status_url(request, complaint.ticket),
        },
    )


@router.get(
    "/complaints",
    auth=bearer,
    response={200: list[ComplaintSummary], 401: Error, 403: Error, 404: Error},
    summary="Buku Pengaduan kantor (petugas pengaduan)",
)
def complaint_register_list(
    request: HttpRequest, office: str | None = None, status: str = "", weight: str = "", channel: str = ""
) -> list[dict[str, Any]]:
    """The office's register, newest first (at most 500 rows)."""
    target = office_get(office) if office else office_default()
    require(caller(request), Action.HANDLE_COMPLAINTS, target)
    now = dt.datetime.now(dt.UTC)
    return [
        {
            "ticket": c.ticket,
            "status": c.status,
            "channel": c.channel,
            "kind": c.kind,
            "weight": c.weight or None,
            "category": c.category.code if c.category else None,
            "received_at": c.received_at,
            "due_at": c.due_at,
            "overdue": bool(c.due_at and not c.answered_at and c.due_at < now),
        }
        for c in selectors.register_for(target, status=status, weight=weight, channel=channel)[:500]
    ]


@router.get(
    "/complaints/{ticket}",
    response={200: ComplaintStatusOut | ComplaintStaffOut, 401: Error, 403: Error, 404: Error, 429: Error},
    summary="Status pengaduan (publik dengan kode; lengkap untuk petugas)",
)
def complaint_get(request: HttpRequest, ticket: str, code: str = "") -> dict[str, Any]:
    """
    With ``code``: the public status — no identity, no officers' names, no internal notes. Without
    it, a complaint officer's bearer token gives the whole complaint and its hash-chained history.
    """
    if code:
        complaint = selectors.complaint_public(ticket=ticket, code=code, client=request.META.get("REMOTE_ADDR", ""))
        if complaint is None:
            raise NotFound(_("Nomor tiket atau kode tidak cocok."))
        return selectors.public_status(complaint)
    user = _optional_user(request)
    if user is None:
        raise Unauthenticated(_("Sertakan kode pengaduan, atau token petugas pengaduan."))
    return selectors.staff_detail(selectors.complaint_for_staff(ticket, user), user)


@router.post(
    "/complaints/{ticket}/actions",
    auth=bearer,
    response={200: ComplaintStaffOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError},
    summary="Tindakan petugas atas pengaduan (pilah, koordinasi, keputusan, tanggapan, catatan)",
)
def complaint_action(request: HttpRequest, ticket: str, payload: ActionIn) -> dict[str, Any]:
    """Take one step of the procedure; 409 when the complaint's status does not allow it, 403 for the wrong role."""
    user = caller(request)
    complaint = selectors.complaint_for_staff(ticket, user)
    data = payload.dict(exclude={"action"})
    done = services.complaint_act(complaint=complaint, actor=user, action=payload.action, data=data)
    return selectors.staff_detail(selectors.complaint_by_ticket(done.ticket), user)


@router.post(
    "/complaints/{ticket}/rating",
    response={200: ComplaintStatusOut, 404: Error, 409: Error, 422: InvalidError, 429: Error},
    summary="Penilaian pengadu atas tanggapan (publik dengan kode)",
)
def complaint_rating(request: HttpRequest, ticket: str, payload: RatingIn) -> dict[str, Any]:
    """
    The complainant says whether the answer satisfied them; ``not_satisfied`` (with a reason)
    reopens the complaint one level up. 409 when it is not answered or this answer was rated.
    """
    complaint = selectors.complaint_public(ticket=ticket, code=payload.code, client=request.META.get("REMOTE_ADDR", ""))
    if complaint is None:
        raise NotFound(_("Nomor tiket atau kode tidak cocok."))
    done = services.complaint_rate(complaint=complaint, rating=payload.rating, reason=payload.reason)
    return selectors.public_status(selectors.complaint_by_ticket(done.ticket))


@router.post(
    "/complaint-reports",
    auth=bearer,
    response={201: ReportOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError},
    summary="Susun laporan pengaduan bulanan (hanya bulan yang sudah berakhir)",
)
def complaint_report_create(request: HttpRequest, payload: ReportDraftIn) -> Any:
    """Draft (or redraft) a month's report from the register; 422 for the month still running."""
    user = caller(request)
    target = office_get(payload.office) if payload.office else office_default()
    report = monthly.complaint_report_draft(office=target, year=payload.year, month=payload.month, actor=user)
    return Status(
        201,
        {
            "id": report.pk,
            "year": report.year,
            "month": report.month,
            "status": report.status,
            "status_text": report.get_status_display(),
            "revision": report.revision,
            "total": int(report.figures.get("total", 0)),
        },
    )
