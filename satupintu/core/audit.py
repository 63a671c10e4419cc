"""Write audit rows; call inside the transaction of the change being recorded."""

from typing import Any

from satupintu.core.models import AuditEvent, Office


def audit_record(
    *, action: str, office: Office | None = None, actor: Any = None, target: str = "", **data: Any
) -> AuditEvent:
    """Append one audit event; ``actor`` is a user or None for the system."""
    return AuditEvent.objects.create(
        office=office,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target=target[:200],
        data=data,
    )
