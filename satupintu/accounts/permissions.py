"""
The one place that answers "may this user do X in this office now".

Roles are held per office for a period (``RoleMembership``) or exercised as an acting official
(``ActingAppointment``, Plh). Every view, API call and service asks here; nothing else reads
memberships to decide access. A user with no role in an office can do nothing there — Django's
superuser flag grants access to the Django admin only, not to an office's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import ActingAppointment, OfficeRole, RoleMembership, User
from satupintu.accounts.roles import STAFF_ROLES, Role, role_name
from satupintu.core.errors import PermissionDenied
from satupintu.core.models import Office


class Action(StrEnum):
    """Office-level actions that are not SOP steps (those are granted by the step's role)."""

    VIEW_STAFF_PAGES = "staff.view"
    MANAGE_OFFICE = "office.manage"
    MANAGE_USERS = "users.manage"
    MANAGE_CALENDAR = "calendar.manage"
    MANAGE_CATALOGUE = "catalogue.manage"
    PREPARE_STANDARDS = "standards.prepare"
    APPROVE_STANDARDS = "standards.approve"
    MANAGE_ROLES = "roles.manage"
    VIEW_PERSONAL_DATA = "personal_data.view"
    VIEW_PERFORMANCE = "performance.view"
    HANDLE_COMPLAINTS = "complaints.handle"
    MANAGE_NOTICES = "notices.manage"
    MANAGE_SURVEYS = "surveys.manage"
    APPROVE_SURVEY_BATCH = "surveys.approve_batch"
    VIEW_ACCESS_LOG = "access_log.view"
    MANAGE_PAYMENTS = "payments.manage"
    VIEW_REVENUE = "payments.revenue"


#: Which roles may perform each action. One declarative table; read it, don't branch on roles.
POLICY: dict[Action, frozenset[str]] = {
    Action.VIEW_STAFF_PAGES: STAFF_ROLES,
    Action.MANAGE_OFFICE: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_CALENDAR: frozenset({Role.ADMIN}),
    Action.MANAGE_CATALOGUE: frozenset({Role.ADMIN, Role.PENGELOLA_STANDAR}),
    # Who prepares a standard and sends it for review, and who sets it by decree (Keputusan
    # Kepala Dinas); services keep the two apart (the sender never approves their own version).
    Action.PREPARE_STANDARDS: frozenset({Role.PENGELOLA_STANDAR, Role.ADMIN}),
    Action.APPROVE_STANDARDS: frozenset({Role.KEPALA_DINAS}),
    Action.MANAGE_ROLES: frozenset({Role.ADMIN}),
    # Those who work a file need the applicant's identity; policy analysts and leaders see it too
    # because they initial and sign the letter that prints it.
    Action.VIEW_PERSONAL_DATA: frozenset(
        {
            Role.FRONT_OFFICE,
            Role.BACK_OFFICE,
            Role.TIM_TEKNIS,
            Role.ANALIS_MUDA,
            Role.ANALIS_MADYA,
            Role.SEKRETARIS,
            Role.KEPALA_DINAS,
        }
    ),
    Action.VIEW_PERFORMANCE: frozenset({Role.KEPEGAWAIAN, Role.SEKRETARIS, Role.KEPALA_DINAS, Role.ADMIN}),
    # The outbox and the front office's tasks (post the notice letter): who answers the public.
    Action.MANAGE_NOTICES: frozenset({Role.FRONT_OFFICE, Role.SEKRETARIS, Role.ADMIN}),
    Action.HANDLE_COMPLAINTS: frozenset(
        {Role.PENGELOLA_PENGADUAN, Role.KEPALA_BIDANG, Role.SEKRETARIS, Role.KEPALA_DINAS}
    ),
    # Who collects and types in paper questionnaires or imports a file of answers: the counter
    # and the secretariat, not the officials whose service the survey judges.
    Action.MANAGE_SURVEYS: frozenset({Role.FRONT_OFFICE, Role.PENGELOLA_PENGADUAN, Role.KEPEGAWAIAN, Role.SEKRETARIS}),
    # A second officer checks a batch against its source before it counts (never its collector
    # or the one who entered it; services enforce that).
    Action.APPROVE_SURVEY_BATCH: frozenset({Role.KEPEGAWAIAN, Role.SEKRETARIS}),
    # Who read whose personal data (UU 27/2022): the office's data protection officer only.
    Action.VIEW_ACCESS_LOG: frozenset({Role.PEJABAT_PELINDUNGAN_DATA}),
    # Counter payments, the day's rates, refunds: the treasurer (Bendahara Penerima) alone; the
    # reconciliation and the revenue report are read by those who answer for the office's money.
    Action.MANAGE_PAYMENTS: frozenset({Role.BENDAHARA_PENERIMA}),
    Action.VIEW_REVENUE: frozenset({Role.BENDAHARA_PENERIMA, Role.SEKRETARIS, Role.KEPALA_DINAS}),
}


@dataclass(frozen=True)
class Grant:
    """The user may act in ``role``; when ``acting_for`` is set, as Plh for that official."""

    role: str
    user: User
    acting_for: User | None = None
    appointment: ActingAppointment | None = None

    @property
    def is_acting(self) -> bool:
        return self.acting_for is not None


#: Answers remembered for the request being served (None outside a request: nothing is remembered).
_remembered: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("satupintu_permissions", default=None)


@contextmanager
def remembered_for_request() -> Iterator[None]:
    """
    Remember the answers of ``roles_in`` and ``grant_for`` until the block ends (one request).

    A page asks the same question many times (the queue, each button, each row); within one
    request memberships do not change, so each (user, office, role, office date) is read from
    the database once. Nothing is kept across requests, and the office date is part of the key,
    so a check for another moment (``at``) is answered for that day. Outside such a block (tasks,
    commands, services called directly) every call reads the database.
    """
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _remember[T](key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    cache = _remembered.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def office_today(office: Office, at: dt.datetime | None = None) -> dt.date:
    """The office's local date at ``at`` (default: now); role periods are office dates."""
    return timezone.localtime(at or timezone.now(), ZoneInfo(office.time_zone)).date()


def _active(qs: QuerySet[Any], day: dt.date, *, open_ended: bool) -> QuerySet[Any]:
    ends = Q(valid_to__gte=day) | Q(valid_to__isnull=True) if open_ended else Q(valid_to__gte=day)
    return qs.filter(Q(valid_from__lte=day) & ends)


def _is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def roles_in(user: Any, office: Office, *, at: dt.datetime | None = None) -> frozenset[str]:
    """Roles the user holds in the office now, directly or as Plh."""
    if not _is_signed_in(user):
        return frozenset()
    day = office_today(office, at)

    def read() -> frozenset[str]:
        direct = _active(RoleMembership.objects.filter(user=user, office=office), day, open_ended=True)
        acting = _active(ActingAppointment.objects.filter(acting_user=user, office=office), day, open_ended=False)
        return frozenset(direct.values_list("role", flat=True)) | frozenset(acting.values_list("role", flat=True))

    return _remember(("roles", user.pk, office.pk, day), read)


def grant_for(user: Any, office: Office, role: str, *, at: dt.datetime | None = None) -> Grant | None:
    """
    Return how the user may act in ``role`` in the office now, or None.

    A direct membership wins over a Plh appointment for the same role.
    """
    if not _is_signed_in(user):
        return None
    day = office_today(office, at)

    def read() -> Grant | None:
        cache = _remembered.get()
        roles = cache.get(("roles", user.pk, office.pk, day)) if cache is not None else None
        if roles is not None and role not in roles:
            return None  # the roles of that day are known already: no grant to look for
        if _active(RoleMembership.objects.filter(user=user, office=office, role=role), day, open_ended=True).exists():
            return Grant(role=role, user=user)
        appointment = (
            _active(ActingAppointment.objects.filter(acting_user=user, office=office, role=role), day, open_ended=False)
            .select_related("official")
            .order_by("-valid_from")
            .first()
        )
        if appointment is not None:
            return Grant(role=role, user=user, acting_for=appointment.official, appointment=appointment)
        return None

    return _remember(("grant", user.pk, office.pk, role, day), read)


def _office_role_grants(office: Office) -> dict[str, frozenset[str]]:
    """
    The office's own active roles and the actions each may perform (``OfficeRole``); every office
    role is a staff role, so it sees the staff pages.
    """

    def read() -> dict[str, frozenset[str]]:
        rows = OfficeRole.objects.filter(office=office, active=True).values_list("code", "permissions")
        return {code: frozenset(permissions or ()) | {Action.VIEW_STAFF_PAGES.value} for code, permissions in rows}

    return _remember(("office_roles", office.pk), read)


def can(user: Any, action: Action, office: Office, *, at: dt.datetime | None = None) -> bool:
    """
    Whether the user may perform ``action`` in the office now: a built-in role the POLICY table
    grants it to, or one of the office's own roles given that action.
    """
    held = roles_in(user, office, at=at)
    if held & POLICY[action]:
        return True
    own = held - set(Role.values)
    if not own:
        return False
    grants = _office_role_grants(office)
    return any(action.value in grants.get(code, frozenset()) for code in own)


def require(user: Any, action: Action, office: Office, *, at: dt.datetime | None = None) -> None:
    """Raise PermissionDenied (Indonesian message) unless the user may perform ``action``."""
    if not can(user, action, office, at=at):
        raise PermissionDenied(_("Anda tidak memiliki kewenangan untuk tindakan ini di kantor ini."))


def require_role(user: Any, office: Office, role: str, *, at: dt.datetime | None = None) -> Grant:
    """Return the user's grant for ``role`` or raise PermissionDenied."""
    grant = grant_for(user, office, role, at=at)
    if grant is None:
        label = role_name(role, office)
        raise PermissionDenied(
            _("Anda tidak memegang peran %(role)s di %(office)s saat ini.") % {"role": label, "office": office.name}
        )
    return grant


def offices_for(user: Any, *, at: dt.datetime | None = None) -> list[Office]:
    """Offices where the user holds any role now (directly or as Plh)."""
    if not _is_signed_in(user):
        return []
    candidates = Office.objects.filter(Q(memberships__user=user) | Q(acting_appointments__acting_user=user)).distinct()
    return [office for office in candidates if roles_in(user, office, at=at)]


def holders_of(office: Office, role: str, *, at: dt.datetime | None = None) -> list[Any]:
    """The users who hold ``role`` in the office now (directly or as Plh), by name."""
    day = office_today(office, at)
    direct = _active(RoleMembership.objects.filter(office=office, role=role), day, open_ended=True)
    acting = _active(ActingAppointment.objects.filter(office=office, role=role), day, open_ended=False)
    # One query: both memberships as one subquery. A UNION, not "in one OR in the other": with
    # OR the database tests every account against both lists (a scan of all users, 130 ms at
    # 600,000 accounts); the union is a short list of ids looked up by key.
    users = User.objects.filter(pk__in=direct.values("user_id").union(acting.values("acting_user_id")), is_active=True)
    return sorted(users, key=lambda u: u.display_name)
