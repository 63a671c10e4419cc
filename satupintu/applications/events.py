"""
Events of the lifecycle: the seam for notices and documents, one typed constructor per event.

The engine raises an event inside the step's transaction and every handler runs at once, inside
it: the notice outbox row and the signed permit commit with the step or roll back with it (a
rolled-back step tells no one and issues nothing). Sending happens later, from the outbox, in the
worker. A handler must contain its own failures unless the step must fail with it (the signature).
There is one dispatch mode; nothing runs after commit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from satupintu.applications.models import Application


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened to one application; ``application`` is the locked, saved row when known."""

    name: ClassVar[str] = ""
    application_id: int
    application: Application | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Submitted(Event):
    """The file was handed in (or handed in again after a return)."""

    name: ClassVar[str] = "application.submitted"


@dataclass(frozen=True, kw_only=True)
class Returned(Event):
    """The completeness check sent the file back to the applicant, with the reasons per requirement."""

    name: ClassVar[str] = "application.returned"
    reasons: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Accepted(Event):
    """The file is complete: the service clock started and the target date is known."""

    name: ClassVar[str] = "application.accepted"
    due_at: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Rejected(Event):
    """The application was refused, with the reason the refusal letter gives."""

    name: ClassVar[str] = "application.rejected"
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Withdrawn(Event):
    """The application was withdrawn: by its applicant, or by the front office on their behalf."""

    name: ClassVar[str] = "application.withdrawn"
    reason: str = ""
    by_office: bool = False


@dataclass(frozen=True, kw_only=True)
class Lapsed(Event):
    """A returned file was not submitted again before its deadline: the application is closed."""

    name: ClassVar[str] = "application.lapsed"
    due_at: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Unpaid(Event):
    """The bill (SKRD) was not paid by the date the reminder gave: the application is closed."""

    name: ClassVar[str] = "application.unpaid"


@dataclass(frozen=True, kw_only=True)
class StepEntered(Event):
    """The file arrived at a step (a role's queue)."""

    name: ClassVar[str] = "application.step_entered"
    step_number: int
    role: str


@dataclass(frozen=True, kw_only=True)
class PermitNumbered(Event):
    """The permit's number was taken (at the approving signature, or the number step)."""

    name: ClassVar[str] = "application.permit_numbered"
    permit_id: int


@dataclass(frozen=True, kw_only=True)
class Signed(Event):
    """
    The Kepala Dinas (or Plh) approved and signed. ``credentials`` carries a BSrE passphrase or
    TOTP for this signature only: it is never stored or logged.
    """

    name: ClassVar[str] = "application.signed"
    credentials: dict[str, str] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, kw_only=True)
class SignatureRequested(Event):
    """
    The Kepala Dinas (or Plh) approved at a sign step: the number is reserved and the request
    waits for its signed file (ADR 0009). ``batched`` requests are dispatched together by the
    batch that made them; a single one by its handler. ``credentials`` as in ``Signed``.
    """

    name: ClassVar[str] = "application.signature_requested"
    request_id: int
    batch: str
    batched: bool = False
    credentials: dict[str, str] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, kw_only=True)
class Ready(Event):
    """The product is finished and waits at the handover step."""

    name: ClassVar[str] = "application.ready"
    permit_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Collected(Event):
    """The applicant received the permit: at the counter (``pickup``) or by download."""

    name: ClassVar[str] = "application.collected"
    outcome: str


@dataclass(frozen=True, kw_only=True)
class PermitRevoked(Event):
    """The Kepala Dinas revoked the permit, with the reason the revocation letter gives."""

    name: ClassVar[str] = "permit.revoked"
    permit_id: int
    reason: str = ""


EVENTS: tuple[type[Event], ...] = (
    Submitted,
    Returned,
    Accepted,
    Rejected,
    Withdrawn,
    Lapsed,
    Unpaid,
    StepEntered,
    PermitNumbered,
    SignatureRequested,
    Signed,
    Ready,
    Collected,
    PermitRevoked,
)

Handler = Callable[[Any], None]
_handlers: dict[type[Event], list[Handler]] = {}


def subscribe[E: Event](event: type[E], handler: Callable[[E], None]) -> None:
    """Run ``handler(event)`` inside the transaction of every step that raises ``event`` (idempotent)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    registry = _handlers.setdefault(event, [])
    if handler not in registry:
        registry.append(handler)


def unsubscribe(event: type[Event], handler: Handler) -> None:
    if handler in _handlers.get(event, []):
        _handlers[event].remove(handler)


def publish(event: Event) -> None:
    """Run the event's handlers now, in the caller's transaction."""
    for handler in list(_handlers.get(type(event), [])):
        handler(event)
