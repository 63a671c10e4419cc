"""Subscriptions to the lifecycle's events (``applications.events``), registered in ``apps.py``."""

from __future__ import annotations

from satupintu.applications import events
from satupintu.documents.services import permit_document_issue, signature_dispatch


def issue_signed_permit(event: events.Event) -> None:
    """
    Issue the signed permit of a standard whose number comes after every signature step (none
    at all, or a number step at the end): in that step's transaction. Where the Kepala Dinas
    signs, the permit is issued by the signature's own run (``sign_signature_request``) and this
    finds version 1 on file and does nothing.
    """
    permit_document_issue(application_id=event.application_id)


def sign_signature_request(event: events.SignatureRequested) -> None:
    """An approving signature reserved its number: have it signed after commit (ADR 0009)."""
    if event.batched:
        return  # the batch that made it dispatches all its requests at once
    application = event.application
    office = application.office if application is not None else None
    if office is None:
        from satupintu.applications.models import Application

        office = Application.objects.select_related("office").get(pk=event.application_id).office
    signature_dispatch(batch=event.batch, office=office, credentials=event.credentials)
