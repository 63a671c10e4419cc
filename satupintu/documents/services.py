"""
Writes of the documents app: sign and issue the permit, re-issue it, revoke it.

The approving signature reserves the permit's number in a short transaction (ADR 0009,
``applications.services.step_complete``); the signed PDF is made here, outside any lock, by the
worker (``tasks.sign_batch``) or, with BSrE, by a thread of the web process that holds the
signer's passphrase in memory only: render with the number and the QR, sign (several files in
one call for a batch), write the file under the name recorded beforehand on the request, then
in one transaction the ``IssuedDocument`` row, the sign step's card entry and the events that say
signed. A crash between writing the file and that commit leaves a name the sweep
(``signatures_recover``) finds and removes; the number stays with its permit and is retried.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, grant_for
from satupintu.accounts.roles import Role
from satupintu.applications import events
from satupintu.applications.models import (
    Application,
    Permit,
    PermitStatus,
    SignatureRequest,
    SignatureState,
    Status,
)
from satupintu.applications.selectors import application_read
from satupintu.applications.services import card_event_record, signature_close, spec_for, step_complete
from satupintu.applications.workflow import download_outcome, sign_steps_from
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import AccessKind
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind, IssuedDocument, PermitReplacement, PermitRevocation
from satupintu.documents.qr import qr_svg
from satupintu.documents.rendering import RenderError, render_pdf
from satupintu.documents.selectors import application_for_documents, latest_permit_document
from satupintu.documents.signing import (
    Signer,
    SigningError,
    SigningRefused,
    SignItem,
    signer_for,
    signing_needs_credentials,
    signing_settings,
)

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


# --- the office's letterhead --------------------------------------------------------------------

#: The emblem is printed 2.2 cm high: a few hundred pixels are plenty, and the row stays small.
EMBLEM_MAX_SIDE = 600
EMBLEM_MAX_BYTES = 2 * 1024 * 1024


def emblem_png(stream: Any) -> bytes:
    """
    The uploaded emblem checked like an application upload (its content parsed as a PNG or JPEG,
    decoded whole, metadata dropped) and encoded again as a PNG at most ``EMBLEM_MAX_SIDE`` px
    on its longer side. Raise UploadRejected (Indonesian message) for anything else.
    """
    import io

    from PIL import Image

    from satupintu.applications.uploads import upload_check

    checked = upload_check(stream, allowed=["png", "jpg"], max_bytes=EMBLEM_MAX_BYTES)
    with Image.open(checked.file) as image:
        image.load()
        picture = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image.copy()
    picture.thumbnail((EMBLEM_MAX_SIDE, EMBLEM_MAX_SIDE))
    picture.info = {}
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


@transaction.atomic
def letter_emblem_set(*, office: Any, actor: Any, upload: Any = None, at: dt.datetime | None = None) -> Any:
    """
    Set the office's regional emblem for the kop of every document from an upload (``emblem_png``),
    or remove it with ``upload=None``. Only the office's administrator may; an audit row is written.
    """
    if not can(actor, Action.MANAGE_OFFICE, office):
        raise PermissionDenied(_("Hanya administrator kantor yang dapat mengganti lambang pada kop surat."))
    settings_row = ctx.letter_settings(office)
    content = emblem_png(upload) if upload is not None else b""
    settings_row.emblem_png = content
    settings_row.save()
    audit_record(
        action="letter_settings.emblem_set" if content else "letter_settings.emblem_removed",
        office=office,
        actor=actor,
        target=f"letter_settings:{settings_row.pk}",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest() if content else "",
    )
    return settings_row


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


# --- signing off the series lock (ADR 0009) ------------------------------------------------------


@dataclass(frozen=True)
class _Approval:
    """Who approved, as the sign step's card entry will say (the signature block reads it)."""

    actor: Any
    acting_for_id: int | None
    acting_for_name: str


#: Called as ``hook(stage, request)`` at "render", "sign" and "stored" (tests: locks held, crashes).
signing_hook: Callable[[str, SignatureRequest], None] | None = None


def _hook(stage: str, request: SignatureRequest) -> None:
    if signing_hook is not None:
        signing_hook(stage, request)


def _approval(request: SignatureRequest) -> _Approval:
    acting = request.acting_for
    return _Approval(
        actor=request.requested_by,
        acting_for_id=request.acting_for_id,
        acting_for_name=acting.display_name[:200] if acting is not None else "",
    )


def _signature_fail(request: SignatureRequest, claim: str, message: str) -> None:
    """Mark a claimed request failed: the Kepala Dinas sees it with a retry button; the number stays."""
    logger.warning("signature of application %s failed: %s", request.application_id, message)
    SignatureRequest.objects.filter(pk=request.pk, claim=claim, state=SignatureState.SIGNING).update(
        state=SignatureState.FAILED, error=message[:2000], finished_at=timezone.now(), file_name=""
    )


def _orphan_remove(name: str) -> None:
    """Delete a stored file that no issued document references (a crash's or a rollback's leftover)."""
    if name and not IssuedDocument.objects.filter(file=name).exists():
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - a storage that cannot delete now; the next sweep tries again
            logger.exception("could not remove orphan signed file %s", name)


def _signature_store(request: SignatureRequest, claim: str, signed: bytes, signer: Signer) -> IssuedDocument | None:
    """
    Store one signed file and close its sign step. The file's name is recorded on the request
    before the file is written (write-ahead), so a crash at any point leaves nothing unknown.
    """
    application = request.application
    office = application.office
    now = timezone.now()
    version = (
        IssuedDocument.objects.filter(permit_id=request.permit_id, kind=DocumentKind.PERMIT).aggregate(
            v=Max("version")
        )["v"]
        or 0
    ) + 1
    block = ctx.signature_block(office, _approval(request))  # type: ignore[arg-type]
    document = IssuedDocument(
        office=office,
        application=application,
        permit_id=request.permit_id,
        kind=DocumentKind.PERMIT,
        version=version,
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        signed=True,
        signer_name=block.signer_name[:200],
        acting_for_name=block.acting_for_name[:200],
        issuer_text=signer.issuer_text[:300],
        created_at=now,
        created_by=request.requested_by,
    )
    name = document.file.field.generate_filename(document, "surat-izin.pdf")
    if not SignatureRequest.objects.filter(pk=request.pk, claim=claim, state=SignatureState.SIGNING).update(
        file_name=name
    ):
        return None  # the sweep took the request back; another run signs it
    if default_storage.exists(name):
        _orphan_remove(name)
    stored = default_storage.save(name, ContentFile(signed))
    if stored != name:
        SignatureRequest.objects.filter(pk=request.pk, claim=claim).update(file_name=stored)
    _hook("stored", request)
    try:
        with transaction.atomic():
            document.file.name = stored
            document.save()
            signature_close(request_id=request.pk, claim=claim, at=now)
            permit = Permit.objects.get(pk=request.permit_id)
            audit_record(
                action="permit.issue",
                office=office,
                actor=request.requested_by,
                target=f"permit:{permit.number}",
                application=application.number,
                sha256=document.sha256,
                version=version,
                batch=request.batch,
            )
            _replace_renewed(application, permit, now)
    except Exception as exc:
        _orphan_remove(stored)
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        _signature_fail(request, claim, _("Surat izin tidak dapat disimpan: %(error)s") % {"error": message})
        if not isinstance(exc, DomainError):
            logger.exception("storing the signed permit of application %s failed", application.pk)
        return None
    return document


def signature_batch_run(
    *, batch: str, credentials: dict[str, str] | None = None, sleep: Callable[[float], None] = time.sleep
) -> list[IssuedDocument]:
    """
    Sign the pending requests of one batch, outside any transaction and lock: claim them, render
    each letter with its number and QR, sign them in one call of the office's signer (retried on
    a transient failure; a refusal, e.g. a wrong BSrE passphrase, is not retried), then store each
    (``_signature_store``). What fails leaves its request ``failed`` with the reason.
    """
    claim = secrets.token_hex(8)
    started = timezone.now()
    SignatureRequest.objects.filter(batch=batch, state=SignatureState.PENDING).update(
        state=SignatureState.SIGNING, claim=claim, started_at=started, error=""
    )
    requests = list(
        SignatureRequest.objects.filter(batch=batch, claim=claim, state=SignatureState.SIGNING).select_related(
            "application__office", "application__service", "permit", "requested_by", "acting_for"
        )
    )
    if not requests:
        return []
    office = requests[0].application.office
    try:
        signer = signer_for(office)
    except SigningError as exc:
        for request in requests:
            _signature_fail(request, claim, exc.message)
        return []
    place = ctx.letter_settings(office).place or office.region
    items: list[tuple[SignatureRequest, SignItem]] = []
    for request in requests:
        _hook("render", request)
        try:
            pdf = permit_pdf_render(
                request.application,
                request.permit,
                draft=False,
                issuer_text=signer.issuer_text,
                entry=_approval(request),
            )
        except Exception as exc:  # a template error, or anything else: this file fails, the others go on
            if not isinstance(exc, DomainError):
                logger.exception("rendering the permit of application %s failed", request.application_id)
            message = exc.message if isinstance(exc, DomainError) else _("Surat izin tidak dapat dirender.")
            _signature_fail(request, claim, message)
            continue
        items.append(
            (request, SignItem(pdf=pdf, reason=f"{request.permit.title} nomor {request.permit.number}", location=place))
        )
    if not items:
        return []
    config = signing_settings()
    attempts = max(1, int(config["ATTEMPTS"]))
    signed: list[bytes] = []
    for attempt in range(1, attempts + 1):
        SignatureRequest.objects.filter(pk__in=[r.pk for r, _item in items], claim=claim).update(
            attempts=F("attempts") + 1
        )
        for request, _item in items:
            _hook("sign", request)
        try:
            signed = signer.sign_many([item for _request, item in items], credentials=credentials)
            break
        except SigningRefused as exc:
            for request, _item in items:
                _signature_fail(request, claim, exc.message)
            return []
        except SigningError as exc:
            if attempt == attempts:
                for request, _item in items:
                    _signature_fail(
                        request,
                        claim,
                        _("%(error)s Sudah dicoba %(n)s kali; ulangi tanda tangan.")
                        % {"error": exc.message, "n": attempts},
                    )
                return []
            sleep(float(config["RETRY_DELAY_SECONDS"]) * 2 ** (attempt - 1))
    documents = []
    for (request, _item), blob in zip(items, signed, strict=True):
        document = _signature_store(request, claim, blob, signer)
        if document is not None:
            documents.append(document)
    return documents


def _run_in_thread(batch: str, credentials: dict[str, str] | None) -> None:
    try:
        signature_batch_run(batch=batch, credentials=credentials)
    except Exception:  # pragma: no cover - logged; the sweep marks the batch failed
        logger.exception("signing batch %s failed", batch)
    finally:
        connections.close_all()


def signature_dispatch(*, batch: str, office: Any, credentials: dict[str, str] | None = None) -> None:
    """
    Have a batch signed once the caller's transaction commits: by the worker (``sign_batch``),
    or, when the signer needs the Kepala Dinas's passphrase or TOTP (BSrE), by a thread of this
    process that keeps it in memory only — it is never written to the task queue. With
    ``SATUPINTU_SIGNING["EAGER"]`` (tests) the batch is signed at once, in the caller.
    """
    if signing_settings()["EAGER"]:
        signature_batch_run(batch=batch, credentials=credentials, sleep=lambda _s: None)
        return
    if signing_needs_credentials(office):

        def start() -> None:
            threading.Thread(target=_run_in_thread, args=(batch, credentials), daemon=True).start()

        transaction.on_commit(start)
        return
    from satupintu.documents.tasks import sign_batch  # tasks import this module

    def enqueue() -> None:
        try:
            sign_batch.enqueue(batch)
        except Exception:
            logger.exception("could not enqueue signing batch %s; the sweep will", batch)

    transaction.on_commit(enqueue)


def signatures_recover(*, now: dt.datetime | None = None) -> int:
    """
    The sweep (every minute): a request claimed longer than ``STALE_SECONDS`` ago belongs to a
    worker that died. The file it was writing, if any and unknown to the register, is removed;
    the request goes back to the queue (local signer) or is marked failed for the Kepala Dinas
    to retry (BSrE, whose passphrase was only in the dead process's memory). Pending requests
    whose task was lost are queued again. Returns how many requests it touched.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=int(signing_settings()["STALE_SECONDS"]))
    touched = 0
    for request in SignatureRequest.objects.filter(state=SignatureState.SIGNING, started_at__lt=stale).select_related(
        "application__office"
    ):
        _orphan_remove(request.file_name)
        office = request.application.office
        # A signature whose runs keep dying (not failing cleanly) stops being retried by itself.
        again = not signing_needs_credentials(office) and request.attempts < 3 * int(signing_settings()["ATTEMPTS"])
        SignatureRequest.objects.filter(pk=request.pk, claim=request.claim, state=SignatureState.SIGNING).update(
            state=SignatureState.PENDING if again else SignatureState.FAILED,
            claim="",
            file_name="",
            error="" if again else _("Penandatanganan terputus; ulangi tanda tangan."),
        )
        touched += 1
    batches = set(
        SignatureRequest.objects.filter(state=SignatureState.PENDING, requested_at__lt=stale).values_list(
            "batch", "office_id"
        )
    )
    for batch, office_id in batches:
        from satupintu.core.models import Office

        office = Office.objects.get(pk=office_id)
        if signing_needs_credentials(office):
            touched += SignatureRequest.objects.filter(batch=batch, state=SignatureState.PENDING).update(
                state=SignatureState.FAILED, error=_("Penandatanganan terputus; ulangi tanda tangan.")
            )
        else:
            signature_dispatch(batch=batch, office=office)
            touched += 1
    return touched


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


@dataclass(frozen=True)
class BatchResult:
    """What happened to one file chosen for a batch signature at the moment of choosing."""

    number: str
    accepted: bool
    message: str


def signature_batch_start(
    *,
    office: Any,
    actor: Any,
    numbers: list[str],
    credentials: dict[str, str] | None = None,
    at: dt.datetime | None = None,
) -> tuple[str, list[BatchResult]]:
    """
    The Kepala Dinas signs many files in one action (one passphrase or TOTP for BSrE): each
    chosen file's approving signature is recorded with its number in its own short transaction
    (the same ``step_complete`` and checks as one by one; a file that is refused — moved on,
    not theirs to sign — is reported and does not stop the others), then the batch is signed
    in one call of the signer, outside those transactions. Returns the batch and a result per file.
    """
    from satupintu.applications.workflow import kind
    from satupintu.documents.selectors import BATCH_MAX

    chosen = [n.strip() for n in dict.fromkeys(numbers) if n and n.strip()]
    if not chosen:
        raise InvalidData(_("Pilih paling sedikit satu berkas untuk ditandatangani."), {"applications": _("Wajib.")})
    if len(chosen) > BATCH_MAX:
        raise InvalidData(
            _("Paling banyak %(n)s berkas sekali tanda tangan.") % {"n": BATCH_MAX},
            {"applications": _("Terlalu banyak berkas.")},
        )
    batch = secrets.token_hex(8)
    results: list[BatchResult] = []
    for number in chosen:
        try:
            application = Application.objects.filter(office=office, number=number).first()
            if application is None:
                raise NotFound(_("Permohonan %(number)s tidak ada di kantor ini.") % {"number": number})
            step = spec_for(application).step(application.current_step) if application.current_step else None
            outcome = (
                next((o for o in step.outcomes if kind(step).outcome(o).records == "signature"), None)
                if step is not None
                else None
            )
            if step is None or outcome is None:
                raise Conflict(_("Permohonan ini tidak sedang menunggu tanda tangan."), code="not_at_sign_step")
            done = step_complete(
                application=application,
                actor=actor,
                step_number=step.number,
                outcome=outcome,
                data={"signature_batch": batch},
                at=at,
            )
            permit = Permit.objects.get(application=done)
            results.append(
                BatchResult(
                    number, True, _("Nomor %(permit)s diambil; menunggu tanda tangan.") % {"permit": permit.number}
                )
            )
        except DomainError as exc:
            results.append(BatchResult(number, False, exc.message))
    accepted = [r for r in results if r.accepted]
    audit_record(
        action="permit.sign_batch",
        office=office,
        actor=actor,
        target=f"batch:{batch}",
        accepted=len(accepted),
        refused=len(results) - len(accepted),
    )
    if accepted:
        signature_dispatch(batch=batch, office=office, credentials=credentials)
    return batch, results
