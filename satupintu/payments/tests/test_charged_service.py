"""The shipped charged service (standards/perpanjangan-imta.yaml) from application to permit and receipt."""

from __future__ import annotations

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.models import Permit, Status
from satupintu.applications.tests.conftest import HANDOVER_SELF, fresh
from satupintu.catalogue.loader import parse_standard
from satupintu.control_card.models import ControlCardEntry
from satupintu.documents.models import IssuedDocument
from satupintu.payments import pdf, selectors
from satupintu.payments.gateway import fake_gateway
from satupintu.payments.models import Bill, Payment
from satupintu.payments.services import callback_receive
from satupintu.payments.tests.conftest import AMOUNT, IMTA, IMTA_DATA, START, to_payment

pytestmark = pytest.mark.django_db


def test_the_shipped_standard_has_a_formula_fee_with_its_basis_a_payment_step_and_honest_provenance():
    spec = parse_standard(IMTA.read_text(encoding="utf-8"), path=str(IMTA))
    assert spec.fee.effective_kind == "formula" and spec.fee.formula is not None
    assert spec.fee.formula.currency == "USD" and spec.fee.formula.rate == 100
    assert "PP Nomor 97 Tahun 2012" in spec.fee.legal_basis
    assert not spec.fee.provenance.from_seed and not spec.fee.provenance.verified
    assert [s.kind for s in spec.sop.steps].count("payment") == 1
    assert all(not c.provenance.verified for c in spec.legal_basis)


def test_an_applicant_sees_the_estimate_pays_the_bill_and_receives_the_permit_and_the_receipt(
    office, imta, staff, applicant, rate
):
    estimate = selectors.quote(_spec(imta), office, IMTA_DATA, at=START)
    assert estimate.amount == AMOUNT and estimate.estimate and "Perkiraan" in estimate.explanation

    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    assert bill.amount == estimate.amount
    body, headers = fake_gateway.callback(bill.payment_code, bill.amount, paid_at=START + dt.timedelta(days=1))
    assert (
        callback_receive(body=body, signature=headers["HTTP_X_SIGNATURE"], at=START + dt.timedelta(days=1))["status"]
        == "paid"
    )

    at = START + dt.timedelta(days=1, hours=1)
    application = services.step_complete(
        application=fresh(application),
        actor=staff["back_office"],
        step_number=5,
        outcome="drafted",
        note="Konsep sesuai data.",
        at=at,
    )
    application = services.step_complete(
        application=application, actor=staff["analis_madya"], step_number=6, outcome="approve", at=at
    )
    application = services.step_complete(
        application=application, actor=staff["kepala_dinas"], step_number=7, outcome="approve", at=at
    )
    assert application.status == Status.READY
    permit = Permit.objects.get(application=application)
    assert permit.number.startswith("560/0001/IMTA/")
    assert IssuedDocument.objects.filter(application=application, kind="permit").exists()
    application = services.step_complete(
        application=application,
        actor=staff["front_office"],
        step_number=8,
        outcome="pickup",
        data=HANDOVER_SELF,
        at=at + dt.timedelta(hours=1),
    )
    assert application.status == Status.COLLECTED
    outcomes = list(
        ControlCardEntry.objects.filter(application=application).order_by("seq").values_list("outcome", flat=True)
    )
    assert outcomes == [
        "submitted",
        "complete",
        "recommend",
        "bill_issued",
        "paid",
        "drafted",
        "approve",
        "approve",
        "pickup",
    ]
    receipt = pdf.receipt_pdf(Payment.objects.get(bill=bill))
    assert receipt.startswith(b"%PDF")


def _spec(service):
    from satupintu.catalogue.selectors import current_version_of, spec_of

    return spec_of(current_version_of(service))
