"""
Survey and performance endpoints (DESIGN §12): submit one respondent, import a file of answers,
read the IKM of a batch or of a period (and service), and read staff performance figures.

Decimals go out as strings (``"82.15"``) so no client rounds them again.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from satupintu.accounts.models import User
from satupintu.accounts.permissions import Action, can, offices_for, require
from satupintu.api.auth import bearer, caller
from satupintu.api.catalogue import office_or_default
from satupintu.api.schemas import Error, InvalidError
from satupintu.api.tokens import token_authenticate
from satupintu.catalogue.models import Service
from satupintu.core.errors import DomainError, InvalidData, NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_get
from satupintu.reports import selectors as reports
from satupintu.surveys import selectors, services
from satupintu.surveys.ikm import IkmResult
from satupintu.surveys.periods import PeriodInvalid, period_parse

router = Router(tags=["survei kepuasan"])
performance_router = Router(auth=bearer, tags=["kinerja"])


class Unauthenticated(DomainError):
    code = "unauthorized"
    http_status = 401


class ResponseIn(Schema):
    token: str = Field("", description="token undangan dari tautan survei (isian daring, tanpa login)")
    answers: dict[str, int] = Field(description="jawaban U1…U9, masing-masing 1–4")
    profile: dict[str, str] = Field(
        default_factory=dict, description="opsional: sex (L/P), age_band, education, occupation"
    )
    suggestion: str = ""
    office: str = Field("", description="kuesioner kertas (petugas): kode kantor")
    service: str = Field("", description="kuesioner kertas (petugas): kode layanan")
    period: str = Field("", description="kuesioner kertas (petugas): periode; bila diisi harus periode kelompoknya")
    batch: int = Field(0, description="kuesioner kertas (petugas): nomor kelompok (tanggal, tempat, pengumpul)")


class ResponseOut(Schema):
    id: int
    period: str
    channel: str


class ImportOut(Schema):
    batch: int
    count: int


class ElementOut(Schema):
    code: str
    nrr: str
    converted: str
    grade: str


class IkmOut(Schema):
    respondents: int
    ikm: str
    grade: str
    ikm_weight_0111: str
    elements: list[ElementOut]
    channels: dict[str, int] = Field(description="responden yang dihitung per cara pengisian: online, paper, import")
    pending: int = Field(description="responden dalam kelompok yang belum disetujui petugas kedua (tidak dihitung)")
    batch_status: str | None = Field(None, description="untuk ?batch=: pending, approved atau rejected")


def _optional_user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    row = token_authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        raise Unauthenticated(_("Token akses tidak ada, kedaluwarsa atau sudah dicabut."))
    return row.user


def _staff_office(user: User, slug: str) -> Office:
    """The office the officer names, else their only office (InvalidData when they have several)."""
    if slug:
        office = office_get(slug)
        require(user, Action.VIEW_STAFF_PAGES, office)
        return office
    offices = [o for o in offices_for(user) if can(user, Action.VIEW_STAFF_PAGES, o)]
    if len(offices) != 1:
        raise InvalidData(_("Sebutkan kantor."), {"office": _("Isi kode kantor.")})
    return offices[0]


def _service(office: Office, code: str) -> Service | None:
    if not code:
        return None
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan %(code)s tidak ditemukan.") % {"code": code})
    return service


def ikm_out(result: IkmResult, *, channels: dict[str, int] | None = None, pending: int = 0) -> dict[str, Any]:
    return {
        "channels": channels or {},
        "pending": pending,
        "respondents": result.respondents,
        "ikm": str(result.ikm),
        "grade": result.grade.letter,
        "ikm_weight_0111": str(result.ikm_weight_0111),
        "elements": [
            {"code": e.code, "nrr": str(e.nrr_display), "converted": str(e.converted), "grade": e.grade.letter}
            for e in result.elements
        ],
    }


@router.post(
    "/surveys/responses",
    response={201: ResponseOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: InvalidError},
    summary="Kirim jawaban satu responden",
)
def response_create(request: HttpRequest, payload: ResponseIn) -> Status[dict]:
    """
    One respondent's answers. With ``token`` (from the invitation link) anyone may answer, once
    per invitation (409 ``already_answered`` after that); without it, an officer signed in with a
    bearer token types in a paper questionnaire for their office.
    """
    if payload.token:
        response = services.response_submit_online(
            token=payload.token,
            answers=payload.answers,
            profile=payload.profile,
            suggestion=payload.suggestion,
            actor=_optional_user(request),
        )
    else:
        user = _optional_user(request)
        if user is None:
            raise Unauthenticated(_("Isi token undangan survei, atau masuk sebagai petugas untuk kuesioner kertas."))
        office = _staff_office(user, payload.office)
        response = services.response_enter_paper(
            office=office,
            actor=user,
            answers=payload.answers,
            profile=payload.profile,
            service=_service(office, payload.service),
            period=payload.period,
            suggestion=payload.suggestion,
            batch=selectors.batch_get(pk=payload.batch, office=office) if payload.batch else None,
        )
    return Status(201, {"id": response.pk, "period": response.period, "channel": response.channel})


@router.post(
    "/surveys/import",
    auth=bearer,
    response={201: ImportOut, 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Impor jawaban dari berkas CSV/XLSX",
)
def responses_import(
    request: HttpRequest,
    file: File[UploadedFile],
    office: Form[str] = "",
    collected_on: Form[str] = "",
    place: Form[str] = "",
) -> Status[dict]:
    """
    A CSV or XLSX file, one row per respondent: columns ``U1``…``U9``, ``period`` and optionally
    ``service`` and the profile. Any wrong row, or more respondents than the office served in a
    period → 422 with ``errors``, nothing imported. The batch counts once a second officer has
    approved it.
    """
    user = caller(request)
    the_office = _staff_office(user, office)
    batch = services.responses_import(
        office=the_office,
        actor=user,
        stream=file,
        filename=file.name or "",
        collected_on=parse_date(collected_on) if collected_on else None,
        place=place,
    )
    return Status(201, {"batch": batch.pk, "count": batch.count})


@router.get(
    "/surveys/ikm",
    response={200: IkmOut, 404: Error, 422: InvalidError},
    summary="Hasil IKM per impor atau per periode dan layanan",
)
def ikm(request: HttpRequest, batch: str = "", period: str = "", service: str = "", office: str = "") -> dict[str, Any]:
    """
    The IKM (exact 1/9, converted value rounded half-up, grade on it) with the 0,111 figure and
    each element's NRR, converted value and grade, the counted respondents per channel (online,
    paper, import) and those still waiting for approval. A period counts only online answers and
    approved batches; ``?batch=`` shows that batch whatever its status (``batch_status``).
    Public: the results are published anyway.
    """
    batch_status = None
    pending = 0
    if batch:
        the_batch = selectors.batch_get(pk=batch)
        responses = selectors.responses_for(batch=the_batch, counted_only=False)
        batch_status = the_batch.status
    elif period:
        the_office = office_or_default(office or None)
        try:
            the_period = period_parse(period)
        except PeriodInvalid as exc:
            raise InvalidData(str(exc), {"period": str(exc)}) from None
        the_service = _service(the_office, service)
        responses = selectors.responses_for(office=the_office, period=the_period, service=the_service)
        pending = selectors.pending_count(office=the_office, period=the_period, service=the_service)
    else:
        raise InvalidData(_("Sebutkan batch, atau period (dan service)."), {"period": _("Isi periode.")})
    result = selectors.ikm_of(responses)
    if result is None:
        raise NotFound(_("Belum ada jawaban survei untuk pilihan ini."), code="no_responses")
    return {
        **ikm_out(result, channels=selectors.channel_counts(responses), pending=pending),
        "batch_status": batch_status,
    }


@performance_router.get(
    "/performance",
    response={200: dict, 401: Error, 403: Error, 404: Error, 422: InvalidError},
    summary="Kinerja petugas dan kepatuhan SLA dari kartu kendali",
)
def performance(request: HttpRequest, period: str, office: str = "", by: str = "officer,step") -> dict[str, Any]:
    """
    Per group of ``by`` (any of officer, step, service): handled, on time, late, mean, median and
    p90 worked seconds against the standard; backlog now; SLA compliance per service. Needs the
    performance-view right in the office (Subbagian Umum dan Kepegawaian and leaders).
    """
    user = caller(request)
    the_office = office_get(office) if office else _staff_office(user, "")
    require(user, Action.VIEW_PERFORMANCE, the_office)
    try:
        the_period = period_parse(period)
    except PeriodInvalid as exc:
        raise InvalidData(str(exc), {"period": str(exc)}) from None
    groups = [g.strip() for g in by.split(",") if g.strip()]
    unknown = [g for g in groups if g not in reports.GROUP_FIELDS]
    if unknown or not groups:
        raise InvalidData(_("Pengelompokan tidak dikenal."), {"by": _("Pilih dari officer, step, service.")})
    start, end = reports.period_bounds(the_office, the_period)
    rows = reports.performance_rows(office=the_office, start=start, end=end, by=groups)
    return {
        "office": the_office.slug,
        "period": the_period.label,
        "rows": [
            {
                "officer": r.actor_name if "officer" in groups else None,
                "officer_id": r.actor_id,
                "step": r.step_label or None,
                "step_kind": r.step_kind or None,
                "role": r.role or None,
                "service": r.service_name or None,
                "handled": r.handled,
                "on_time": r.on_time,
                "late": r.late,
                "on_time_share": f"{r.on_time_share:.4f}",
                "mean_seconds": round(r.mean_seconds, 1),
                "median_seconds": r.median_seconds,
                "p90_seconds": r.p90_seconds,
                "standard_seconds": r.standard_seconds,
                "excess_seconds": r.excess_seconds,
            }
            for r in rows
        ],
        "backlog": [
            {"role": b.role, "claimed_by": b.claimed_by_name or None, "open": b.open, "overdue": b.overdue}
            for b in reports.backlog(office=the_office)
        ],
        "sla": [
            {"service": s.service_name, "finished": s.finished, "on_time": s.on_time, "share": f"{s.share:.4f}"}
            for s in reports.sla_by_service(office=the_office, start=start, end=end)
        ],
    }
