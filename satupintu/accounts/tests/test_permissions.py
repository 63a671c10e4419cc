import datetime as dt

import pytest

from satupintu.accounts import permissions
from satupintu.accounts.models import ActingAppointment
from satupintu.accounts.permissions import Action, can, grant_for, offices_for, require, require_role, roles_in
from satupintu.accounts.roles import Role
from satupintu.accounts.services import acting_appoint, membership_end, membership_grant
from satupintu.core.errors import DomainError, PermissionDenied
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOON_WIB_2026_03_10 = dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC)


def test_a_user_without_membership_in_an_office_can_do_nothing_there(office, make_office, make_user):
    """Roles are per office: a role elsewhere gives nothing here, and neither does being superuser."""
    other = make_office()
    user = make_user(office=other, roles=[Role.ADMIN, Role.KEPALA_DINAS, Role.FRONT_OFFICE])
    user.is_superuser = user.is_staff = True
    user.save()
    assert roles_in(user, office) == frozenset()
    for action in Action:
        assert not can(user, action, office)
    for role in Role:
        assert grant_for(user, office, role) is None
    with pytest.raises(PermissionDenied):
        require(user, Action.VIEW_STAFF_PAGES, office)
    with pytest.raises(PermissionDenied) as excinfo:
        require_role(user, office, Role.KEPALA_DINAS)
    assert "Kepala Dinas" in excinfo.value.message
    assert offices_for(user) == [other]


def test_anonymous_and_inactive_users_hold_no_roles(office, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert roles_in(AnonymousUser(), office) == frozenset()
    user = make_user(office=office, roles=[Role.ADMIN])
    user.is_active = False
    user.save()
    assert not can(user, Action.MANAGE_OFFICE, office)


def test_membership_counts_only_inside_its_period_in_office_dates(office, make_user):
    """valid_from/valid_to are inclusive office-local dates."""
    user = make_user(
        office=office, roles=[Role.FRONT_OFFICE], valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 31)
    )
    # 31 March 23:30 WIB is still March in the office although it is 16:30 UTC.
    assert Role.FRONT_OFFICE in roles_in(user, office, at=dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC))
    # 1 April 00:30 WIB is 31 March 17:30 UTC: already outside.
    assert roles_in(user, office, at=dt.datetime(2026, 3, 31, 17, 30, tzinfo=dt.UTC)) == frozenset()
    assert roles_in(user, office, at=dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)) == frozenset()


def test_policy_table_decides_actions(office, make_user):
    front = make_user(office=office, roles=[Role.FRONT_OFFICE])
    admin = make_user(office=office, roles=[Role.ADMIN])
    applicant = make_user()
    assert can(front, Action.VIEW_STAFF_PAGES, office)
    assert can(front, Action.VIEW_PERSONAL_DATA, office)
    assert not can(front, Action.MANAGE_CATALOGUE, office)
    assert can(admin, Action.MANAGE_CATALOGUE, office)
    assert not can(admin, Action.VIEW_PERSONAL_DATA, office)
    assert not can(applicant, Action.VIEW_STAFF_PAGES, office)


def test_every_action_has_a_policy_row():
    assert set(permissions.POLICY) == set(Action)


def test_a_plh_acts_for_the_absent_official_only_during_the_appointment(office, make_user):
    """Plh: the acting official holds the role for the period and the grant names whom they act for."""
    kadis = make_user("kadis", office=office, roles=[Role.KEPALA_DINAS])
    sekretaris = make_user("sekretaris", office=office, roles=[Role.SEKRETARIS])
    acting_appoint(
        office=office,
        role=Role.KEPALA_DINAS,
        acting_user=sekretaris,
        official=kadis,
        valid_from=dt.date(2026, 3, 9),
        valid_to=dt.date(2026, 3, 13),
        decree_number="800/123/DPMPTSP/2026",
        appointed_by=kadis,
    )
    grant = grant_for(sekretaris, office, Role.KEPALA_DINAS, at=NOON_WIB_2026_03_10)
    assert grant is not None and grant.is_acting and grant.acting_for == kadis
    assert roles_in(sekretaris, office, at=NOON_WIB_2026_03_10) == {Role.SEKRETARIS, Role.KEPALA_DINAS}
    after = dt.datetime(2026, 3, 14, 5, 0, tzinfo=dt.UTC)
    assert grant_for(sekretaris, office, Role.KEPALA_DINAS, at=after) is None
    # The official keeps the role meanwhile, directly.
    own = grant_for(kadis, office, Role.KEPALA_DINAS, at=NOON_WIB_2026_03_10)
    assert own is not None and not own.is_acting
    assert AuditEvent.objects.filter(action="acting.appoint", office=office).count() == 1


def test_a_plh_cannot_be_appointed_for_themselves_or_backwards(office, make_user):
    kadis = make_user(office=office, roles=[Role.KEPALA_DINAS])
    with pytest.raises(DomainError):
        acting_appoint(
            office=office,
            role=Role.KEPALA_DINAS,
            acting_user=kadis,
            official=kadis,
            valid_from=dt.date(2026, 3, 9),
            valid_to=dt.date(2026, 3, 13),
        )
    other = make_user()
    with pytest.raises(DomainError):
        acting_appoint(
            office=office,
            role=Role.KEPALA_DINAS,
            acting_user=other,
            official=kadis,
            valid_from=dt.date(2026, 3, 13),
            valid_to=dt.date(2026, 3, 9),
        )
    assert not ActingAppointment.objects.exists()


def test_granting_and_ending_a_membership_is_audited(office, make_user):
    admin = make_user(office=office, roles=[Role.ADMIN])
    user = make_user()
    membership = membership_grant(
        office=office, user=user, role=Role.BACK_OFFICE, valid_from=dt.date(2026, 1, 1), granted_by=admin
    )
    assert Role.BACK_OFFICE in roles_in(user, office, at=NOON_WIB_2026_03_10)
    membership_end(membership=membership, last_day=dt.date(2026, 3, 9), ended_by=admin)
    assert roles_in(user, office, at=NOON_WIB_2026_03_10) == frozenset()
    actions = list(AuditEvent.objects.filter(office=office).order_by("at", "pk").values_list("action", "actor"))
    assert actions == [("membership.grant", admin.pk), ("membership.end", admin.pk)]
    with pytest.raises(DomainError):
        membership_grant(office=office, user=user, role="dukun", valid_from=dt.date(2026, 1, 1))
