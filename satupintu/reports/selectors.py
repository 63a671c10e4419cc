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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, connections
from django.db.models import Aggregate, Count, F, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from satupintu.accounts.models import User
from satupintu.accounts.roles import Role
from satupintu.applications.models import OPEN_STATUSES, Application
from satupintu.catalogue.models import Service
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.models import Office
from satupintu.reports import rollup
from satupintu.reports.models import CardDay, RollupState, SlaDay
from satupintu.surveys.periods import Period

#: Grouping keys a performance table can use, and the card columns behind them.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "officer": ("actor_id",),
    "step": ("step_label", "step_kind", "role"),
    "service": ("application__service_id",),
}
ACTIVE = list(OPEN_STATUSES)


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


def _rolled_days(
    office: Office | None, start: dt.datetime, end: dt.datetime
) -> tuple[dt.date, dt.date, tuple[Any, ...]] | None:
    """
    The office days [first, last) of the period that the rollup holds, and the version of the
    rollup (it changes with every run), when the period is whole office days and the office has
    a rollup; None otherwise (the card is read instead).
    """
    if office is None:
        return None
    state = RollupState.objects.filter(office=office).first()
    if state is None:
        return None
    first, last = rollup.office_day(office, start), rollup.office_day(office, end)
    if rollup.day_start(office, first) != start or rollup.day_start(office, last) != end:
        return None
    version = (state.updated_at, state.last_entry_id, state.complete_through)
    return first, min(last, state.complete_through + dt.timedelta(days=1)), version


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
    beyond the standard on late entries, per group of ``by`` (officer, step, service). Grouped
    by officer, the entries an applicant recorded (a withdrawal closes the office step as
    ``pemohon``) are left out: they are no officer's work, and listed they put every applicant
    who withdrew on the staff page.

    For whole office days the summed days come from the rollup (``rollup.py``) and the days
    after it (today) from the card: every count and sum is the card's; median and p90 come from
    the rollup's histograms (within a minute below two hours of worked time, 5 % above).
    Otherwise (no rollup yet, a period not made of whole days, all offices) from the card alone.
    """
    rolled = _rolled_days(office, start, end)
    if rolled is None or office is None:
        return performance_rows_raw(office=office, start=start, end=end, by=by, service=service)
    first, cut, version = rolled
    keys = [rollup.KEY.index(c) for name in by for c in _ROLLUP_COLUMNS[name]]
    columns = [c for name in by for c in _ROLLUP_COLUMNS[name]]
    officers, role_at = "officer" in by, rollup.KEY.index("role")
    groups: dict[tuple[Any, ...], rollup.Group] = {}
    for finest, summed in _rolled_groups_cached(office, first, cut, service, version).items():
        if officers and finest[role_at] == Role.PEMOHON:
            continue  # an applicant's own entry (a withdrawal) is not an officer's work
        groups.setdefault(tuple(finest[i] for i in keys), rollup.Group()).add_group(summed)
    after = rollup.day_start(office, cut)
    if after < end:
        for *key, worked, late, standard, name, _at in rollup.judged_entries(office, max(start, after), end):
            if (service is not None and key[0] != service.pk) or (officers and key[role_at] == Role.PEMOHON):
                continue
            group_key = tuple(key[i] for i in keys)
            groups.setdefault(group_key, rollup.Group()).add_entry(
                worked=worked, late=late, standard=standard, name=name
            )
    services = dict(Service.objects.values_list("pk", "name")) if "service" in by else {}
    rows = []
    for group_key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
        g = groups[group_key]
        values = dict(zip(columns, group_key, strict=True))
        service_id = values.get("service_id")
        rows.append(
            PerformanceRow(
                actor_id=values.get("actor_id"),
                actor_name=g.actor_name if "officer" in by else "",
                step_label=values.get("step_label", ""),
                step_kind=values.get("step_kind", ""),
                role=values.get("role", ""),
                service_id=service_id,
                service_name=services.get(service_id, "") if service_id is not None else "",
                handled=g.handled,
                on_time=g.handled - g.late,
                late=g.late,
                mean_seconds=g.worked_sum / g.handled,
                median_seconds=rollup.histogram_percentile(g.histogram, 0.5),
                p90_seconds=rollup.histogram_percentile(g.histogram, 0.9),
                standard_seconds=g.standard_seconds,
                excess_seconds=int(g.excess_sum),
            )
        )
    return rows


#: Summed rollup days per (office, days, service, rollup version): the summed days change only
#: when the rollup job runs, which changes the version, so a hit is never stale.
_ROLLED: dict[tuple[Any, ...], dict[tuple[Any, ...], rollup.Group]] = {}
_ROLLED_MAX = 64


def _rolled_groups_cached(
    office: Office, first: dt.date, cut: dt.date, service: Service | None, version: tuple[Any, ...]
) -> dict[tuple[Any, ...], rollup.Group]:
    """The rollup's days [first, cut) per finest group (``rollup.KEY``), read once per rollup version."""
    key = (office.pk, first, cut, service.pk if service else None, version)
    groups = _ROLLED.get(key)
    if groups is None:
        groups = _rolled_groups(office, first, cut, list(rollup.KEY), service)
        if len(_ROLLED) >= _ROLLED_MAX:
            _ROLLED.pop(next(iter(_ROLLED)))
        _ROLLED[key] = groups
    return groups


def _rolled_groups(
    office: Office, first: dt.date, cut: dt.date, columns: list[str], service: Service | None
) -> dict[tuple[Any, ...], rollup.Group]:
    """
    The rollup's days [first, cut) summed per group of ``columns``, by the database: the sums
    with the ORM, the histograms by expanding each row's JSON into (bucket, count) pairs.
    """
    days = CardDay.objects.filter(office=office, day__gte=first, day__lt=cut)
    if service is not None:
        days = days.filter(service=service)
    groups: dict[tuple[Any, ...], rollup.Group] = {}
    sums = days.values(*columns).annotate(
        handled_=Sum("handled"),
        late_=Sum("late"),
        worked_=Sum("worked_sum"),
        excess_=Sum("excess_sum"),
        standard_=Max("standard_seconds"),
        name_=Max("actor_name"),
    )
    for row in sums.order_by():
        groups[tuple(row[c] for c in columns)] = rollup.Group(
            handled=row["handled_"],
            late=row["late_"],
            worked_sum=row["worked_"],
            excess_sum=row["excess_"],
            standard_seconds=row["standard_"],
            actor_name=row["name_"],
        )
    # The same database the ORM read the sums from (the read router may send reports to a replica).
    database = connections[days.db]
    each = "jsonb_each_text" if database.vendor == "postgresql" else "json_each"
    table = CardDay._meta.db_table
    quoted = ", ".join(f'd."{c}"' for c in columns)
    where = "d.office_id = %s AND d.day >= %s AND d.day < %s" + (" AND d.service_id = %s" if service else "")
    params: list[Any] = [office.pk, first, cut] + ([service.pk] if service else [])
    sql = (
        f"SELECT {quoted}, CAST(h.key AS INTEGER), SUM(CAST(h.value AS INTEGER)) "
        f"FROM {table} d, {each}(d.histogram) h WHERE {where} GROUP BY {quoted}, CAST(h.key AS INTEGER)"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        for *key, bucket, count in cursor.fetchall():
            groups[tuple(key)].histogram[bucket] = count
    return groups


#: The rollup columns behind each grouping (``GROUP_FIELDS`` on the card itself).
_ROLLUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "officer": ("actor_id",),
    "step": ("step_label", "step_kind", "role"),
    "service": ("service_id",),
}


def performance_rows_raw(
    *,
    office: Office | None,
    start: dt.datetime,
    end: dt.datetime,
    by: Sequence[str] = ("officer", "step", "service"),
    service: Service | None = None,
) -> list[PerformanceRow]:
    """``performance_rows`` computed from the card alone (exact percentiles; the rollup's reference)."""
    keys = [column for name in by for column in GROUP_FIELDS[name]]
    qs = card_entries_judged(office=office, start=start, end=end, service=service)
    if "officer" in by:
        qs = qs.exclude(role=Role.PEMOHON)  # per officer: an applicant's own entries are no officer's work
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

    Summed days come from the rollup, the days after it from the files themselves.
    """
    rolled = _rolled_days(office, start, end)
    if rolled is None:
        return sla_by_service_raw(office=office, start=start, end=end)
    first, cut, _version = rolled
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for service_id, finished, on_time in (
        SlaDay.objects.filter(office=office, day__gte=first, day__lt=cut)
        .values_list("service_id")
        .annotate(f=Sum("finished"), o=Sum("on_time"))
        .order_by()
    ):
        counts[service_id][0] += finished
        counts[service_id][1] += on_time
    after = rollup.day_start(office, cut)
    if after < end:
        for r in sla_by_service_raw(office=office, start=max(start, after), end=end):
            counts[r.service_id][0] += r.finished
            counts[r.service_id][1] += r.on_time
    names = dict(Service.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    return sorted(
        (SlaRow(service_id=pk, service_name=names.get(pk, ""), finished=f, on_time=o) for pk, (f, o) in counts.items()),
        key=lambda r: r.service_name,
    )


def sla_by_service_raw(*, office: Office, start: dt.datetime, end: dt.datetime) -> list[SlaRow]:
    """``sla_by_service`` computed from the files alone (the rollup's reference)."""
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
        .select_related("application")
        # What the list and its export show: not the file's form data or the entry's payload.
        .only(
            "application__number",
            "step_label",
            "role",
            "actor_name",
            "received_at",
            "completed_at",
            "worked_seconds",
        )
        .order_by("-completed_at")[:limit]
    )
