"""
Drop the cached calendar whenever something it is computed from changes.

Invalidation only: no rule lives here. The cache is cleared at once (so the rest of the same
transaction sees the change) and again after commit (so a value another thread loaded in between
from the old committed state does not linger).
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from satupintu.workdays.calendar import clear_calendar_cache


def _invalidate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    clear_calendar_cache()
    transaction.on_commit(clear_calendar_cache, using=using)


def connect_signals() -> None:
    """Connect the invalidation to every model the calendar reads (called from the app config)."""
    from satupintu.core.models import Office
    from satupintu.workdays.models import CalendarDay, OfficeDayOverride, OfficeHours

    for model in (CalendarDay, OfficeDayOverride, OfficeHours, Office):
        label = model._meta.label_lower
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"workdays.invalidate.save.{label}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"workdays.invalidate.delete.{label}")
