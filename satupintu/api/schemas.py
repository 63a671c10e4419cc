"""Request and response shapes of API v1. Every datetime goes out in UTC (ISO 8601, ``Z``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


#: A datetime rendered in UTC, whatever zone it was computed in.
UtcDatetime = Annotated[dt.datetime, AfterValidator(_utc)]


class Error(Schema):
    detail: str
    code: str


class InvalidError(Error):
    """422: the message, plus Indonesian messages per field when the form or a checklist is at fault."""

    errors: dict[str, str] = Field(default_factory=dict)


# --- authentication -------------------------------------------------------------------------


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str = Field(description="kirim sebagai header Authorization: Bearer <token>")
    expires_at: UtcDatetime


# --- applications ---------------------------------------------------------------------------


class ApplicationIn(Schema):
    service: str = Field(description="kode layanan, mis. izin-kerja-radiografer")
    office: str | None = Field(default=None, description="slug kantor; kosong: kantor bawaan")
    applicant: dict[str, Any] = Field(
        default_factory=dict, description="identitas pemohon (kunci isian formulir, mis. nama_lengkap, nik, no_hp)"
    )
    renewal: bool = False
    channel: Literal["online", "counter"] = Field(
        default="online", description="online: oleh pemohon; counter: didaftarkan petugas loket"
    )
    data: dict[str, Any] = Field(
        default_factory=dict, description="isian formulir; menimpa kunci yang sama di applicant"
    )


class ActionIn(Schema):
    step: int = Field(description="nomor langkah yang diselesaikan (langkah saat ini)")
    outcome: str
    note: str = ""
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="data yang dicatat hasil ini (lihat current_step.allowed[].data): "
        '{"checklist": {kunci: {"judgement": "sesuai|tidak_sesuai", "reason": str}}}, '
        '{"bap": {"date", "team": [id anggota Tim Teknis], "findings", "recommendation"}}, '
        '{"changes": {isian: nilai}} (konsep), {"handover": {"relation", "name", "id_number", "proxy_document"}}, '
        '{"responses": {kunci: jawaban}} (pengajuan ulang), {"credentials": {"passphrase"|"totp"}} (TTE BSrE)',
    )


class ClaimIn(Schema):
    step: int


class SubmitIn(Schema):
    responses: dict[str, str] = Field(
        default_factory=dict,
        description="pengajuan ulang: jawaban atas alasan pengembalian untuk persyaratan yang berkasnya tidak diganti",
    )


class WithdrawIn(Schema):
    reason: str


class AllowedOutcomeOut(Schema):
    outcome: str
    label: str = Field(description="bagaimana kartu kendali mencatat hasil ini")
    button: str
    warning: bool
    confirm: str | None = Field(description="pertanyaan konfirmasi sebelum mencatat")
    note: str = Field(description="required | optional | when_unchanged")
    records: str | None = Field(description="data yang dicatat: checklist, bap, draft, handover, responses, signature")
    leads: str = Field(description="next | end | back_to_submit | back_to_draft")
    data: dict[str, Any] | None = Field(description="bentuk data yang diharapkan")


class StepOut(Schema):
    number: int
    label: str
    kind: str
    role: str
    role_label: str
    received_at: UtcDatetime | None
    due_at: UtcDatetime | None
    claimed_by: str | None = Field(description="nama petugas yang mengambil langkah ini (hanya untuk petugas)")
    outcomes: list[str] = Field(description="hasil yang dikenal langkah ini menurut standar")
    stage: str = Field(description="tahap dalam kata-kata pemohon")
    allowed: list[AllowedOutcomeOut] = Field(description="hasil yang dapat dicatat pemanggil sekarang")


class PermitOut(Schema):
    number: str
    valid_until: dt.date | None
    issued_at: UtcDatetime
    status: str = Field(description="valid | revoked | replaced")
    holder_name: str = Field(default="", description="pemegang izin: orang atau organisasi")
    proxy_name: str = Field(default="", description="kuasa yang mengambil surat izin; kosong: bukan kuasa")


class SignatureOut(Schema):
    state: str = Field(description="pending | signing | failed (ADR 0009); null on the application once signed")
    state_text: str
    error: str = Field(description="why the last attempt failed (failed only); the number stays reserved")
    batch: str
    requested_at: UtcDatetime
    attempts: int


class ReturnReasonOut(Schema):
    key: str
    label: str
    reason: str


class CardEntryOut(Schema):
    seq: int
    step: int
    label: str
    kind: str
    role: str
    role_label: str
    actor: str = Field(description="nama pemaraf (untuk pemohon: nama peran)")
    acting_for: str | None = Field(description="Plh. atas nama pejabat ini")
    received_at: UtcDatetime
    due_at: UtcDatetime | None
    completed_at: UtcDatetime
    outcome: str
    outcome_label: str
    note: str
    changes: list[dict[str, Any]] | None = Field(description="perubahan konsep (isian, sebelum, sesudah); petugas")
    handover: dict[str, Any] | None = Field(description="catatan penyerahan: siapa yang mengambil; petugas")
    worked_seconds: int
    standard_seconds: int | None
    time_standard: str
    late: bool
    office_time: bool
    hash: str
    prev_hash: str


class ApplicationOut(Schema):
    number: str = Field(description="nomor registrasi (dipakai juga untuk pelacakan)")
    tracking_code: str
    service: str
    service_name: str
    office: str
    channel: str
    renewal: bool
    status: str
    status_text: str
    stage: str
    current_step: StepOut | None
    created_at: UtcDatetime
    submitted_at: UtcDatetime | None
    clock_started_at: UtcDatetime | None
    due_at: UtcDatetime | None
    completed_at: UtcDatetime | None
    closed_at: UtcDatetime | None
    permit: PermitOut | None
    signature: SignatureOut | None = Field(
        None, description="the approving signature on its way (sedang ditandatangani) or failed; null otherwise"
    )
    return_reasons: list[ReturnReasonOut]
    return_due_at: UtcDatetime | None = Field(
        description="berkas dikembalikan: batas waktu mengajukan kembali; lewat batas ini permohonan ditutup (lapsed)"
    )
    rejection_reason: str
    data: dict[str, Any] = Field(description="isian formulir; data pribadi disamarkan bagi yang tidak berwenang")
    control_card: list[CardEntryOut]
    card_intact: bool
    can_withdraw: bool
    payment: dict[str, Any] | None = Field(
        default=None,
        description=(
            "layanan berbayar: biaya (fee: perkiraan atau jumlah SKRD, dengan perhitungannya) dan SKRD "
            "(bill: nomor, jumlah, kode bayar, jatuh tempo, status); rinciannya di GET /applications/{number}/payment"
        ),
    )


class ApplicationCreated(Schema):
    number: str
    tracking_code: str
    status: str
    status_text: str
    current_step: StepOut | None


class ApplicationSummary(Schema):
    number: str
    tracking_code: str
    service: str
    service_name: str
    office: str
    status: str
    status_text: str
    current_step_label: str | None
    created_at: UtcDatetime
    submitted_at: UtcDatetime | None
    due_at: UtcDatetime | None
    completed_at: UtcDatetime | None


class DocumentOut(Schema):
    requirement: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: UtcDatetime


class QueueItem(Schema):
    number: str
    service: str
    service_name: str
    office: str
    step: int
    label: str
    kind: str
    role: str
    received_at: UtcDatetime | None
    due_at: UtcDatetime | None
    overdue: bool
    claimed_by: str | None


class TrackStep(Schema):
    label: str
    role: str
    role_label: str


class TrackOut(Schema):
    number: str
    service: str
    service_name: str
    office: str
    status: str
    status_text: str
    current_step: TrackStep | None
    submitted_at: UtcDatetime | None
    due_at: UtcDatetime | None
    completed_at: UtcDatetime | None
