"""REST API v1 (DESIGN §12): POST /complaints (public), GET /complaints/{ticket}?code= (public), staff actions."""

import pytest

from satupintu.api.tokens import token_issue

pytestmark = pytest.mark.django_db


def _bearer(user):
    _row, token = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _file(client, **extra):
    body = {
        "channel": "website",
        "category": "prosedur",
        "description": "Antrean loket terlalu lama sekali.",
        "name": "Budi",
    }
    body.update(extra)
    return client.post("/api/v1/complaints", body, content_type="application/json")


def test_public_post_gives_ticket_and_code_and_the_status_shows_no_identity(client, office, officers):
    response = _file(client, confidential=True, email="budi@example.com", phone="081234567890")
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) == {"ticket", "code", "status", "received_at", "status_url"}
    assert created["received_at"].endswith("Z") and created["status"] == "received"
    status = client.get(f"/api/v1/complaints/{created['ticket']}", {"code": created["code"]})
    assert status.status_code == 200
    text = status.content.decode()
    for secret in ("Budi", "budi@example.com", "812345", "pengelola_pengaduan"):
        assert secret not in text
    assert status.json()["history"][0]["label"] == "Pengaduan diterima dan dicatat"
    wrong = client.get(f"/api/v1/complaints/{created['ticket']}", {"code": "XXXXXXXX"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"


def test_public_post_validates_and_refuses_officer_channels(client, office, officers):
    bad = _file(client, description="x", name="")
    assert bad.status_code == 422 and {"description", "name"} <= set(bad.json()["errors"])
    assert _file(client, channel="letter").status_code == 403
    as_officer = _file(client, channel="phone", phone="0761 28262", **{})
    assert as_officer.status_code == 403
    officer = client.post(
        "/api/v1/complaints",
        {"channel": "phone", "description": "Telepon: izin belum terbit.", "name": "Ani", "phone": "0761 28262"},
        content_type="application/json",
        **_bearer(officers["pengelola_pengaduan"]),
    )
    assert officer.status_code == 201


def test_staff_actions_walk_a_sedang_complaint_and_refuse_other_roles(client, office, officers):
    ticket = _file(client, email="budi@example.com").json()["ticket"]
    url = f"/api/v1/complaints/{ticket}/actions"
    assert (
        client.post(url, {"action": "triage", "weight": "ringan"}, content_type="application/json").status_code == 401
    )
    refused = client.post(
        url,
        {"action": "triage", "weight": "ringan"},
        content_type="application/json",
        **_bearer(officers["front_office"]),
    )
    assert refused.status_code == 403
    pengelola, kabid, kadis = (_bearer(officers[r]) for r in ("pengelola_pengaduan", "kepala_bidang", "kepala_dinas"))
    step = client.post(
        url,
        {"action": "triage", "weight": "sedang", "unit": "Bidang Perizinan"},
        content_type="application/json",
        **pengelola,
    )
    assert step.status_code == 200 and step.json()["status"] == "coordination"
    assert step.json()["coordination_missing"] == ["kepala_bidang", "kepala_dinas"]
    early = client.post(url, {"action": "decide", "decision": "x"}, content_type="application/json", **kadis)
    assert early.status_code == 409
    client.post(url, {"action": "coordinate", "note": "Dicek."}, content_type="application/json", **kabid)
    client.post(url, {"action": "coordinate", "note": "Setuju."}, content_type="application/json", **kadis)
    decided = client.post(
        url, {"action": "decide", "decision": "Diproses ulang."}, content_type="application/json", **kadis
    )
    assert decided.json()["status"] == "decided"
    answered = client.post(
        url,
        {"action": "reply", "method": "email", "text": "Diproses ulang."},
        content_type="application/json",
        **pengelola,
    )
    body = answered.json()
    assert body["status"] == "answered" and body["history_ok"] and len(body["history"]) == 6
    assert body["history"][-1]["at"].endswith("Z")
    full = client.get(f"/api/v1/complaints/{ticket}", **kabid).json()
    assert full["complainant"]["name"] == "Budi"
    register = client.get("/api/v1/complaints", **pengelola).json()
    assert [r["ticket"] for r in register] == [ticket]
    assert client.get("/api/v1/complaints", **_bearer(officers["back_office"])).status_code == 403


def test_a_confidential_identity_is_for_the_register_keeper_only(client, office, officers):
    ticket = _file(client, confidential=True, email="budi@example.com").json()["ticket"]
    keeper = client.get(f"/api/v1/complaints/{ticket}", **_bearer(officers["pengelola_pengaduan"])).json()
    assert keeper["complainant"]["name"] == "Budi" and keeper["complainant"]["email"] == "budi@example.com"
    kadis = client.get(f"/api/v1/complaints/{ticket}", **_bearer(officers["kepala_dinas"])).json()
    assert kadis["complainant"] == {"name": "Dirahasiakan", "phone": None, "email": None, "address": None}
