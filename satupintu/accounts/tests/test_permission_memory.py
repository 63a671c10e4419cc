"""Permission checks remembered within one request, never across requests or days (issue 12, part 3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.accounts.models import RoleMembership
from satupintu.accounts.permissions import Action, can, grant_for, remembered_for_request, roles_in
from satupintu.accounts.roles import Role

pytestmark = pytest.mark.django_db

NOON_WIB_2026_03_10 = dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC)


def _queries(call):
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return result, len(ctx.captured_queries)


def test_within_a_request_each_question_reads_the_database_once(office, make_user):
    """Issue 12 (memoised permission checks within a request): the page's repeated checks share one read."""
    user = make_user(office=office, roles=[Role.FRONT_OFFICE, Role.SEKRETARIS])
    with remembered_for_request():
        roles, first = _queries(lambda: roles_in(user, office))
        again, second = _queries(lambda: [can(user, action, office) for action in Action] and roles_in(user, office))
        grant, grant_reads = _queries(lambda: grant_for(user, office, Role.FRONT_OFFICE))
        _same, grant_again = _queries(lambda: grant_for(user, office, Role.FRONT_OFFICE))
        absent, absent_reads = _queries(lambda: grant_for(user, office, Role.KEPALA_DINAS))
    assert roles == again == {Role.FRONT_OFFICE, Role.SEKRETARIS}
    assert first == 2 and second == 0
    assert grant is not None and grant.role == Role.FRONT_OFFICE and grant_reads == 1 and grant_again == 0
    # The roles of the day are known: a role not among them needs no query at all.
    assert absent is None and absent_reads == 0


def test_without_a_request_scope_every_check_reads_the_database(office, make_user):
    """Services, tasks and commands outside a request see every change at once."""
    user = make_user(office=office, roles=[Role.FRONT_OFFICE])
    _roles, first = _queries(lambda: roles_in(user, office))
    _roles, second = _queries(lambda: roles_in(user, office))
    assert first == second == 2


def test_nothing_is_remembered_from_one_request_to_the_next(office, make_user):
    """A role granted between two requests counts in the second one (no leak across requests)."""
    user = make_user(office=office, roles=[Role.FRONT_OFFICE])
    with remembered_for_request():
        assert not can(user, Action.VIEW_PERFORMANCE, office)
    RoleMembership.objects.create(office=office, user=user, role=Role.KEPEGAWAIAN, valid_from=dt.date(2000, 1, 1))
    with remembered_for_request():
        assert can(user, Action.VIEW_PERFORMANCE, office)
        assert grant_for(user, office, Role.KEPEGAWAIAN) is not None


def test_an_answer_for_one_day_is_not_reused_for_another(office, make_user):
    """The office date is part of what is remembered: a membership that ended is not carried to later days."""
    user = make_user(
        office=office, roles=[Role.FRONT_OFFICE], valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 10)
    )
    with remembered_for_request():
        assert grant_for(user, office, Role.FRONT_OFFICE, at=NOON_WIB_2026_03_10) is not None
        assert grant_for(user, office, Role.FRONT_OFFICE, at=NOON_WIB_2026_03_10 + dt.timedelta(days=1)) is None
        assert Role.FRONT_OFFICE in roles_in(user, office, at=NOON_WIB_2026_03_10)
        assert roles_in(user, office, at=NOON_WIB_2026_03_10 + dt.timedelta(days=1)) == frozenset()


def test_the_memory_is_per_user_and_per_office(office, make_office, make_user):
    """Two officers, two offices in the same request: each answer is its own."""
    other = make_office()
    front = make_user(office=office, roles=[Role.FRONT_OFFICE])
    head = make_user(office=other, roles=[Role.KEPALA_DINAS])
    with remembered_for_request():
        assert roles_in(front, office) == {Role.FRONT_OFFICE}
        assert roles_in(head, office) == frozenset()
        assert roles_in(head, other) == {Role.KEPALA_DINAS}
        assert roles_in(front, other) == frozenset()


def test_every_request_is_served_inside_its_own_scope(client, office, make_user):
    """The middleware opens a scope per request: a staff page's checks are remembered, the next page starts afresh."""
    user = make_user(office=office, roles=[Role.FRONT_OFFICE])
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/petugas/")
    assert response.status_code == 200
    # offices_for, can() for the page, the queue counts and each link ask for the user's roles in
    # the office five times; they are read once.
    role_reads = [q for q in ctx.captured_queries if 'AS "role" FROM "accounts_rolemembership"' in q["sql"]]
    assert len(role_reads) == 1
    RoleMembership.objects.filter(user=user).delete()
    assert client.get("/petugas/").status_code == 403
