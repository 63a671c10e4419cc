"""
The rollup job: the performance figures of whole office days, summed from the control card.

For each office day, the office-time card entries are summed per service, step (label, kind,
role) and officer: handled, late, worked seconds, the excess over the standard on late entries,
the standard, and a histogram of worked seconds (the percentiles' input); and, per service, the
files whose service clock ended that day and how many by their due time. A day is recomputed
whole, in one transaction (its rows deleted and written again), so a run can be repeated and
never double-counts. Today is never summed: the selectors read the days after
``RollupState.complete_through`` from the card itself, so the report is always current.

Which days a run recomputes: the first time, every day of the office up to yesterday; then the
days from the last complete one to yesterday, and every day that has card entries written since
the last run (ids above the last one read, less ``LATE_COMMIT_MARGIN`` for transactions that
took their id earlier but committed later: the card is append-only, so that is the only way an
older id appears). Entries back-dated into a summed day by a service's ``at`` count from the
next run on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from satupintu.applications.models import Application
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.models import Office
from satupintu.reports.models import CardDay, RollupState, SlaDay

LATE_COMMIT_MARGIN = 10_000
#: Worked time below this is bucketed by whole minutes; above it in buckets 5 % wide.
_MINUTE_BUCKETS = 120
_GROWTH = 1.05
#: The card columns a rollup row is keyed by (and the report groups by).
KEY = ("service_id", "step_label", "step_kind", "role", "actor_id")


def bucket_of(seconds: int) -> int:
    """The histogram bucket of a worked time: its minute under two hours, else a 5 %-wide band."""
    if seconds < _MINUTE_BUCKETS * 60:
        return max(0, int(seconds)) // 60
    return _MINUTE_BUCKETS + int(math.log(seconds / (_MINUTE_BUCKETS * 60)) / math.log(_GROWTH))


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """The worked seconds a bucket covers, [low, high)."""
    if bucket < _MINUTE_BUCKETS:
        return bucket * 60.0, bucket * 60.0 + 60.0
    low = _MINUTE_BUCKETS * 60 * _GROWTH ** (bucket - _MINUTE_BUCKETS)
    return low, low * _GROWTH


def histogram_percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """
    ``percentile_cont`` over the values a histogram counts, each value placed evenly inside its
    bucket: within one minute of the exact figure below two hours, within 5 % above.
    """
    total = sum(histogram.values())
    if not total:
        return None
    buckets = sorted(histogram.items())

    def value_at(rank: int) -> float:
        seen = 0
        for bucket, count in buckets:
            if rank < seen + count:
                low, high = bucket_bounds(bucket)
                return low + (high - low) * (rank - seen + 0.5) / count
            seen += count
        low, high = bucket_bounds(buckets[-1][0])
        return high

    position = fraction * (total - 1)
    low_rank, high_rank = math.floor(position), math.ceil(position)
    low_value = value_at(low_rank)
    return low_value + (value_at(high_rank) - low_value) * (position - low_rank)


@dataclass
class Group:
    """Sums over card entries (or rollup rows) of one group; combining two groups adds them."""

    handled: int = 0
    late: int = 0
    worked_sum: int = 0
    excess_sum: int = 0
    standard_seconds: int | None = None
    actor_name: str = ""
    histogram: dict[int, int] = field(default_factory=dict)

    def add_entry(self, *, worked: int, late: bool, standard: int | None, name: str) -> None:
        self.handled += 1
        self.worked_sum += worked
        if late:
            self.late += 1
            if standard is not None:
                self.excess_sum += worked - standard
        self._standard_and_name(standard, name)
        bucket = bucket_of(worked)
        self.histogram[bucket] = self.histogram.get(bucket, 0) + 1

    def add_group(self, other: Group) -> None:
        self.handled += other.handled
        self.late += other.late
        self.worked_sum += other.worked_sum
        self.excess_sum += other.excess_sum
        self._standard_and_name(other.standard_seconds, other.actor_name)
        for bucket, count in other.histogram.items():
            self.histogram[bucket] = self.histogram.get(bucket, 0) + count

    def _standard_and_name(self, standard: int | None, name: str) -> None:
        if standard is not None and (self.standard_seconds is None or standard > self.standard_seconds):
            self.standard_seconds = standard
        if name > self.actor_name:
            self.actor_name = name


def _zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone)


def day_start(office: Office, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone(office))


def office_day(office: Office, moment: dt.datetime) -> dt.date:
    return moment.astimezone(_zone(office)).date()


def judged_entries(office: Office, start: dt.datetime, end: dt.datetime) -> Iterable[tuple[Any, ...]]:
    """The office-time entries completed in [start, end): the key columns, then worked, late, standard, name, time."""
    return (
        ControlCardEntry.objects.filter(office=office, office_time=True, completed_at__gte=start, completed_at__lt=end)
        .annotate(service_id=F("application__service_id"))
        .values_list(*KEY, "worked_seconds", "late", "standard_seconds", "actor_name", "completed_at")
        .order_by()
        .iterator(chunk_size=5000)
    )


def _sla_rows(office: Office, start: dt.datetime, end: dt.datetime) -> list[tuple[int, dt.datetime, bool]]:
    """Files of the office whose service clock ended in [start, end): service, when, and whether by the due time."""
    return [
        (service_id, finished_at, finished_at <= due_at)
        for service_id, finished_at, due_at in Application.objects.filter(office=office, due_at__isnull=False)
        .annotate(finished_at=Coalesce("completed_at", "closed_at"))
        .filter(finished_at__gte=start, finished_at__lt=end)
        .values_list("service_id", "finished_at", "due_at")
        .order_by()
    ]


@transaction.atomic
def _days_write(office: Office, first: dt.date, last: dt.date, days: set[dt.date] | None = None) -> int:
    """Recompute the days in [first, last] (only those in ``days`` when given); return how many rows were written."""
    start, end = day_start(office, first), day_start(office, last + dt.timedelta(days=1))
    wanted = days
    groups: dict[tuple[dt.date, tuple[Any, ...]], Group] = defaultdict(Group)
    for *key, worked, late, standard, name, completed in judged_entries(office, start, end):
        day = office_day(office, completed)
        if wanted is not None and day not in wanted:
            continue
        groups[(day, tuple(key))].add_entry(worked=worked, late=late, standard=standard, name=name)
    sla: dict[tuple[dt.date, int], list[int]] = defaultdict(lambda: [0, 0])
    for service_id, finished_at, on_time in _sla_rows(office, start, end):
        day = office_day(office, finished_at)
        if wanted is not None and day not in wanted:
            continue
        counts = sla[(day, service_id)]
        counts[0] += 1
        counts[1] += int(on_time)
    card_days = CardDay.objects.filter(office=office, day__gte=first, day__lte=last)
    sla_days = SlaDay.objects.filter(office=office, day__gte=first, day__lte=last)
    if wanted is not None:
        card_days, sla_days = card_days.filter(day__in=wanted), sla_days.filter(day__in=wanted)
    card_days.delete()
    sla_days.delete()
    CardDay.objects.bulk_create(
        [
            CardDay(
                office=office,
                day=day,
                **dict(zip(KEY, key, strict=True)),
                actor_name=g.actor_name,
                handled=g.handled,
                late=g.late,
                worked_sum=g.worked_sum,
                excess_sum=g.excess_sum,
                standard_seconds=g.standard_seconds,
                histogram={str(b): c for b, c in sorted(g.histogram.items())},
            )
            for (day, key), g in groups.items()
        ],
        batch_size=2000,
    )
    SlaDay.objects.bulk_create(
        [
            SlaDay(office=office, day=day, service_id=service_id, finished=finished, on_time=on_time)
            for (day, service_id), (finished, on_time) in sla.items()
        ],
        batch_size=2000,
    )
    return len(groups)


def rollup_office(*, office: Office, now: dt.datetime | None = None, rebuild: bool = False) -> int:
    """
    Bring one office's rollup up to yesterday (office time); return the card-day rows written.

    ``rebuild`` recomputes every day from the first entry on, as the first run does.
    """
    now = now or timezone.now()
    yesterday = office_day(office, now) - dt.timedelta(days=1)
    newest = ControlCardEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    state = RollupState.objects.filter(office=office).first()
    written = 0
    if state is None or rebuild:
        first_entry = ControlCardEntry.objects.filter(office=office).order_by("completed_at").first()
        first = office_day(office, first_entry.completed_at) if first_entry else yesterday
        if first <= yesterday:
            written += _days_write(office, first, yesterday)
    else:
        touched = {
            office_day(office, completed)
            for completed in ControlCardEntry.objects.filter(
                Q(office=office) & Q(pk__gt=state.last_entry_id - LATE_COMMIT_MARGIN)
            ).values_list("completed_at", flat=True)
        }
        days = {d for d in touched if d <= yesterday}
        day = state.complete_through + dt.timedelta(days=1)
        while day <= yesterday:
            days.add(day)
            day += dt.timedelta(days=1)
        if days:
            written += _days_write(office, min(days), max(days), days)
    # The moment of writing, not ``now``: it versions the summed days for the selectors' cache.
    RollupState.objects.update_or_create(
        office=office,
        defaults={"complete_through": yesterday, "last_entry_id": newest, "updated_at": timezone.now()},
    )
    return written


def rollup_run(*, now: dt.datetime | None = None, rebuild: bool = False) -> dict[str, int]:
    """Bring every office's rollup up to yesterday; return the rows written per office."""
    return {office.slug: rollup_office(office=office, now=now, rebuild=rebuild) for office in Office.objects.all()}
