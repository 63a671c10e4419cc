"""
The lifecycle events that tell the applicant something, wired to the outbox.

Every handler is subscribed ``in_transaction=True``: it runs inside the step's transaction, so
the notice commits with the step or rolls back with it (a rolled-back step tells no one), and it
is sent only after commit. A handler's own failure is logged and contained in a savepoint: a
notice problem never blocks a permit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from satupintu.applications import events
from satupintu.applications.models import Application
from satupintu.notifications.services import application_notices_queue

logger = logging.getLogger(__name__)


def _contained(handler: Callable[..., None]) -> Callable[..., None]:
    def run(*, event: str, application_id: int, application: Application | None = None, **payload: Any) -> None:
        try:
            with transaction.atomic():
                if application is None:
                    application = Application.objects.select_related("office", "service", "applicant").get(
                        pk=application_id
                    )
                handler(application, **payload)
        except Exception:
            logger.exception("notice for %s (application %s) could not be queued", event, application_id)

    run.__name__ = run.__qualname__ = f"notify_{handler.__name__}"
    run.__module__ = __name__
    return run


@_contained
def submitted(application: Application, **_: Any) -> None:
    # Resubmission after a return is a new occurrence: the card position tells them apart.
    application_notices_queue(application=application, key="application.submitted", seq=str(application.card_seq))


@_contained
def returned(application: Application, **_: Any) -> None:
    application_notices_queue(application=application, key="application.returned", seq=str(application.card_seq))


@_contained
def accepted(application: Application, **_: Any) -> None:
    application_notices_queue(application=application, key="application.accepted", seq="1")


@_contained
def ready(application: Application, **_: Any) -> None:
    """Seed, Jaminan pelayanan a: the product is finished → the applicant is told by SMS (and e-mail)."""
    application_notices_queue(application=application, key="application.ready", seq="1")


@_contained
def rejected(application: Application, **_: Any) -> None:
    application_notices_queue(application=application, key="application.rejected", seq="1")


@_contained
def collected(application: Application, **_: Any) -> None:
    """After handover: the invitation to the satisfaction survey (SKM)."""
    application_notices_queue(application=application, key="survey.invitation", event="application.collected", seq="1")


SUBSCRIPTIONS: dict[str, Callable[..., None]] = {
    "application.submitted": submitted,
    "application.returned": returned,
    "application.accepted": accepted,
    "application.ready": ready,
    "application.rejected": rejected,
    "application.collected": collected,
}


def connect() -> None:
    """Subscribe the handlers (idempotent; called from ``NotificationsConfig.ready``)."""
    for event, handler in SUBSCRIPTIONS.items():
        events.subscribe(event, handler, in_transaction=True)


def disconnect() -> None:
    for event, handler in SUBSCRIPTIONS.items():
        events.unsubscribe(event, handler)
