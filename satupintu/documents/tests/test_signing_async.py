"""
Signing off the series lock (ADR 0009, issue 12 item 4; issue 13 item 6): the approving signature
reserves the number in a short transaction; the worker renders and signs with no lock held and
closes the step when the file is stored; failures keep the number and offer a retry; a crash
between writing the file and committing leaves no file the register does not know; the Kepala
Dinas signs many files in one action.
"""

import datetime as dt
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.urls import reverse

from satupintu.applications import services
from satupintu.applications.models import Application, NumberSeries, Permit, SignatureRequest, SignatureState
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
from satupintu.control_card.models import ControlCardEntry
from satupintu.documents import services as documents
from satupintu.documents.models import DocumentKind, IssuedDocument
from satupintu.documents.signing import SigningError, signer_cache_clear, signer_for
from satupintu.documents.tests.conftest import RADIOGRAFER, walk
from satupintu.documents.tests.test_signing import FakeBsre
from satupintu.documents.verification import pdf_signature_check
from satupintu.notifications.tests.conftest import run_queued


@pytest.fixture
def at_sign(services_loaded, staff, applicant, head):
    """``at_sign()`` — a new radiographer application walked to the Kepala Dinas's sign step."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))

    def make():
        service = services_loaded[RADIOGRAFER]
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
        return walk(app, staff, applicant, clock, stop_kind="sign")

    return make


@pytest.fixture
def worker(settings):
    """Sign through the task queue, as ``manage.py worker`` does, not at once in the request."""
    settings.SATUPINTU_SIGNING = {**settings.SATUPINTU_SIGNING, "EAGER": False, "RETRY_DELAY_SECONDS": 0}
    signer_cache_clear()
    yield
    signer_cache_clear()


def approve(app, staff, **data):
    return services.step_complete(
        application=app, actor=staff["kepala_dinas"], step_number=app.current_step, outcome="approve", data=data
    )


def permit_files():
    """Every signed permit file in storage, by name."""
    found = set()
    top = "terbit"
    if not default_storage.exists(top):
        return found
    for office_dir in default_storage.listdir(top)[0]:
        base = f"{top}/{office_dir}/{DocumentKind.PERMIT}"
        if default_storage.exists(base):
            found |= {f"{base}/{name}" for name in default_storage.listdir(base)[1]}
    return found


@pytest.mark.django_db(transaction=True)
def test_sign_does_not_hold_series_lock_while_rendering(at_sign, staff, worker, django_capture_on_commit_callbacks):
    """
    While the worker renders and signs, no transaction is open on its connection (so it holds no
    row lock), and another connection can lock the permit series row and the application row at
    once (NOWAIT) — on PostgreSQL that is a real second session; on SQLite the check is the
    first one alone.
    """
    app = at_sign()
    seen = []

    def other_session_locks(series_pk, application_pk):
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {NumberSeries._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT", [series_pk]
                )
                cursor.execute(
                    f"SELECT id FROM {Application._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT", [application_pk]
                )
            seen.append("locked")
        except Exception as exc:  # a lock held by the worker: NOWAIT raises at once
            seen.append(f"blocked: {exc}")
        finally:
            connections.close_all()

    def hook(stage, request):
        assert not connection.in_atomic_block, f"a transaction is open while the worker is at {stage}"
        seen.append(stage)
        if connection.vendor == "postgresql" and stage in {"render", "sign"}:
            series = NumberSeries.objects.get(office=request.office, key__startswith="izin:")
            thread = threading.Thread(target=other_session_locks, args=(series.pk, request.application_id))
            thread.start()
            thread.join(10)

    documents.signing_hook = hook
    try:
        with django_capture_on_commit_callbacks(execute=True):
            app = approve(app, staff)
        # The step answered with the number taken and the signature on its way.
        pending = SignatureRequest.objects.get(application=app)
        assert pending.state == SignatureState.PENDING and Permit.objects.filter(application=app).exists()
        assert app.current_step == pending.step_number
        ran = run_queued()
    finally:
        documents.signing_hook = None
    assert [name for name, _args, _value in ran][-1].endswith("sign_batch")
    assert "render" in seen and "sign" in seen and "stored" in seen
    assert not [s for s in seen if s.startswith("blocked")], seen
    if connection.vendor == "postgresql":
        assert seen.count("locked") == 2
    app.refresh_from_db()
    assert SignatureRequest.objects.get(pk=pending.pk).state == SignatureState.SIGNED
    assert IssuedDocument.objects.get(application=app, kind=DocumentKind.PERMIT).signed


def test_the_page_and_the_api_show_sedang_ditandatangani_and_refuse_other_outcomes(at_sign, staff, worker, client):
    app = at_sign()
    client.force_login(staff["kepala_dinas"])
    form = {"action": "complete", "step": app.current_step, "outcome": "approve"}
    answer = client.post(reverse("staff:act", args=[app.number]), form, follow=True)
    page = answer.content.decode()
    number = Permit.objects.get(application=app).number
    assert "Sedang ditandatangani" in page and number in page and 'data-poll="3"' in page
    assert 'value="approve"' not in page and 'value="reject"' not in page
    # Nothing else is recorded at the step while the signature is on its way.
    with pytest.raises(services.Conflict) as busy:
        services.step_complete(
            application=app, actor=staff["kepala_dinas"], step_number=app.current_step, outcome="reject", note="x"
        )
    assert busy.value.code == "signing_in_progress"
    from satupintu.api.tokens import token_issue

    _row, token = token_issue(user=staff["kepala_dinas"])
    detail = client.get(f"/api/v1/applications/{app.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert detail["signature"]["state"] == "pending" and detail["permit"]["number"] == number
    assert detail["current_step"]["allowed"] == []


def test_a_failed_signature_keeps_its_number_and_the_kepala_dinas_retries(at_sign, staff, settings, monkeypatch):
    """BSrE down three times: the file stays at the sign step, failed, with its number; no other file gets it."""
    settings.SATUPINTU_SIGNING = {**settings.SATUPINTU_SIGNING, "ATTEMPTS": 3}
    first, second = at_sign(), at_sign()
    signer = signer_for(first.office)
    calls = []

    def down(items, *, credentials=None):
        calls.append(len(items))
        raise SigningError("Layanan TTE BSrE tidak dapat dihubungi: timed out")

    monkeypatch.setattr(signer, "sign_many", down)
    first = approve(first, staff)
    failed = SignatureRequest.objects.get(application=first)
    assert failed.state == SignatureState.FAILED and failed.attempts == 3 and calls == [1, 1, 1]
    assert "Sudah dicoba 3 kali" in failed.error
    reserved = Permit.objects.get(application=first)
    assert not IssuedDocument.objects.filter(application=first).exists()
    assert not ControlCardEntry.objects.filter(application=first, step_number=first.current_step).exists()
    # The signer is back; another file signs and gets the next number, not the reserved one.
    monkeypatch.undo()
    second = approve(second, staff)
    assert Permit.objects.get(application=second).seq == reserved.seq + 1
    # Only the retry may be recorded now, and it keeps the number.
    with pytest.raises(services.Conflict) as only_retry:
        services.step_complete(
            application=first, actor=staff["kepala_dinas"], step_number=first.current_step, outcome="reject", note="x"
        )
    assert only_retry.value.code == "signature_retry_only"
    first = approve(first, staff)
    assert Permit.objects.get(application=first).number == reserved.number
    document = IssuedDocument.objects.get(application=first, kind=DocumentKind.PERMIT)
    assert pdf_signature_check(document.file.open("rb").read()).ok
    entry = ControlCardEntry.objects.get(application=first, outcome="approve", step_kind="sign")
    assert entry.actor == staff["kepala_dinas"] and entry.data["signature"]["attempts"] == 4
    seqs = sorted(Permit.objects.filter(office=first.office).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # gap-free


class Crash(BaseException):
    """The process dies here: nothing after it runs, no except clause catches it."""


def test_a_crash_between_writing_the_signed_file_and_commit_leaves_no_file_the_register_does_not_know(
    at_sign, staff, worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)  # a storage of this test alone, so every file in it is accounted for
    app = at_sign()
    with django_capture_on_commit_callbacks(execute=True):
        app = approve(app, staff)

    def die(stage, request):
        if stage == "stored":
            raise Crash

    documents.signing_hook = die
    try:
        with pytest.raises(Crash):
            run_queued()
    finally:
        documents.signing_hook = None
    request = SignatureRequest.objects.get(application=app)
    assert request.state == SignatureState.SIGNING and request.file_name
    assert default_storage.exists(request.file_name)  # the signed PDF is on disk, unknown to the register
    assert not IssuedDocument.objects.filter(application=app).exists()
    number = Permit.objects.get(application=app).number
    # The sweep (every minute) takes the request back once it is stale: the file goes, the request is queued again.
    assert documents.signatures_recover() == 0  # not stale yet
    later = request.started_at + dt.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents.signatures_recover(now=later) >= 1
    assert not default_storage.exists(request.file_name)
    assert SignatureRequest.objects.get(pk=request.pk).state == SignatureState.PENDING
    run_queued()
    document = IssuedDocument.objects.get(application=app, kind=DocumentKind.PERMIT)
    assert Permit.objects.get(application=app).number == number
    assert pdf_signature_check(document.file.open("rb").read()).ok
    known = set(IssuedDocument.objects.filter(kind=DocumentKind.PERMIT).values_list("file", flat=True))
    assert permit_files() == known


def test_batch_sign_three_files(at_sign, staff, settings, client, office):
    """
    One action, one BSrE passphrase, one BSrE call carrying the three files; a fourth file that
    is not waiting for a signature is reported and does not stop the others; the status page
    shows each file's result.
    """
    apps = [at_sign() for _ in range(3)]
    not_yet = at_sign()
    not_yet = services.step_complete(
        application=not_yet,
        actor=staff["kepala_dinas"],
        step_number=not_yet.current_step,
        outcome="revise",
        note="Perbaiki alamat.",
    )
    local = signer_for(office)
    with FakeBsre(local) as fake:
        settings.SATUPINTU_SIGNING = {
            **settings.SATUPINTU_SIGNING,
            "BACKEND": "bsre",
            "BSRE": {"URL": fake.url, "NIK": "1471010101700001"},
        }
        signer_cache_clear()
        client.force_login(staff["kepala_dinas"])
        listing = client.get(reverse("staff:batch_sign", args=[office.slug])).content.decode()
        assert all(a.number in listing for a in apps) and not_yet.number not in listing
        assert 'name="tte_passphrase"' in listing
        answer = client.post(
            reverse("staff:batch_sign", args=[office.slug]),
            {"applications": [a.number for a in apps] + [not_yet.number], "tte_passphrase": "benar"},
            follow=True,
        )
    assert len(fake.requests) == 1
    _path, _auth, body = fake.requests[0]
    assert len(body["file"]) == 3 and len(body["signatureProperties"]) == 3 and body["passphrase"] == "benar"
    page = answer.content.decode()
    assert answer.status_code == 200 and "3 dari 3 berkas selesai" in page
    assert "tidak sedang menunggu tanda tangan" in page  # the fourth, reported
    assert "data-poll=" not in page  # nothing left on its way
    batch = SignatureRequest.objects.filter(application=apps[0]).get().batch
    assert SignatureRequest.objects.filter(batch=batch, state=SignatureState.SIGNED).count() == 3
    for app in apps:
        app.refresh_from_db()
        permit = Permit.objects.get(application=app)
        assert permit.number in page
        document = IssuedDocument.objects.get(application=app, kind=DocumentKind.PERMIT)
        assert document.signed and app.current_step == SignatureRequest.objects.get(application=app).step_number + 1
    # The passphrase is in no row.
    from satupintu.core.models import AuditEvent

    stored = " ".join(str(a.data) for a in AuditEvent.objects.all()) + " ".join(
        str(e.data) for e in ControlCardEntry.objects.all()
    )
    assert "benar" not in stored


def test_batch_sign_through_the_api_reports_each_file_and_its_progress(at_sign, staff, client, office):
    from satupintu.api.tokens import token_issue

    apps = [at_sign() for _ in range(2)]
    _row, token = token_issue(user=staff["kepala_dinas"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    started = client.post(
        "/api/v1/signatures",
        {"office": office.slug, "applications": [a.number for a in apps] + ["TIDAK-ADA"]},
        content_type="application/json",
        **auth,
    )
    assert started.status_code == 202
    body = started.json()
    assert [r["accepted"] for r in body["results"]] == [True, True, False]
    status = client.get(body["status_url"], **auth).json()
    assert status["total"] == 2 and status["done"] == 2
    assert {i["state"] for i in status["items"]} == {"signed"} and all(i["document_id"] for i in status["items"])
    # Someone who is not the Kepala Dinas may not sign, nor read the batch.
    _row, other = token_issue(user=staff["front_office"])
    refused = client.post(
        "/api/v1/signatures",
        {"office": office.slug, "applications": [apps[0].number]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert refused.status_code == 403
    assert client.get(body["status_url"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    empty = client.post(
        "/api/v1/signatures", {"office": office.slug, "applications": []}, content_type="application/json", **auth
    )
    assert empty.status_code == 422


@pytest.mark.django_db(transaction=True)
def test_with_bsre_the_passphrase_goes_to_a_thread_never_to_the_task_queue(
    at_sign, staff, worker, settings, office, monkeypatch
):
    """The worker's queue is a table: the passphrase must not be written there, so BSrE signs in a thread."""
    import threading

    from django_tasks_db.models import DBTaskResult

    from satupintu.documents import services as document_services

    # The test waits for the signing thread by joining it, not by reading its rows while it writes
    # (SQLite's shared-cache test database refuses a write beside a read: "table is locked").
    started: list[threading.Thread] = []

    class Recorded(threading.Thread):
        def start(self) -> None:
            if getattr(self, "_target", None) is document_services._run_in_thread:
                started.append(self)
            super().start()

    monkeypatch.setattr(document_services.threading, "Thread", Recorded)

    app = at_sign()
    local = signer_for(office)
    with FakeBsre(local) as fake:
        settings.SATUPINTU_SIGNING = {
            **settings.SATUPINTU_SIGNING,
            "BACKEND": "bsre",
            "BSRE": {"URL": fake.url, "NIK": "1471010101700001"},
        }
        signer_cache_clear()
        app = approve(app, staff, credentials={"passphrase": "benar"})
        assert len(started) == 1
        started[0].join(timeout=60)
        assert not started[0].is_alive()
    assert SignatureRequest.objects.get(application=app).state == SignatureState.SIGNED
    assert fake.requests[-1][2]["passphrase"] == "benar"
    assert not any("benar" in str(row.args_kwargs) for row in DBTaskResult.objects.all())
    assert not DBTaskResult.objects.filter(task_path__endswith="sign_batch").exists()
    # A thread that died with the process leaves nothing to resume with: the sweep marks it failed.
    stuck = at_sign()
    SignatureRequest.objects.create(
        office=office,
        application=stuck,
        permit=Permit.objects.create(
            office=office,
            application=stuck,
            number="X/9999",
            year=2026,
            seq=9999,
            title="t",
            holder_name="h",
            issued_at=stuck.step_received_at,
            verification_code="stuck-code",
        ),
        batch="mati",
        step_number=stuck.current_step,
        outcome="approve",
        role="kepala_dinas",
        requested_by=staff["kepala_dinas"],
        requested_at=stuck.step_received_at,
        state=SignatureState.SIGNING,
        claim="c",
        started_at=stuck.step_received_at,
    )
    documents.signatures_recover()
    request = SignatureRequest.objects.get(batch="mati")
    assert request.state == SignatureState.FAILED and "ulangi" in request.error
