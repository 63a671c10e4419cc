"""
Writes of the payment step (docs/payments.md, ADR 0011): issue the bill (SKRD), receive the
gateway's callback, record a counter payment, remind and close unpaid bills, record refunds and
the day's exchange rates.

The step itself is the engine's (``applications.services.step_complete``): a payment only moves
the file on through the payment step's outcome that records ``payment`` (the table's row), after
the bill is settled in the same transaction; ``applications.services.RECORD_SOURCES`` asks
``selectors.bill_facts`` what the card keeps. Nothing here names a step kind or an outcome.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, office_today, require
from satupintu.applications import services as engine
from satupintu.applications.models import Application, Status
from satupintu.applications.numbering import format_number, office_code, series_next
from satupintu.applications.uploads import UploadRejected, upload_check
from satupintu.applications.workflow import records_at
from satupintu.catalogue import step_kinds
from satupintu.catalogue.fees import fee_quote, money
from satupintu.catalogue.schema import ServiceStandardSpec, SopStep
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import Office
from satupintu.notifications.services import application_notices_queue
from satupintu.notifications.templates import date_id
from satupintu.payments import gateway as gateways
from satupintu.payments.models import Bill, BillStatus, ExchangeRate, Payment, PaymentChannel, Refund
from satupintu.payments.selectors import exchange_rate_on

logger = logging.getLogger(__name__)

GATEWAY_ACTOR = "Sistem (gateway pembayaran)"
SCAN_ACTOR = "Sistem (pemeriksaan SKRD harian)"
DEFAULT_BILL_FORMAT = "973/{seq:05d}/SKRD/{office_code}/{roman_month}/{year}"
DEFAULT_RECEIPT_FORMAT = "TBP/{seq:05d}/{office_code}/{year}"


def _formats() -> tuple[str, str]:
    conf = getattr(settings, "SATUPINTU_PAYMENTS", None) or {}
    return conf.get("BILL_NUMBER_FORMAT") or DEFAULT_BILL_FORMAT, conf.get("RECEIPT_NUMBER_FORMAT") or (
        DEFAULT_RECEIPT_FORMAT
    )


def is_payment_step(step: SopStep) -> bool:
    """Whether the step's outcomes record a payment (the table's ``records``)."""
    return "payment" in records_at(step)


def _outcome(step: SopStep, *, ends: bool) -> str:
    """The payment step's outcome that settles the bill (leads on) or closes the file (ends)."""
    kind = step_kinds.kind_of(step.kind)
    for code in step.outcomes:
        row = kind.outcome(code)
        if row.records == "payment" and row.ends == ends:
            return code
    raise DomainError(_("Langkah pembayaran pada standar ini tidak memiliki hasil yang diperlukan."))


def _card_event(application: Application, outcome: str, activity: str, note: str, data: dict[str, Any], at: Any):
    spec = engine.spec_for(application)
    kind = spec.step(application.current_step).kind if application.current_step else "payment"
    return engine.card_event_record(
        application=application,
        step_kind=kind,
        role="bendahara_penerima",
        activity=activity,
        outcome=outcome,
        note=note,
        data=data,
        at=at,
    )


#: Rupiah per US dollar the office may record (a guard against a misplaced separator).
PLAUSIBLE_RATE = (Decimal(1000), Decimal(100000))


# --- the day's exchange rate ------------------------------------------------------------------


@transaction.atomic
def exchange_rate_record(
    *, office: Office, actor: Any, currency: str, date: dt.date, rate: Any, source: str, at: dt.datetime | None = None
) -> ExchangeRate:
    """The treasurer records the rupiah rate of a currency for a day (the KMK or BI rate the standard names)."""
    now = at or timezone.now()
    require(actor, Action.MANAGE_PAYMENTS, office, at=now)
    errors = {}
    try:
        value = Decimal(str(rate).replace(".", "").replace(",", ".")) if "," in str(rate) else Decimal(str(rate))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not PLAUSIBLE_RATE[0] <= value <= PLAUSIBLE_RATE[1]:
        # "16.250" read as 16,25 would bill a hundredth: a rate outside this range is a typing error.
        errors["rate"] = _("Kurs wajib angka rupiah per US$ antara 1.000 dan 100.000, mis. 16250 atau 16.250,50.")
    if currency not in {"USD"}:
        errors["currency"] = _("Mata uang yang dikenal: USD.")
    if not source.strip():
        errors["source"] = _("Sebutkan sumber kurs, mis. KMK nomor … atau kurs JISDOR Bank Indonesia.")
    if errors:
        raise InvalidData(_("Periksa kembali kurs yang dicatat."), errors)
    row, _created = ExchangeRate.objects.update_or_create(
        office=office,
        currency=currency,
        date=date,
        defaults={"rate": value, "source": source.strip()[:200], "recorded_by": actor, "recorded_at": now},
    )
    audit_record(action="payments.rate", office=office, actor=actor, target=f"kurs:{currency}:{date}", rate=str(value))
    return row


# --- the bill -----------------------------------------------------------------------------------


def _quote_final(spec: ServiceStandardSpec, application: Application, now: dt.datetime) -> Any:
    formula = spec.fee.formula
    rate = None
    if formula is not None and formula.currency != "IDR":
        rate = exchange_rate_on(application.office, formula.currency, office_today(application.office, now))
    return fee_quote(
        spec.fee,
        application.data,
        fields={f.key: f for f in spec.form_fields()},
        exchange_rate=rate.rate if rate else None,
        rate_date=rate.date if rate else None,
        final=True,
    )


def bill_issue(*, application: Application, at: dt.datetime | None = None) -> Bill:
    """
    Issue the SKRD of a file that has reached its payment step, once: the amount from the
    standard's fee and the form (at the day's rate the standard names), the number from the
    office's ``skrd`` series, the due date ``fee.due_days`` days on, and the gateway's payment
    code. Runs in the step's transaction; a fee that cannot be computed (no rate recorded for
    today) fails the step with the reason.
    """
    now = at or timezone.now()
    existing = Bill.objects.filter(application=application).first()
    if existing is not None:
        return existing
    spec = engine.spec_for(application)
    quote = _quote_final(spec, application, now)
    if quote.amount is None:
        raise InvalidData(
            _("SKRD belum dapat diterbitkan: %(why)s") % {"why": quote.explanation},
            {"fee": _("Bendahara Penerima mencatat kurs hari ini, atau lengkapi data permohonan.")},
        )
    if quote.amount <= 0:
        raise InvalidData(_("Biaya layanan ini nol; standar tidak boleh memuat langkah pembayaran."), {})
    today = office_today(application.office, now)
    bill_format, _receipt = _formats()
    seq = series_next(office=application.office, key="skrd", year=today.year)
    number = format_number(
        bill_format, seq=seq, when=today, short_code=spec.short_code, office_code=office_code(application.office)
    )
    due_at = now + dt.timedelta(days=spec.fee.due_days)
    request = gateways.BillRequest(
        number=number,
        amount=quote.amount,
        due_at=due_at,
        name=application.applicant_name,
        description=f"Retribusi {spec.name} ({application.number})"[:200],
    )
    try:
        opened = gateways.gateway().bill_open(request)
    except gateways.GatewayError as exc:
        logger.warning("gateway did not open bill %s: %s", number, exc)
        opened = gateways.GatewayBill(payment_code=f"KB{application.office_id:03d}{today.year}{seq:06d}")
    bill = Bill.objects.create(
        office=application.office,
        application=application,
        number=number,
        year=today.year,
        seq=seq,
        amount=quote.amount,
        explanation=quote.explanation,
        quote=quote.as_dict(),
        legal_basis=spec.fee.legal_basis,
        payment_code=opened.payment_code,
        qris=opened.qris,
        gateway_reference=opened.reference,
        issued_at=now,
        due_at=due_at,
    )
    _card_event(
        application,
        "bill_issued",
        _("SKRD diterbitkan"),
        _("SKRD %(number)s: %(amount)s, jatuh tempo %(due)s.")
        % {
            "number": number,
            "amount": money(bill.amount),
            "due": date_id(due_at, tz=application.office.time_zone, with_time=True),
        },
        {"bill": number, "amount": bill.amount, "payment_code": bill.payment_code, "due_at": due_at.isoformat()},
        now,
    )
    application_notices_queue(
        application=application,
        key="payment.bill",
        seq="1",
        extra={
            "skrd": number,
            "jumlah": money(bill.amount),
            "kode_bayar": bill.payment_code,
            "jatuh_tempo": date_id(due_at, tz=application.office.time_zone, with_time=True),
        },
        at=now,
    )
    return bill


# --- settling a bill ------------------------------------------------------------------------------


def _settle(bill: Bill, payment: Payment, actor: Any, now: dt.datetime) -> Application:
    """Mark the bill paid, number the receipt, and move the file on through the payment step."""
    _bill_format, receipt_format = _formats()
    today = office_today(bill.office, now)
    seq = series_next(office=bill.office, key="tbp", year=today.year)
    payment.receipt_number = format_number(receipt_format, seq=seq, when=today, office_code=office_code(bill.office))
    payment.save(update_fields=["receipt_number"])
    bill.status = BillStatus.PAID
    bill.paid_at = payment.paid_at
    bill.save(update_fields=["status", "paid_at"])
    application = Application.objects.select_for_update(of=("self",)).get(pk=bill.application_id)
    spec = engine.spec_for(application)
    if application.current_step is None or not is_payment_step(spec.step(application.current_step)):
        return application  # closed meanwhile: the payment stays recorded, for a refund
    if application.claimed_by_id is not None and isinstance(actor, engine.SystemActor):
        Application.objects.filter(pk=application.pk).update(claimed_by=None, claimed_at=None)
        application.claimed_by = None
    step = spec.step(application.current_step)
    application_notices_queue(
        application=application,
        key="payment.paid",
        seq="1",
        extra={"skrd": bill.number, "jumlah": money(payment.amount), "tanda_bukti": payment.receipt_number},
        at=now,
    )
    return engine.step_complete(
        application=application,
        actor=actor,
        step_number=step.number,
        outcome=_outcome(step, ends=False),
        note=_("Dibayar %(amount)s (%(channel)s), tanda bukti %(receipt)s.")
        % {
            "amount": money(payment.amount),
            "channel": payment.get_channel_display(),
            "receipt": payment.receipt_number,
        },
        at=now,
    )


def _parse_time(value: Any, now: dt.datetime) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return now
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


CALLBACK_PAID, CALLBACK_DUPLICATE, CALLBACK_FLAGGED = "paid", "duplicate", "flagged"


@transaction.atomic
def callback_receive(*, body: bytes, signature: str, at: dt.datetime | None = None) -> dict[str, Any]:
    """
    The gateway says a bill was paid. Refuse a body whose signature is not the shared secret's
    HMAC (PermissionDenied); record the payment once per gateway reference (a second delivery
    answers ``duplicate`` and changes nothing); settle the bill only when the amount is the
    bill's and the bill is unpaid — otherwise keep the payment flagged for the treasurer.
    """
    now = at or timezone.now()
    if not gateways.signature_valid(body, signature):
        logger.warning("payment callback with a bad signature refused")
        raise PermissionDenied(_("Tanda tangan callback tidak sah."))
    try:
        message = json.loads(body.decode("utf-8"))
        code = str(message["payment_code"])
        reference = str(message["reference"])[:100]
        amount = int(message["amount"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidData(
            _("Isi callback tidak sah."), {"body": _("payment_code, reference dan amount wajib.")}
        ) from None
    if message.get("status", "paid") != "paid" or amount < 0:
        raise InvalidData(_("Callback hanya untuk pembayaran yang berhasil."), {"status": _("Status harus paid.")})
    bill = Bill.objects.select_for_update().select_related("office", "application").filter(payment_code=code).first()
    if bill is None:
        raise NotFound(_("Kode bayar tidak dikenal."))
    if Payment.objects.filter(channel=PaymentChannel.GATEWAY, reference=reference).exists():
        return {"status": CALLBACK_DUPLICATE, "bill": bill.number}
    problem = ""
    if amount != bill.amount:
        problem = _("Jumlah %(paid)s tidak sama dengan SKRD %(bill)s.") % {
            "paid": money(amount),
            "bill": money(bill.amount),
        }
    elif bill.status != BillStatus.UNPAID:
        problem = _("SKRD sudah %(status)s; pembayaran ini perlu dikembalikan.") % {
            "status": bill.get_status_display().lower()
        }
    payment = Payment.objects.create(
        office=bill.office,
        bill=bill,
        channel=PaymentChannel.GATEWAY,
        reference=reference,
        amount=amount,
        paid_at=_parse_time(message.get("paid_at"), now),
        recorded_at=now,
        accepted=not problem,
        problem=problem[:300],
        payload=message,
    )
    if problem:
        audit_record(action="payments.flagged", office=bill.office, target=f"skrd:{bill.number}", problem=problem)
        return {"status": CALLBACK_FLAGGED, "bill": bill.number, "problem": problem}
    _settle(bill, payment, engine.SystemActor(GATEWAY_ACTOR), now)
    return {"status": CALLBACK_PAID, "bill": bill.number, "receipt": payment.receipt_number}


PROOF_TYPES = ["pdf", "jpg", "png"]


@transaction.atomic
def counter_payment_record(
    *,
    application: Application,
    actor: Any,
    amount: Any,
    reference: str,
    proof: IO[bytes] | None,
    paid_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Payment:
    """
    The treasurer (Bendahara Penerima) records a payment received at the counter, with its proof
    (a scan or photo of the deposit slip, parsed like every upload); the amount must be the bill's.
    """
    now = at or timezone.now()
    require(actor, Action.MANAGE_PAYMENTS, application.office, at=now)
    bill = Bill.objects.select_for_update().select_related("office").filter(application=application).first()
    if bill is None:
        raise NotFound(_("Permohonan ini belum memiliki SKRD."))
    if bill.status != BillStatus.UNPAID:
        raise Conflict(
            _("SKRD %(number)s sudah %(status)s.") % {"number": bill.number, "status": bill.get_status_display()}
        )
    errors = {}
    try:
        value = int(str(amount).replace(".", "").replace("Rp", "").strip())
    except ValueError:
        value = -1
    if value != bill.amount:
        errors["amount"] = _("Jumlah harus sama dengan SKRD: %(amount)s.") % {"amount": money(bill.amount)}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = _("Tuliskan nomor bukti setor / kuitansi.")
    if proof is None:
        errors["proof"] = _("Unggah bukti pembayaran (PDF, JPG atau PNG).")
    checked = None
    if proof is not None:
        try:
            checked = upload_check(proof, allowed=PROOF_TYPES, max_bytes=5 * 1024 * 1024)
        except UploadRejected as exc:
            errors["proof"] = exc.message
    if errors:
        raise InvalidData(_("Pembayaran belum dapat dicatat."), errors)
    assert checked is not None
    content = checked.file.read()
    payment = Payment(
        office=bill.office,
        bill=bill,
        channel=PaymentChannel.COUNTER,
        reference=reference[:100],
        amount=value,
        paid_at=paid_at or now,
        recorded_at=now,
        recorded_by=actor,
        proof_sha256=hashlib.sha256(content).hexdigest(),
        proof_type=checked.kind,
    )
    payment.proof.save(f"bukti.{checked.kind}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise Conflict(_("Nomor bukti setor ini sudah pernah dicatat.")) from None
    audit_record(
        action="payments.counter",
        office=bill.office,
        actor=actor,
        target=f"skrd:{bill.number}",
        amount=value,
        reference=payment.reference,
    )
    _settle(bill, payment, actor, now)
    return payment


# --- unpaid bills ---------------------------------------------------------------------------------


def bills_overdue_scan(*, at: dt.datetime | None = None) -> tuple[int, int]:
    """
    For every unpaid bill past its due date: the reminder (surat teguran) once, giving
    ``fee.grace_days`` more days; past that date the application closes through the payment
    step's ending outcome (the ``Unpaid`` event sends the closing letter). Return (reminded, closed).
    """
    now = at or timezone.now()
    reminded = closed = 0
    for bill_id in Bill.objects.filter(status=BillStatus.UNPAID, due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            bill = Bill.objects.select_for_update().select_related("office", "application").get(pk=bill_id)
            if bill.status != BillStatus.UNPAID:
                continue
            application = bill.application
            if bill.reminded_at is None:
                spec = engine.spec_for(application)
                bill.reminded_at = now
                bill.closes_at = now + dt.timedelta(days=spec.fee.grace_days)
                bill.save(update_fields=["reminded_at", "closes_at"])
                locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
                _card_event(
                    locked,
                    "bill_reminded",
                    _("Surat teguran SKRD"),
                    _("SKRD %(number)s belum dibayar; batas akhir %(until)s.")
                    % {
                        "number": bill.number,
                        "until": date_id(bill.closes_at, tz=bill.office.time_zone, with_time=True),
                    },
                    {"bill": bill.number, "closes_at": bill.closes_at.isoformat()},
                    now,
                )
                application_notices_queue(
                    application=locked,
                    key="payment.reminder",
                    seq="1",
                    extra={
                        "skrd": bill.number,
                        "jumlah": money(bill.amount),
                        "batas": date_id(bill.closes_at, tz=bill.office.time_zone, with_time=True),
                    },
                    at=now,
                )
                reminded += 1
            elif bill.closes_at is not None and bill.closes_at <= now:
                closed += _bill_expire(bill, now)
    return reminded, closed


def _bill_expire(bill: Bill, now: dt.datetime) -> int:
    application = Application.objects.select_for_update(of=("self",)).get(pk=bill.application_id)
    spec = engine.spec_for(application)
    if application.current_step is None or not is_payment_step(spec.step(application.current_step)):
        return 0
    step = spec.step(application.current_step)
    if application.claimed_by_id is not None:
        Application.objects.filter(pk=application.pk).update(claimed_by=None, claimed_at=None)
        application.claimed_by = None
    engine.step_complete(
        application=application,
        actor=engine.SystemActor(SCAN_ACTOR),
        step_number=step.number,
        outcome=_outcome(step, ends=True),
        note=_("SKRD %(number)s tidak dibayar sampai batas waktu setelah surat teguran; permohonan ditutup.")
        % {"number": bill.number},
        at=now,
    )
    bill.status = BillStatus.EXPIRED
    bill.save(update_fields=["status"])
    return 1


# --- refunds --------------------------------------------------------------------------------------


@transaction.atomic
def refund_record(
    *, bill: Bill, actor: Any, amount: Any, reason: str, reference: str, at: dt.datetime | None = None
) -> Refund:
    """The treasurer records the repayment of a paid bill whose application was refused (restitusi)."""
    now = at or timezone.now()
    require(actor, Action.MANAGE_PAYMENTS, bill.office, at=now)
    bill = Bill.objects.select_for_update().select_related("office", "application").get(pk=bill.pk)
    if bill.status != BillStatus.PAID:
        raise Conflict(_("Hanya SKRD yang lunas yang dapat dikembalikan."))
    if bill.application.status != Status.REJECTED:
        raise Conflict(_("Retribusi dikembalikan hanya untuk permohonan yang ditolak."))
    errors = {}
    try:
        value = int(str(amount).replace(".", "").strip())
    except ValueError:
        value = -1
    if not 0 < value <= bill.amount:
        errors["amount"] = _("Jumlah pengembalian antara Rp 1 dan %(amount)s.") % {"amount": money(bill.amount)}
    if not reason.strip():
        errors["reason"] = _("Tuliskan alasan pengembalian.")
    if not reference.strip():
        errors["reference"] = _("Tuliskan nomor bukti pengembalian (SP2D / transfer).")
    if errors:
        raise InvalidData(_("Pengembalian belum dapat dicatat."), errors)
    refund = Refund.objects.create(
        office=bill.office,
        bill=bill,
        amount=value,
        reason=reason.strip(),
        reference=reference.strip()[:100],
        refunded_at=now,
        recorded_by=actor,
    )
    bill.status = BillStatus.REFUNDED
    bill.save(update_fields=["status"])
    application = Application.objects.select_for_update(of=("self",)).get(pk=bill.application_id)
    engine.card_event_record(
        application=application,
        step_kind=_paid_step_kind(application),
        role="bendahara_penerima",
        activity=_("Retribusi dikembalikan"),
        outcome="refunded",
        note=_("%(amount)s dikembalikan: %(reason)s") % {"amount": money(value), "reason": refund.reason},
        data={"bill": bill.number, "amount": value, "reference": refund.reference},
        at=now,
        actor=actor,
        step_number=0,
    )
    audit_record(action="payments.refund", office=bill.office, actor=actor, target=f"skrd:{bill.number}", amount=value)
    return refund


def _paid_step_kind(application: Application) -> str:
    spec = engine.spec_for(application)
    return next((s.kind for s in spec.sop.steps if is_payment_step(s)), "")


def bill_facts_for_step(application: Application, row: step_kinds.Outcome, now: dt.datetime) -> dict[str, Any]:
    """``RECORD_SOURCES["payment"]``: what the card keeps of the bill, checked by the table's parser."""
    from satupintu.payments.selectors import bill_facts

    return step_kinds.parse_payment(bill_facts(application), outcome=row.code, now=now)


__all__ = [
    "bill_facts_for_step",
    "bill_issue",
    "bills_overdue_scan",
    "callback_receive",
    "counter_payment_record",
    "exchange_rate_record",
    "refund_record",
]
