"""Project-wide pytest setup."""

import os

os.environ.setdefault("SATUPINTU_TESTING", "1")
# Browser tests drive a live server from the test thread; Playwright's sync API runs an event
# loop there, which Django's async-safety check would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime as dt
import itertools

import pytest

_seq = itertools.count(1)


@pytest.fixture
def make_office(db):
    """Build an office; each call makes a distinct one."""
    from satupintu.core.models import Office

    def make(**overrides):
        n = next(_seq)
        fields = {
            "slug": f"kantor-{n}",
            "name": f"DPMPTSP Kota Contoh {n}",
            "region": f"Kota Contoh {n}",
            "address": "Jalan Contoh No. 1",
            "time_zone": "Asia/Jakarta",
        }
        fields.update(overrides)
        return Office.objects.create(**fields)

    return make


@pytest.fixture
def office(make_office):
    return make_office(slug="dpmptsp-kota-pekanbaru", name="DPMPTSP Kota Pekanbaru", region="Kota Pekanbaru")


@pytest.fixture
def make_user(db):
    """Build a user, optionally with roles in an office from a date (default: a year ago, open-ended)."""
    from satupintu.accounts.models import RoleMembership, User

    def make(username=None, *, office=None, roles=(), valid_from=None, valid_to=None, password="rahasia-sekali-123"):
        user = User.objects.create_user(username=username or f"user{next(_seq)}", password=password)
        for role in roles:
            RoleMembership.objects.create(
                office=office,
                user=user,
                role=role,
                valid_from=valid_from or dt.date(2000, 1, 1),
                valid_to=valid_to,
            )
        return user

    return make


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The working-day cache is per process; a rolled-back test must not leave its calendar behind."""
    from satupintu.workdays import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def services_loaded(office):
    """
    Both seed services and the YAML-only third service (applications/tests/data), loaded into the
    office, published; the paramedik seed's open fee set by the office (it takes no applications
    otherwise).
    """
    from pathlib import Path

    from django.conf import settings

    from satupintu.applications.tests.conftest import DATA
    from satupintu.catalogue.loader import standard_files, standard_load
    from satupintu.catalogue.tests.standards import text_with_fee_set

    loaded = {}
    for path in [*standard_files(Path(settings.SATUPINTU_STANDARDS_DIR)), DATA / "izin-reklame-kecil.yaml"]:
        result = standard_load(office=office, text=text_with_fee_set(path), path=str(path))
        loaded[result.service.code] = result.service
    return loaded


@pytest.fixture
def staff(office, make_user):
    """One officer per staff role in the office, username ``<role>-1``."""
    from satupintu.accounts.roles import Role

    return {
        role.value: make_user(f"{role.value}-1", office=office, roles=[role.value])
        for role in Role
        if role is not Role.PEMOHON
    }


@pytest.fixture
def applicant(make_user):
    """An applicant account (no office role), with the NIK and name the radiographer form carries."""
    user = make_user("pemohon-1")
    user.full_name = "Rina Marlina, A.Md.Rad."
    user.nik = "1471015503900002"
    user.save()
    return user


@pytest.fixture(autouse=True)
def _control_card_trigger_vs_flush(request):
    """
    Keep the card's DELETE trigger in force during every database test on SQLite, and lift it
    for the flush that ends a transactional test (SQLite flushes with DELETE).
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "live_server" not in request.fixturenames:
        yield
        return
    from django.db import connection

    from satupintu.control_card import triggers

    request.getfixturevalue("_django_db_helper") if marker is not None else request.getfixturevalue("transactional_db")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_NO_DELETE)
    yield
    transactional = marker is None or marker.kwargs.get("transaction") or "live_server" in request.fixturenames
    if transactional and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_DROP_NO_DELETE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- organisations (issue 15): people with their own accounts, a hospital, two radiographers -----


@pytest.fixture
def person(make_user):
    """A person with their own account: name and NIK on it, as their KTP says."""

    def make(username, full_name, nik):
        user = make_user(username)
        user.full_name, user.nik = full_name, nik
        user.email = f"{username}@example.com"
        user.save()
        return user

    return make


@pytest.fixture
def hospital_admin(person):
    return person("admin-rs", "dr. Hendra Saputra", "1471010101800001")


@pytest.fixture
def hospital(hospital_admin):
    from satupintu.organisations import services as organisation_services
    from satupintu.organisations.tests.data import RSUD

    return organisation_services.organisation_register(actor=hospital_admin, data=RSUD)


@pytest.fixture
def radiographers(person, hospital, hospital_admin):
    """Two radiographers who accepted the hospital's invitation from their own accounts."""
    from satupintu.organisations import services as organisation_services

    people = [
        person("rina", "Rina Marlina, A.Md.Rad.", "1471015503900002"),
        person("budi", "Budi Santoso, A.Md.Rad.", "1471011204910005"),
    ]
    for user in people:
        invitation = organisation_services.member_invite(
            actor=hospital_admin, organisation=hospital, identifier=user.nik, position="Radiografer"
        )
        organisation_services.invitation_answer(actor=user, membership_id=invitation.pk, accept=True)
    return people
