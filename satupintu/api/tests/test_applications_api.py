"""
The application lifecycle through the API only (DESIGN §12): apply, upload, submit, every SOP
step by its role, the permit number and the kartu kendali; errors and who sees what.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from satupintu.api.tests.conftest import RADIOGRAFER, requirement_keys
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, PDF_REPLACEMENT, all_sesuai

pytestmark = pytest.mark.django_db

BAP = {
    "date": dt.datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat(),
    "team": ["tim_teknis-1"],
    "findings": "Tempat kerja sesuai; alat radiologi berizin BAPETEN.",
    "recommendation": "Layak diberikan izin kerja.",
}
IDENTITY_KEYS = ("nama_lengkap", "nik", "no_hp")


def _apply(session, anonymous, *, submit=True):
    """Create a radiographer application (identity under ``applicant``), upload everything, submit."""
    data = dict(FORM_DATA[RADIOGRAFER])
    identity = {k: data.pop(k) for k in IDENTITY_KEYS}
    response = session.post("/applications", {"service": RADIOGRAFER, "applicant": identity, "data": data})
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    for key in requirement_keys(anonymous, RADIOGRAFER):
        assert session.upload(number, key).status_code == 201
    if submit:
        assert session.post(f"/applications/{number}/submit").status_code == 200
    return number


def _act(session, number, step, outcome, **extra):
    return session.post(f"/applications/{number}/actions", {"step": step, "outcome": outcome, **extra})


def _judged(number, **flagged):
    """The checklist data judging every requirement of the file (sesuai, or tidak sesuai with a reason)."""
    return all_sesuai(Application.objects.get(number=number), **flagged)


def _complete(session, number):
    return _act(session, number, 2, "complete", data=_judged(number))


def test_a_radiographer_application_runs_its_whole_sop_through_the_api(api, services_loaded, staff, applicant):
    """Returned once, fixed, inspected, drafted, revised once, initialled, signed, numbered, collected; 15 paraf."""
    anonymous, pemohon = api(), api(applicant)
    officer = {role: api(user) for role, user in staff.items()}

    data = dict(FORM_DATA[RADIOGRAFER])
    identity = {k: data.pop(k) for k in IDENTITY_KEYS}
    created = pemohon.post("/applications", {"service": RADIOGRAFER, "applicant": identity, "data": data})
    assert created.status_code == 201
    body = created.json()
    number = body["number"]
    assert body["status"] == "draft" and len(body["tracking_code"]) == 6
    assert body["current_step"]["number"] == 1 and body["current_step"]["role"] == "pemohon"
    assert body["current_step"]["outcomes"] == ["submitted"]

    keys = requirement_keys(anonymous, RADIOGRAFER)
    assert "str" in keys
    for key in keys:
        uploaded = pemohon.upload(number, key)
        assert uploaded.status_code == 201
        assert uploaded.json()["requirement"] == key and uploaded.json()["content_type"] == "application/pdf"
        assert len(uploaded.json()["sha256"]) == 64
    submitted = pemohon.post(f"/applications/{number}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["current_step"]["role"] == "front_office"
    assert set(submitted.json()["current_step"]["outcomes"]) >= {"complete", "incomplete"}

    # Front office: incomplete, with a reason for the STR; the applicant sees why and fixes it.
    returned = _act(
        officer["front_office"],
        number,
        2,
        "incomplete",
        data=_judged(number, str="STR belum dilegalisir basah."),
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "returned"
    seen = pemohon.get(f"/applications/{number}").json()
    assert seen["return_reasons"] == [
        {"key": "str", "label": "Foto copy STR yang dilegalisir basah", "reason": "STR belum dilegalisir basah."}
    ]
    assert seen["clock_started_at"] is None
    # Resubmitting needs the flagged file replaced (or the reason answered): the same file is not enough.
    assert pemohon.post(f"/applications/{number}/submit").status_code == 422
    assert pemohon.upload(number, "str", content=PDF_REPLACEMENT).status_code == 201
    assert pemohon.post(f"/applications/{number}/submit").json()["status"] == "submitted"

    complete = _complete(officer["front_office"], number)
    assert complete.status_code == 200 and complete.json()["status"] == "in_process"
    assert complete.json()["clock_started_at"] is not None and complete.json()["due_at"] is not None

    steps = [
        ("tim_teknis", 3, "recommend", {"data": {"bap": BAP}}),
        ("back_office", 4, "drafted", {}),
        ("analis_muda", 5, "approve", {}),
        ("analis_madya", 6, "revise", {"note": "Alamat tempat kerja belum lengkap."}),
        (
            "back_office",
            4,
            "drafted",
            {"data": {"changes": {"alamat_tempat_kerja": "Jalan Diponegoro No. 2, Sukajadi, Pekanbaru"}}},
        ),
        ("analis_muda", 5, "approve", {}),
        ("analis_madya", 6, "approve", {}),
        ("sekretaris", 7, "approve", {}),
        ("kepala_dinas", 8, "approve", {}),
        ("back_office", 9, "numbered", {}),
    ]
    for role, step, outcome, extra in steps:
        response = _act(officer[role], number, step, outcome, **extra)
        assert response.status_code == 200, (role, step, response.json())

    ready = pemohon.get(f"/applications/{number}").json()
    year = dt.datetime.now(ZoneInfo("Asia/Jakarta")).year
    assert ready["status"] == "ready" and ready["completed_at"] is not None
    assert ready["permit"]["number"] == f"500.16.7.2/0001/SIKR/DPMPTSP/{year}"
    assert ready["permit"]["valid_until"] == "2029-12-31"
    assert ready["current_step"]["kind"] == "handover"

    collected = _act(officer["front_office"], number, 10, "pickup", data=HANDOVER_SELF)
    assert collected.status_code == 200 and collected.json()["status"] == "collected"

    final = officer["front_office"].get(f"/applications/{number}").json()
    assert final["status_text"] == "Sudah diterima pemohon"
    assert final["current_step"] is None and final["card_intact"] is True
    card = final["control_card"]
    assert len(card) == 15
    assert [(e["label"], e["outcome"]) for e in card] == [
        ("1", "submitted"),
        ("2", "incomplete"),
        ("1", "submitted"),
        ("2", "complete"),
        ("2a", "recommend"),
        ("3", "drafted"),
        ("4", "approve"),
        ("5", "revise"),
        ("3", "drafted"),
        ("4", "approve"),
        ("5", "approve"),
        ("6", "approve"),
        ("7", "approve"),
        ("8", "numbered"),
        ("9", "pickup"),
    ]
    assert [e["seq"] for e in card] == list(range(1, 16))
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in itertools.pairwise(card))
    assert card[7]["note"] == "Alamat tempat kerja belum lengkap."
    assert card[12]["actor"] == staff["kepala_dinas"].display_name
    assert card[0]["received_at"].endswith("Z") and final["submitted_at"].endswith("Z")

    # The applicant reads the same card with role labels instead of officers' names.
    own = pemohon.get(f"/applications/{number}").json()
    assert own["card_intact"] is True
    assert own["control_card"][12]["actor"] == "Kepala Dinas"
    names = {u.display_name for u in staff.values()}
    assert not names & {e["actor"] for e in own["control_card"]}


def test_a_wrong_role_gets_403_and_a_repeated_step_gets_409(api, services_loaded, staff, applicant):
    anonymous, pemohon = api(), api(applicant)
    number = _apply(pemohon, anonymous)

    wrong = _complete(api(staff["back_office"]), number)
    assert wrong.status_code == 403 and wrong.json()["code"] == "permission_denied"
    by_applicant = _complete(pemohon, number)
    assert by_applicant.status_code == 403

    front = api(staff["front_office"])
    assert _complete(front, number).status_code == 200
    again = _complete(front, number)
    assert again.status_code == 409
    assert again.json()["code"] == "step_moved"


def test_a_bad_outcome_a_missing_note_and_an_incomplete_bap_get_422(api, services_loaded, staff, applicant):
    anonymous, pemohon = api(), api(applicant)
    number = _apply(pemohon, anonymous)
    front, tim = api(staff["front_office"]), api(staff["tim_teknis"])

    assert _act(front, number, 2, "approve").json()["code"] == "invalid_outcome"
    unexplained = _act(front, number, 2, "incomplete", data=_judged(number, str=""))
    assert unexplained.status_code == 422
    assert unexplained.json()["errors"] == {"str": "Tuliskan alasan persyaratan ini tidak sesuai."}
    unjudged = _act(front, number, 2, "complete", data={"checklist": {}})
    assert unjudged.status_code == 422 and "str" in unjudged.json()["errors"]
    assert _complete(front, number).status_code == 200

    no_note = _act(tim, number, 3, "reject")
    assert no_note.status_code == 422 and no_note.json()["errors"] == {"note": "Catatan wajib diisi."}
    no_bap = _act(tim, number, 3, "recommend", data={"bap": {"date": BAP["date"]}})
    assert no_bap.status_code == 422
    assert set(no_bap.json()["errors"]) == {"team", "findings", "recommendation"}
    stranger = _act(tim, number, 3, "recommend", data={"bap": {**BAP, "team": ["Orang Lain"]}})
    assert stranger.status_code == 422 and "team" in stranger.json()["errors"]


def test_invalid_form_data_gets_422_with_errors_per_field(api, services_loaded, applicant):
    """Issue 10 (identity): an STR that expired in 2020 is refused with its reason; the NIK comes from the account."""
    data = {**FORM_DATA[RADIOGRAFER], "nik": "123", "str_berlaku_sampai": "2020-01-01", "tanggal_lahir": "2090-01-01"}
    response = api(applicant).post("/applications", {"service": RADIOGRAFER, "data": data})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_data" and body["detail"] == "Periksa kembali isian formulir."
    assert set(body["errors"]) == {"str_berlaku_sampai", "tanggal_lahir"}
    assert "sudah lewat" in body["errors"]["str_berlaku_sampai"]


def test_a_text_file_posing_as_pdf_is_refused(api, services_loaded, applicant):
    pemohon = api(applicant)
    number = _apply(pemohon, api(), submit=False)
    response = pemohon.upload(number, "str", content=b"Ini bukan PDF.\n", name="str.pdf")
    assert response.status_code == 422
    assert response.json()["code"] == "upload_rejected"
    assert "isi berkas diperiksa" in response.json()["detail"]


def test_submitting_without_every_upload_is_refused(api, services_loaded, applicant):
    pemohon = api(applicant)
    data = FORM_DATA[RADIOGRAFER]
    number = pemohon.post("/applications", {"service": RADIOGRAFER, "data": data}).json()["number"]
    response = pemohon.post(f"/applications/{number}/submit")
    assert response.status_code == 422 and "documents" in response.json()["errors"]
    # Nor can the submit step be completed through /actions without them.
    assert _act(pemohon, number, 1, "submitted").status_code == 422


def test_someone_elses_application_is_404(api, services_loaded, applicant, make_user, make_office):
    pemohon = api(applicant)
    number = _apply(pemohon, api(), submit=False)
    other_office = make_office()
    for stranger in (make_user("pemohon-lain"), make_user("fo-lain", office=other_office, roles=["front_office"])):
        session = api(stranger)
        response = session.get(f"/applications/{number}")
        assert response.status_code == 404
        assert response.json() == {"detail": f"Permohonan {number} tidak ditemukan.", "code": "not_found"}
        assert session.post(f"/applications/{number}/submit").status_code == 404
        assert session.upload(number, "str").status_code == 404
    assert api(applicant).get("/applications/TIDAK-ADA").status_code == 404


def test_personal_data_is_masked_for_officers_without_the_right(api, services_loaded, staff, applicant):
    """The kepegawaian officer sees NIK, phone and e-mail masked and the other personal fields left out."""
    number = _apply(api(applicant), api())

    hidden = api(staff["kepegawaian"]).get(f"/applications/{number}")
    assert hidden.status_code == 200
    data = hidden.json()["data"]
    assert data["nik"] == "1471********0002"
    assert data["no_hp"] != FORM_DATA[RADIOGRAFER]["no_hp"] and "*" in data["no_hp"]
    assert data["surel"] == "rina********.com"
    for key in ("alamat", "tempat_lahir", "tanggal_lahir", "jenis_kelamin"):
        assert key not in data, key
    assert data["nama_lengkap"] == "Rina Marlina, A.Md.Rad."
    assert data["tempat_kerja"] == "RSUD Arifin Achmad"
    text = hidden.content.decode()
    for personal in ("1471015503900002", "6281234567890", "rina@example.com", "Sudirman", "1990-03-15"):
        assert personal not in text

    for session in (api(applicant), api(staff["front_office"])):
        assert session.get(f"/applications/{number}").json()["data"]["nik"] == "1471015503900002"


def test_the_applicant_lists_their_own_applications(api, services_loaded, applicant, make_user):
    number = _apply(api(applicant), api(), submit=False)
    mine = api(applicant).get("/applications").json()
    assert [a["number"] for a in mine] == [number]
    assert mine[0]["status"] == "draft" and mine[0]["service"] == RADIOGRAFER
    assert api(make_user()).get("/applications").json() == []


def test_counter_registration_is_for_the_front_office(api, services_loaded, staff, applicant):
    body = {"service": RADIOGRAFER, "channel": "counter", "data": FORM_DATA[RADIOGRAFER]}
    refused = api(applicant).post("/applications", body)
    assert refused.status_code == 403
    registered = api(staff["front_office"]).post("/applications", body)
    assert registered.status_code == 201
    assert registered.json()["current_step"]["role"] == "front_office"


def test_claim_release_and_withdraw(api, services_loaded, staff, applicant, make_user, office):
    pemohon = api(applicant)
    number = _apply(pemohon, api())
    front, other_front = api(staff["front_office"]), api(make_user(office=office, roles=["front_office"]))

    claimed = front.post(f"/applications/{number}/claim", {"step": 2})
    assert claimed.status_code == 200
    assert claimed.json()["current_step"]["claimed_by"] == staff["front_office"].display_name
    assert pemohon.get(f"/applications/{number}").json()["current_step"]["claimed_by"] is None
    taken = other_front.post(f"/applications/{number}/claim", {"step": 2})
    assert taken.status_code == 409 and taken.json()["code"] == "claimed"
    assert pemohon.post(f"/applications/{number}/claim", {"step": 2}).status_code == 403
    released = front.post(f"/applications/{number}/release")
    assert released.status_code == 200 and released.json()["current_step"]["claimed_by"] is None

    no_reason = pemohon.post(f"/applications/{number}/withdraw", {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    withdrawn = pemohon.post(f"/applications/{number}/withdraw", {"reason": "Pindah kerja ke Dumai."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["control_card"][-1]["outcome"] == "withdrawn"


def test_a_malformed_body_gets_422_in_the_error_shape(api, services_loaded, applicant):
    response = api(applicant).post("/applications", {"service": RADIOGRAFER, "channel": "fax"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_api_offers_the_allowed_outcomes_with_their_labels_and_the_data_each_needs(
    api, services_loaded, staff, applicant
):
    """Issue 10 (API): the same step-kind table as the pages: outcomes, labels, buttons, data shapes, records."""
    anonymous, pemohon = api(), api(applicant)
    number = _apply(pemohon, anonymous)
    front = api(staff["front_office"])
    seen = front.get(f"/applications/{number}").json()
    allowed = {o["outcome"]: o for o in seen["current_step"]["allowed"]}
    assert set(allowed) == {"complete", "incomplete"}
    assert allowed["complete"]["label"] == "Lengkap" and allowed["complete"]["records"] == "checklist"
    assert "judgement" in str(allowed["complete"]["data"]) and allowed["incomplete"]["leads"] == "back_to_submit"
    assert seen["stage"] == "Berkas Anda sedang diperiksa kelengkapannya oleh petugas loket"
    assert pemohon.get(f"/applications/{number}").json()["current_step"]["allowed"] == []

    assert _complete(front, number).status_code == 200
    tim = api(staff["tim_teknis"])
    assert _act(tim, number, 3, "recommend", data={"bap": BAP}).status_code == 200
    back = api(staff["back_office"])
    change = {"changes": {"tempat_kerja": "RS Awal Bros Pekanbaru"}}
    assert _act(back, number, 4, "drafted", data=change).status_code == 200
    for role, step in [("analis_muda", 5), ("analis_madya", 6), ("sekretaris", 7)]:
        assert _act(api(staff[role]), number, step, "approve").status_code == 200
    kadis = api(staff["kepala_dinas"]).get(f"/applications/{number}").json()
    sign = {o["outcome"]: o for o in kadis["current_step"]["allowed"]}
    assert set(sign) == {"approve", "revise", "reject"} and sign["approve"]["label"] == "Ditandatangani"
    assert sign["approve"]["confirm"] and sign["reject"]["note"] == "required"
    assert _act(api(staff["kepala_dinas"]), number, 8, "approve").status_code == 200
    assert _act(back, number, 9, "numbered").status_code == 200
    assert _act(front, number, 10, "pickup", data=HANDOVER_SELF).status_code == 200

    card = front.get(f"/applications/{number}").json()["control_card"]
    drafted = next(e for e in card if e["outcome"] == "drafted")
    assert drafted["changes"][0]["after"] == "RS Awal Bros Pekanbaru"
    assert next(e for e in card if e["kind"] == "sign")["outcome_label"] == "Ditandatangani"
    assert card[-1]["handover"]["relation"] == "self"
    own = pemohon.get(f"/applications/{number}").json()
    assert own["control_card"][-1]["handover"] is None and own["can_withdraw"] is False
    withdraw = front.post(f"/applications/{number}/withdraw", {"reason": "x"})
    assert withdraw.status_code == 409
