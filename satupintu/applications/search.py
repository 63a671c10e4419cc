"""
Finding an application: the officers' search and the normalisation of a typed registration number.

Officers type what they have in hand — a registration number from a receipt (in any case, with
stray spaces), a permit number from a letter, part of a name, or a NIK — and narrow the list by
service, status, lateness and the period of registration. The search is always inside one office
the officer works in now, and a NIK is matched only for roles that may see personal data
(``Action.VIEW_PERSONAL_DATA``): a number typed by anyone else is never compared with NIKs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, office_today
from satupintu.applications.models import FINAL_STATUSES, Application, Status
from satupintu.applications.numbering import registration_format
from satupintu.catalogue.models import Service
from satupintu.core.errors import PermissionDenied
from satupintu.core.models import Office

#: A NIK is 16 digits; a query of exactly that shape is compared with NIKs (when the viewer may).
_NIK = re.compile(r"^\d{16}$")
#: Shortest name fragment worth a substring search (one letter would match nearly everyone).
MIN_NAME_LENGTH = 2


def number_normalise(text: str) -> str:
    """
    A registration number or tracking code as stored: upper case, no spaces.

    ``" pku-2026-000123 "`` → ``"PKU-2026-000123"``; the receipt prints upper case, and people
    type what they read in whatever case their keyboard gives them. Public tracking, the API's
    ``GET /track`` and the officers' search all read numbers through this one function.
    """
    return "".join(str(text).split()).upper()


def registration_number_example(office: Office, *, year: int | None = None) -> str:
    """An example of the office's registration number as ``numbering.registration_number`` writes it."""
    return registration_format(office=office, year=year or office_today(office).year, seq=123)


def _overdue_q(now: dt.datetime) -> Q:
    return ~Q(status__in=FINAL_STATUSES) & (Q(step_due_at__lt=now) | Q(due_at__lt=now, completed_at__isnull=True))


def application_overdue(application: Application, now: dt.datetime) -> bool:
    """Whether a file still open is past the due time of its step or of the whole service (the filter's rule)."""
    if application.status in FINAL_STATUSES:
        return False
    step_late = application.step_due_at is not None and application.step_due_at < now
    service_late = application.due_at is not None and application.completed_at is None and application.due_at < now
    return step_late or service_late


def _day_start(office: Office, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(office.time_zone))


def applications_search(
    *,
    office: Office,
    viewer: Any,
    q: str = "",
    service: Service | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Application]:
    """
    The office's applications matching ``q`` and the filters, newest registration first.

    ``q`` matches the registration number (any case, exact or as a prefix), the permit number
    (any case, exact or prefix), the applicant's name (any part, any case) and — only when the
    viewer may see personal data in the office — the applicant's NIK (all 16 digits). ``overdue``
    True keeps files still open whose current step or whole service is past its due time (False:
    those that are not). ``period_from``/``period_to`` are office dates, inclusive, of when the
    file was handed in (of its registration while it is a draft). Raise PermissionDenied unless
    the viewer is an officer of the office now. The caller paginates the queryset.
    """
    if not can(viewer, Action.VIEW_STAFF_PAGES, office):
        raise PermissionDenied(_("Anda bukan petugas kantor ini."))
    now = now or timezone.now()
    found = Application.objects.filter(office=office).select_related("service", "permit")
    text = " ".join(q.split())
    if text:
        number = number_normalise(text)
        # A prefix covers the exact number; "PKU-2026-0001" lists 000100 to 000199 as well.
        match = Q(number__istartswith=number) | Q(permit__number__istartswith=text)
        if len(text) >= MIN_NAME_LENGTH:
            match |= Q(applicant_name__icontains=text)
        if _NIK.match(number) and can(viewer, Action.VIEW_PERSONAL_DATA, office):
            match |= Q(applicant_nik=number)
        found = found.filter(match)
    if service is not None:
        found = found.filter(service=service)
    if status:
        found = found.filter(status=status)
    if overdue is not None:
        late = _overdue_q(now)
        found = found.filter(late) if overdue else found.exclude(late)
    if period_from is not None or period_to is not None:
        # The period of a file is when it was handed in; a counter draft not handed in yet, when it was registered.
        found = found.annotate(handed_in=Coalesce("submitted_at", "created_at"))
        if period_from is not None:
            found = found.filter(handed_in__gte=_day_start(office, period_from))
        if period_to is not None:
            found = found.filter(handed_in__lt=_day_start(office, period_to + dt.timedelta(days=1)))
    return found.order_by("-created_at", "-pk")


def application_exact(*, office: Office, viewer: Any, q: str) -> Application | None:
    """
    The one application whose registration or permit number is exactly ``q`` (any case), or None.

    The search page opens it directly, as the old "Buka permohonan" box did, but only inside an
    office the viewer works in.
    """
    text = " ".join(q.split())
    if not text or not can(viewer, Action.VIEW_STAFF_PAGES, office):
        return None
    exact = Q(number__iexact=number_normalise(text)) | Q(permit__number__iexact=text)
    rows = list(Application.objects.filter(office=office).filter(exact)[:2])
    return rows[0] if len(rows) == 1 else None


def nik_search_allowed(*, office: Office, viewer: Any) -> bool:
    """Whether the viewer's roles in the office let a NIK be searched (and shown)."""
    return can(viewer, Action.VIEW_PERSONAL_DATA, office)


def status_choices() -> list[tuple[str, str]]:
    """The statuses an officer may filter by, in lifecycle order, with their labels."""
    return [(value, str(label)) for value, label in Status.choices]
