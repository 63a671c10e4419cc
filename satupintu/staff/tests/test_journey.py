"""
A whole counter application driven only through the staff pages (seed: SOP rows 1–9 of the
paramedik standard; Pengawasan internal c: every officer's paraf and times on the kartu kendali).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.applications import services
from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import FORM_DATA, PDF
from satupintu.staff.forms import KIND_FIELD, NEW
from satupintu.staff.tests.conftest import PARAMEDIK, act_url, app_url

pytestmark = pytest.mark.django_db


def step_post(client, user, app, outcome, **fields):
    """Post one outcome from the application page for the step it shows now, as ``user``."""
    app.refresh_from_db()
    client.force_login(user)
    page = client.get(app_url(app))
    assert page.status_code == 200
    assert f'name="step" value="{app.current_step}"' in page.content.decode()
    response = client.post(act_url(app), {"action": "complete", "step": app.current_step, "outcome": outcome, **fields})
    assert response.status_code == 302, response.content.decode()
    app.refresh_from_db()
    return app


def test_a_paramedik_application_runs_from_counter_to_pickup_through_the_staff_pages(client, services_loaded, staff):
    """Register → upload scans → submit → complete → draft → paraf ×3 with one revise → sign → number → pickup."""
    for role, user in staff.items():
        user.full_name = f"Nama {role}"
        user.save()
    office = services_loaded[PARAMEDIK].office
    front = staff["front_office"]

    # 1. The counter registers the file from the service's form.
    client.force_login(front)
    response = client.post(
        reverse("staff:counter_new", args=[office.slug, PARAMEDIK]), {KIND_FIELD: NEW, **FORM_DATA[PARAMEDIK]}
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert response["Location"] == app_url(app)
    assert (app.status, app.channel, app.applicant_name) == (Status.DRAFT, "counter", "Agus Salim, A.Md.Pt.")

    # 2. Scans of every requirement in one upload, then the file is handed in.
    spec = services.spec_for(app)
    files = {
        f"file-{r.key}": SimpleUploadedFile(f"{r.key}.pdf", PDF, content_type="application/pdf")
        for r in spec.requirements_for(renewal=False)
    }
    response = client.post(act_url(app), {"action": "upload", "step": 1, **files})
    assert response.status_code == 302
    assert app.documents.filter(active=True).count() == len(files)
    response = client.post(act_url(app), {"action": "submit", "step": 1})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.current_step) == (Status.SUBMITTED, 2)

    # 3. Completeness check: every requirement judged "sesuai".
    ticks = {f"judge-{r.key}": "sesuai" for r in spec.requirements_for(renewal=False)}
    app = step_post(client, front, app, "complete", **ticks)
    assert app.status == Status.IN_PROCESS and app.due_at is not None

    # 4. Draft, then three paraf with one revise by the Madya analyst.
    app = step_post(client, staff["back_office"], app, "drafted")
    app = step_post(client, staff["analis_muda"], app, "approve")
    app = step_post(client, staff["analis_madya"], app, "revise", note="Nama tempat pelayanan ditulis lengkap.")
    assert app.current_step == 3 and app.revision_note == "Nama tempat pelayanan ditulis lengkap."
    client.force_login(staff["back_office"])
    draft_page = client.get(app_url(app)).content.decode()
    assert "Nama tempat pelayanan ditulis lengkap." in draft_page and 'name="draft-tempat_praktik"' in draft_page
    # The back office edits the data the letter prints; the change is recorded with the step.
    app = step_post(client, staff["back_office"], app, "drafted", **{"draft-tempat_praktik": "Pos IB Rumbai Pesisir"})
    assert app.data["tempat_praktik"] == "Pos IB Rumbai Pesisir"
    app = step_post(client, staff["analis_muda"], app, "approve")
    app = step_post(client, staff["analis_madya"], app, "approve")
    app = step_post(client, staff["sekretaris"], app, "approve")

    # 5. The Kadis signs; the back office numbers and sees the permit number.
    app = step_post(client, staff["kepala_dinas"], app, "approve")
    app = step_post(client, staff["back_office"], app, "numbered")
    page = client.get(app_url(app)).content.decode()
    assert "500.16.7.2/0001/SIP-ATR/DPMPTSP/" in page
    assert app.status == Status.READY

    # 6. The front office hands the permit over.
    app = step_post(
        client,
        front,
        app,
        "pickup",
        handover_relation="self",
        handover_name="Agus Salim",
        handover_id_number="1471011001850003",
    )
    assert app.status == Status.COLLECTED
    client.force_login(front)
    assert "Sudah diterima pemohon" in client.get(app_url(app)).content.decode()

    # The card lists every step with the actors' names and an intact chain.
    response = client.get(app_url(app, "staff:card"))
    card = response.content.decode()
    assert response.status_code == 200
    assert "KARTU KENDALI PELAYANAN" in card
    for role in ["front_office", "back_office", "analis_muda", "analis_madya", "sekretaris", "kepala_dinas"]:
        assert f"Nama {role}" in card
    assert card.count('<td data-label="Langkah">') == app.card_seq == 12
    assert "Dikembalikan untuk diperbaiki" in card and "Diserahkan di loket" in card and "Ditandatangani" in card
    assert "Rantai catatan utuh (12 entri)" in card
    assert "Tidak ada keterlambatan" in card
