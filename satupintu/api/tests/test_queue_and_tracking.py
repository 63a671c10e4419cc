"""Work queues for officers, public tracking, and the OpenAPI document (DESIGN §12)."""

import datetime as dt

import pytest
from django.utils import timezone

from satupintu.api.tests.conftest import RADIOGRAFER
from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, all_sesuai, upload_all

pytestmark = pytest.mark.django_db


def _submitted(service, applicant, at):
    application = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=at
    )
    upload_all(application, applicant)
    return services.application_submit(application=application, actor=applicant, at=at + dt.timedelta(minutes=5))


def test_the_queue_merges_the_callers_roles_overdue_first(api, services_loaded, staff, applicant, make_user, office):
    """An officer with two roles sees one queue: the file overdue at the later role comes before a fresh one."""
    service = services_loaded[RADIOGRAFER]
    long_ago = timezone.now() - dt.timedelta(days=10)
    late = _submitted(service, applicant, long_ago)
    late = services.step_complete(
        application=late,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=long_ago + dt.timedelta(minutes=20),
        data=all_sesuai(late),
    )
    fresh = _submitted(service, applicant, timezone.now() - dt.timedelta(minutes=6))
    both = api(make_user(office=office, roles=["front_office", "tim_teknis"]))

    queue = both.get("/queue")
    assert queue.status_code == 200
    items = queue.json()
    assert [(i["number"], i["role"], i["overdue"]) for i in items] == [
        (late.number, "tim_teknis", True),
        (fresh.number, "front_office", False),
    ]
    assert items[0]["label"] == "2a" and items[0]["kind"] == "inspection" and items[0]["step"] == 3
    assert items[1]["service"] == RADIOGRAFER and items[1]["claimed_by"] is None
    assert items[0]["due_at"].endswith("Z") and items[0]["received_at"].endswith("Z")

    assert [i["number"] for i in both.get("/queue", {"role": "front_office"}).json()] == [fresh.number]
    assert [i["number"] for i in both.get("/queue", {"office": office.slug}).json()] == [late.number, fresh.number]
    assert api(staff["front_office"]).get("/queue").json()[0]["number"] == fresh.number
    assert api(staff["kepegawaian"]).get("/queue").json() == []
    assert api(applicant).get("/queue").json() == []


def test_the_queue_refuses_an_office_where_the_caller_holds_no_role(api, staff, make_office):
    other = make_office()
    session = api(staff["front_office"])
    assert session.get("/queue", {"office": other.slug}).status_code == 403
    assert session.get("/queue", {"office": "tidak-ada"}).status_code == 404


def test_tracking_is_public_and_shows_nothing_personal(client, services_loaded, applicant):
    application = _submitted(services_loaded[RADIOGRAFER], applicant, timezone.now() - dt.timedelta(minutes=6))
    response = client.get("/api/v1/track", {"number": application.number, "code": application.tracking_code.lower()})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["status_text"] == "Menunggu pemeriksaan berkas"
    assert body["current_step"] == {"label": "2", "role": "front_office", "role_label": "Petugas Front Office (loket)"}
    assert body["service"] == RADIOGRAFER and body["submitted_at"].endswith("Z")
    assert set(body) == {
        "number",
        "service",
        "service_name",
        "office",
        "status",
        "status_text",
        "current_step",
        "submitted_at",
        "due_at",
        "completed_at",
    }
    text = response.content.decode()
    for personal in ("1471015503900002", "Rina", "081234567890", "6281234567890", "rina@example.com", "Sudirman"):
        assert personal not in text


def test_tracking_with_a_wrong_pair_is_404(client, services_loaded, applicant):
    application = _submitted(services_loaded[RADIOGRAFER], applicant, timezone.now() - dt.timedelta(minutes=6))
    response = client.get("/api/v1/track", {"number": application.number, "code": "ZZZZZZ"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Nomor registrasi atau kode tidak cocok.", "code": "not_found"}
    assert client.get("/api/v1/track", {"number": "X", "code": application.tracking_code}).status_code == 404


def test_the_openapi_document_lists_every_endpoint_with_indonesian_summaries(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    expected = {
        "/api/v1/services": {"get"},
        "/api/v1/services/{code}": {"get"},
        "/api/v1/auth/token": {"post", "delete"},
        "/api/v1/applications": {"get", "post"},
        "/api/v1/applications/{number}": {"get"},
        "/api/v1/applications/{number}/documents": {"post"},
        "/api/v1/applications/{number}/submit": {"post"},
        "/api/v1/applications/{number}/actions": {"post"},
        "/api/v1/applications/{number}/claim": {"post"},
        "/api/v1/applications/{number}/release": {"post"},
        "/api/v1/applications/{number}/withdraw": {"post"},
        "/api/v1/queue": {"get"},
        "/api/v1/track": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"] and operation["tags"], (path, method)
    assert (
        paths["/api/v1/applications/{number}/actions"]["post"]["summary"] == "Selesaikan langkah SOP dengan suatu hasil"
    )
    assert "security" not in paths["/api/v1/track"]["get"]
    assert paths["/api/v1/queue"]["get"]["security"] == [{"BearerAuth": []}]
    schemas = doc["components"]["schemas"]
    assert {"ApplicationOut", "CardEntryOut", "QueueItem", "TrackOut", "InvalidError"} <= set(schemas)
