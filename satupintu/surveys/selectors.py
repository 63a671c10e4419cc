"""
Reads of the survey: the IKM of any selection of responses (aggregated by the database: one SUM
per element and a COUNT), per service, the population served and the sample it needs, and the
elements still waiting for a follow-up plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.roles import STAFF_ROLES
from satupintu.applications.models import Application, Status
from satupintu.catalogue.models import Service
from satupintu.core.errors import NotFound
from satupintu.core.models import Office
from satupintu.surveys.ikm import ELEMENT_CODES, IkmResult, ikm_compute, sample_size
from satupintu.surveys.models import (
    BatchStatus,
    FollowUpPlan,
    Questionnaire,
    ResponseChannel,
    SurveyBatch,
    SurveyElement,
    SurveyResponse,
)
from satupintu.surveys.periods import Period

#: The answers that count in the IKM: given online, or in a batch a second officer approved.
COUNTED = Q(channel=ResponseChannel.ONLINE) | Q(batch__status=BatchStatus.APPROVED)


def responses_for(
    *,
    office: Office | None = None,
    period: Period | None = None,
    service: Service | None = None,
    batch: SurveyBatch | None = None,
    counted_only: bool = True,
) -> QuerySet[SurveyResponse]:
    """
    Responses in the selection; a period takes every response whose own period lies inside it.
    Only those that count in the IKM (``COUNTED``) unless ``counted_only`` is False.
    """
    qs = SurveyResponse.objects.filter(COUNTED) if counted_only else SurveyResponse.objects.all()
    if office is not None:
        qs = qs.filter(office=office)
    if batch is not None:
        qs = qs.filter(batch=batch)
    if period is not None:
        qs = qs.filter(period_start__gte=period.start, period_end__lte=period.end)
    if service is not None:
        qs = qs.filter(service=service)
    return qs


def _aggregates() -> dict[str, Any]:
    return {"n": Count("pk"), **{code: Sum(code.lower()) for code in ELEMENT_CODES}}


def ikm_of(responses: QuerySet[SurveyResponse]) -> IkmResult | None:
    """The IKM of the responses, from one aggregate query; None when there are none."""
    row = responses.aggregate(**_aggregates())
    if not row["n"]:
        return None
    return ikm_compute({code: int(row[code]) for code in ELEMENT_CODES}, int(row["n"]))


def ikm_by_service(*, office: Office, period: Period | None = None) -> list[tuple[Service | None, IkmResult]]:
    """The IKM of each service with responses in the office and period (one grouped query)."""
    rows = responses_for(office=office, period=period).values("service").annotate(**_aggregates()).order_by("service")
    services = {s.pk: s for s in Service.objects.filter(office=office)}
    results: list[tuple[Service | None, IkmResult]] = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        result = ikm_compute({code: int(values[code]) for code in ELEMENT_CODES}, int(values["n"]))
        if result is not None:
            results.append((services.get(values["service"]), result))
    results.sort(key=lambda pair: pair[0].name if pair[0] else "~")
    return results


def _day_bounds(office: Office, period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(office.time_zone)
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def population_served(*, office: Office, period: Period, service: Service | None = None) -> int:
    """Users served in the period: applications whose product was received (collected) then."""
    start, end = _day_bounds(office, period)
    qs = Application.objects.filter(office=office, status=Status.COLLECTED, closed_at__gte=start, closed_at__lt=end)
    if service is not None:
        qs = qs.filter(service=service)
    return qs.count()


def batch_get(*, pk: Any, office: Office | None = None) -> SurveyBatch:
    batch = SurveyBatch.objects.select_related("office").filter(pk=pk).first() if str(pk).isdigit() else None
    if batch is None or (office is not None and batch.office_id != office.pk):
        raise NotFound(_("Impor jawaban tidak ditemukan."))
    return batch


def elements_of(questionnaire: Questionnaire | None = None) -> dict[str, SurveyElement]:
    """The elements of the questionnaire (default: the one in use), by code."""
    if questionnaire is None:
        questionnaire = Questionnaire.objects.filter(active=True).order_by("-valid_from", "-pk").first()
    if questionnaire is None:
        return {}
    return {e.code: e for e in questionnaire.elements.order_by("position")}


def plans_for(
    *, office: Office, period: Period | None = None, service: Service | None = None, published_only: bool = False
) -> QuerySet[FollowUpPlan]:
    qs = FollowUpPlan.objects.filter(office=office).select_related("service")
    if published_only:
        qs = qs.filter(published=True)
    if period is not None:
        qs = qs.filter(period=period.label)
    if service is not None:
        qs = qs.filter(service=service)
    return qs.order_by("element_code", "due_on")


def plans_missing(
    result: IkmResult | None, *, office: Office, period: Period, service: Service | None = None
) -> list[str]:
    """Codes of the elements graded below *Baik* in the selection that have no follow-up plan yet."""
    if result is None:
        return []
    planned = set(
        FollowUpPlan.objects.filter(office=office, period=period.label, service=service).values_list(
            "element_code", flat=True
        )
    )
    return [e.code for e in result.below_good if e.code not in planned]


#: An answer of 1 or 2 ("tidak/kurang ...") on an element: the respondent found it wanting.
LOW_ANSWER = 2


@dataclass(frozen=True)
class Suggestion:
    """One respondent's free-text *saran dan masukan*, with what it can be read against."""

    text: str
    created_on: dt.date
    period: str
    channel: str
    service: Service | None
    #: Codes of the elements this respondent answered 1 or 2 (what the suggestion most likely concerns).
    low_elements: tuple[str, ...]


def suggestions(
    office: Office,
    period: Period | None = None,
    *,
    service: Service | None = None,
    element: str = "",
    query: str = "",
) -> list[Suggestion]:
    """
    The *saran dan masukan* respondents wrote in the office and period (counted answers only),
    newest first. ``element``: only those from respondents who rated that element 1 or 2;
    ``query``: only those containing the words (case-insensitive). The SKM PDF and XLSX list these.
    """
    rows = responses_for(office=office, period=period, service=service).exclude(suggestion="")
    if element in ELEMENT_CODES:
        rows = rows.filter(**{f"{element.lower()}__lte": LOW_ANSWER})
    if query.strip():
        rows = rows.filter(suggestion__icontains=query.strip()[:100])
    fields = ["suggestion", "created_on", "period", "channel", "service", *(c.lower() for c in ELEMENT_CODES)]
    services = {s.pk: s for s in Service.objects.filter(office=office)}
    return [
        Suggestion(
            text=row["suggestion"],
            created_on=row["created_on"],
            period=row["period"],
            channel=row["channel"],
            service=services.get(row["service"]),
            low_elements=tuple(c for c in ELEMENT_CODES if (row[c.lower()] or 4) <= LOW_ANSWER),
        )
        for row in rows.order_by("-created_on", "-pk").values(*fields)
    ]


def suggestions_by_element(items: list[Suggestion], codes: list[str]) -> dict[str, list[Suggestion]]:
    """
    The suggestions under each element of ``codes`` their writer rated 1 or 2 (a suggestion may
    stand under several), for the follow-up plans of those elements; the rest under ``""``.
    """
    grouped: dict[str, list[Suggestion]] = {code: [] for code in codes}
    grouped[""] = []
    for item in items:
        placed = False
        for code in item.low_elements:
            if code in grouped and code:
                grouped[code].append(item)
                placed = True
        if not placed:
            grouped[""].append(item)
    return grouped


@dataclass
class SurveySummary:
    """What a results page or report shows for one office, period and (optionally) service."""

    office: Office
    period: Period
    service: Service | None
    result: IkmResult | None
    population: int
    sample_required: int
    elements: dict[str, SurveyElement]
    plans: list[FollowUpPlan] = field(default_factory=list)
    missing_plans: list[str] = field(default_factory=list)
    by_service: list[tuple[Service | None, IkmResult]] = field(default_factory=list)
    #: Counted respondents per channel ("online", "paper", "import"), every channel present.
    channels: dict[str, int] = field(default_factory=dict)
    #: Respondents in batches still waiting for a second officer (not counted).
    pending: int = 0

    @property
    def respondents(self) -> int:
        return self.result.respondents if self.result else 0

    @property
    def sample_met(self) -> bool:
        return self.respondents >= self.sample_required


def channel_counts(responses: QuerySet[SurveyResponse]) -> dict[str, int]:
    """How many of the responses came online, on paper and by import (every channel named)."""
    counts = {channel: 0 for channel in ResponseChannel.values}
    for row in responses.order_by().values("channel").annotate(n=Count("pk")):
        counts[row["channel"]] = row["n"]
    return counts


def pending_count(*, office: Office, period: Period | None = None, service: Service | None = None) -> int:
    """Respondents in the selection whose batch still waits for a second officer's approval."""
    qs = responses_for(office=office, period=period, service=service, counted_only=False)
    return qs.filter(batch__status=BatchStatus.PENDING).count()


def batches_for(*, office: Office, status: str | None = None) -> QuerySet[SurveyBatch]:
    """The office's batches of paper or imported answers, newest first."""
    qs = SurveyBatch.objects.filter(office=office).select_related("created_by", "collected_by", "decided_by", "service")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def survey_summary(
    *, office: Office, period: Period, service: Service | None = None, public: bool = False
) -> SurveySummary:
    """
    What a results page or report shows. ``public``: the published page, whose follow-up plans are
    only those the office chose to publish.
    """
    counted = responses_for(office=office, period=period, service=service)
    result = ikm_of(counted)
    population = population_served(office=office, period=period, service=service)
    return SurveySummary(
        office=office,
        period=period,
        service=service,
        result=result,
        population=population,
        sample_required=sample_size(population),
        elements=elements_of(),
        plans=list(plans_for(office=office, period=period, service=service, published_only=public)),
        missing_plans=plans_missing(result, office=office, period=period, service=service),
        by_service=ikm_by_service(office=office, period=period) if service is None else [],
        channels=channel_counts(counted),
        pending=pending_count(office=office, period=period, service=service),
    )


def respondent_profile(responses: QuerySet[SurveyResponse]) -> dict[str, list[tuple[str, int]]]:
    """How many respondents gave each profile value (for the report's respondent table)."""
    profile: dict[str, list[tuple[str, int]]] = {}
    for key in ("sex", "age_band", "education", "occupation"):
        rows = responses.values(key).annotate(n=Count("pk")).order_by(key)
        choices = dict(getattr(SurveyResponse._meta.get_field(key), "choices", None) or [])
        profile[key] = [(str(choices.get(r[key], _("Tidak diisi"))), r["n"]) for r in rows]
    return profile


def office_staff(office: Office, *, day: dt.date) -> list[User]:
    """Officers holding a staff role in the office on ``day`` (who may have collected questionnaires)."""
    members = RoleMembership.objects.filter(office=office, role__in=STAFF_ROLES, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return list(User.objects.filter(pk__in=members.values("user_id")).order_by("full_name", "username"))
