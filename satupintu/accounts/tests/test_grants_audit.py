"""
Issue 13, accounts: "Role grants made in the admin are not audited." Role and Plh grants from
every door — the admin, the staff page "Peran dan Plh", the API and ``manage.py role_grant`` —
write the audit row, naming who did it and through which door.
"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from satupintu.accounts.models import ActingAppointment, RoleMembership
from satupintu.api.tokens import token_issue
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_user):
    user = make_user("it-admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def office_admin(office, make_user):
    return make_user("admin-kantor", office=office, roles=["admin"])


def events(action: str, door: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(action=action) if e.data.get("door") == door]


def test_role_grant_in_admin_is_audited(client, superuser, office, make_user):
    """Adding, changing and deleting a membership in /admin/ each write their audit row."""
    target = make_user("calon-loket")
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/rolemembership/add/",
        {"office": office.pk, "user": target.pk, "role": "front_office", "valid_from": "2026-01-05", "valid_to": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = RoleMembership.objects.get(user=target)
    [grant] = events("membership.grant", "admin")
    assert grant.actor == superuser and grant.office == office and grant.data["role"] == "front_office"
    assert grant.target == f"user:{target.pk}" and grant.data["membership"] == membership.pk

    client.post(
        f"/admin/accounts/rolemembership/{membership.pk}/change/",
        {"office": office.pk, "user": target.pk, "role": "back_office", "valid_from": "2026-01-05", "valid_to": ""},
    )
    [change] = events("membership.change", "admin")
    assert change.data["before"] == {"role": "front_office"} and change.data["after"] == {"role": "back_office"}

    client.post(f"/admin/accounts/rolemembership/{membership.pk}/delete/", {"post": "yes"})
    assert not RoleMembership.objects.filter(pk=membership.pk).exists()
    [deleted] = events("membership.delete", "admin")
    assert deleted.data["role"] == "back_office" and deleted.actor == superuser


def test_role_grant_in_admin_user_inline_is_audited(client, superuser, office, make_user):
    """The membership inline on the user's admin page is a door too."""
    target = make_user("calon-bo")
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields if name not in ("password",)}
    data.update(
        {
            "username": target.username,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-office": office.pk,
            "memberships-0-role": "back_office",
            "memberships-0-valid_from": "2026-01-05",
            "memberships-0-valid_to": "",
        }
    )
    data = {k: v for k, v in data.items() if v is not None and k not in ("groups", "user_permissions", "last_login")}
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert RoleMembership.objects.filter(user=target, role="back_office").exists()
    [grant] = events("membership.grant", "admin")
    assert grant.actor == superuser and grant.target == f"user:{target.pk}"


def test_plh_appointment_in_admin_is_audited(client, superuser, office, make_user):
    kadis = make_user("kadis", office=office, roles=["kepala_dinas"])
    sekretaris = make_user("sekdis", office=office, roles=["sekretaris"])
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/actingappointment/add/",
        {
            "office": office.pk,
            "role": "kepala_dinas",
            "acting_user": sekretaris.pk,
            "official": kadis.pk,
            "valid_from": "2026-02-02",
            "valid_to": "2026-02-06",
            "decree_number": "800/12/DPMPTSP",
            "reason": "dinas luar",
        },
    )
    assert response.status_code == 302
    [appoint] = events("acting.appoint", "admin")
    assert appoint.actor == superuser and appoint.data["official"] == kadis.pk
    appointment = ActingAppointment.objects.get()
    client.post(f"/admin/accounts/actingappointment/{appointment.pk}/delete/", {"post": "yes"})
    assert events("acting.delete", "admin")


def test_role_grant_on_staff_page_is_audited(client, office, office_admin, make_user):
    """The staff page "Peran dan Plh": only the office's admin; each grant, end and Plh audited."""
    target = make_user("calon-tt")
    kadis = make_user("kadis", office=office, roles=["kepala_dinas"])
    url = reverse("accounts:office_roles", kwargs={"office_slug": office.slug})
    client.force_login(kadis)
    assert client.get(url).status_code == 403
    client.force_login(office_admin)
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"action": "grant", "username": "calon-tt", "role": "tim_teknis", "valid_from": "2026-03-02"}
    )
    assert response.status_code == 302
    [grant] = events("membership.grant", "staff")
    assert grant.actor == office_admin and grant.target == f"user:{target.pk}"

    unknown = client.post(
        url, {"action": "grant", "username": "tidak-ada", "role": "tim_teknis", "valid_from": "2026-03-02"}
    )
    assert unknown.status_code == 400 and "Pengguna dengan nama ini tidak ada" in unknown.content.decode()

    membership = RoleMembership.objects.get(user=target)
    client.post(url, {"action": "end", "membership": membership.pk})
    assert events("membership.end", "staff")

    response = client.post(
        url,
        {
            "action": "plh",
            "acting": "calon-tt",
            "official": "kadis",
            "role": "kepala_dinas",
            "valid_from": "2026-03-02",
            "valid_to": "2026-03-06",
        },
    )
    assert response.status_code == 302
    [appoint] = events("acting.appoint", "staff")
    assert appoint.actor == office_admin


def test_role_grant_through_api_is_audited(office, office_admin, make_user):
    target = make_user("calon-analis")
    kadis = make_user("kadis", office=office, roles=["kepala_dinas"])
    _row, token = token_issue(user=office_admin)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/offices/{office.slug}/memberships"
    body = {"username": "calon-analis", "role": "analis_muda", "valid_from": "2026-04-01"}
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    [grant] = events("membership.grant", "api")
    assert grant.actor == office_admin and grant.target == f"user:{target.pk}"

    bad = api.post(url, {**body, "role": "raja"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_role"

    _row, kadis_token = token_issue(user=kadis)
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {kadis_token}").post(url, body, content_type="application/json")
    assert refused.status_code == 403

    ended = api.post(f"{url}/{response.json()['id']}/end", {"last_day": "2026-04-30"}, content_type="application/json")
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2026-04-30"
    assert events("membership.end", "api")

    plh = api.post(
        f"/api/v1/offices/{office.slug}/acting-appointments",
        {
            "acting_username": "calon-analis",
            "official_username": "kadis",
            "role": "kepala_dinas",
            "valid_from": "2026-04-06",
            "valid_to": "2026-04-10",
        },
        content_type="application/json",
    )
    assert plh.status_code == 201
    assert events("acting.appoint", "api")[0].actor == office_admin


def test_role_grant_by_command_is_audited(office, office_admin, make_user, capsys):
    target = make_user("calon-fo")
    kadis = make_user("kadis", office=office, roles=["kepala_dinas"])
    call_command(
        "role_grant", "grant", "--office", office.slug, "--user", "calon-fo", "--role", "front_office",
        "--from", "2026-05-04", "--by", "admin-kantor",
    )  # fmt: skip
    [grant] = events("membership.grant", "command")
    assert grant.actor == office_admin and grant.target == f"user:{target.pk}"
    membership = RoleMembership.objects.get(user=target)
    assert membership.valid_from == dt.date(2026, 5, 4)

    call_command(
        "role_grant", "end", "--membership", str(membership.pk), "--last-day", "2026-05-31", "--by", "admin-kantor"
    )
    assert events("membership.end", "command")
    call_command(
        "role_grant", "plh", "--office", office.slug, "--role", "kepala_dinas", "--acting", "calon-fo",
        "--official", "kadis", "--from", "2026-05-04", "--to", "2026-05-08", "--by", "admin-kantor",
    )  # fmt: skip
    [appoint] = events("acting.appoint", "command")
    assert appoint.data["official"] == kadis.pk

    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command(
            "role_grant",
            "grant",
            "--office",
            office.slug,
            "--user",
            "calon-fo",
            "--role",
            "raja",
            "--by",
            "admin-kantor",
        )


def test_office_policy_change_in_admin_is_audited(client, superuser, office):
    """Turning "wajib 2FA untuk petugas" on or off is on the audit log."""
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/officeaccountpolicy/add/", {"office": office.pk, "staff_otp_required": "on"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="office.account_policy")
    assert event.actor == superuser and event.data == {"staff_otp_required": True}
