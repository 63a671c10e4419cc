"""
Reads of the documents app: the public verification of a permit, an uploaded PDF's check, and
the issued file a user may download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, office_today
from satupintu.applications.models import Application, Permit, PermitStatus
from satupintu.applications.selectors import application_by_number
from satupintu.applications.services import spec_for
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind, IssuedDocument
from satupintu.documents.verification import SignatureCheck, pdf_signature_check, sha256_of_stream

#: The largest PDF the verification page accepts (a permit is ≈50–100 KB).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

STATUS_LABELS = {
    "valid": "Berlaku",
    "expired": "Masa berlaku telah habis",
    "revoked": "Dicabut",
    "replaced": "Diganti (perpanjangan)",
}


def latest_permit_document(permit: Permit) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(permit=permit, kind=DocumentKind.PERMIT).order_by("-version").first()


def read_file(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def permit_status(permit: Permit, *, at: dt.datetime | None = None) -> str:
    """``valid``, ``expired`` (past ``valid_until`` in office time), ``revoked`` or ``replaced``."""
    if permit.status == PermitStatus.REVOKED:
        return "revoked"
    if permit.status == PermitStatus.REPLACED:
        return "replaced"
    if permit.valid_until is not None and office_today(permit.office, at or timezone.now()) > permit.valid_until:
        return "expired"
    return "valid"


@dataclass
class Verification:
    """What the public verification page and ``GET /verify/{code}`` say of a permit."""

    permit: Permit
    status: str
    authentic: bool
    reasons: list[str] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    document: IssuedDocument | None = None
    revoked_at: dt.datetime | None = None
    replaced_by: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, Any]:
        permit = self.permit
        return {
            "authentic": self.authentic,
            "status": self.status,
            "status_label": self.status_label,
            "number": permit.number,
            "title": permit.title,
            "holder_name": permit.holder_name,
            "service": permit.application.service.name,
            "facts": [{"label": label, "value": value} for label, value in self.facts],
            "issued_at": permit.issued_at,
            "valid_until": permit.valid_until,
            "validity": ctx.validity_short(permit),
            "office": permit.office.name,
            "revoked_at": self.revoked_at,
            "replaced_by": self.replaced_by or None,
            "sha256": self.document.sha256 if self.document else None,
            "reasons": self.reasons,
        }


def permit_by_code(code: str) -> Permit | None:
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    permit = (
        Permit.objects.select_related("office", "application", "application__service", "application__office")
        .filter(verification_code=code)
        .first()
    )
    # The lookup is by an indexed unique column; compare again in constant time for good measure.
    if permit is None or not hmac.compare_digest(permit.verification_code.encode(), code.encode()):
        return None
    return permit


def stored_document_check(document: IssuedDocument) -> tuple[bool, list[str]]:
    """Whether the stored file is unaltered (hash as recorded) and its signature validates."""
    data = read_file(document)
    reasons = []
    if hashlib.sha256(data).hexdigest() != document.sha256:
        reasons.append(_("Berkas tersimpan tidak cocok dengan sidik (hash) yang dicatat saat terbit."))
    check = pdf_signature_check(data)
    if not check.ok:
        reasons.append(check.problem or _("Tanda tangan elektronik tidak dapat divalidasi."))
    return not reasons, reasons


def permit_verify(code: str, *, at: dt.datetime | None = None) -> Verification | None:
    """The permit's verification (None for an unknown code)."""
    permit = permit_by_code(code)
    if permit is None:
        return None
    document = latest_permit_document(permit)
    if document is None:
        authentic, reasons = False, [_("Surat izin ini belum memiliki dokumen elektronik bertanda tangan.")]
    else:
        authentic, reasons = stored_document_check(document)
    application = permit.application
    spec = spec_for(application)
    facts = [
        [_("Nama pemegang izin"), permit.holder_name],
        [_("Jenis izin"), spec.product.name],
        *ctx.public_facts(spec, application),
        [_("Nomor surat izin"), permit.number],
        [_("Tanggal terbit"), ctx.tanggal(permit.issued_at, tz=permit.office.time_zone)],
        [_("Berlaku sampai"), ctx.validity_short(permit)],
        [_("Diterbitkan oleh"), permit.office.name],
    ]
    revocation = getattr(permit, "revocation", None) if permit.status == PermitStatus.REVOKED else None
    replacement = getattr(permit, "replacement", None) if permit.status == PermitStatus.REPLACED else None
    return Verification(
        permit=permit,
        status=permit_status(permit, at=at),
        authentic=authentic,
        reasons=reasons,
        facts=facts,
        document=document,
        revoked_at=revocation.revoked_at if revocation else None,
        replaced_by=replacement.new.number if replacement else "",
    )


@dataclass
class UploadVerdict:
    """The answer to "is this file a genuine, unaltered permit of this office?"."""

    genuine: bool
    message: str
    verification: Verification | None = None
    signature: SignatureCheck | None = None


def uploaded_pdf_check(stream: IO[bytes], *, office_id: int | None = None) -> UploadVerdict:
    """
    Check an uploaded PDF: its hash must equal a permit file this office issued, and that file's
    signature must validate. Hashed in chunks; only a match is read whole (a file we issued).
    """
    try:
        digest, size = sha256_of_stream(stream, max_bytes=UPLOAD_MAX_BYTES)
    except ValueError:
        return UploadVerdict(False, _("Berkas terlalu besar untuk diperiksa (maksimal 10 MB)."))
    if size == 0:
        return UploadVerdict(False, _("Berkas kosong."))
    documents = IssuedDocument.objects.filter(sha256=digest, kind=DocumentKind.PERMIT).select_related("permit")
    if office_id is not None:
        documents = documents.filter(office_id=office_id)
    document = documents.first()
    if document is None or document.permit is None:
        return UploadVerdict(
            False,
            _(
                "Berkas ini TIDAK sama dengan surat izin mana pun yang diterbitkan kantor ini: "
                "bisa jadi telah diubah, bukan dokumen elektronik aslinya, atau bukan terbitan kantor ini."
            ),
        )
    verification = permit_verify(document.permit.verification_code)
    newest = verification.document if verification else None
    signature = pdf_signature_check(read_file(document))
    if not signature.ok:
        return UploadVerdict(False, _("Tanda tangan elektronik pada berkas ini tidak sah."), verification, signature)
    message = _("Berkas ini adalah surat izin asli dan utuh yang diterbitkan kantor ini.")
    if newest is not None and newest.pk != document.pk:
        message += " " + _("Catatan: sudah ada versi yang lebih baru (versi %(v)s).") % {"v": newest.version}
    return UploadVerdict(True, message, verification, signature)


# --- who may download ---------------------------------------------------------------------------


def application_for_documents(*, number: str, user: Any) -> tuple[Application, bool]:
    """
    The application, if the user is its applicant or an officer of its office now; and whether
    they are an officer. NotFound otherwise (do not reveal that a number exists).
    """
    application = application_by_number(number)
    is_applicant = application.applicant_id is not None and application.applicant_id == getattr(user, "pk", None)
    is_officer = (
        can(user, Action.VIEW_STAFF_PAGES, application.office) if getattr(user, "is_authenticated", False) else False
    )
    if not (is_applicant or is_officer):
        raise NotFound(_("Permohonan %(number)s tidak ditemukan.") % {"number": number})
    return application, is_officer


def permit_file_for(*, number: str, user: Any) -> IssuedDocument:
    """The newest signed permit file the user may download (applicant: once the handover is recorded)."""
    application, is_officer = application_for_documents(number=number, user=user)
    permit = Permit.objects.filter(application=application).first()
    document = latest_permit_document(permit) if permit is not None else None
    if document is None:
        raise NotFound(_("Surat izin untuk permohonan ini belum terbit."))
    if not is_officer and application.status != "collected":
        # Before the handover records it, no signed permit leaves the system to the applicant.
        raise PermissionDenied(_("Surat izin belum diserahkan; tekan “Unduh surat izin” pada halaman permohonan."))
    return document


def revocation_letter_of(application: Application) -> IssuedDocument | None:
    """The stored revocation letter of the application's permit, if it was revoked."""
    return (
        IssuedDocument.objects.filter(application=application, kind=DocumentKind.REVOCATION)
        .order_by("-created_at")
        .first()
    )


# --- signing many files in one action (ADR 0009) ---------------------------------------------------

#: The most files one batch signs (one BSrE call carries them all).
BATCH_MAX = 50


@dataclass(frozen=True)
class AwaitingSignature:
    """A file waiting at a sign step for the Kepala Dinas: what the batch page lists."""

    application: Application
    step_label: str
    failed: str = ""


def awaiting_signature(*, office: Any, user: Any, limit: int = 200) -> list[AwaitingSignature]:
    """
    Files of the office waiting at a step whose outcome records a signature and that ``user``
    may sign now (Kepala Dinas or Plh), with nothing on its way; a failed signature is listed
    with its reason (to retry).
    """
    from satupintu.accounts.roles import Role
    from satupintu.applications.models import SignatureRequest, SignatureState
    from satupintu.applications.selectors import queue_for
    from satupintu.applications.services import acting_grant_or_none
    from satupintu.applications.workflow import records_at

    busy = dict(
        SignatureRequest.objects.filter(
            office=office, state__in=[SignatureState.PENDING, SignatureState.SIGNING, SignatureState.FAILED]
        ).values_list("application_id", "state")
    )
    errors = dict(
        SignatureRequest.objects.filter(office=office, state=SignatureState.FAILED).values_list(
            "application_id", "error"
        )
    )
    rows = []
    for application in queue_for(office=office, role=Role.KEPALA_DINAS)[:limit]:
        if application.current_step is None:
            continue
        step = spec_for(application).step(application.current_step)
        if "signature" not in records_at(step) or busy.get(application.pk) in {"pending", "signing"}:
            continue
        if acting_grant_or_none(application, step, user) is None:
            continue
        rows.append(
            AwaitingSignature(
                application=application,
                step_label=step.label or str(step.number),
                failed=errors.get(application.pk, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class BatchRow:
    number: str
    permit_number: str
    state: str
    state_text: str
    error: str
    document_id: int | None


def signature_batch(*, office: Any, batch: str, user: Any) -> list[BatchRow]:
    """The files of one signing batch and where each stands; NotFound for another office's or user's batch."""
    from satupintu.applications.models import SignatureRequest

    requests = list(
        SignatureRequest.objects.filter(office=office, batch=batch)
        .select_related("application", "permit")
        .order_by("id")
    )
    from satupintu.accounts.permissions import grant_for
    from satupintu.accounts.roles import Role

    mine = any(r.requested_by_id == getattr(user, "pk", None) for r in requests)
    if not requests or not (mine or grant_for(user, office, Role.KEPALA_DINAS) is not None):
        raise NotFound(_("Kelompok tanda tangan ini tidak ditemukan."))
    documents = dict(
        IssuedDocument.objects.filter(
            permit_id__in=[r.permit_id for r in requests], kind=DocumentKind.PERMIT
        ).values_list("permit_id", "pk")
    )
    return [
        BatchRow(
            number=r.application.number,
            permit_number=r.permit.number,
            state=r.state,
            state_text=r.get_state_display(),
            error=r.error,
            document_id=documents.get(r.permit_id),
        )
        for r in requests
    ]
