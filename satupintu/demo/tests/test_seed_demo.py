import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from satupintu.accounts.models import RoleMembership, User
from satupintu.accounts.permissions import roles_in
from satupintu.accounts.roles import Role
from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.core.models import Office
from satupintu.demo.data import demo_seed

pytestmark = pytest.mark.django_db


def test_demo_creates_the_pekanbaru_office_a_user_per_role_and_both_services(monkeypatch):
    monkeypatch.setenv("SATUPINTU_DEMO_PASSWORD", "demo-sandi-panjang-1")
    result = demo_seed()
    office = Office.objects.get(slug="dpmptsp-kota-pekanbaru")
    assert office.address == "Jalan Jenderal Sudirman No. 464 Pekanbaru"
    assert office.sms == "+628117515133" and office.phone == "(0761) 28262"
    assert set(result.passwords) == set(Role.values)
    for role in Role:
        user = User.objects.get(username=role.value)
        assert authenticate(username=role.value, password="demo-sandi-panjang-1") == user
        expected = frozenset() if role is Role.PEMOHON else {role.value}
        assert roles_in(user, office) == expected
    assert sorted(Service.objects.filter(office=office).values_list("code", flat=True)) == [
        "izin-kerja-radiografer",
        "izin-praktik-paramedik-asisten-teknik-reproduksi",
        "perpanjangan-imta",
    ]
    from satupintu.payments.models import ExchangeRate

    assert ExchangeRate.objects.filter(office=office, currency="USD").exists()


def test_demo_is_idempotent_and_prints_passwords_only_once(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    assert "kata sandi hanya ditampilkan sekali" in first and "kepala_dinas" in first
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "sudah ada" in second and "kepala_dinas " not in second
    assert Office.objects.count() == 1
    assert RoleMembership.objects.count() == len(Role) - 1
    assert ServiceStandardVersion.objects.count() == 3  # each shipped standard once, none twice


def test_random_demo_passwords_differ_per_user(monkeypatch):
    monkeypatch.delenv("SATUPINTU_DEMO_PASSWORD", raising=False)
    passwords = demo_seed().passwords
    assert len(set(passwords.values())) == len(passwords)


def test_the_output_names_the_command_that_makes_new_passwords(capsys, settings):
    """Issue 14 (running it): the passwords scroll away, so the output says how to get new ones."""
    settings.SATUPINTU_PUBLIC_URL = "http://127.0.0.1:8123"
    call_command("seed_demo")
    first = capsys.readouterr().out
    assert "manage.py seed_demo --reset-passwords" in first and "http://127.0.0.1:8123/akun/masuk/" in first
    call_command("seed_demo")
    assert "manage.py seed_demo --reset-passwords" in capsys.readouterr().out
