"""People and organisations for the on-behalf tests (built on the root fixtures)."""

import pytest

from satupintu.organisations import services

RSUD = {
    "name": "RSUD Arifin Achmad",
    "kind": "rumah_sakit",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-216.000",
    "address": "Jalan Diponegoro No. 2, Pekanbaru",
}


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
    return services.organisation_register(actor=hospital_admin, data=RSUD)


@pytest.fixture
def radiographers(person, hospital, hospital_admin):
    """Two radiographers who accepted the hospital's invitation from their own accounts."""
    people = [
        person("rina", "Rina Marlina, A.Md.Rad.", "1471015503900002"),
        person("budi", "Budi Santoso, A.Md.Rad.", "1471011204910005"),
    ]
    for user in people:
        invitation = services.member_invite(
            actor=hospital_admin, organisation=hospital, identifier=user.nik, position="Radiografer"
        )
        services.invitation_answer(actor=user, membership_id=invitation.pk, accept=True)
    return people
