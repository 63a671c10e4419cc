"""
Staff performance and SLA compliance from the control card (seed, Evaluasi kinerja pelaksana b:
"Penilaian kinerja pegawai oleh Subbagian Umum dan Kepegawaian"). Read-only.

Only entries that count as office time are judged (``office_time``: not while the file is with
the applicant). Figures are computed by the database: counts, sums and, on PostgreSQL, median and
90th percentile with ``percentile_cont``; elsewhere (SQLite) the percentiles come from the
ordered worked times of each group, interpolated the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.applications.models import FINAL_STATUSES, Application, Status
from satupintu.catalogue.models import Service
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.models import Office
from satupintu.surveys.periods import Period

#: Grouping keys a performance table can use, and the card columns behind them.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "officer": ("actor_id",),
    "step": ("step_label", "step_kind", "role"),
    "service": ("application__service_id",),
}
ACTIVE = [s for s in Status.values if s not in FINAL_STATUSES and s != Status.DRAFT]


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be within 0..1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile_cont(ordered: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's ``percentile_cont`` does."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def period_bounds(office: Office, period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes: from its first day's midnight to the midnight after its last, office time."""
    zone = ZoneInfo(office.time_zone)
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


@dataclass
class PerformanceRow:
    """One group's figures (officer, step and/or service, as grouped)."""

    actor_id: int | None
    actor_name: str
    step_label: str
    step_kind: str
    role: str
    service_id: int | None
    service_name: str
    handled: int
    on_time: int
    late: int
    mean_seconds: float
    median_seconds: float | None
    p90_seconds: float | None
    standard_seconds: int | None
    excess_seconds: int
    #: The step's time standard as the standard writes it (``20 menit``, ``1 hari``); day standards have no seconds.
    time_standard: str = ""

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.handled if self.handled else 0.0

    @property
    def median_vs_standard(self) -> float | None:
        if self.median_seconds is None or not self.standard_seconds:
            return None
        return self.median_seconds / self.standard_seconds


def card_entries_judged(
    *, office: Office | None, start: dt.datetime, end: dt.datetime, service: Service | None = None
) -> QuerySet[ControlCardEntry]:
    """The card entries that count as office time and were completed in [start, end)."""
    qs = ControlCardEntry.objects.filter(office_time=True, completed_at__gte=start, completed_at__lt=end)
    if office is not None:
        qs = qs.filter(office=office)
    if service is not None:
        qs = qs.filter(application__service=service)
    return qs


def performance_rows(
    *,
    office: Office | None,
    start: dt.datetime,
    end: dt.datetime,
    by: Sequence[str] = ("officer", "step", "service"),
    service: Service | None = None,
) -> list[PerformanceRow]:
    """
    Handled, on time, late, mean/median/p90 worked seconds vs the standard, and the working time
    beyond the standard on late entries, per group of ``by`` (officer, step, service).
    """
    keys = [column for name in by for column in GROUP_FIELDS[name]]
    qs = card_entries_judged(office=office, start=start, end=end, service=service)
    aggregates: dict[str, Any] = {
        "handled": Count("pk"),
        "late_count": Count("pk", filter=Q(late=True)),
        "worked_sum": Sum("worked_seconds"),
        "standard": Max("standard_seconds"),
        "time_standard": Max("time_standard"),
        "name": Max("actor_name"),
        "excess": Sum(F("worked_seconds") - F("standard_seconds"), filter=Q(late=True, standard_seconds__isnull=False)),
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = PercentileCont("worked_seconds", 0.5)
        aggregates["p90"] = PercentileCont("worked_seconds", 0.9)
    grouped = list(qs.values(*keys).annotate(**aggregates).order_by(*keys))
    percentiles: dict[tuple[Any, ...], tuple[float | None, float | None]] = {}
    if not postgres:
        percentiles = _percentiles_portable(qs, keys)
    services = dict(Service.objects.values_list("pk", "name")) if "service" in by else {}
    rows = []
    for g in grouped:
        key = tuple(g[k] for k in keys)
        median, p90 = (g["median"], g["p90"]) if postgres else percentiles.get(key, (None, None))
        service_id = g.get("application__service_id")
        rows.append(
            PerformanceRow(
                actor_id=g.get("actor_id"),
                actor_name=g["name"] if "officer" in by else "",
                step_label=g.get("step_label", ""),
                step_kind=g.get("step_kind", ""),
                role=g.get("role", ""),
                service_id=service_id,
                service_name=services.get(service_id, ""),
                handled=g["handled"],
                on_time=g["handled"] - g["late_count"],
                late=g["late_count"],
                mean_seconds=(g["worked_sum"] or 0) / g["handled"],
                median_seconds=median,
                p90_seconds=p90,
                standard_seconds=g["standard"],
                excess_seconds=int(g["excess"] or 0),
                time_standard=g["time_standard"] or "",
            )
        )
    return rows


def _percentiles_portable(
    qs: QuerySet[ControlCardEntry], keys: list[str]
) -> dict[tuple[Any, ...], tuple[float | None, float | None]]:
    """Median and p90 per group from the worked times, read in order one group after another."""
    result: dict[tuple[Any, ...], tuple[float | None, float | None]] = {}
    current: tuple[Any, ...] | None = None
    values: list[float] = []

    def close() -> None:
        if current is not None:
            result[current] = (percentile_cont(values, 0.5), percentile_cont(values, 0.9))

    for row in qs.order_by(*keys, "worked_seconds").values_list(*keys, "worked_seconds").iterator(chunk_size=5000):
        key = tuple(row[:-1])
        if key != current:
            close()
            current, values = key, []
        values.append(row[-1])
    close()
    return result


@dataclass
class BacklogRow:
    role: str
    claimed_by_id: int | None
    claimed_by_name: str
    open: int
    overdue: int


def backlog(*, office: Office, now: dt.datetime | None = None) -> list[BacklogRow]:
    """Steps open now in the office, per role and claiming officer (unclaimed: None), with how many are overdue."""
    now = now or timezone.now()
    rows = (
        Application.objects.filter(office=office, status__in=ACTIVE)
        .exclude(current_role="pemohon")
        .values("current_role", "claimed_by")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(step_due_at__lt=now)))
        .order_by("current_role", "claimed_by")
    )
    names = {
        u.pk: u.display_name for u in User.objects.filter(pk__in=[r["claimed_by"] for r in rows if r["claimed_by"]])
    }
    return [
        BacklogRow(
            role=r["current_role"],
            claimed_by_id=r["claimed_by"],
            claimed_by_name=names.get(r["claimed_by"], ""),
            open=r["open"],
            overdue=r["overdue"],
        )
        for r in rows
    ]


@dataclass
class SlaRow:
    service_id: int
    service_name: str
    finished: int
    on_time: int

    @property
    def share(self) -> float:
        return self.on_time / self.finished if self.finished else 0.0


def sla_by_service(*, office: Office, start: dt.datetime, end: dt.datetime) -> list[SlaRow]:
    """
    Per service, of the files finished in [start, end) that had a service clock (a due time):
    how many finished by it. Finished = the product was ready (``completed_at``), else the file was
    closed (``closed_at``: rejected or withdrawn after the clock started).
    """
    rows = (
        Application.objects.filter(office=office, due_at__isnull=False)
        .annotate(finished_at=Coalesce("completed_at", "closed_at"))
        .filter(finished_at__gte=start, finished_at__lt=end)
        .values("service", "service__name")
        .annotate(finished=Count("pk"), on_time=Count("pk", filter=Q(finished_at__lte=F("due_at"))))
        .order_by("service__name")
    )
    return [
        SlaRow(service_id=r["service"], service_name=r["service__name"], finished=r["finished"], on_time=r["on_time"])
        for r in rows
    ]


def late_entries(
    *, office: Office, start: dt.datetime, end: dt.datetime, limit: int = 100
) -> QuerySet[ControlCardEntry]:
    """The delays attributed (seed, Pengawasan internal c): late office-time entries, latest first."""
    return (
        card_entries_judged(office=office, start=start, end=end)
        .filter(late=True)
        .select_related("application", "application__service")
        .order_by("-completed_at")[:limit]
    )
