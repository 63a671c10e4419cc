"""
An organisation applies for its people (or itself) and sees their permits; a proxy collects a
permit with a power of attorney. Nobody's identity goes on a file without their account agreeing.
"""

import datetime as dt
import io

import pytest

from satupintu.applications import selectors, services
from satupintu.applications.models import Permit, Status
from satupintu.applications.tests.conftest import (
    FORM_DATA,
    PDF,
    WIB,
    Clock,
    forward_data,
    fresh,
    upload_all,
)
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.errors import DomainError, NotFound, PermissionDenied
from satupintu.organisations import services as organisations
from satupintu.organisations.models import MemberStatus
from satupintu.organisations.tests.data import RSUD

pytestmark = pytest.mark.django_db

FORWARD = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
}


def walk_to_handover(app, staff, applicant, clock):
    """Every step with its forward outcome, each by its role, until the file waits for handover."""
    spec = services.spec_for(app)
    while spec.step(app.current_step).kind in FORWARD:
        step = spec.step(app.current_step)
        actor = applicant if app.current_role == "pemohon" else staff[app.current_role]
        app = services.step_complete(
            application=app,
            actor=actor,
            step_number=step.number,
            outcome=FORWARD[step.kind],
            data=forward_data(app, step.kind, clock.now),
            at=clock.tick(minutes=7),
        )
    return app


def apply_for(service, admin, organisation, holder, clock, data=None):
    app = services.application_create(
        office=service.office,
        service=service,
        actor=admin,
        data=data or FORM_DATA[service.code],
        organisation=organisation,
        holder=holder,
        at=clock.now,
    )
    upload_all(app, admin)
    return services.application_submit(application=app, actor=admin, at=clock.tick(minutes=5))


def collect(app, staff, clock, handover):
    return services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=app.current_step,
        outcome="pickup",
        data={"handover": handover},
        at=clock.tick(minutes=3),
    )


def test_an_organisation_applying_for_two_of_its_people_names_each_on_their_own_permit(
    services_loaded, staff, hospital, hospital_admin, radiographers
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    permits = []
    for person in radiographers:
        # The admin's form carries someone else's NIK and name: the file takes the holder's own.
        data = {**FORM_DATA[service.code], "nik": "1471010101800001", "nama_lengkap": "Bukan Dia"}
        app = apply_for(service, hospital_admin, hospital, person, clock, data)
        assert (app.applicant, app.holder, app.organisation) == (hospital_admin, person, hospital)
        assert (app.applicant_nik, app.applicant_name) == (person.nik, person.full_name)
        assert app.data["nik"] == person.nik
        app = walk_to_handover(app, staff, hospital_admin, clock)
        permits.append(app.permit)
    assert [p.holder_name for p in permits] == [p.full_name for p in radiographers]
    assert all(p.holder_organisation is None for p in permits)
    # Each holder finds the file in their own list, without having applied.
    for person, permit in zip(radiographers, permits, strict=True):
        assert [a.pk for a in selectors.applications_of(person)] == [permit.application_id]


def test_an_organisations_permit_list_shows_each_expiry_soonest_first(
    services_loaded, staff, hospital, hospital_admin, radiographers
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    ends = ["2029-12-31", "2028-06-30"]
    for person, end in zip(radiographers, ends, strict=True):
        app = apply_for(
            service, hospital_admin, hospital, person, clock, {**FORM_DATA[service.code], "str_berlaku_sampai": end}
        )
        walk_to_handover(app, staff, hospital_admin, clock)
    listed = list(selectors.organisation_permits(hospital))
    assert [(p.holder_name, p.valid_until) for p in listed] == [
        (radiographers[1].full_name, dt.date(2028, 6, 30)),
        (radiographers[0].full_name, dt.date(2029, 12, 31)),
    ]
    assert selectors.organisation_applications(hospital).count() == 2


def test_a_person_not_in_the_organisation_or_not_consenting_cannot_be_put_on_a_file(
    services_loaded, person, hospital, hospital_admin, radiographers
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    stranger = person("asing", "Orang Asing", "1471016607920004")
    invited = person("diundang", "Belum Setuju", "1471015808930006")
    organisations.member_invite(actor=hospital_admin, organisation=hospital, identifier=invited.nik)
    declined = person("menolak", "Tidak Mau", "1471012009940007")
    invitation = organisations.member_invite(actor=hospital_admin, organisation=hospital, identifier=declined.email)
    organisations.invitation_answer(actor=declined, membership_id=invitation.pk, accept=False)
    for holder in (stranger, invited, declined):
        with pytest.raises(PermissionDenied):
            apply_for(service, hospital_admin, hospital, holder, clock)
    # A member who is not an admin cannot apply for a colleague, nor an admin for a left member.
    with pytest.raises(PermissionDenied):
        apply_for(service, radiographers[0], hospital, radiographers[1], clock)
    membership = hospital.memberships.get(user=radiographers[1])
    organisations.member_end(actor=radiographers[1], membership_id=membership.pk)
    with pytest.raises(PermissionDenied):
        apply_for(service, hospital_admin, hospital, radiographers[1], clock)
    # Nobody answers someone else's invitation.
    with pytest.raises(NotFound):
        organisations.invitation_answer(actor=hospital_admin, membership_id=invitation.pk, accept=True)
    assert not hospital.applications.exists()


def test_the_organisation_itself_holds_a_permit_only_where_the_standard_allows_it(
    services_loaded, staff, hospital, hospital_admin
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    with pytest.raises(DomainError) as refused:
        apply_for(services_loaded["izin-kerja-radiografer"], hospital_admin, hospital, None, clock)
    assert refused.value.code == "personal_only"
    reklame = services_loaded["izin-reklame-kecil"]
    app = apply_for(reklame, hospital_admin, hospital, None, clock)
    assert app.holder_is_organisation and app.holder is None
    # The person answering for it is the admin who applied.
    assert app.applicant_nik == hospital_admin.nik
    app = walk_to_handover(app, staff, hospital_admin, clock)
    assert (app.permit.holder_name, app.permit.holder_organisation) == (RSUD["name"], hospital)
    assert list(selectors.organisation_permits(hospital)) == [app.permit]


def test_the_organisation_admin_sees_its_peoples_applications_not_other_peoples(
    services_loaded, person, hospital, hospital_admin, radiographers
):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = apply_for(service, hospital_admin, hospital, radiographers[0], clock)
    # A second admin of the hospital sees the file, with the holder's personal data masked.
    second = person("admin-2", "Sari Dewi", "1471014404880008")
    invitation = organisations.member_invite(
        actor=hospital_admin, organisation=hospital, identifier=second.nik, role="admin"
    )
    organisations.invitation_answer(actor=second, membership_id=invitation.pk, accept=True)
    view = selectors.application_view(app, second)
    assert view.relation == selectors.ORGANISATION_ADMIN and not view.may_see_personal
    assert view.identity["nik"] == "1471********0002" and view.identity["address"] is None
    assert "tanggal_lahir" not in view.data and view.data["nik"] == "1471********0002"
    assert not view.actions.outcomes and not view.actions.can_withdraw
    # The admin who applied and the holder see it whole.
    assert selectors.application_view(app, hospital_admin).may_see_personal
    holder_view = selectors.application_view(app, radiographers[0])
    assert holder_view.relation == selectors.HOLDER and holder_view.identity["nik"] == radiographers[0].nik
    assert not holder_view.actions.outcomes
    # A member who is not an admin, a colleague, and the admin of another organisation: not found.
    other_admin = person("admin-lain", "Admin Klinik", "1471013003870009")
    organisations.organisation_register(
        actor=other_admin,
        data={"name": "Klinik Sehat", "kind": "klinik", "nib": "9120007654321", "address": "Jalan Riau 1"},
    )
    for outsider in (radiographers[1], other_admin):
        with pytest.raises(NotFound):
            selectors.application_view(app, outsider)
        with pytest.raises(NotFound):
            selectors.application_for_viewer(number=app.number, user=outsider)
    # Someone's personal application is not the hospital's, even if they are its member.
    own = services.application_create(
        office=service.office, service=service, actor=radiographers[1], data=FORM_DATA[service.code], at=clock.now
    )
    with pytest.raises(NotFound):
        selectors.application_view(own, hospital_admin)
    assert list(selectors.organisation_applications(hospital)) == [app]


def test_a_proxy_collecting_a_permit_is_named_on_the_card_and_the_permit_record(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk_to_handover(app, staff, applicant, clock)
    assert app.status == Status.READY
    # Without the power of attorney on file the proxy cannot collect.
    proxy = {"relation": "proxy", "name": "Joko Widodo", "id_number": "1471010707700010"}
    with pytest.raises(services.InvalidData) as missing:
        collect(app, staff, clock, proxy)
    assert "proxy_document" in missing.value.errors
    letter = services.proxy_letter_attach(
        application=app, actor=staff["front_office"], stream=io.BytesIO(PDF), filename="surat-kuasa.pdf"
    )
    app = collect(fresh(app), staff, clock, {**proxy, "proxy_document": str(letter.pk)})
    assert app.status == Status.COLLECTED
    handover = ControlCardEntry.objects.filter(application=app).order_by("-seq").first().data["handover"]
    assert (handover["holder_name"], handover["name"], handover["relation"]) == (
        "Rina Marlina, A.Md.Rad.",
        "Joko Widodo",
        "proxy",
    )
    permit = Permit.objects.get(application=app)
    assert (permit.holder_name, permit.proxy_name, permit.proxy_id_number) == (
        "Rina Marlina, A.Md.Rad.",
        "Joko Widodo",
        "1471010707700010",
    )
    # The holder sees that a proxy acted.
    assert selectors.application_view(app, applicant).proxy_name == "Joko Widodo"


def test_collecting_in_person_names_no_proxy(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk_to_handover(app, staff, applicant, clock)
    app = collect(app, staff, clock, {"relation": "self", "name": "Rina Marlina", "id_number": applicant.nik})
    assert Permit.objects.get(application=app).proxy_name == ""
    assert selectors.application_view(app, applicant).proxy_name == ""


def test_nib_and_npwp_formats_are_checked_and_unique(hospital, hospital_admin, person):
    other = person("lain", "Orang Lain", "1471013003870011")
    cases = [
        ({"nib": "12345", "npwp": ""}, "nib"),
        ({"nib": "", "npwp": "01.234.567.8-216"}, "npwp"),
        ({"nib": "", "npwp": ""}, "nib"),
        ({"nib": RSUD["nib"], "npwp": ""}, "nib"),
        ({"nib": "", "npwp": "012345678216000"}, "npwp"),
    ]
    for fields, key in cases:
        with pytest.raises(services.InvalidData) as refused:
            organisations.organisation_register(actor=other, data={**RSUD, **fields})
        assert key in refused.value.errors
    with pytest.raises(services.InvalidData) as refused:
        organisations.organisation_register(actor=other, data={**RSUD, "nib": "", "npwp": "", "name": "", "kind": "x"})
    assert {"name", "kind", "nib"} <= set(refused.value.errors)
    # A 16-digit NPWP (the NIK-based form) and NIB with 13 digits are accepted.
    clinic = organisations.organisation_register(
        actor=other, data={**RSUD, "name": "Klinik", "nib": "9120000000001", "npwp": "1471013003870011"}
    )
    assert (clinic.nib, clinic.npwp) == ("9120000000001", "1471013003870011")
    assert hospital.npwp == "012345678216000"


def test_every_change_to_an_organisation_is_an_audit_row(hospital, hospital_admin, person):
    from satupintu.core.models import AuditEvent

    member = person("anggota", "Anggota Satu", "1471013003870012")
    invitation = organisations.member_invite(actor=hospital_admin, organisation=hospital, identifier=member.nik)
    organisations.invitation_answer(actor=member, membership_id=invitation.pk, accept=True)
    organisations.organisation_update(actor=hospital_admin, organisation=hospital, data={"address": "Jalan Baru 3"})
    organisations.member_end(actor=hospital_admin, membership_id=invitation.pk)
    rows = list(AuditEvent.objects.filter(target=f"organisation:{hospital.pk}").order_by("pk"))
    assert [r.action for r in rows] == [
        "organisation.register",
        "organisation.invite",
        "organisation.invitation_accept",
        "organisation.update",
        "organisation.member_end",
    ]
    assert rows[3].data["changes"] == {"address": [RSUD["address"], "Jalan Baru 3"]}
    assert [r.actor for r in rows] == [hospital_admin, hospital_admin, member, hospital_admin, hospital_admin]
    # Only admins change it; the last admin stays.
    with pytest.raises(PermissionDenied):
        organisations.organisation_update(actor=member, organisation=hospital, data={"name": "X"})
    admin_membership = hospital.memberships.get(user=hospital_admin)
    with pytest.raises(organisations.Conflict):
        organisations.member_end(actor=hospital_admin, membership_id=admin_membership.pk)


def test_the_counter_registers_an_organisation_whose_admin_accepts_from_their_account(
    office, staff, hospital_admin, person
):
    clinic = organisations.organisation_register_at_counter(
        officer=staff["front_office"],
        office=office,
        data={"name": "Klinik Pratama Sehat", "kind": "klinik", "npwp": "012345678216001", "address": "Jalan Riau 9"},
        admin=hospital_admin.nik,
    )
    membership = clinic.memberships.get()
    assert membership.status == MemberStatus.INVITED and membership.role == "admin"
    assert clinic.registered_at_office == office
    # Not an admin until they accept.
    from satupintu.organisations.selectors import is_admin

    assert not is_admin(hospital_admin, clinic)
    organisations.invitation_answer(actor=hospital_admin, membership_id=membership.pk, accept=True)
    assert is_admin(hospital_admin, clinic)
    with pytest.raises(PermissionDenied):
        organisations.organisation_register_at_counter(
            officer=staff["back_office"], office=office, data=RSUD, admin=hospital_admin.nik
        )
    with pytest.raises(services.InvalidData) as unknown:
        organisations.organisation_register_at_counter(
            officer=staff["front_office"], office=office, data=RSUD, admin="1471019999990099"
        )
    assert "admin" in unknown.value.errors


def test_a_proxy_applying_at_the_counter_is_named_on_the_submission_and_seen_by_the_holder(
    services_loaded, staff, applicant
):
    """The front office registers a file a proxy brings with a power of attorney; the holder's account sees it."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded["izin-kerja-radiografer"]
    front = staff["front_office"]
    app = services.application_create(
        office=service.office,
        service=service,
        actor=front,
        data=FORM_DATA[service.code],
        channel="counter",
        at=clock.now,
    )
    assert app.applicant == applicant  # the NIK has an account: the file appears in it
    with pytest.raises(services.InvalidData) as same:
        services.proxy_application_record(
            application=app, actor=front, name="Rina", id_number=applicant.nik, stream=io.BytesIO(PDF), filename="k.pdf"
        )
    assert "id_number" in same.value.errors
    with pytest.raises(PermissionDenied):
        services.proxy_application_record(
            application=app,
            actor=staff["back_office"],
            name="Joko",
            id_number="1471010707700010",
            stream=io.BytesIO(PDF),
            filename="k.pdf",
        )
    letter = services.proxy_application_record(
        application=app,
        actor=front,
        name="Joko Susilo",
        id_number="1471010707700010",
        stream=io.BytesIO(PDF),
        filename="surat-kuasa.pdf",
    )
    upload_all(app, front)
    app = services.application_submit(application=fresh(app), actor=front, at=clock.tick(minutes=5))
    entry = ControlCardEntry.objects.get(application=app, seq=1)
    assert entry.data["proxy_applicant"] == {
        "name": "Joko Susilo",
        "id_number": "1471010707700010",
        "holder_name": "Rina Marlina, A.Md.Rad.",
        "proxy_document": str(letter.pk),
    }
    assert selectors.application_view(app, applicant).proxy_applicant == "Joko Susilo"
    # Once handed in, a proxy is no longer recorded for applying.
    with pytest.raises(organisations.Conflict):
        services.proxy_application_record(
            application=app,
            actor=front,
            name="Lain",
            id_number="1471010707700011",
            stream=io.BytesIO(PDF),
            filename="k.pdf",
        )
