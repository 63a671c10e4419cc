"""
Writes of the complaint procedure (seed clause 6): register on any channel, sort by weight, record
coordination and the decision, reply on the channel the complaint came in, escalate the overdue.

Every function is keyword-only and atomic; each state change is checked against
``rules.TRANSITIONS`` and the weight's route, and writes its ``ComplaintEvent`` (hash-chained) and
its notices to the complainant in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import uuid
from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, Grant, grant_for, require
from satupintu.accounts.roles import Role
from satupintu.applications.models import Application
from satupintu.applications.numbering import series_next
from satupintu.applications.services import spec_for
from satupintu.applications.uploads import upload_check
from satupintu.complaints import rules as rulebook
from satupintu.complaints.chain import GENESIS, event_hash, facts_of
from satupintu.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintStatus,
    Kind,
    Rating,
    ReplyMethod,
    Weight,
)
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, InvalidData, PermissionDenied
from satupintu.core.logs import EMAIL as EMAIL_PATTERN
from satupintu.core.logs import NIK as NIK_PATTERN
from satupintu.core.logs import PHONE as PHONE_PATTERN
from satupintu.core.logs import mask as mask_personal
from satupintu.core.models import Office
from satupintu.core.validators import normalise_phone
from satupintu.notifications.models import NoticeChannel, OfficeTask
from satupintu.notifications.selectors import role_holders
from satupintu.notifications.services import notice_queue
from satupintu.notifications.templates import date_id
from satupintu.workdays import add_working_days

logger = logging.getLogger(__name__)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Channels on which a complaint arrives without an officer typing it in.
SELF_SERVICE_CHANNELS = frozenset({ComplaintChannel.WEBSITE, ComplaintChannel.EMAIL})
#: Channels whose reply needs a phone number (seed h: "akan ditelepon/fax kepada yang bersangkutan").
PHONE_CHANNELS = frozenset({ComplaintChannel.PHONE, ComplaintChannel.FAX, ComplaintChannel.SMS})
ATTACHMENT_TYPES = ["pdf", "jpg", "png"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
#: At most this many files with one complaint (the public form, the API and the officer's scan alike).
ATTACHMENT_MAX_COUNT = 3
POST_REPLY_LETTER = "post_complaint_reply"
#: The office task telling the coordinating role that a complainant was not satisfied.
REOPENED_TASK = "complaint_reopened"


def _access_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def _ticket(office: Office, when: dt.datetime) -> str:
    year = timezone.localtime(when).year
    seq = series_next(office=office, key="pengaduan", year=year)
    prefix = office.registration_prefix or office.slug.upper()
    return f"{prefix}-PGD-{year}-{seq:05d}"


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return _("Sistem")
    return str(getattr(actor, "display_name", "") or actor)


def _append(
    complaint: Complaint,
    *,
    action: str,
    to_status: str,
    at: dt.datetime,
    actor: Any = None,
    grant: Grant | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    from_status: str | None = None,
    actor_name: str = "",
) -> ComplaintEvent:
    """Append one history event (the caller holds the complaint's row lock) and move the head."""
    event = ComplaintEvent(
        office_id=complaint.office_id,
        complaint=complaint,
        seq=complaint.event_seq + 1,
        action=action,
        from_status=complaint.status if from_status is None else from_status,
        to_status=to_status,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name or _actor_name(actor),
        role=grant.role if grant else "",
        acting_for_name=str(grant.acting_for.display_name) if grant and grant.acting_for else "",
        note=note,
        data=data or {},
    )
    prev = complaint.head_hash or GENESIS
    event.prev_hash = prev
    event.hash = event_hash(facts_of(event), prev, office_id=complaint.office_id)
    event.save(force_insert=True)
    complaint.event_seq = event.seq
    complaint.head_hash = event.hash
    complaint.status = to_status
    return event


# --- notices to the complainant ---------------------------------------------------------------


def complaint_context(complaint: Complaint, *, at: dt.datetime | None = None) -> dict[str, Any]:
    office = complaint.office
    return {
        "nama": complaint.complainant_name or _("Bapak/Ibu"),
        "tiket": complaint.ticket,
        "kode": complaint.access_code,
        "tanggapan": complaint.reply_text or "-",
        "kantor": office.name,
        "alamat_kantor": office.address,
        "telepon_kantor": office.phone or office.sms or office.email or "-",
        "kota": office.region,
        "tanggal": date_id(at or timezone.now(), tz=office.time_zone),
        "batas_waktu": date_id(complaint.due_at, tz=office.time_zone) if complaint.due_at else "-",
    }


def _notify_complainant(complaint: Complaint, *, key: str, channels: Sequence[str], at: dt.datetime) -> int:
    """Queue ``key`` on each channel the complainant can be reached on (inside the caller's transaction)."""
    addresses: dict[str, str] = {
        NoticeChannel.SMS: complaint.complainant_phone,
        NoticeChannel.EMAIL: complaint.complainant_email,
    }
    queued = 0
    for channel in channels:
        recipient = addresses.get(channel)
        if not recipient:
            continue
        try:
            with transaction.atomic():
                notice = notice_queue(
                    office=complaint.office,
                    channel=channel,
                    recipient=recipient,
                    recipient_name=complaint.complainant_name,
                    user=complaint.complainant_user,
                    event=key,
                    template_key=key,
                    context=complaint_context(complaint, at=at),
                    idempotency_key=f"{key}:{complaint.pk}:{channel}:{complaint.event_seq}",
                    related_kind="complaint",
                    related_id=complaint.ticket,
                    at=at,
                )
        except Exception:  # a notice problem never blocks the complaint (as for applications)
            logger.exception("complaint %s: notice %s/%s could not be queued", complaint.ticket, key, channel)
            continue
        queued += notice is not None
    return queued


# --- intake ------------------------------------------------------------------------------------


def category_for(office: Office, code: str) -> ComplaintCategory | None:
    """The office's own active category with this code, else the default one; None when unknown."""
    scope = Q(office__isnull=True) | Q(office=office)
    rows = {c.office_id: c for c in ComplaintCategory.objects.filter(scope, code=code, active=True)}
    return rows.get(office.pk) or rows.get(None)


def _clean_identity(
    *, channel: str, anonymous: bool, name: str, phone: str, email: str, address: str
) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    name, address, email = name.strip()[:200], address.strip(), email.strip()
    if phone.strip():
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    else:
        phone = ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Alamat surel tidak valid.")
    if channel == ComplaintChannel.EMAIL and not email:
        errors["email"] = _("Pengaduan melalui surel perlu alamat surel untuk balasan.")
    if channel in PHONE_CHANNELS and not phone and "phone" not in errors:
        errors["phone"] = _("Pengaduan melalui telepon, faks atau SMS perlu nomor untuk dihubungi kembali.")
    if anonymous:
        # Anonymous: no name and no home address are kept; a contact stays only to send the answer.
        name, address = "", ""
    elif not name:
        errors["name"] = _("Nama pengadu wajib diisi, atau pilih pengaduan tanpa nama (anonim).")
    return {"name": name, "phone": phone, "email": email, "address": address}, errors


@transaction.atomic
def complaint_register(
    *,
    office: Office,
    channel: str,
    description: str,
    kind: str = Kind.COMPLAINT,
    category: str = "",
    subject: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    application_number: str = "",
    source: str = "",
    actor: Any = None,
    complainant_user: Any = None,
    attachments: Sequence[tuple[str, IO[bytes]]] | None = None,
    latitude: Any = None,
    longitude: Any = None,
    address_string: str = "",
    open311: bool = False,
    at: dt.datetime | None = None,
) -> Complaint:
    """
    Record a complaint, suggestion or input in the Buku Pengaduan and give it a ticket and code.

    Letters, phone/fax/SMS and in-person complaints are registered by a complaint officer
    (``actor``); the web form, inbound e-mail and Open311 register themselves (no actor). The
    complaint is linked to the application whose number it names when that application is the
    office's. Queue the ``complaint.received`` notice (SMS and/or e-mail when given) in this
    transaction. Raise InvalidData with Indonesian messages per field, PermissionDenied when an
    officer channel is used by someone who may not register complaints.
    """
    now = at or timezone.now()
    grant = None
    if channel not in ComplaintChannel.values:
        raise InvalidData(_("Media pengaduan tidak dikenal."), {"channel": _("Pilih media pengaduan.")})
    if channel not in SELF_SERVICE_CHANNELS or actor is not None:
        grant = _grant_any(actor, office, rulebook.rules().register_roles)
    errors: dict[str, str] = {}
    description = (description or "").strip()
    if len(description) < 10:
        errors["description"] = _("Tuliskan isi pengaduan, saran atau masukan Anda (paling sedikit 10 huruf).")
    if kind not in Kind.values:
        errors["kind"] = _("Pilih jenis: pengaduan, saran atau masukan.")
    category_row = None
    if category:
        category_row = category_for(office, category)
        if category_row is None:
            errors["category"] = _("Kategori tidak dikenal.")
    identity, identity_errors = _clean_identity(
        channel=channel, anonymous=anonymous, name=name, phone=phone, email=email, address=address
    )
    errors.update(identity_errors)
    checked = []
    files = list(attachments or [])
    if len(files) > ATTACHMENT_MAX_COUNT:
        errors["attachment"] = _("Lampirkan paling banyak %(n)s berkas.") % {"n": ATTACHMENT_MAX_COUNT}
        files = []
    for filename, stream in files:
        try:
            checked.append(
                (filename, stream, upload_check(stream, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES))
            )
        except DomainError as exc:
            errors["attachment"] = _("Lampiran “%(name)s”: %(reason)s") % {"name": filename[:80], "reason": exc.message}
    if errors:
        raise InvalidData(_("Data pengaduan belum lengkap atau tidak valid."), errors)
    number = application_number.strip().upper()[:40]
    linked = Application.objects.filter(office=office, number=number).first() if number else None
    complaint = Complaint(
        office=office,
        ticket=_ticket(office, now),
        access_code=_access_code(),
        channel=channel,
        source=source[:200],
        kind=kind,
        category=category_row,
        subject=subject.strip()[:200],
        description=description,
        anonymous=anonymous,
        confidential=confidential,
        complainant_name=identity["name"],
        complainant_phone=identity["phone"],
        complainant_email=identity["email"],
        complainant_address=identity["address"],
        complainant_user=complainant_user if getattr(complainant_user, "pk", None) else None,
        application=linked,
        application_number=number,
        latitude=latitude,
        longitude=longitude,
        address_string=address_string[:300],
        open311_token=uuid.uuid4().hex if open311 else None,
        received_at=now,
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    complaint.save()
    for filename, _stream, check in checked:
        attachment = ComplaintAttachment(
            office=office,
            complaint=complaint,
            original_name=filename[:200],
            content_type=check.content_type,
            size=check.size,
            sha256=check.sha256,
            uploaded_by=complaint.registered_by,
        )
        attachment.file.save(f"{check.sha256[:16]}.{check.kind}", File(check.file), save=False)
        attachment.save()
    _append(
        complaint,
        action="register",
        from_status="",
        to_status=ComplaintStatus.RECEIVED,
        at=now,
        actor=actor,
        grant=grant,
        data={
            "channel": channel,
            "source": complaint.source,
            "kind": kind,
            "category": category_row.code if category_row else "",
            "anonymous": anonymous,
            "confidential": confidential,
            "application": number,
            "attachments": [c.sha256 for _f, _s, c in checked],
        },
    )
    complaint.save(update_fields=["event_seq", "head_hash", "status", "updated_at"])
    _notify_complainant(complaint, key="complaint.received", channels=[NoticeChannel.SMS, NoticeChannel.EMAIL], at=now)
    return complaint


# --- handling ----------------------------------------------------------------------------------


def _grant_any(actor: Any, office: Office, roles: tuple[str, ...] | frozenset[str]) -> Grant:
    """The actor's grant for the first of ``roles`` they hold now (direct or Plh); else PermissionDenied."""
    require(actor, Action.HANDLE_COMPLAINTS, office)
    for role in sorted(roles):
        grant = grant_for(actor, office, role)
        if grant is not None:
            return grant
    labels = ", ".join(str(Role(r).label) for r in sorted(roles) if r in Role.values)
    raise PermissionDenied(_("Tindakan ini hanya untuk %(roles)s.") % {"roles": labels or "-"})


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("office").get(pk=complaint.pk)


def _check(complaint: Complaint, action: str, actor: Any) -> Grant:
    transition = rulebook.TRANSITIONS[action]
    if complaint.status not in transition.sources:
        raise Conflict(
            _("Pengaduan %(ticket)s berstatus “%(status)s”: tindakan “%(action)s” tidak dapat dilakukan sekarang.")
            % {"ticket": complaint.ticket, "status": complaint.get_status_display(), "action": _(transition.label)},
            code="wrong_status",
        )
    return _grant_any(actor, complaint.office, rulebook.roles_for(action, complaint.weight))


@transaction.atomic
def complaint_triage(
    *,
    complaint: Complaint,
    actor: Any,
    weight: str,
    kind: str | None = None,
    category: str = "",
    unit: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """
    Sort a received complaint (seed j, "dicatat dan dipilah"): its type, weight, category and the
    bidang concerned; set the deadline for the weight in working days from the complaint's date.

    *Ringan* goes to the handling officer to answer directly (seed c); *sedang* and *berat* go to
    coordination (seed d, e).
    """
    now = at or timezone.now()
    complaint = _locked(complaint)
    grant = _check(complaint, "triage", actor)
    errors = {}
    if weight not in Weight.values:
        errors["weight"] = _("Pilih bobot pengaduan: ringan, sedang atau berat.")
    if kind is not None and kind not in Kind.values:
        errors["kind"] = _("Pilih jenis: pengaduan, saran atau masukan.")
    category_row = complaint.category
    if category:
        category_row = category_for(complaint.office, category)
        if category_row is None:
            errors["category"] = _("Kategori tidak dikenal.")
    if weight == Weight.SEDANG and not unit.strip():
        errors["unit"] = _(
            "Sebutkan bidang yang bersangkutan: pengaduan sedang dikoordinasikan dengan kepala bidangnya."
        )
    if errors:
        raise InvalidData(_("Pemilahan belum lengkap."), errors)
    rule = rulebook.rules().weights[weight]
    complaint.weight = weight
    complaint.kind = kind or complaint.kind
    complaint.category = category_row
    complaint.unit = unit.strip()[:120]
    complaint.triaged_at = now
    days = rule.deadline_working_days
    if complaint.application is not None:
        # A complaint about a file: the deadline its service's standard sets, else the office's rules.
        days = spec_for(complaint.application).guarantees.complaint_deadline(weight) or days
    due = add_working_days(complaint.received_at, days, office=complaint.office)
    complaint.due_at = due if isinstance(due, dt.datetime) else None
    to_status = ComplaintStatus.HANDLING if rule.direct else ComplaintStatus.COORDINATION
    _append(
        complaint,
        action="triage",
        to_status=to_status,
        at=now,
        actor=actor,
        grant=grant,
        note=note.strip(),
        data={
            "weight": weight,
            "kind": complaint.kind,
            "category": category_row.code if category_row else "",
            "unit": complaint.unit,
            "route": "direct" if rule.direct else "coordination",
            "deadline_working_days": days,
            "due_at": complaint.due_at.isoformat() if complaint.due_at else None,
        },
    )
    complaint.save()
    return complaint


def coordination_missing(complaint: Complaint) -> list[str]:
    """
    Coordination steps of the weight's route not yet recorded (roles, in order); after a reopening
    only the coordination recorded since counts.
    """
    rule = rulebook.rules().weights.get(complaint.weight)
    if rule is None:
        return []
    reopened = complaint.events.filter(action="reopen").order_by("-seq").values_list("seq", flat=True).first()
    since = complaint.events.filter(action="coordinate", seq__gt=reopened or 0)
    done = set(since.values_list("role", flat=True))
    return [step.role for step in rule.coordination if step.role not in done]


@transaction.atomic
def complaint_coordinate(
    *, complaint: Complaint, actor: Any, note: str, party: str = "", at: dt.datetime | None = None
) -> Complaint:
    """
    Record one coordination of a *sedang* or *berat* complaint by the role the route names.

    *Sedang* (seed d): the Kepala Bidang concerned and the Kepala Dinas. *Berat* (seed e): the
    Kepala Dinas with the Walikota c.q. Asisten or the Sekretaris Daerah (``party``).
    """
    now = at or timezone.now()
    complaint = _locked(complaint)
    grant = _check(complaint, "coordinate", actor)
    rule = rulebook.rules().weights[complaint.weight]
    step = next(s for s in rule.coordination if s.role == grant.role)
    errors = {}
    if not note.strip():
        errors["note"] = _("Tuliskan hasil koordinasi.")
    if step.parties and party not in step.parties:
        names = " / ".join(rulebook.rules().parties[p] for p in step.parties)
        errors["party"] = _("Sebutkan dengan siapa dikoordinasikan: %(parties)s.") % {"parties": names}
    if errors:
        raise InvalidData(_("Catatan koordinasi belum lengkap."), errors)
    data: dict[str, Any] = {"weight": complaint.weight}
    if party:
        data["party"] = party
        data["party_label"] = rulebook.rules().parties.get(party, party)
    _append(
        complaint,
        action="coordinate",
        to_status=complaint.status,
        at=now,
        actor=actor,
        grant=grant,
        note=note.strip(),
        data=data,
    )
    complaint.save(update_fields=["event_seq", "head_hash", "status", "updated_at"])
    return complaint


@transaction.atomic
def complaint_decide(*, complaint: Complaint, actor: Any, decision: str, at: dt.datetime | None = None) -> Complaint:
    """
    Record the decision (seed d) or the outcome of the coordination (seed e) by the decision role,
    once every coordination of the route is recorded; the complaint then waits to be answered.
    """
    now = at or timezone.now()
    complaint = _locked(complaint)
    grant = _check(complaint, "decide", actor)
    missing = coordination_missing(complaint)
    if missing:
        labels = ", ".join(str(Role(r).label) for r in missing)
        raise Conflict(
            _("Koordinasi belum lengkap: menunggu catatan dari %(roles)s.") % {"roles": labels}, code="coordination"
        )
    if not decision.strip():
        raise InvalidData(_("Keputusan belum diisi."), {"decision": _("Tuliskan keputusan hasil koordinasi.")})
    complaint.decision = decision.strip()
    complaint.decided_at = now
    _append(
        complaint,
        action="decide",
        to_status=ComplaintStatus.DECIDED,
        at=now,
        actor=actor,
        grant=grant,
        note=complaint.decision,
        data={"weight": complaint.weight},
    )
    complaint.save()
    return complaint


def reply_methods_for(complaint: Complaint) -> list[str]:
    """How this complaint may be answered (seed f–i), given its channel and the contacts it has."""
    methods = list(rulebook.rules().channels[complaint.channel].reply_methods)
    usable = []
    for method in methods:
        if method in {ReplyMethod.PHONE, ReplyMethod.SMS, ReplyMethod.FAX} and not complaint.complainant_phone:
            continue
        if method == ReplyMethod.EMAIL and not complaint.complainant_email:
            continue
        if method == ReplyMethod.LETTER and not (complaint.complainant_address or complaint.complainant_name):
            continue
        usable.append(method)
    return usable


def reply_letter_text(complaint: Complaint, text: str) -> str:
    """
    The reply letter's body (seed f). The documents app renders the *Tata Naskah Dinas* PDF from
    this text when it offers a letter template; until then the stored text is what is printed.
    """
    office = complaint.office
    return _(
        "Yth. %(name)s\n%(address)s\n\nHal: Tanggapan atas pengaduan nomor %(ticket)s\n\n"
        "Menindaklanjuti pengaduan Saudara tanggal %(date)s, dengan ini kami sampaikan tanggapan sebagai "
        "berikut:\n\n%(text)s\n\nDemikian kami sampaikan. Atas perhatian Saudara kami ucapkan terima kasih.\n\n"
        "%(office)s"
    ) % {
        "name": complaint.complainant_name or _("Pengadu"),
        "address": complaint.complainant_address or "",
        "ticket": complaint.ticket,
        "date": date_id(complaint.received_at, tz=office.time_zone),
        "text": text,
        "office": office.name,
    }


@transaction.atomic
def complaint_reply(
    *,
    complaint: Complaint,
    actor: Any,
    method: str,
    text: str,
    contact_result: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """
    Answer the complaint on the channel it came in (seed f–i) and close it.

    A *ringan* complaint is answered directly by the handling officer (seed c); *sedang* and
    *berat* only after the decision is recorded (seed d, e). Letter: the reply letter's text is
    stored and a task to print and post it goes to the complaint officer; e-mail: the answer goes
    through the outbox; phone, fax, SMS and in person: the call or meeting is logged (``contact_result``).
    """
    now = at or timezone.now()
    complaint = _locked(complaint)
    grant = _check(complaint, "reply", actor)
    errors = {}
    allowed = reply_methods_for(complaint)
    if method not in allowed:
        labels = ", ".join(str(ReplyMethod(m).label) for m in allowed) or _("tidak ada (lengkapi kontak pengadu)")
        errors["method"] = _("Pengaduan melalui %(channel)s dijawab dengan: %(methods)s.") % {
            "channel": complaint.get_channel_display(),
            "methods": labels,
        }
    if not text.strip():
        errors["text"] = _("Tuliskan tanggapan yang disampaikan.")
    if errors:
        raise InvalidData(_("Tanggapan belum dapat dicatat."), errors)
    complaint.reply_method = method
    complaint.reply_text = text.strip()
    complaint.answered_at = now
    data: dict[str, Any] = {"method": method, "weight": complaint.weight}
    if method in {ReplyMethod.PHONE, ReplyMethod.FAX, ReplyMethod.SMS}:
        data["number"] = complaint.complainant_phone
    if contact_result.strip():
        data["contact_result"] = contact_result.strip()[:500]
    if method == ReplyMethod.LETTER:
        data["letter"] = reply_letter_text(complaint, complaint.reply_text)
    late = bool(complaint.due_at and now > complaint.due_at)
    data["late"] = late
    _append(
        complaint,
        action="reply",
        to_status=ComplaintStatus.ANSWERED,
        at=now,
        actor=actor,
        grant=grant,
        note=complaint.reply_text,
        data=data,
    )
    complaint.save()
    if method == ReplyMethod.LETTER:
        OfficeTask.objects.get_or_create(
            key=f"{POST_REPLY_LETTER}:{complaint.pk}",
            defaults={
                "office": complaint.office,
                "role": Role.PENGELOLA_PENGADUAN,
                "kind": POST_REPLY_LETTER,
                "title": _("Kirim surat balasan pengaduan %(ticket)s") % {"ticket": complaint.ticket},
                "detail": data["letter"],
                "created_at": now,
            },
        )
    channels: list[str] = []
    if method in {ReplyMethod.EMAIL, ReplyMethod.WEB}:
        channels.append(NoticeChannel.EMAIL)
    if method == ReplyMethod.SMS:
        channels.append(NoticeChannel.SMS)
    _notify_complainant(complaint, key="complaint.answered", channels=channels, at=now)
    return complaint


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: Any, note: str, at: dt.datetime | None = None) -> Complaint:
    """Add a note to the history (any complaint role, any status)."""
    complaint = _locked(complaint)
    grant = _check(complaint, "note", actor)
    if not note.strip():
        raise InvalidData(_("Catatan kosong."), {"note": _("Tuliskan catatan.")})
    _append(
        complaint,
        action="note",
        to_status=complaint.status,
        at=at or timezone.now(),
        actor=actor,
        grant=grant,
        note=note.strip(),
    )
    complaint.save(update_fields=["event_seq", "head_hash", "status", "updated_at"])
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: str, reason: str = "", at: dt.datetime | None = None) -> Complaint:
    """
    Record the complainant's rating of the answer (through the ticket and code, no account).

    *Puas* closes the matter with the rating in the history. *Tidak puas* needs a reason and
    reopens the complaint one level up (``reopen_to`` of the weight in data/rules.yaml): the
    weight rises, the decision is cleared, a new deadline runs from now, and the coordinating role
    of the new weight gets an office task. One rating per answer: Conflict when the answer was
    already rated or the complaint is not answered.
    """
    now = at or timezone.now()
    complaint = _locked(complaint)
    transition = rulebook.TRANSITIONS["rate"]
    if complaint.status not in transition.sources:
        raise Conflict(
            _("Pengaduan %(ticket)s belum ditanggapi, sehingga belum dapat dinilai.") % {"ticket": complaint.ticket},
            code="wrong_status",
        )
    if complaint.rated_at and complaint.answered_at and complaint.rated_at >= complaint.answered_at:
        raise Conflict(_("Tanggapan ini sudah Anda nilai. Terima kasih."), code="already_rated")
    reason = (reason or "").strip()
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = _("Pilih puas atau tidak puas.")
    elif rating == Rating.NOT_SATISFIED and len(reason) < 5:
        errors["reason"] = _("Tuliskan alasan Anda tidak puas, agar pengaduan dapat ditindaklanjuti.")
    if errors:
        raise InvalidData(_("Penilaian belum dapat dicatat."), errors)
    complaint.rating, complaint.rating_reason, complaint.rated_at = rating, reason[:2000], now
    if rating == Rating.SATISFIED:
        _append(
            complaint,
            action="rate",
            to_status=complaint.status,
            at=now,
            note=reason,
            data={"rating": rating},
            actor_name=_("Pengadu"),
        )
        complaint.save()
        return complaint
    previous = complaint.weight
    weight = rulebook.reopen_weight(previous)
    rule = rulebook.rules().weights[weight]
    complaint.weight = weight
    complaint.decision, complaint.decided_at = "", None
    complaint.overdue_notified_at = None
    complaint.reopened_count += 1
    due = add_working_days(now, rule.deadline_working_days, office=complaint.office)
    complaint.due_at = due if isinstance(due, dt.datetime) else None
    to_status = ComplaintStatus.HANDLING if rule.direct else ComplaintStatus.COORDINATION
    _append(
        complaint,
        action="reopen",
        to_status=to_status,
        at=now,
        note=reason,
        actor_name=_("Pengadu"),
        data={
            "rating": rating,
            "from_weight": previous,
            "weight": weight,
            "due_at": complaint.due_at.isoformat() if complaint.due_at else None,
        },
    )
    complaint.save()
    role = rule.coordination[0].role if rule.coordination else rule.reply_roles[0]
    OfficeTask.objects.get_or_create(
        key=f"{REOPENED_TASK}:{complaint.pk}:{complaint.reopened_count}",
        defaults={
            "office": complaint.office,
            "role": role,
            "kind": REOPENED_TASK,
            "title": _("Pengadu tidak puas: pengaduan %(ticket)s dibuka kembali sebagai %(weight)s")
            % {"ticket": complaint.ticket, "weight": rule.label},
            "detail": reason,
            "created_at": now,
            "due_at": complaint.due_at,
        },
    )
    return complaint


def complaint_act(*, complaint: Complaint, actor: Any, action: str, data: dict[str, Any]) -> Complaint:
    """One entry point for the interfaces: run ``action`` with its fields from ``data``."""
    text = {k: str(v) if v is not None else "" for k, v in data.items()}
    if action == "triage":
        return complaint_triage(
            complaint=complaint,
            actor=actor,
            weight=text.get("weight", ""),
            kind=text.get("kind") or None,
            category=text.get("category", ""),
            unit=text.get("unit", ""),
            note=text.get("note", ""),
        )
    if action == "coordinate":
        return complaint_coordinate(
            complaint=complaint, actor=actor, note=text.get("note", ""), party=text.get("party", "")
        )
    if action == "decide":
        return complaint_decide(complaint=complaint, actor=actor, decision=text.get("decision", ""))
    if action == "reply":
        return complaint_reply(
            complaint=complaint,
            actor=actor,
            method=text.get("method", ""),
            text=text.get("text", ""),
            contact_result=text.get("contact_result", ""),
        )
    if action == "note":
        return complaint_note(complaint=complaint, actor=actor, note=text.get("note", ""))
    raise InvalidData(_("Tindakan tidak dikenal."), {"action": _("Tindakan tidak dikenal.")})


# --- overdue escalation --------------------------------------------------------------------------


def complaints_escalate_overdue(*, at: dt.datetime | None = None) -> int:
    """
    Escalate every complaint past its deadline and not yet answered, once: a history event and an
    alert to the holders of the weight's ``escalate_to`` roles (e-mail, else SMS). Return how many.
    """
    now = at or timezone.now()
    escalated = 0
    overdue = Complaint.objects.filter(
        due_at__lt=now, overdue_notified_at__isnull=True, answered_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().select_related("office").get(pk=pk)
            if complaint.overdue_notified_at is not None or complaint.answered_at is not None:
                continue
            rule = rulebook.rules().weights.get(complaint.weight)
            roles = rule.escalate_to if rule else (Role.SEKRETARIS,)
            complaint.overdue_notified_at = now
            _append(
                complaint,
                action="overdue",
                to_status=complaint.status,
                at=now,
                data={
                    "due_at": complaint.due_at.isoformat() if complaint.due_at else None,
                    "escalated_to": list(roles),
                },
            )
            complaint.save()
            for role in roles:
                for user in role_holders(complaint.office, role, at=now):
                    channel, recipient = (
                        (NoticeChannel.EMAIL, user.email) if user.email else (NoticeChannel.SMS, user.phone)
                    )
                    if not recipient:
                        continue
                    context = {
                        **complaint_context(complaint, at=now),
                        "petugas": user.display_name,
                        "peran": str(Role(role).label),
                    }
                    with transaction.atomic():
                        notice_queue(
                            office=complaint.office,
                            channel=channel,
                            recipient=recipient,
                            recipient_name=user.display_name,
                            user=user,
                            event="complaint.overdue",
                            template_key="complaint.overdue",
                            context=context,
                            idempotency_key=f"complaint.overdue:{complaint.pk}:{user.pk}",
                            related_kind="complaint",
                            related_id=complaint.ticket,
                            at=now,
                        )
            escalated += 1
    return escalated


@transaction.atomic
def open311_key_issue(*, office: Office, name: str, actor: Any = None) -> tuple[str, Any]:
    """Issue an Open311 ``api_key`` for a client application; the key is shown once, only its hash is kept."""
    import hashlib

    from satupintu.complaints.models import Open311Key

    key = secrets.token_urlsafe(24)
    row = Open311Key.objects.create(office=office, name=name[:120], key_hash=hashlib.sha256(key.encode()).hexdigest())
    audit_record(action="open311.key_issue", office=office, actor=actor, target=f"open311_key:{row.pk}", name=name)
    return key, row


def complaint_categories_install() -> int:
    """Add the shipped categories (data/categories.yaml) that are missing as defaults; return how many."""
    added = 0
    for row in rulebook.default_categories():
        _row, created = ComplaintCategory.objects.get_or_create(
            office=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "group": row.get("group", ""),
                "description": row.get("description", ""),
                "keywords": row.get("keywords", []),
                "order": row["order"],
            },
        )
        added += created
    return added


# --- publication review (Open311 and the public pages; issue 13) -------------------------------------

#: The shortest public text an officer may publish.
PUBLIC_TEXT_MIN = 10


def public_text_suggestion(complaint: Complaint) -> str:
    """
    A first draft of the public text for the reviewer: the complaint's text with every NIK, phone
    number and e-mail address replaced by a placeholder, and the complainant's name removed.
    The officer still reads and edits it; nothing is published from this alone.
    """
    text = mask_personal(complaint.description)
    name = complaint.complainant_name.strip()
    if len(name) >= 3:
        text = re.sub(re.escape(name), "[nama]", text, flags=re.IGNORECASE)
    return text


def _personal_in(text: str, complaint: Complaint) -> list[str]:
    found = []
    if NIK_PATTERN.search(text):
        found.append(_("NIK"))
    if PHONE_PATTERN.search(text):
        found.append(_("nomor telepon"))
    if EMAIL_PATTERN.search(text):
        found.append(_("alamat surel"))
    name = complaint.complainant_name.strip()
    if len(name) >= 3 and name.lower() in text.lower():
        found.append(_("nama pengadu"))
    return found


@transaction.atomic
def complaint_publication_review(
    *, complaint: Complaint, actor: Any, text: str = "", publish: bool = True, at: dt.datetime | None = None
) -> Complaint:
    """
    An officer reviews the complaint for publication: with ``publish`` the reviewed ``text`` becomes
    the only text Open311 and the public pages show; without it the complaint is withdrawn from
    publication. A confidential complaint is never published; a text that still holds a NIK, a
    phone number, an e-mail address or the complainant's name is refused (422). Audited.
    """
    complaint = _locked(complaint)
    require(actor, Action.HANDLE_COMPLAINTS, complaint.office)
    now = at or timezone.now()
    if not publish:
        complaint.public_text, complaint.published_at, complaint.published_by = "", None, None
        complaint.save(update_fields=["public_text", "published_at", "published_by", "updated_at"])
        audit_record(
            action="complaint.unpublish", office=complaint.office, actor=actor, target=f"complaint:{complaint.ticket}"
        )
        return complaint
    if complaint.confidential:
        raise Conflict(_("Pengaduan yang dirahasiakan tidak dipublikasikan."))
    text = (text or "").strip()
    if len(text) < PUBLIC_TEXT_MIN:
        raise InvalidData(
            _("Teks publik belum diisi."),
            {"public_text": _("Tuliskan teks yang akan dipublikasikan (paling sedikit 10 huruf).")},
        )
    found = _personal_in(text, complaint)
    if found:
        raise InvalidData(
            _("Teks publik masih memuat data pribadi."),
            {"public_text": _("Hapus dari teks publik: %(items)s.") % {"items": ", ".join(found)}},
        )
    complaint.public_text, complaint.published_at, complaint.published_by = text, now, actor
    complaint.save(update_fields=["public_text", "published_at", "published_by", "updated_at"])
    audit_record(
        action="complaint.publish",
        office=complaint.office,
        actor=actor,
        target=f"complaint:{complaint.ticket}",
        length=len(text),
    )
    return complaint
