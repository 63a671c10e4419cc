"""
Writes of the notice outbox: queue a notice, send it (with retries and back-off), sweep for lost
or stuck ones, resend or cancel one, close an office task.

Delivery is at-least-once towards the gateway and exactly-once in the outbox: a notice is claimed
by a conditional UPDATE (``pending`` → ``sending``) that only one worker can win, the gateway is
called outside any transaction, and the result is recorded only if the claim is still the one
this worker made. A worker that dies while ``sending`` leaves the row for the sweeper, which
re-queues it after ``SENDING_TIMEOUT_SECONDS``; the idempotency key goes to gateways that accept
one, so the rare resend after such a crash can be dropped by the provider.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from satupintu.applications.models import Application, Permit
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict
from satupintu.core.models import Office
from satupintu.core.validators import normalise_phone
from satupintu.notifications.channels import SendResult, channel_for
from satupintu.notifications.models import Notice, NoticeChannel, NoticeStatus, OfficeTask
from satupintu.notifications.templates import date_id, render, template_for

logger = logging.getLogger(__name__)

#: Channels whose notices a worker sends (letters are posted by the front office).
GATEWAY_CHANNELS = (NoticeChannel.SMS, NoticeChannel.EMAIL, NoticeChannel.WHATSAPP)
SMS_LIKE = frozenset({NoticeChannel.SMS, NoticeChannel.WHATSAPP})
#: Context values shortened in SMS/WhatsApp (the e-mail carries them in full).
SHORTENED_IN_SMS = {"alasan": 70, "layanan": 40}


def notice_settings() -> dict[str, Any]:
    return getattr(settings, "SATUPINTU_NOTICES", {})


def backoff_seconds(attempt: int) -> int:
    """Wait after the ``attempt``-th failure: base × 2^(attempt-1), capped (60 s, 120 s, 240 s …)."""
    config = notice_settings()
    base = int(config.get("BACKOFF_BASE_SECONDS", 60))
    cap = int(config.get("BACKOFF_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(0, attempt - 1))


def _enqueue(notice_id: int, run_after: dt.datetime | None = None) -> None:
    """Put ``send_notice`` on the task queue; a failure here is logged: the sweeper recovers it."""
    from satupintu.notifications.tasks import send_notice  # tasks import this module

    try:
        (send_notice.using(run_after=run_after) if run_after else send_notice).enqueue(notice_id)
    except Exception:
        logger.exception("could not enqueue notice %s; the sweeper will send it", notice_id)


def _enqueue_on_commit(notice_id: int, run_after: dt.datetime | None = None) -> None:
    transaction.on_commit(partial(_enqueue, notice_id, run_after))


def _shorten(value: str, limit: int) -> str:
    """One line, at most ``limit`` characters, no closing full stop (the template has its own)."""
    value = " ".join(str(value).split()).rstrip(".")
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def notice_queue(
    *,
    office: Office,
    channel: str,
    recipient: str,
    event: str,
    template_key: str,
    context: dict[str, Any],
    idempotency_key: str,
    application: Application | None = None,
    user: Any = None,
    recipient_name: str = "",
    related_kind: str = "",
    related_id: str = "",
    at: dt.datetime | None = None,
) -> Notice | None:
    """
    Write one notice to the outbox in the caller's transaction and send it after commit.

    Render the office's (or the default) template for ``template_key`` on ``channel``. Return None,
    writing nothing, when the template is missing or switched off, or when a notice with this
    ``idempotency_key`` already exists (the same event never queues twice). Letters are not sent
    by a worker: they wait for the front office to post them.
    """
    notice = _notice_build(
        office=office,
        channel=channel,
        recipient=recipient,
        event=event,
        template_key=template_key,
        context=context,
        idempotency_key=idempotency_key,
        application=application,
        user=user,
        recipient_name=recipient_name,
        related_kind=related_kind,
        related_id=related_id,
        at=at,
    )
    inserted = notices_insert([notice]) if notice is not None else []
    return inserted[0] if inserted else None


def _notice_build(
    *,
    office: Office,
    channel: str,
    recipient: str,
    event: str,
    template_key: str,
    context: dict[str, Any],
    idempotency_key: str,
    application: Application | None,
    user: Any,
    recipient_name: str,
    related_kind: str,
    related_id: str,
    at: dt.datetime | None,
) -> Notice | None:
    """The rendered, unsaved notice; None when the template is missing or switched off."""
    template = template_for(office_id=office.pk, key=template_key, channel=channel)
    if template is None:
        logger.info("no active template %s/%s for office %s", template_key, channel, office.pk)
        return None
    values = dict(context)
    if channel in SMS_LIKE:
        for name, limit in SHORTENED_IN_SMS.items():
            if name in values:
                values[name] = _shorten(values[name], limit)
    now = at or timezone.now()
    return Notice(
        office=office,
        channel=channel,
        recipient=recipient[:500],
        recipient_name=recipient_name[:200],
        user=user if getattr(user, "pk", None) else None,
        event=event,
        template_key=template_key,
        subject=render(template.subject, values)[:200],
        text=render(template.body, values),
        application=application,
        related_kind=related_kind,
        related_id=str(related_id),
        max_attempts=int(notice_settings().get("MAX_ATTEMPTS", 6)),
        next_attempt_at=now,
        idempotency_key=idempotency_key,
        created_at=now,
    )


def notices_insert(notices: list[Notice]) -> list[Notice]:
    """
    Write unsaved notices to the outbox in one statement, skipping any whose idempotency key is
    already there (``INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id``: a
    duplicate never fails, so no savepoint is needed); the written ones go to the worker after
    commit. Return the notices written, with their ids.
    """
    if not notices:
        return []
    fields = [f for f in Notice._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list[Any] = []
    for notice in notices:
        params.extend(f.get_db_prep_save(f.pre_save(notice, True), connection) for f in fields)
    sql = (
        f"INSERT INTO {quote(Notice._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES {', '.join([row] * len(notices))} "
        f"ON CONFLICT ({quote('idempotency_key')}) DO NOTHING RETURNING {quote('id')}, {quote('idempotency_key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {key: pk for pk, key in cursor.fetchall()}
    written = []
    for notice in notices:
        if notice.idempotency_key in ids:
            notice.pk = ids[notice.idempotency_key]
            notice._state.adding, notice._state.db = False, connection.alias
            written.append(notice)
            if notice.channel in GATEWAY_CHANNELS:
                _enqueue_on_commit(notice.pk)
    return written


# --- the applicant's notices -------------------------------------------------------------------


#: Must equal ``surveys.invitations.TOKEN_SALT``: the survey page reads the token this makes
#: (notifications sits below surveys in the layers, so it cannot import it).
SURVEY_TOKEN_SALT = "satupintu.surveys.invitation"


def survey_link(application: Application) -> str:
    """
    The satisfaction-survey link for this application: one signed invitation per handover.

    ``SATUPINTU_NOTICES["SURVEY_URL"]`` may contain ``{token}``, ``{nomor}`` and ``{kode}``; by
    default the project's own survey page under ``SATUPINTU_PUBLIC_URL``.
    """
    from django.conf import settings
    from django.core import signing

    token = signing.dumps(application.pk, salt=SURVEY_TOKEN_SALT)
    url = str(notice_settings().get("SURVEY_URL") or "")
    if not url:
        base = str(getattr(settings, "SATUPINTU_PUBLIC_URL", "")).rstrip("/")
        return f"{base}/survei/isi/{token}/" if base else "portal layanan, menu Survei Kepuasan"
    return render(url, {"token": token, "nomor": application.number, "kode": application.tracking_code})


def application_context(application: Application, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """The placeholders every notice about an application can use."""
    office = application.office
    tz = office.time_zone
    try:
        permit = application.permit  # read with the application by the step's lock, else one query
    except Permit.DoesNotExist:
        permit = None
    reasons = application.return_reasons or []
    reason_lines = [f"{r.get('label', '')}: {r.get('reason', '')}".strip(": ") for r in reasons]
    return_due = date_id(application.return_due_at, tz=tz, with_time=True)
    return {
        "nama": application.applicant_name,
        "alamat": application.applicant_address or "-",
        "nomor": application.number,
        "kode": application.tracking_code,
        "layanan": application.service.name,
        "tanggal_selesai": date_id(application.due_at, tz=tz),
        "tanggal_produk_selesai": date_id(application.completed_at, tz=tz),
        "batas_lengkapi": return_due,
        "kalimat_batas_lengkapi": (
            f"Lengkapi paling lambat {return_due}; setelah itu permohonan ditutup. "
            if application.return_due_at
            else ""
        ),
        "alasan": application.rejection_reason or "; ".join(reason_lines) or "-",
        "alasan_daftar": "\n".join(f"- {line}" for line in reason_lines) or "-",
        "nomor_izin": permit.number if permit else "-",
        "berlaku_sampai": date_id(permit.valid_until, tz=tz) if permit and permit.valid_until else "-",
        "tautan_survei": survey_link(application),
        "kantor": office.name,
        "alamat_kantor": office.address,
        "telepon_kantor": office.phone or office.sms or office.email or "-",
        "kota": office.region,
        "tanggal": date_id(at or timezone.now(), tz=tz),
    }


def applicant_addresses(application: Application) -> dict[str, str]:
    """Where the applicant can be reached, by channel: E.164 phone and e-mail (the form, then the account)."""
    addresses: dict[str, str] = {}
    account = application.applicant
    phone = application.applicant_phone or (account.phone if account else "")
    if phone:
        try:
            addresses[NoticeChannel.SMS] = addresses[NoticeChannel.WHATSAPP] = normalise_phone(phone)
        except Exception:  # a bad number on file must not stop the step
            logger.warning("application %s: the phone number on file is not a valid number", application.pk)
    email = application.applicant_email or (account.email if account else "")
    if email:
        addresses[NoticeChannel.EMAIL] = email
    return addresses


def application_notices_queue(
    *,
    application: Application,
    key: str,
    seq: str,
    event: str | None = None,
    extra: dict[str, Any] | None = None,
    channels: list[str] | None = None,
    related_kind: str = "",
    related_id: str = "",
    at: dt.datetime | None = None,
) -> list[Notice]:
    """
    Queue the applicant's notices for one occurrence of an event: one per channel they can be reached on.

    The idempotency key is ``{event}:{application_id}:{channel}:{seq}``; pass a ``seq`` that is
    the same for the same occurrence (e.g. the card position for a repeatable event).
    """
    event = event or key
    context = {**application_context(application, at=at), **(extra or {})}
    addresses = applicant_addresses(application)
    built = []
    for channel in channels or notice_settings().get("APPLICANT_CHANNELS", ["sms", "email"]):
        recipient = addresses.get(channel)
        if not recipient:
            continue
        notice = _notice_build(
            office=application.office,
            channel=channel,
            recipient=recipient,
            recipient_name=application.applicant_name,
            user=application.applicant,
            event=event,
            template_key=key,
            context=context,
            idempotency_key=f"{event}:{application.pk}:{channel}:{seq}",
            application=application,
            related_kind=related_kind,
            related_id=related_id,
            at=at,
        )
        if notice is not None:
            built.append(notice)
    return notices_insert(built)


# --- sending -----------------------------------------------------------------------------------


def notice_send(*, notice_id: int, at: dt.datetime | None = None) -> str:
    """
    Claim the notice, hand it to its channel, and record the outcome; return what happened.

    Only a ``pending`` notice whose time has come is claimed (one worker wins; the others see
    ``skipped``). A retryable failure puts it back to ``pending`` with exponential back-off and
    queues the next attempt for then, until ``max_attempts``; a permanent failure, or the last
    attempt, ends it ``failed``. A ``sent`` notice is never sent again.
    """
    now = at or timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id, status=NoticeStatus.PENDING, next_attempt_at__lte=now)
        .exclude(channel=NoticeChannel.LETTER)
        .update(status=NoticeStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
    )
    if not claimed:
        status = Notice.objects.filter(pk=notice_id).values_list("status", flat=True).first()
        return f"skipped ({status or 'missing'})"
    notice = Notice.objects.get(pk=notice_id)
    attempt = notice.attempts
    try:
        result = channel_for(notice.channel).send(notice)
    except Exception as exc:  # a broken adapter is treated like a gateway that is down
        logger.exception("channel %s raised for notice %s", notice.channel, notice_id)
        result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}", retryable=True)
    done = at or timezone.now()
    mine = Notice.objects.filter(pk=notice_id, status=NoticeStatus.SENDING, attempts=attempt)
    if result.ok:
        recorded = mine.update(
            status=NoticeStatus.SENT,
            sent_at=done,
            provider_message_id=result.provider_id[:200],
            last_error="",
            next_attempt_at=None,
            updated_at=done,
        )
        outcome = "sent"
    elif result.retryable and attempt < notice.max_attempts:
        next_at = done + dt.timedelta(seconds=backoff_seconds(attempt))
        recorded = mine.update(
            status=NoticeStatus.PENDING, next_attempt_at=next_at, last_error=result.error[:2000], updated_at=done
        )
        if recorded:
            _enqueue_on_commit(notice_id, next_at)
        outcome = "retry"
    else:
        recorded = mine.update(
            status=NoticeStatus.FAILED, next_attempt_at=None, last_error=result.error[:2000], updated_at=done
        )
        outcome = "failed"
    if not recorded:
        # The sweeper took the notice back meanwhile (this worker was too slow); its claim rules.
        logger.warning("notice %s: result of attempt %s arrived after the claim expired", notice_id, attempt)
        return f"stale ({outcome})"
    return outcome


def notices_dispatch_due(*, at: dt.datetime | None = None, limit: int = 500) -> int:
    """
    Re-queue what a crash or a lost task left behind; return how many notices were queued.

    A notice ``sending`` for longer than ``SENDING_TIMEOUT_SECONDS`` belonged to a worker that
    died: it goes back to ``pending`` (or ``failed`` when it has used all its attempts). A
    ``pending`` notice due more than ``SWEEP_GRACE_SECONDS`` ago has lost its task: it is queued
    again. Queuing twice is harmless: only one task can claim the notice.
    """
    now = at or timezone.now()
    config = notice_settings()
    stuck_before = now - dt.timedelta(seconds=int(config.get("SENDING_TIMEOUT_SECONDS", 600)))
    due_before = now - dt.timedelta(seconds=int(config.get("SWEEP_GRACE_SECONDS", 120)))
    queued: list[int] = []
    stuck = Notice.objects.filter(status=NoticeStatus.SENDING, claimed_at__lt=stuck_before).exclude(
        channel=NoticeChannel.LETTER
    )
    for pk, attempts, max_attempts in stuck.values_list("pk", "attempts", "max_attempts")[:limit]:
        same = Notice.objects.filter(pk=pk, status=NoticeStatus.SENDING, attempts=attempts)
        error = f"Pengirim berhenti saat mengirim (percobaan {attempts})."
        if attempts >= max_attempts:
            same.update(status=NoticeStatus.FAILED, next_attempt_at=None, last_error=error, updated_at=now)
        elif same.update(status=NoticeStatus.PENDING, next_attempt_at=now, last_error=error, updated_at=now):
            queued.append(pk)
    # ``updated_at`` is bumped on every re-queue, so a long backlog is not re-queued every sweep.
    lost = list(
        Notice.objects.filter(status=NoticeStatus.PENDING, next_attempt_at__lte=due_before, updated_at__lte=due_before)
        .exclude(channel=NoticeChannel.LETTER)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: max(0, limit - len(queued))]
    )
    Notice.objects.filter(pk__in=lost, status=NoticeStatus.PENDING).update(updated_at=now)
    queued.extend(lost)
    for pk in queued:
        _enqueue_on_commit(pk)
    return len(queued)


@transaction.atomic
def notice_resend(*, notice: Notice, actor: Any, at: dt.datetime | None = None) -> Notice:
    """Send a failed or cancelled notice again, with a fresh set of attempts (recorded in the audit trail)."""
    now = at or timezone.now()
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status not in {NoticeStatus.FAILED, NoticeStatus.CANCELLED} or notice.channel == NoticeChannel.LETTER:
        raise Conflict("Hanya pemberitahuan yang gagal atau dibatalkan yang dapat dikirim ulang.", code="not_failed")
    previous = notice.status
    notice.status = NoticeStatus.PENDING
    notice.attempts = 0
    notice.next_attempt_at = now
    notice.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_record(
        action="notice.resend",
        office=notice.office,
        actor=actor,
        target=f"notice:{notice.pk}",
        previous=previous,
        last_error=notice.last_error[:300],
    )
    _enqueue_on_commit(notice.pk)
    return notice


@transaction.atomic
def notice_cancel(*, notice: Notice, actor: Any) -> Notice:
    """Stop a notice that has not been sent yet."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PENDING:
        raise Conflict("Hanya pemberitahuan yang menunggu dikirim yang dapat dibatalkan.", code="not_pending")
    notice.status = NoticeStatus.CANCELLED
    notice.save(update_fields=["status", "updated_at"])
    audit_record(action="notice.cancel", office=notice.office, actor=actor, target=f"notice:{notice.pk}")
    return notice


@transaction.atomic
def office_task_done(*, task: OfficeTask, actor: Any, at: dt.datetime | None = None) -> OfficeTask:
    """
    Mark an office task done; for a letter to post, the letter notice becomes ``sent`` (posted).

    Raise Conflict when it is already done.
    """
    now = at or timezone.now()
    task = OfficeTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise Conflict("Tugas ini sudah diselesaikan.", code="task_done")
    task.done_at = now
    task.done_by = actor if getattr(actor, "pk", None) else None
    task.save(update_fields=["done_at", "done_by"])
    if task.notice_id is not None:
        Notice.objects.filter(pk=task.notice_id, channel=NoticeChannel.LETTER, status=NoticeStatus.PENDING).update(
            status=NoticeStatus.SENT,
            sent_at=now,
            attempts=F("attempts") + 1,
            provider_message_id=f"pos:{task.pk}",
            next_attempt_at=None,
            updated_at=now,
        )
    audit_record(action="office_task.done", office=task.office, actor=actor, target=f"office_task:{task.pk}")
    return task


# --- accounts ----------------------------------------------------------------------------------

#: How a matched field is named to its owner.
SIGNUP_FIELD_NAMES = {"nik": "NIK", "email": "surel", "phone": "nomor HP", "username": "surel atau nomor HP"}


def signup_existing_notify(
    *, office: Office, owners: dict[Any, list[str]], at: dt.datetime | None = None
) -> list[Notice]:
    """
    Tell each owner that someone tried to sign up with their NIK, e-mail or phone (issue 13: the
    sign-up form itself answers the same whether or not they exist).

    One notice per owner, channel and day at most, so the form cannot be used to flood an owner.
    """
    now = at or timezone.now()
    day = date_id(now)
    queued = []
    for owner, fields in owners.items():
        names = ", ".join(dict.fromkeys(SIGNUP_FIELD_NAMES.get(f, f) for f in fields))
        context = {
            "nama": owner.full_name or owner.username,
            "kantor": office.name,
            "tanggal": day,
            "data_terdaftar": names,
        }
        for channel, recipient in (("email", owner.email), ("sms", owner.phone)):
            if not recipient:
                continue
            notice = notice_queue(
                office=office,
                channel=channel,
                recipient=recipient,
                recipient_name=owner.full_name,
                event="account.signup_existing",
                template_key="account.signup_existing",
                context=context,
                idempotency_key=f"account.signup_existing:{owner.pk}:{channel}:{now.date().isoformat()}",
                user=owner,
                related_kind="user",
                related_id=str(owner.pk),
                at=now,
            )
            if notice is not None:
                queued.append(notice)
    return queued


def password_reset_notify(*, office: Office, user: Any, link: str, at: dt.datetime | None = None) -> list[Notice]:
    """
    Send a password-reset link (``accounts.services.password_reset_request``, through
    ``SATUPINTU_ACCOUNTS["PASSWORD_RESET_NOTIFY"]``): by e-mail when the account has an address,
    else by SMS. The link's token is part of the idempotency key: one notice per link.
    """
    now = at or timezone.now()
    channel, recipient = ("email", user.email) if user.email else ("sms", user.phone)
    if not recipient:
        return []
    digest = hashlib.sha256(link.encode("utf-8")).hexdigest()[:24]
    notice = notice_queue(
        office=office,
        channel=channel,
        recipient=recipient,
        recipient_name=user.full_name,
        event="account.password_reset",
        template_key="account.password_reset",
        context={"nama": user.full_name or user.username, "kantor": office.name, "tautan": link},
        idempotency_key=f"account.password_reset:{user.pk}:{digest}",
        user=user,
        related_kind="user",
        related_id=str(user.pk),
        at=now,
    )
    return [notice] if notice is not None else []
