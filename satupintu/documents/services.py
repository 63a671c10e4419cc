"""
Writes of the documents app: issue the signed permit, re-issue it, revoke it.

The permit is issued inside the transaction of the approving signature (ADR 0006): the number
taken there is printed in the PDF, the PDF carries the QR to its verification page and the
Kepala Dinas's (or Plh's) PAdES signature, and the file is stored before the step commits — so
an approved permit always has its signed file, and a failed signature fails the step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, grant_for
from satupintu.accounts.roles import Role
from satupintu.applications import events
from satupintu.applications.models import Application, Permit, PermitStatus, Status
from satupintu.applications.selectors import application_read
from satupintu.applications.services import card_event_record, spec_for, step_complete
from satupintu.applications.workflow import download_outcome, sign_steps_from
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import AccessKind
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind, IssuedDocument, PermitReplacement, PermitRevocation
from satupintu.documents.qr import qr_svg
from satupintu.documents.rendering import RenderError, render_pdf
from satupintu.documents.selectors import application_for_documents, latest_permit_document
from satupintu.documents.signing import signer_for

logger = logging.getLogger(__name__)


def permit_pdf_render(
    application: Application,
    permit: Permit | None,
    *,
    draft: bool,
    issuer_text: str = "",
    entry: Any = None,
    may_see_personal: bool = True,
) -> bytes:
    """
    Render the permit letter: final (number, QR, e-signature line) or a KONSEP draft without them.

    The holder's photo (``ctx.holder_photo``) is embedded when there is one; a photo Typst cannot
    decode does not stop the permit: the letter is rendered again with the empty 3x4 box.
    """
    code = "" if draft or permit is None else qr_svg(ctx.verification_url(permit))

    def render(photo: ctx.HolderPhoto | None) -> bytes:
        data = ctx.permit_context(
            application,
            permit,
            draft=draft,
            qr_svg=code,
            issuer_text=issuer_text,
            entry=entry,
            photo_file=photo.name if photo else "",
            may_see_personal=may_see_personal,
        )
        return render_pdf(
            DocumentKind.PERMIT,
            data,
            office_id=application.office_id,
            service_code=application.service.code,
            files={photo.name: photo.content} if photo else None,
        )

    photo = ctx.holder_photo(application) if may_see_personal else None
    if photo is not None:
        try:
            return render(photo)
        except RenderError:
            logger.warning("permit %s: the holder's photo did not render; empty photo box", application.number)
    return render(None)


def _sign_and_store(
    application: Application,
    permit: Permit,
    *,
    version: int,
    actor: Any,
    at: dt.datetime,
    credentials: dict[str, str] | None = None,
) -> IssuedDocument:
    office = application.office
    signer = signer_for(office)
    entry = ctx.sign_entry(application)
    pdf = permit_pdf_render(application, permit, draft=False, issuer_text=signer.issuer_text, entry=entry)
    block = ctx.signature_block(office, entry)
    signed = signer.sign(
        pdf,
        reason=f"{permit.title} nomor {permit.number}",
        location=ctx.letter_settings(office).place or office.region,
        credentials=credentials,
    )
    digest = hashlib.sha256(signed).hexdigest()
    document = IssuedDocument(
        office=office,
        application=application,
        permit=permit,
        kind=DocumentKind.PERMIT,
        version=version,
        sha256=digest,
        size=len(signed),
        signed=True,
        signer_name=block.signer_name[:200],
        acting_for_name=block.acting_for_name[:200],
        issuer_text=signer.issuer_text[:300],
        created_at=at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save("surat-izin.pdf", ContentFile(signed), save=False)
    document.save()
    return document


def _sign_step_ahead(application: Application) -> bool:
    spec = spec_for(application)
    current = application.current_step or len(spec.sop.steps) + 1
    return bool(sign_steps_from(spec, current))


@transaction.atomic
def permit_document_issue(
    *, application_id: int, at: dt.datetime | None = None, credentials: dict[str, str] | None = None
) -> IssuedDocument | None:
    """
    Issue the signed permit PDF once the permit has its number and no signature step is ahead.

    Idempotent: nothing happens before the number exists, while a ``sign`` step is still ahead
    (a standard that numbers first), or when version 1 exists. Runs inside the step's
    transaction (subscribed to ``application.permit_numbered`` and ``application.signed``).
    """
    permit = Permit.objects.filter(application_id=application_id).select_related("office").first()
    if permit is None or IssuedDocument.objects.filter(permit=permit, kind=DocumentKind.PERMIT).exists():
        return None
    application = Application.objects.select_related("office", "service").get(pk=application_id)
    if _sign_step_ahead(application):
        return None
    now = at or permit.issued_at or timezone.now()
    entry = ctx.sign_entry(application)
    document = _sign_and_store(
        application, permit, version=1, actor=entry.actor if entry else None, at=now, credentials=credentials
    )
    audit_record(
        action="permit.issue",
        office=application.office,
        actor=entry.actor if entry else None,
        target=f"permit:{permit.number}",
        application=application.number,
        sha256=document.sha256,
        version=1,
    )
    _replace_renewed(application, permit, now)
    return document


def _replace_renewed(application: Application, permit: Permit, now: dt.datetime) -> None:
    """A renewal's permit replaces the earlier permit its form names (any renewal-only field)."""
    if not application.renewal:
        return
    keys = [f.key for f in spec_for(application).form_fields() if f.renewal_only]
    numbers = [str(application.data.get(k, "")).strip() for k in keys]
    for old in Permit.objects.filter(
        office=application.office, number__in=[n for n in numbers if n], status=PermitStatus.VALID
    ).exclude(pk=permit.pk):
        old.status = PermitStatus.REPLACED
        old.save(update_fields=["status"])
        PermitReplacement.objects.create(office=application.office, old=old, new=permit, at=now)
        audit_record(
            action="permit.replace", office=application.office, target=f"permit:{old.number}", by=permit.number
        )


def _require_head(actor: Any, permit: Permit, at: dt.datetime) -> Any:
    grant = grant_for(actor, permit.office, Role.KEPALA_DINAS, at=at)
    if grant is None:
        raise PermissionDenied(_("Hanya Kepala Dinas (atau Plh-nya) yang dapat melakukan ini."))
    return grant


@transaction.atomic
def permit_document_reissue(
    *, permit: Permit, actor: Any, reason: str, at: dt.datetime | None = None
) -> IssuedDocument:
    """
    Issue a new signed version of the permit (e.g. after correcting the office's template).

    The earlier versions stay on file unchanged; the verification page checks the newest.
    Only the Kepala Dinas (or Plh) may, with a reason; a revoked or replaced permit is not re-issued.
    """
    now = at or timezone.now()
    permit = Permit.objects.select_for_update().select_related("office").get(pk=permit.pk)
    _require_head(actor, permit, now)
    if not reason.strip():
        raise InvalidData(_("Tuliskan alasan penerbitan ulang."), {"reason": _("Alasan wajib diisi.")})
    if permit.status != PermitStatus.VALID:
        raise Conflict(_("Surat izin ini tidak berlaku lagi dan tidak dapat diterbitkan ulang."))
    application = Application.objects.select_related("office", "service").get(pk=permit.application_id)
    version = (
        IssuedDocument.objects.filter(permit=permit, kind=DocumentKind.PERMIT).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    document = _sign_and_store(application, permit, version=version, actor=actor, at=now)
    audit_record(
        action="permit.reissue",
        office=permit.office,
        actor=actor,
        target=f"permit:{permit.number}",
        reason=reason.strip(),
        version=version,
        sha256=document.sha256,
    )
    return document


@transaction.atomic
def permit_revoke(*, permit: Permit, actor: Any, reason: str, at: dt.datetime | None = None) -> PermitRevocation:
    """
    Revoke a permit: the Kepala Dinas (or Plh) with a reason.

    The permit's status becomes ``revoked``, the revocation is recorded with who acted for whom,
    an audit row and an entry on the application's control card are written in the same
    transaction; the verification page says "dicabut" from then on.
    """
    now = at or timezone.now()
    permit = Permit.objects.select_for_update().select_related("office").get(pk=permit.pk)
    grant = _require_head(actor, permit, now)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidData(_("Tuliskan alasan pencabutan."), {"reason": _("Alasan wajib diisi.")})
    if permit.status == PermitStatus.REVOKED:
        raise Conflict(_("Surat izin ini sudah dicabut."))
    permit.status = PermitStatus.REVOKED
    permit.save(update_fields=["status"])
    revocation = PermitRevocation.objects.create(
        office=permit.office,
        permit=permit,
        reason=reason,
        revoked_by=actor,
        acting_for=grant.acting_for,
        revoked_at=now,
    )
    audit_record(
        action="permit.revoke", office=permit.office, actor=actor, target=f"permit:{permit.number}", reason=reason
    )
    application = Application.objects.select_for_update().get(pk=permit.application_id)
    letter = IssuedDocument(
        office=permit.office,
        application=application,
        permit=permit,
        kind=DocumentKind.REVOCATION,
        version=1,
        signed=False,
        created_at=now,
        created_by=actor,
    )
    from satupintu.documents.printouts import revocation_letter_pdf

    pdf = revocation_letter_pdf(application, number=permit.number, reason=reason, at=now)
    letter.sha256, letter.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
    letter.file.save("surat-pencabutan.pdf", ContentFile(pdf), save=False)
    letter.save()
    card_event_record(
        application=application,
        step_number=0,
        step_kind="revocation",
        role=Role.KEPALA_DINAS,
        activity=f"Pencabutan surat izin {permit.number}",
        outcome="revoked",
        note=reason,
        data={"permit": permit.number},
        at=now,
        actor=actor,
        acting_for=grant.acting_for,
    )
    events.publish(
        events.PermitRevoked(application_id=application.pk, application=application, permit_id=permit.pk, reason=reason)
    )
    return revocation


@transaction.atomic
def permit_download(*, number: str, user: Any, at: dt.datetime | None = None) -> IssuedDocument:
    """
    The signed permit file for the user: officers of the office get it any time; the applicant gets
    it only through the handover. Their first download while the file waits at the handover step
    *is* the handover (outcome ``download`` on the card, so the survey invitation goes out and the
    uncollected-product letter does not); after that they may download it again.
    """
    application, is_officer = application_for_documents(number=number, user=user)
    permit = Permit.objects.filter(application=application).first()
    document = latest_permit_document(permit) if permit is not None else None
    if document is None or permit is None:
        raise NotFound(_("Surat izin untuk permohonan ini belum terbit."))
    if is_officer:
        if not can(user, Action.VIEW_PERSONAL_DATA, application.office):
            raise PermissionDenied(
                _("Surat izin memuat data pribadi pemegangnya; peran Anda tidak berwenang membukanya.")
            )
        application_read(application, user, kind=AccessKind.PERMIT, target=f"permit:{permit.number}")
        return document
    if application.status == Status.READY and application.current_step is not None:
        step = spec_for(application).step(application.current_step)
        row = download_outcome(step)
        if row is None:
            raise PermissionDenied(_("Surat izin layanan ini diserahkan di loket."))
        step_complete(
            application=application, actor=user, step_number=application.current_step, outcome=row.code, at=at
        )
        audit_record(action="permit.download", office=application.office, actor=user, target=f"permit:{permit.number}")
        return document
    if application.status != Status.COLLECTED:
        raise PermissionDenied(_("Surat izin belum dapat diunduh."))
    audit_record(action="permit.download", office=application.office, actor=user, target=f"permit:{permit.number}")
    return document
