"""Subscriptions to the lifecycle's events (``applications.events``), registered in ``apps.py``."""

from __future__ import annotations

from satupintu.applications import events
from satupintu.documents.services import permit_document_issue


def issue_signed_permit(event: events.Event) -> None:
    """
    Issue the signed permit once its number exists and no signature is ahead.

    Runs inside the step's transaction, on ``PermitNumbered`` and ``Signed``: with the number
    taken at the approving signature, that step is the moment the letter is final (ADR 0006); a
    standard that numbers first issues at its signature. A failed signature fails the step.
    """
    credentials = event.credentials if isinstance(event, events.Signed) else None
    permit_document_issue(application_id=event.application_id, credentials=credentials)
