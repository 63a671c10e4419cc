"""
WebAuthn as the optional second factor (issue 13): the server refuses what does not prove a
key. The whole ceremony with a (virtual) authenticator is in tests/browser/test_account_journey.py.
"""

import json

import pytest
from django.urls import reverse

from satupintu.accounts.models import LoginAttempt, OfficeAccountPolicy, SecurityKey
from satupintu.accounts.tests.test_twofactor import PASSWORD, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(office, make_user):
    OfficeAccountPolicy.objects.create(office=office, staff_otp_required=True)
    return make_user("loket", office=office, roles=["front_office"], password=PASSWORD)


def test_security_keys_need_the_authenticator_app_first(client, officer):
    """Keys come on top of the app (recovery codes and the API door stay with it)."""
    client.force_login(officer)
    response = client.post(reverse("accounts:security_key_options"))
    # Not enrolled: the grace path sends every page to enrolment first.
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_enrol"))


def test_registration_options_name_this_site_and_refuse_a_forged_answer(client, officer):
    enrol(officer)
    client.force_login(officer)
    session = client.session
    session["otp_device_id"] = officer.totpdevice_set.get().persistent_id
    session.save()
    options = client.post(reverse("accounts:security_key_options")).json()
    assert options["rp"]["id"] == "testserver" and options["user"]["name"] == "loket"
    forged = client.post(
        reverse("accounts:security_key_add"),
        json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}),
        content_type="application/json",
    )
    assert forged.status_code == 400 and forged.json()["code"] == "security_key_refused"
    assert not SecurityKey.objects.exists()


def test_the_key_step_is_open_before_the_code_and_refuses_an_unknown_key(client, officer):
    """At the code step the key endpoints answer (not redirected); an unknown key is refused and logged."""
    enrol(officer)
    SecurityKey.objects.create(user=officer, name="kunci", credential_id="a2V5", public_key=b"\x00", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "loket", "password": PASSWORD})
    page = client.get(reverse("accounts:otp_verify"))
    assert "Pakai kunci keamanan" in page.content.decode()
    options = client.post(reverse("accounts:otp_key_options"))
    assert options.status_code == 200 and options.json()["allowCredentials"][0]["id"] == "a2V5"
    refused = client.post(
        reverse("accounts:otp_key_verify"),
        json.dumps({"id": "bGFpbg", "rawId": "bGFpbg", "type": "public-key", "response": {}}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert LoginAttempt.objects.filter(username="loket", door="web-webauthn", succeeded=False).exists()
    assert client.get(reverse("staff:home")).status_code == 302
    garbage = client.post(reverse("accounts:otp_key_verify"), "not json", content_type="application/json")
    assert garbage.status_code == 400
