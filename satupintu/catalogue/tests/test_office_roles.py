"""
Issue 11 item 1: roles are data per office. An office adds its own role (Kasubid Pelayanan) with
what it may do; memberships, Plh, queues and the SOP use it like a built-in role, and the schema
accepts it when a standard is loaded for that office (and only for that office).
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.office_roles import office_role_deactivate, office_role_save
from satupintu.accounts.permissions import Action, can, grant_for
from satupintu.accounts.services import acting_appoint, membership_grant
from satupintu.applications import services as applications
from satupintu.catalogue.loader import StandardFileError, parse_standard, standard_load
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml
from satupintu.core.errors import DomainError, InvalidData
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _with_role_at_check(code: str) -> dict:
    """The minimal standard with its completeness check worked by ``code``."""
    data = as_yaml(MINIMAL)
    import yaml

    spec = yaml.safe_load(data)
    for step in spec["sop"]["steps"]:
        if step["kind"] == "completeness_check":
            step["roles"] = [code]
    spec["competence"][0]["roles"] = [code]
    return spec


def test_an_office_role_is_added_with_its_actions_and_audited(office, make_user):
    admin = make_user(office=office, roles=["admin"])
    role = office_role_save(
        office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=["notices.manage"], actor=admin
    )
    assert role.permissions == ["notices.manage"]
    assert AuditEvent.objects.filter(action="office_role.create", target="role:kasubid_pelayanan").exists()
    holder = make_user(office=office, roles=["kasubid_pelayanan"])
    assert can(holder, Action.MANAGE_NOTICES, office)
    assert can(holder, Action.VIEW_STAFF_PAGES, office)
    assert not can(holder, Action.MANAGE_CATALOGUE, office)
    office_role_deactivate(office=office, code="kasubid_pelayanan", actor=admin)
    assert not can(holder, Action.MANAGE_NOTICES, office)


def test_an_office_role_may_not_take_a_built_in_code_or_the_administrators_actions(office):
    with pytest.raises(InvalidData) as bad:
        office_role_save(office=office, code="kepala_dinas", name="x", permissions=["users.manage"], actor=None)
    assert set(bad.value.errors) == {"code", "permissions"}


def test_the_schema_accepts_an_office_role_only_when_loading_for_that_office(office, make_office):
    office_role_save(office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=[], actor=None)
    text = as_yaml(_with_role_at_check("kasubid_pelayanan"))
    assert parse_standard(text, office=office).sop.steps[1].roles == ["kasubid_pelayanan"]
    with pytest.raises(StandardFileError) as refused:
        parse_standard(text, office=make_office())
    assert any("peran tidak dikenal: kasubid_pelayanan" in problem for _field, problem in refused.value.problems)


def test_memberships_plh_queues_and_the_sop_use_an_office_role_like_a_built_in_one(
    client, office, make_user, applicant
):
    office_role_save(office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=[], actor=None)
    service = standard_load(office=office, text=as_yaml(_with_role_at_check("kasubid_pelayanan"))).service
    kasubid = make_user("kasubid")
    membership_grant(office=office, user=kasubid, role="kasubid_pelayanan", valid_from=dt.date(2026, 1, 1))
    with pytest.raises(DomainError):
        membership_grant(office=office, user=kasubid, role="bendahara", valid_from=dt.date(2026, 1, 1))
    deputy = make_user("wakil")
    acting_appoint(
        office=office,
        role="kasubid_pelayanan",
        acting_user=deputy,
        official=kasubid,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2040, 1, 1),
    )
    assert grant_for(deputy, office, "kasubid_pelayanan").acting_for == kasubid
    # The SOP: the completeness check waits for the office role and its holder completes it.
    data = {"nama": "Rina", "nik": applicant.nik or "1471015503900002", "no_hp": "+6281234567890"}
    application = applications.application_create(office=office, service=service, actor=applicant, data=data)
    from satupintu.applications.tests.conftest import forward_data, upload_all

    upload_all(application, applicant)
    application = applications.application_submit(application=application, actor=applicant)
    assert application.current_role == "kasubid_pelayanan"
    client.force_login(kasubid)
    queue = client.get(reverse("staff:queue", args=[office.slug, "kasubid_pelayanan"]))
    assert queue.status_code == 200
    body = queue.content.decode()
    assert "Kasubid Pelayanan" in body and application.number in body
    step = applications.spec_for(application).step(application.current_step)
    application = applications.step_complete(
        application=application,
        actor=deputy,
        step_number=step.number,
        outcome="complete",
        data=forward_data(application, step.kind, timezone.now()),
    )
    assert application.current_step == step.number + 1
    public = client.get(reverse("portal:service", args=[service.code])).content.decode()
    assert "Kasubid Pelayanan" in public


def test_the_office_roles_page_is_for_the_admin_and_reports_errors_at_the_field(client, office, make_user):
    clerk = make_user(office=office, roles=["front_office"])
    client.force_login(clerk)
    url = reverse("staff:office_roles", args=[office.slug])
    assert client.get(url).status_code == 403
    client.force_login(make_user(office=office, roles=["admin"]))
    bad = client.post(url, {"code": "Kasubid!", "name": ""})
    assert bad.status_code == 422 and "Isi nama peran." in bad.content.decode()
    done = client.post(
        url, {"code": "bendahara_pengeluaran", "name": "Bendahara Pengeluaran", "permissions": ["notices.manage"]}
    )
    assert done.status_code == 302
    assert "Bendahara Pengeluaran" in client.get(url).content.decode()


def test_the_sop_editor_maps_a_step_to_an_office_role_and_reports_a_bad_time_at_its_step(client, office, staff):
    office_role_save(office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=[], actor=None)
    first = standard_load(office=office, text=as_yaml(MINIMAL)).version
    client.force_login(staff["pengelola_standar"])
    url = reverse("staff:standard_steps", args=[office.slug, "izin-contoh"])
    page = client.get(url).content.decode()
    assert "Kasubid Pelayanan" in page
    steps = first.definition["sop"]["steps"]
    form = {}
    for step in steps:
        n = step["number"]
        form[f"kind-{n}"] = step["kind"]
        form[f"roles-{n}"] = step["roles"]
        form[f"activity-{n}"] = step["activity"]
        form[f"time-{n}"] = step["time"]
    form["roles-2"] = ["kasubid_pelayanan"]
    form["time-2"] = "sebentar"
    refused = client.post(url, form)
    assert refused.status_code == 422 and 'id="time-2-error"' in refused.content.decode()
    form["time-2"] = "15 menit"
    form["roles-4"] = ["pemohon", "front_office"]  # the checkbox order must not change who works the step
    assert client.post(url, form).status_code == 302
    second = first.service.versions.get(version=2)
    step2 = second.definition["sop"]["steps"][1]
    assert step2["roles"] == ["kasubid_pelayanan"] and step2["time"] == "15 menit"
    assert step2["provenance"]["from_seed"] is False
    assert second.definition["sop"]["steps"][3]["roles"] == steps[3]["roles"]


def test_the_public_api_gives_a_standard_that_names_an_office_role(client, office):
    office_role_save(office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=[], actor=None)
    standard_load(office=office, text=as_yaml(_with_role_at_check("kasubid_pelayanan")))
    response = client.get("/api/v1/services/izin-contoh")
    assert response.status_code == 200, response.content
    assert response.json()["standard"]["sop"]["steps"][1]["roles"] == ["kasubid_pelayanan"]
