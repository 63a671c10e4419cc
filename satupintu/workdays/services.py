"""
Writes to the editable calendar: national corrections, office day overrides, office hours.

Each write validates the row, saves or deletes it and records an audit event in the same
transaction; the cached calendar is dropped by the models' signals.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from satupintu.core.audit import audit_record
from satupintu.workdays.models import CalendarDay, OfficeDayOverride, OfficeHours

CalendarRow = CalendarDay | OfficeDayOverride | OfficeHours


def _details(row: CalendarRow) -> dict[str, Any]:
    if isinstance(row, CalendarDay):
        return {"date": row.date.isoformat(), "kind": row.kind, "name": row.name, "reference": row.reference}
    if isinstance(row, OfficeDayOverride):
        return {"date": row.date.isoformat(), "kind": row.kind, "reason": row.reason}
    return {"weekday": row.weekday, "opens_at": row.opens_at.isoformat(), "closes_at": row.closes_at.isoformat()}


@transaction.atomic
def calendar_row_save(*, row: CalendarRow, actor: Any = None) -> CalendarRow:
    """
    Validate and save one calendar row and record who changed it.

    A new ``CalendarDay`` without ``created_by`` gets the actor. Raise ValidationError when the
    row is invalid (e.g. a second row of the same kind on the same date).
    """
    created = row.pk is None
    if isinstance(row, CalendarDay) and created and row.created_by_id is None and getattr(actor, "pk", None):
        row.created_by = actor
    row.full_clean()
    row.save()
    audit_record(
        action=f"{row._meta.model_name}.{'create' if created else 'update'}",
        office=getattr(row, "office", None),
        actor=actor,
        target=str(row),
        **_details(row),
    )
    return row


@transaction.atomic
def calendar_row_delete(*, row: CalendarRow, actor: Any = None) -> None:
    """Delete one calendar row and record who removed it."""
    audit_record(
        action=f"{row._meta.model_name}.delete",
        office=getattr(row, "office", None),
        actor=actor,
        target=str(row),
        **_details(row),
    )
    row.delete()
