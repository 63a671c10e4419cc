"""Subscriptions to the lifecycle's events (``applications.events``), registered in ``apps.py``."""

from __future__ import annotations

from typing import Any

from satupintu.documents.services import permit_document_issue


def permit_on_step_entered(*, event: str, application_id: int, **_: Any) -> None:
    """
    Issue the signed permit once its number exists and no signature is ahead.

    Runs inside the step's transaction, on ``application.permit_numbered`` and
    ``application.signed``: with the number taken at the approving signature, that step is the
    moment the letter is final (ADR 0006); a standard that numbers first issues at its signature.
    """
    permit_document_issue(application_id=application_id)
