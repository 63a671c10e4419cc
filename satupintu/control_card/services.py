"""Write control-card entries (called by the SOP engine inside its transaction)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from satupintu.control_card.anchors import anchor_dir, anchor_payload, anchor_signature
from satupintu.control_card.chain import GENESIS, KEYED, entry_hash, facts_of
from satupintu.control_card.models import CardAnchor, ControlCardEntry
from satupintu.core.models import Office


def card_entry_append(*, prev_hash: str, **facts: Any) -> ControlCardEntry:
    """
    Append one entry whose keyed hash chains to ``prev_hash``.

    The caller holds the lock on the application row, so ``seq`` and ``prev_hash`` cannot race.
    """
    entry = ControlCardEntry(prev_hash=prev_hash, chain_version=KEYED, **facts)
    entry.hash = entry_hash(facts_of(entry), prev_hash, office_id=entry.office_id)
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def card_anchor_make(*, office: Office, at: dt.datetime | None = None) -> CardAnchor | None:
    """
    Anchor the office's cards: write the heads of every card that changed since the previous
    anchor to a signed file in the storage and index it with a ``CardAnchor`` row.

    On PostgreSQL the entry table is locked in SHARE mode for the moment of reading, so no
    entry still being written can slip under the high-water mark unseen. Return None when no
    card changed.
    """
    now = at or timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ControlCardEntry._meta.db_table} IN SHARE MODE")
    previous = CardAnchor.objects.filter(office=office).order_by("-seq").first()
    mark = previous.last_entry_id if previous else 0
    changed = ControlCardEntry.objects.filter(office=office, pk__gt=mark)
    last_entry_id = changed.aggregate(m=Max("pk"))["m"]
    if last_entry_id is None:
        return None
    latest = ControlCardEntry.objects.filter(application_id=OuterRef("application_id")).order_by("-seq").values("seq")
    heads = list(
        ControlCardEntry.objects.filter(
            office=office,
            application_id__in=changed.values("application_id"),
            seq=Subquery(latest[:1]),
        ).values_list("application_id", "application__number", "seq", "hash")
    )
    seq = (previous.seq if previous else 0) + 1
    day = timezone.localdate(now, timezone=zoneinfo.ZoneInfo(office.time_zone))
    payload = anchor_payload(
        office_id=office.pk,
        office_slug=office.slug,
        seq=seq,
        made_at=now,
        day=day,
        last_entry_id=last_entry_id,
        prev_digest=previous.digest if previous else GENESIS,
        heads=heads,
    )
    name = default_storage.save(f"{anchor_dir(office.pk)}/{seq:06d}-{day.isoformat()}.json", ContentFile(payload))
    anchor = CardAnchor(
        office=office,
        seq=seq,
        made_at=now,
        day=day,
        last_entry_id=last_entry_id,
        heads=len(heads),
        prev_digest=previous.digest if previous else GENESIS,
        digest=hashlib.sha256(payload).hexdigest(),
        signature=anchor_signature(payload, office_id=office.pk),
        file_name=name,
    )
    anchor.save(force_insert=True)
    return anchor


def card_anchors_make_all(*, at: dt.datetime | None = None) -> int:
    """Anchor every office's cards (one transaction per office); how many anchors were made."""
    made = 0
    for office in Office.objects.filter(pk__in=ControlCardEntry.objects.values("office_id")).order_by("pk"):
        if card_anchor_make(office=office, at=at) is not None:
            made += 1
    return made
