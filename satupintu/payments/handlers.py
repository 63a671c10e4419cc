"""
The payments app's seams into the engine, registered in ``apps.py``: the bill is issued when a
file arrives at a payment step (in that step's transaction: no rate, no bill, no step), the
payment step's card data comes from the bill, and a file closed unpaid gets its letter.
"""

from __future__ import annotations

import logging

from django.db import transaction

from satupintu.applications import events
from satupintu.applications import services as engine
from satupintu.applications.models import Application
from satupintu.notifications.services import application_notices_queue
from satupintu.payments import services

logger = logging.getLogger(__name__)


def issue_bill(event: events.StepEntered) -> None:
    application = event.application or Application.objects.select_related("office", "service").get(
        pk=event.application_id
    )
    step = engine.spec_for(application).step(event.step_number)
    if services.is_payment_step(step):
        services.bill_issue(application=application)


def closed_unpaid(event: events.Unpaid) -> None:
    """The applicant hears of the closing (SMS, e-mail); the closing letter prints from the file (pdf.py)."""
    try:
        with transaction.atomic():
            application = event.application or Application.objects.get(pk=event.application_id)
            application_notices_queue(application=application, key="payment.unpaid", seq="1")
    except Exception:
        logger.exception("notice for application %s closed unpaid could not be queued", event.application_id)


def connect() -> None:
    events.subscribe(events.StepEntered, issue_bill)
    events.subscribe(events.Unpaid, closed_unpaid)
    engine.RECORD_SOURCES["payment"] = services.bill_facts_for_step
