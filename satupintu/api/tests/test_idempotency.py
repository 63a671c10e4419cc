"""
Idempotency keys on step requests (issue 13 item 6): a step committed whose answer was lost is
retried with the same key and gets the first answer — same status, same body — not 409, and the
card has one entry; the same key with another request is 422. The staff form does the same with
its hidden field.
"""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from satupintu.api.tests.test_applications_api import _apply, _judged
from satupintu.applications.models import Application, IdempotencyRecord
from satupintu.applications.tests.conftest import all_sesuai
from satupintu.control_card.models import ControlCardEntry

pytestmark = pytest.mark.django_db


def _post(session, number, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return session.client.post(
        f"/api/v1/applications/{number}/actions", body, content_type="application/json", **session.headers, **headers
    )


def test_retry_with_idempotency_key_returns_first_result(api, services_loaded, staff, applicant):
    pemohon, officer = api(applicant), api(staff["front_office"])
    number = _apply(pemohon, api())
    body = {"step": 2, "outcome": "complete", "data": _judged(number)}
    first = _post(officer, number, body, key="4b1d-langkah-2")
    assert first.status_code == 200 and first.json()["current_step"]["number"] == 3
    # The answer is lost on the way; the officer's client sends the same request again.
    entries = ControlCardEntry.objects.filter(application__number=number).count()
    retry = _post(officer, number, body, key="4b1d-langkah-2")
    assert retry.status_code == 200 and retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert ControlCardEntry.objects.filter(application__number=number).count() == entries  # no double card entry
    # Without the key the same retry meets the step done: 409, as before.
    assert _post(officer, number, body).status_code == 409
    # The same key for another request is refused.
    other = _post(officer, number, {**body, "note": "lain"}, key="4b1d-langkah-2")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # Keys are per user: another officer's same key is a new request (here: the step has moved, 409).
    assert _post(api(staff["back_office"]), number, body, key="4b1d-langkah-2").status_code in {403, 409}


def test_a_refusal_is_remembered_too_and_a_bad_key_is_422(api, services_loaded, staff, applicant):
    pemohon, officer = api(applicant), api(staff["front_office"])
    number = _apply(pemohon, api())
    wrong_step = {"step": 5, "outcome": "complete", "data": _judged(number)}
    first = _post(officer, number, wrong_step, key="k-409")
    assert first.status_code == 409
    assert _post(officer, number, wrong_step, key="k-409").content == first.content
    assert _post(officer, number, wrong_step, key="x" * 101).status_code == 422
    assert IdempotencyRecord.objects.filter(key="k-409").count() == 1


def test_the_staff_form_retried_with_its_hidden_key_records_one_step(client, services_loaded, staff, applicant, api):
    number = _apply(api(applicant), api())
    app = Application.objects.get(number=number)
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:application", args=[number])).content.decode()
    assert 'name="idempotency_key"' in page
    form = {"action": "complete", "step": 2, "outcome": "complete", "idempotency_key": "form-abc"}
    for key, value in all_sesuai(app)["checklist"].items():
        form[f"judge-{key}"] = value["judgement"]
    first = client.post(reverse("staff:act", args=[number]), form)
    assert first.status_code == 302
    again = client.post(reverse("staff:act", args=[number]), form)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert ControlCardEntry.objects.filter(application=app, step_number=2).count() == 1
    # A new page render carries a new key: pressing again there is a new request (409, the step moved).
    form["idempotency_key"] = "form-def"
    assert client.post(reverse("staff:act", args=[number]), form).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_with_one_key_record_one_step(api, services_loaded, staff, applicant):
    """On PostgreSQL the second request waits on the key's row and then replays the first answer."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are tested on PostgreSQL")
    pemohon, officer = api(applicant), api(staff["front_office"])
    number = _apply(pemohon, api())
    body = {"step": 2, "outcome": "complete", "data": _judged(number)}
    answers = []

    def send():
        from django.test import Client

        from satupintu.api.tests.conftest import ApiClient

        session = ApiClient(Client(), None)
        session.headers = officer.headers
        try:
            answers.append(_post(session, number, body, key="same-key"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert ControlCardEntry.objects.filter(application__number=number, step_number=2).count() == 1


def test_an_expired_key_is_forgotten_and_purged(api, services_loaded, staff, applicant, settings):
    import datetime as dt

    from django.utils import timezone

    from satupintu.applications.idempotency import idempotency_purge

    settings.SATUPINTU_IDEMPOTENCY_HOURS = 1
    pemohon, officer = api(applicant), api(staff["front_office"])
    number = _apply(pemohon, api())
    body = {"step": 2, "outcome": "complete", "data": _judged(number)}
    assert _post(officer, number, body, key="lama").status_code == 200
    record = IdempotencyRecord.objects.get(key="lama")
    assert record.expires_at - record.created_at == dt.timedelta(hours=1)
    IdempotencyRecord.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # Past its expiry the key means nothing: the retry is a new request and meets the moved step.
    assert _post(officer, number, body, key="lama").status_code == 409
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert idempotency_purge() >= 1 and not IdempotencyRecord.objects.exists()
