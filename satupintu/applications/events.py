"""
After-commit events of the lifecycle: the seam for notices and documents (later issues).

A handler registered here runs after the transaction that raised the event commits, never for a
rolled-back change. Handlers must be quick or enqueue a task.
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

#: The events the engine raises, with the keyword arguments handlers receive.
EVENTS = {
    "application.submitted": "application_id",
    "application.returned": "application_id, reasons",
    "application.accepted": "application_id, due_at",
    "application.rejected": "application_id, reason",
    "application.withdrawn": "application_id",
    "application.step_entered": "application_id, step_number, role",
    "application.ready": "application_id, permit_id",
    "application.collected": "application_id, outcome",
}


def subscribe(event: str, handler: Handler) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")
    if handler not in _handlers.setdefault(event, []):
        _handlers[event].append(handler)


def unsubscribe(event: str, handler: Handler) -> None:
    if handler in _handlers.get(event, []):
        _handlers[event].remove(handler)


def publish(event: str, **payload: Any) -> None:
    """Run the event's handlers after the current transaction commits."""
    for handler in list(_handlers.get(event, [])):
        transaction.on_commit(partial(_run, handler, event, payload))


def _run(handler: Handler, event: str, payload: dict[str, Any]) -> None:
    try:
        handler(event=event, **payload)
    except Exception:  # a failing side effect must not undo or hide the committed step
        logger.exception("handler for %s failed", event)
