"""
Issue 13, item 7: Schemathesis over the whole OpenAPI document of API v1, bounded for CI.

Every operation of ``/api/v1/openapi.json`` gets generated requests — valid ones and ones that
break the document (Schemathesis' positive and negative modes): bodies, parameters, headers — as
three callers: anonymous, an applicant and an officer (front office, complaint officer and data
protection officer in one account), each with a bearer token of their own. Half the examples put
the real registration number or complaint ticket into the path, so the checks reach past the
404. A run fails on any answer 5xx, an answer whose status the document does not list, an answer
whose body does not match its schema or whose content type is not the documented one.

Bounded: ``SATUPINTU_FUZZ_EXAMPLES`` examples per operation and caller (default 25) and at most
``SATUPINTU_FUZZ_SECONDS`` seconds for a caller (default 50); the examples are derandomized (the
same cases every run) unless ``SATUPINTU_FUZZ_RANDOM=1``. Measured on the 2-core machine: see
docs/security.md.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("SATUPINTU_FUZZ_EXAMPLES", "25"))
SECONDS = float(os.environ.get("SATUPINTU_FUZZ_SECONDS", "50"))
RANDOM = os.environ.get("SATUPINTU_FUZZ_RANDOM") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture
def wsgi_app():
    """
    The project's WSGI application, called in-process inside the test's transaction. As Django's
    own test client does, keep the request signals from closing the connection (on PostgreSQL
    that would close the test's transaction).
    """
    from django.core import signals
    from django.db import close_old_connections

    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(services_loaded, staff, applicant, make_user, office):
    """An application handed in by the applicant, a web complaint, and the callers."""
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, upload_all
    from satupintu.complaints import services as complaints

    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=office, service=service, actor=applicant, data=dict(FORM_DATA[RADIOGRAFER])
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant)
    complaint = complaints.complaint_register(
        office=office, channel="website", name="Dewi", description="Antrean loket terlalu panjang."
    )
    officer = make_user(
        "petugas-uji", office=office, roles=["front_office", "pengelola_pengaduan", "pejabat_pelindungan_data"]
    )
    return {
        "values": {"number": app.number, "ticket": complaint.ticket},
        "users": {"anonymous": None, "applicant": applicant, "officer": officer},
    }


def _bearer(user) -> dict[str, str]:
    from satupintu.api.tokens import token_issue

    return {"Authorization": f"Bearer {token_issue(user=user)[1]}"} if user is not None else {}


def _cases(operation):
    """Valid requests and, where the document allows one, requests that break it (both modes)."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # nothing in this operation can be made invalid
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(strategies)


def _run(operation, *, user, headers, values, failures, deadline, statuses) -> int:
    calls = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=_cases(operation), real=st.booleans())
    def check(case, real):
        nonlocal calls
        if time.monotonic() > deadline:
            return
        if real and case.path_parameters:
            for name in list(case.path_parameters):
                if name in values:
                    case.path_parameters[name] = values[name]
        calls += 1
        # Signing out revokes the token it is sent with: give it one of its own.
        own = (
            _bearer(user)
            if headers and operation.method.upper() == "DELETE" and "auth/token" in operation.path
            else headers
        )
        response = case.call(headers=own)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS, headers=own)

    try:
        check()
    except Exception as exc:  # one failure per operation is enough to report it
        failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    return calls


@pytest.mark.parametrize("caller", ["anonymous", "applicant", "officer"])
def test_api_fuzz_no_5xx_and_every_answer_as_documented(caller, world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    user = world["users"][caller]
    headers = _bearer(user)
    started = time.monotonic()
    deadline = started + SECONDS
    failures: list[str] = []
    operations = calls = 0
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        calls += _run(
            operation,
            user=user,
            headers=headers,
            values=world["values"],
            failures=failures,
            deadline=deadline,
            statuses=statuses,
        )
    elapsed = time.monotonic() - started
    by_class = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    print(f"\nfuzz {caller}: {operations} operations, {calls} requests ({by_class}) in {elapsed:.1f} s")
    assert operations >= 28
    assert not failures, "\n\n".join(failures)


# --- what the fuzzing found, each named and kept ---------------------------------------------------


def test_fuzz_finding_a_non_ascii_code_is_a_404_not_a_500(client, world):
    """
    ``GET /complaints/{ticket}?code=\x0c𡎈`` answered 500: ``hmac.compare_digest`` refuses
    non-ASCII text. The tracking code, the complaint code and the permit's verification code
    are compared as bytes now.
    """
    ticket, number = world["values"]["ticket"], world["values"]["number"]
    complaint = client.get(f"/api/v1/complaints/{ticket}", {"code": "\x0c\U000213c8"})
    assert complaint.status_code == 404 and complaint.json()["code"] == "not_found"
    track = client.get("/api/v1/track", {"number": number, "code": "KODEé"})
    assert track.status_code == 404
    assert client.get("/api/v1/verify/ABCé").status_code == 404
    assert client.get("/verifikasi/ABCé/").status_code == 404


def test_fuzz_finding_a_nul_character_is_a_400_not_a_500(client, world):
    """
    On PostgreSQL ``POST /applications`` with a NUL in ``service`` answered 500 (text fields
    cannot hold NUL). A NUL in the path, the query, form fields or a JSON body is a 400 now, for
    the API and the pages alike, on every database.
    """
    bearer = _bearer(world["users"]["applicant"])
    body = client.post(
        "/api/v1/applications",
        {"service": "izin\x00", "data": {}},
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer["Authorization"],
    )
    assert body.status_code == 400 and body.json()["code"] == "bad_request"
    assert client.get("/api/v1/services/izin%00kerja").status_code == 400
    assert client.get("/api/v1/services", {"q": "a\x00b"}).status_code == 400
    page = client.post("/pengaduan/", {"isi": "Antrean\x00 panjang sekali.", "jenis": "pengaduan"})
    assert page.status_code == 400 and "karakter NUL" in page.content.decode()
    assert client.get("/petugas/permohonan/PKU%00/").status_code == 400
