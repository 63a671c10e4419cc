"""
The lifecycle events that tell the applicant something, wired to the outbox.

Every handler runs inside the step's transaction (``applications.events``), so
the notice commits with the step or rolls back with it (a rolled-back step tells no one), and it
is sent only after commit. A handler's own failure is logged and contained: a notice problem
never blocks a permit. No savepoint is needed for that (it would cost the step two statements):
a handler renders everything in Python first and then writes its notices with one
``INSERT … ON CONFLICT DO NOTHING`` (``notices_insert``), which a duplicate cannot fail. Only a
failing database fails that statement, and then the step fails with it anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError

from satupintu.applications import events
from satupintu.applications.models import Application
from satupintu.applications.services import spec_for
from satupintu.notifications.scans import lapsed_letter_create
from satupintu.notifications.services import application_notices_queue

logger = logging.getLogger(__name__)


def _contained(handler: Callable[..., None]) -> Callable[[events.Event], None]:
    def run(event: events.Event) -> None:
        try:
            application = event.application
            if application is None:
                application = Application.objects.select_related("office", "service", "applicant").get(
                    pk=event.application_id
                )
            handler(application, event)
        except DatabaseError:
            raise  # the transaction is broken: the step cannot commit without its notice
        except Exception:
            logger.exception("notice for %s (application %s) could not be queued", event.name, event.application_id)

    run.__name__ = run.__qualname__ = f"notify_{handler.__name__}"
    run.__module__ = __name__
    return run


@_contained
def submitted(application: Application, event: events.Event) -> None:
    # Resubmission after a return is a new occurrence: the card position tells them apart.
    application_notices_queue(application=application, key="application.submitted", seq=str(application.card_seq))


@_contained
def returned(application: Application, event: events.Event) -> None:
    application_notices_queue(application=application, key="application.returned", seq=str(application.card_seq))


@_contained
def accepted(application: Application, event: events.Event) -> None:
    application_notices_queue(application=application, key="application.accepted", seq="1")


@_contained
def ready(application: Application, event: events.Event) -> None:
    """
    Seed, Jaminan pelayanan a: the product is finished → the applicant is told by SMS (and e-mail),
    unless the service's standard promises no such notice (``guarantees.ready_sms``).
    """
    if not spec_for(application).guarantees.ready_sms:
        return
    application_notices_queue(application=application, key="application.ready", seq="1")


@_contained
def rejected(application: Application, event: events.Event) -> None:
    application_notices_queue(application=application, key="application.rejected", seq="1")


@_contained
def withdrawn_by_office(application: Application, event: events.Event) -> None:
    """A withdrawal the front office recorded: the applicant hears of it (the applicant's own needs no notice)."""
    if isinstance(event, events.Withdrawn) and event.by_office:
        application_notices_queue(
            application=application, key="application.withdrawn", seq="1", extra={"alasan": event.reason or "-"}
        )


@_contained
def lapsed(application: Application, event: events.Event) -> None:
    """A returned file closed at its deadline: the applicant hears of it, and the closing letter is made."""
    application_notices_queue(application=application, key="application.lapsed", seq="1")
    lapsed_letter_create(application)


@_contained
def revoked(application: Application, event: events.Event) -> None:
    reason = event.reason if isinstance(event, events.PermitRevoked) else ""
    application_notices_queue(application=application, key="permit.revoked", seq="1", extra={"alasan": reason or "-"})


@_contained
def collected(application: Application, event: events.Event) -> None:
    """After handover (at the counter or by the first download): the invitation to the satisfaction survey (SKM)."""
    application_notices_queue(application=application, key="survey.invitation", event="application.collected", seq="1")


SUBSCRIPTIONS: dict[type[events.Event], Callable[[events.Event], None]] = {
    events.Submitted: submitted,
    events.Returned: returned,
    events.Accepted: accepted,
    events.Ready: ready,
    events.Rejected: rejected,
    events.Withdrawn: withdrawn_by_office,
    events.Lapsed: lapsed,
    events.PermitRevoked: revoked,
    events.Collected: collected,
}


def connect() -> None:
    """Subscribe the handlers (idempotent; called from ``NotificationsConfig.ready``)."""
    for event, handler in SUBSCRIPTIONS.items():
        events.subscribe(event, handler)


def disconnect() -> None:
    for event, handler in SUBSCRIPTIONS.items():
        events.unsubscribe(event, handler)
