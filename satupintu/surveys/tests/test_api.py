"""The survey and performance endpoints of DESIGN §12, in their exact shapes."""

import io

import pytest

from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.tests.conftest import answers
from satupintu.surveys.tests.factories import rows_with_total

pytestmark = pytest.mark.django_db


def bearer(client, user):
    r = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": "rahasia-sekali-123"}, "application/json"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def csv_of(rows, period="2026-S1"):
    lines = ["U1,U2,U3,U4,U5,U6,U7,U8,U9,period"] + [",".join(map(str, r)) + f",{period}" for r in rows]
    return io.BytesIO("\n".join(lines).encode())


def test_import_answers_201_with_batch_and_count_then_ikm_by_batch(client, staff, served):
    served(19)
    auth = bearer(client, staff["front_office"])
    file = csv_of(rows_with_total(19, 524))
    file.name = "skm.csv"
    r = client.post("/api/v1/surveys/import", {"file": file}, **auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"batch", "count"} and body["count"] == 19

    r = client.get(f"/api/v1/surveys/ikm?batch={body['batch']}")
    assert r.status_code == 200
    ikm = r.json()
    assert set(ikm) == {"respondents", "ikm", "grade", "ikm_weight_0111", "elements"} | {
        "channels",
        "pending",
        "batch_status",
    }
    assert ikm["channels"] == {"online": 0, "paper": 0, "import": 19} and ikm["batch_status"] == "pending"
    assert (ikm["respondents"], ikm["ikm"], ikm["grade"]) == (19, "76.61", "B")
    assert isinstance(ikm["ikm_weight_0111"], str)
    assert [set(e) for e in ikm["elements"]] == [{"code", "nrr", "converted", "grade"}] * 9
    assert ikm["elements"][0]["code"] == "U1" and isinstance(ikm["elements"][0]["nrr"], str)


def test_ikm_by_period_and_service(client, staff, services_loaded, office, served, paper_batch, approve):
    served(2)
    batch = paper_batch(period="2026-03", service=services_loaded["izin-kerja-radiografer"])
    auth = bearer(client, staff["front_office"])
    for value in (3, 3):
        r = client.post(
            "/api/v1/surveys/responses",
            {"answers": answers(value), "service": "izin-kerja-radiografer", "batch": batch.pk},
            "application/json",
            **auth,
        )
        assert r.status_code == 201, r.content
    url = f"/api/v1/surveys/ikm?period=2026&service=izin-kerja-radiografer&office={office.slug}"
    assert client.get(url).json()["code"] == "no_responses"  # not counted before a second officer approves
    approve(batch)
    r = client.get(url)
    assert r.json()["ikm"] == "75.00" and r.json()["grade"] == "C"
    assert (r.json()["channels"]["paper"], r.json()["pending"]) == (2, 0)
    assert client.get(f"/api/v1/surveys/ikm?period=2025&office={office.slug}").json()["code"] == "no_responses"
    assert client.get("/api/v1/surveys/ikm?period=20x").status_code == 422


def test_a_respondent_answers_through_the_invitation_token_once(client, collected):
    token = invitation_token(collected)
    r = client.post("/api/v1/surveys/responses", {"token": token, "answers": answers(4)}, "application/json")
    assert r.status_code == 201 and r.json()["channel"] == "online"
    r = client.post("/api/v1/surveys/responses", {"token": token, "answers": answers(4)}, "application/json")
    assert (r.status_code, r.json()["code"]) == (409, "already_answered")


def test_without_token_or_sign_in_no_answer_is_taken(client):
    r = client.post("/api/v1/surveys/responses", {"answers": answers(4)}, "application/json")
    assert r.status_code == 401


def test_a_bad_import_row_gives_422_with_errors_per_row(client, staff):
    file = io.BytesIO(b"U1,U2,U3,U4,U5,U6,U7,U8,U9,period\n4,4,4,4,4,4,4,4,9,2026\n")
    file.name = "skm.csv"
    r = client.post("/api/v1/surveys/import", {"file": file}, **bearer(client, staff["front_office"]))
    assert r.status_code == 422
    assert r.json()["errors"] == {
        "baris 2": "Jawaban U9 (Penanganan pengaduan, saran dan masukan) harus 1, 2, 3 atau 4 (tertulis “9”)."
    }


def test_performance_figures_need_the_performance_right(client, staff, office):
    r = client.get(f"/api/v1/performance?period=2026&office={office.slug}", **bearer(client, staff["front_office"]))
    assert r.status_code == 403
    r = client.get(f"/api/v1/performance?period=2026&office={office.slug}", **bearer(client, staff["kepegawaian"]))
    assert r.status_code == 200 and set(r.json()) == {"office", "period", "rows", "backlog", "sla"}
