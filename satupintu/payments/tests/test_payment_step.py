"""The payment step of the shipped charged service: the bill, the gateway, the counter, the clock, the end."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from satupintu.applications import services
from satupintu.applications.models import Status
from satupintu.applications.tests.conftest import PDF, fresh
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.documents.verification import trust_roots
from satupintu.notifications.models import Notice
from satupintu.payments import pdf, selectors
from satupintu.payments.gateway import fake_gateway, sign
from satupintu.payments.models import Bill, BillStatus, Payment
from satupintu.payments.services import (
    bills_overdue_scan,
    callback_receive,
    counter_payment_record,
    refund_record,
)
from satupintu.payments.tests.conftest import AMOUNT, START, to_payment

pytestmark = pytest.mark.django_db
PAID_AT = START + dt.timedelta(days=2)


def _pay(bill: Bill, amount: int | None = None, reference: str = "TRX-1", at=PAID_AT) -> dict:
    body, headers = fake_gateway.callback(
        bill.payment_code, AMOUNT if amount is None else amount, reference=reference, paid_at=at
    )
    return callback_receive(body=body, signature=headers["HTTP_X_SIGNATURE"], at=at)


def test_the_bill_is_issued_with_its_number_amount_due_date_and_code_when_the_file_reaches_payment(
    office, imta, staff, applicant, rate
):
    application = to_payment(office, imta, staff, applicant)
    assert application.status == Status.AWAITING_PAYMENT and application.current_step == 4
    bill = Bill.objects.get(application=application)
    assert bill.number == "973/00001/SKRD/DPMPTSP-KOTA-PEKANBARU/XII/2026".replace(
        "DPMPTSP-KOTA-PEKANBARU", bill.number.split("/")[3]
    )
    assert bill.number.startswith("973/00001/SKRD/") and bill.number.endswith("/XII/2026")
    assert bill.amount == AMOUNT and bill.status == BillStatus.UNPAID
    assert bill.due_at - bill.issued_at == dt.timedelta(days=30)
    assert "PP Nomor 97 Tahun 2012" in bill.legal_basis and "Rp 19.500.660" in bill.explanation
    assert bill.payment_code.startswith("8808") and fake_gateway.opened[0].amount == AMOUNT
    second = to_payment(office, imta, staff, applicant)
    assert Bill.objects.get(application=second).number.startswith("973/00002/SKRD/")
    card = ControlCardEntry.objects.filter(application=application, outcome="bill_issued").get()
    assert card.data["bill"] == bill.number
    assert Notice.objects.filter(application=application, event="payment.bill").exists()


def test_without_the_days_rate_no_bill_is_issued_and_the_step_fails_with_the_reason(office, imta, staff, applicant):
    with pytest.raises(InvalidData) as caught:
        to_payment(office, imta, staff, applicant)
    assert "kurs belum tercatat" in caught.value.message
    assert not Bill.objects.exists()


def test_a_gateway_down_still_issues_the_bill_payable_at_the_counter(office, imta, staff, applicant, rate):
    fake_gateway.down = True
    application = to_payment(office, imta, staff, applicant)
    assert Bill.objects.get(application=application).payment_code.startswith("KB")


def test_a_gateway_callback_delivered_twice_pays_once(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    first = _pay(bill)
    again = _pay(bill)
    assert first["status"] == "paid" and again["status"] == "duplicate"
    assert Payment.objects.filter(bill=bill).count() == 1
    application = fresh(application)
    assert application.status == Status.IN_PROCESS and application.current_step == 5
    assert ControlCardEntry.objects.filter(application=application, outcome="paid").count() == 1
    paid = ControlCardEntry.objects.get(application=application, outcome="paid")
    assert paid.actor is None and paid.actor_name == "Sistem (gateway pembayaran)"
    assert paid.data["payment"]["number"] == bill.number and paid.data["payment"]["channel"] == "gateway"
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert Payment.objects.get(bill=bill).receipt_number.startswith("TBP/00001/")


def test_a_forged_callback_is_refused_and_changes_nothing(office, imta, staff, applicant, rate, client):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    body, _headers = fake_gateway.callback(bill.payment_code, AMOUNT, key=b"not-the-secret")
    response = client.post(
        "/api/v1/payments/callback", body, content_type="application/json", HTTP_X_SIGNATURE=sign(body, b"wrong")
    )
    assert response.status_code == 403
    unsigned = client.post("/api/v1/payments/callback", body, content_type="application/json")
    assert unsigned.status_code == 403
    with pytest.raises(PermissionDenied):
        callback_receive(body=body, signature="")
    assert not Payment.objects.exists() and Bill.objects.get(pk=bill.pk).status == BillStatus.UNPAID
    good, headers = fake_gateway.callback(bill.payment_code, AMOUNT)
    response = client.post("/api/v1/payments/callback", good, content_type="application/json", **headers)
    assert response.status_code == 200 and response.json()["status"] == "paid"


def test_an_amount_that_is_not_the_bills_is_kept_flagged_and_pays_nothing(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    answer = _pay(bill, amount=AMOUNT - 1)
    assert answer["status"] == "flagged" and "tidak sama" in answer["problem"]
    payment = Payment.objects.get(bill=bill)
    assert not payment.accepted and Bill.objects.get(pk=bill.pk).status == BillStatus.UNPAID
    assert fresh(application).status == Status.AWAITING_PAYMENT


def test_the_clock_is_stopped_while_the_bill_is_unpaid(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    assert application.clock_paused_at is not None
    due_before = application.due_at
    bill = Bill.objects.get(application=application)
    _pay(bill, at=START + dt.timedelta(days=7))  # a week later: five working days with the applicant
    application = fresh(application)
    assert application.clock_paused_at is None
    assert application.due_at > due_before + dt.timedelta(days=6)


def test_the_payment_outcome_cannot_be_clicked_without_a_payment(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    with pytest.raises(InvalidData) as caught:
        services.step_complete(
            application=application, actor=staff["bendahara_penerima"], step_number=4, outcome="paid", at=PAID_AT
        )
    assert "belum lunas" in caught.value.message
    with pytest.raises(PermissionDenied):
        services.step_complete(
            application=application, actor=staff["front_office"], step_number=4, outcome="paid", at=PAID_AT
        )


def test_the_overdue_bill_is_reminded_then_closes_the_application_with_a_letter(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    assert bills_overdue_scan(at=START + dt.timedelta(days=29)) == (0, 0)
    assert bills_overdue_scan(at=START + dt.timedelta(days=31)) == (1, 0)
    bill = Bill.objects.get(pk=bill.pk)
    assert bill.reminded_at is not None and bill.closes_at == START + dt.timedelta(days=38)
    assert Notice.objects.filter(application=application, event="payment.reminder").exists()
    assert bills_overdue_scan(at=START + dt.timedelta(days=35)) == (0, 0)
    assert bills_overdue_scan(at=START + dt.timedelta(days=38, minutes=1)) == (0, 1)
    application = fresh(application)
    assert application.status == Status.UNPAID and application.is_final and application.current_step is None
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.EXPIRED
    assert ControlCardEntry.objects.filter(application=application, outcome="expired").exists()
    assert Notice.objects.filter(application=application, event="payment.unpaid").exists()
    letter = pdf.unpaid_letter_pdf(Bill.objects.get(pk=bill.pk))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter)).pages)
    assert "retribusi tersebut belum dibayar" in text and bill.number in text
    # A late callback after the closing is kept for a refund, and moves nothing.
    assert _pay(bill, at=START + dt.timedelta(days=40))["status"] == "flagged"


def test_the_treasurer_records_a_counter_payment_with_its_proof(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    treasurer = staff["bendahara_penerima"]
    with pytest.raises(InvalidData) as caught:
        counter_payment_record(
            application=application, actor=treasurer, amount="1000", reference="", proof=None, at=PAID_AT
        )
    assert set(caught.value.errors) == {"amount", "reference", "proof"}
    with pytest.raises(InvalidData) as caught:
        counter_payment_record(
            application=application,
            actor=treasurer,
            amount=str(AMOUNT),
            reference="KW-001",
            proof=io.BytesIO(b"MZ not a pdf"),
            at=PAID_AT,
        )
    assert "proof" in caught.value.errors
    with pytest.raises(PermissionDenied):
        counter_payment_record(
            application=application,
            actor=staff["front_office"],
            amount=str(AMOUNT),
            reference="KW-001",
            proof=io.BytesIO(PDF),
        )
    payment = counter_payment_record(
        application=application,
        actor=treasurer,
        amount="19.500.660",
        reference="KW-001",
        proof=io.BytesIO(PDF),
        at=PAID_AT,
    )
    assert payment.accepted and payment.proof_type == "pdf" and payment.proof.name
    entry = ControlCardEntry.objects.get(application=application, outcome="paid")
    assert entry.actor == treasurer
    assert fresh(application).current_step == 5
    with pytest.raises(Conflict):
        counter_payment_record(
            application=application, actor=treasurer, amount=str(AMOUNT), reference="KW-002", proof=io.BytesIO(PDF)
        )


def test_reconciliation_totals_equal_the_payments(office, imta, staff, applicant, rate):
    first = Bill.objects.get(application=to_payment(office, imta, staff, applicant))
    second_app = to_payment(office, imta, staff, applicant, data={**_data(), "jumlah_tka": "1"})
    second = Bill.objects.get(application=second_app)
    third = Bill.objects.get(application=to_payment(office, imta, staff, applicant))
    _pay(first, reference="TRX-A")
    counter_payment_record(
        application=second_app,
        actor=staff["bendahara_penerima"],
        amount=str(second.amount),
        reference="KW-9",
        proof=io.BytesIO(PDF),
        paid_at=PAID_AT,
        at=PAID_AT,
    )
    _pay(third, amount=5, reference="TRX-C")  # flagged: not counted
    rec = selectors.reconciliation(office, PAID_AT.date())
    assert rec.total == first.amount + second.amount == sum(p.amount for p in rec.payments)
    assert rec.total == rec.bills_total and rec.bills_paid == 2
    assert rec.by_channel == {"gateway": first.amount, "counter": second.amount}
    assert [p.reference for p in rec.flagged] == ["TRX-C"]
    revenue = selectors.revenue_month(office, 2026, 12)
    assert [(r.bills, r.paid, r.received) for r in revenue] == [(3, 2, rec.total)]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(pdf.reconciliation_xlsx(office, rec)))
    sheet = book.active
    assert sheet.cell(sheet.max_row, 8).value == rec.total
    daily = pdf.reconciliation_pdf(office, rec)
    monthly = pdf.revenue_pdf(office, 2026, 12, revenue)
    total = f"{rec.total:,}".replace(",", ".")
    for document in (daily, monthly):
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages).split())
        assert total in text and office.name.split()[0] in text, text[:400]
    assert "TRX-C" in " ".join(page.extract_text() for page in PdfReader(io.BytesIO(daily)).pages)
    if os.environ.get("SATUPINTU_SHOTS"):  # keep them to look at (pdftoppm -png -r 60)
        Path(os.environ["SATUPINTU_SHOTS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["SATUPINTU_SHOTS"]) / "rekonsiliasi.pdf").write_bytes(daily)
        (Path(os.environ["SATUPINTU_SHOTS"]) / "penerimaan-bulanan.pdf").write_bytes(monthly)
    assert load_workbook(io.BytesIO(pdf.revenue_xlsx(revenue))).active.cell(2, 5).value == rec.total


def _data() -> dict:
    from satupintu.payments.tests.conftest import IMTA_DATA

    return dict(IMTA_DATA)


def test_a_refund_is_recorded_only_for_a_paid_bill_of_a_refused_application(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    _pay(bill)
    treasurer = staff["bendahara_penerima"]
    with pytest.raises(Conflict):
        refund_record(bill=bill, actor=treasurer, amount=AMOUNT, reason="ditolak", reference="SP2D-1")
    application = services.step_complete(
        application=fresh(application),
        actor=staff["back_office"],
        step_number=5,
        outcome="drafted",
        note="Konsep sesuai data.",
        at=PAID_AT,
    )
    services.step_complete(
        application=application, actor=staff["analis_madya"], step_number=6, outcome="approve", at=PAID_AT
    )
    services.step_complete(
        application=fresh(application),
        actor=staff["kepala_dinas"],
        step_number=7,
        outcome="reject",
        note="RPTKA tidak lagi berlaku.",
        at=PAID_AT,
    )
    refund = refund_record(
        bill=bill, actor=treasurer, amount=AMOUNT, reason="Permohonan ditolak", reference="SP2D-1", at=PAID_AT
    )
    assert refund.amount == AMOUNT and Bill.objects.get(pk=bill.pk).status == BillStatus.REFUNDED
    assert ControlCardEntry.objects.filter(application=application, outcome="refunded").exists()
    assert selectors.revenue_month(office, 2026, 12)[0].net == 0


def test_the_skrd_and_the_receipt_render_as_pdf(office, imta, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    skrd = pdf.skrd_pdf(bill)
    _pay(bill)
    receipt = pdf.receipt_pdf(Payment.objects.get(bill=bill))
    assert skrd.startswith(b"%PDF") and receipt.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(skrd)).pages)
    assert bill.number in text and "Rp 19.500.660" in text and bill.payment_code in text
    assert "Sembilan belas juta lima ratus ribu enam ratus enam puluh rupiah" in text
    if os.environ.get("SATUPINTU_SHOTS"):  # keep them to look at (pdftoppm -png -r 60)
        Path(os.environ["SATUPINTU_SHOTS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["SATUPINTU_SHOTS"]) / "skrd.pdf").write_bytes(skrd)
        (Path(os.environ["SATUPINTU_SHOTS"]) / "tanda-bukti-pembayaran.pdf").write_bytes(receipt)
    assert pdf.terbilang(19_500_660) == "sembilan belas juta lima ratus ribu enam ratus enam puluh"
    # Issue 15: the bill is a signed PDF — sealed with the office's key (PAdES), like the receipt.
    for document in (skrd, receipt):
        reader = PdfFileReader(io.BytesIO(document))
        status = validate_pdf_signature(
            reader.embedded_signatures[0], ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        )
        assert status.bottom_line and status.intact and status.valid
        assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_through_bsre_the_skrd_carries_the_public_check_alone(office, imta, staff, applicant, rate, settings):
    """BSrE signs only with its signer's passphrase, which a bill made by the system lacks: no seal, no failure."""
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    settings.SATUPINTU_SIGNING = {**settings.SATUPINTU_SIGNING, "BACKEND": "bsre"}
    skrd = pdf.skrd_pdf(bill)
    assert skrd.startswith(b"%PDF") and b"/ByteRange" not in skrd


def test_the_api_shows_the_estimate_then_the_bill_and_its_payment(office, imta, staff, applicant, rate, client):
    from satupintu.api.tokens import token_issue

    application = to_payment(office, imta, staff, applicant)
    _row, token = token_issue(user=applicant)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    detail = client.get(f"/api/v1/applications/{application.number}", **auth).json()
    assert detail["payment"]["bill"]["amount"] == AMOUNT and detail["payment"]["fee"]["kind"] == "formula"
    state = client.get(f"/api/v1/applications/{application.number}/payment", **auth).json()
    assert state["bill"]["status"] == "unpaid" and state["bill"]["amount"] == AMOUNT
    assert state["fee"]["amount"] == AMOUNT and state["fee"]["kind"] == "formula"
    _pay(Bill.objects.get(application=application))
    state = client.get(f"/api/v1/applications/{application.number}/payment", **auth).json()
    assert state["bill"]["status"] == "paid" and state["bill"]["payments"][0]["receipt_number"]
    skrd = client.get(f"/api/v1/applications/{application.number}/payment/skrd.pdf", **auth)
    assert skrd.status_code == 200 and skrd.content.startswith(b"%PDF")
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    callback = schema["paths"]["/api/v1/payments/callback"]["post"]
    assert any(p["name"] == "X-Signature" for p in callback["parameters"])


@pytest.mark.parametrize(("typed", "stored"), [("16250", "16250"), ("16.250,50", "16250.50"), ("16250.5", "16250.5")])
def test_the_treasurer_records_the_days_rate_in_either_notation(office, staff, typed, stored):
    from decimal import Decimal

    from satupintu.payments.services import exchange_rate_record

    row = exchange_rate_record(
        office=office, actor=staff["bendahara_penerima"], currency="USD", date=START.date(), rate=typed, source="KMK 1"
    )
    assert row.rate == Decimal(stored)


@pytest.mark.parametrize("typed", ["16.250", "0", "abc", "1625000"])
def test_an_implausible_rate_is_refused_in_indonesian(office, staff, typed):
    from satupintu.payments.services import exchange_rate_record

    with pytest.raises(InvalidData) as caught:
        exchange_rate_record(
            office=office, actor=staff["bendahara_penerima"], currency="USD", date=START.date(), rate=typed, source="x"
        )
    assert "rate" in caught.value.errors
