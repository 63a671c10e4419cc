"""
Events of the lifecycle: the seam for notices and documents.

A handler subscribed normally runs after the transaction that raised the event commits, never
for a rolled-back change; it must be quick or enqueue a task, and its failure is logged, not
raised. A handler subscribed with ``in_transaction=True`` runs at once, inside the step's
transaction — for writes that must commit or roll back with the step (the notice outbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = {}
_in_transaction: dict[str, list[Handler]] = {}

#: The events the engine raises, with the keyword arguments handlers receive.
EVENTS = {
    "application.submitted": "application_id",
    "application.returned": "application_id, reasons",
    "application.accepted": "application_id, due_at",
    "application.rejected": "application_id, reason",
    "application.withdrawn": "application_id",
    "application.step_entered": "application_id, step_number, role",
    "application.ready": "application_id, permit_id",
    "application.permit_numbered": "application_id, permit_id",
    "application.signed": "application_id",
    "application.collected": "application_id, outcome",
}


def subscribe(event: str, handler: Handler, *, in_transaction: bool = False) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")
    registry = _in_transaction if in_transaction else _handlers
    if handler not in registry.setdefault(event, []):
        registry[event].append(handler)


def unsubscribe(event: str, handler: Handler) -> None:
    for registry in (_handlers, _in_transaction):
        if handler in registry.get(event, []):
            registry[event].remove(handler)


def publish(event: str, **payload: Any) -> None:
    """Run the in-transaction handlers now and the others after the current transaction commits."""
    for handler in list(_in_transaction.get(event, [])):
        handler(event=event, **payload)
    for handler in list(_handlers.get(event, [])):
        transaction.on_commit(partial(_run, handler, event, payload))


def _run(handler: Handler, event: str, payload: dict[str, Any]) -> None:
    try:
        handler(event=event, **payload)
    except Exception:  # a failing side effect must not undo or hide the committed step
        logger.exception("handler for %s failed", event)
