"""
Issue 11 "Done when", at phone and desktop sizes: the admin of a new office imports its published
Standar Pelayanan (a document with the office's own names of officials), maps an unknown
Pelaksana to a role, fixes a clause the import flagged (the permit's validity, the importer's
default), previews the public page and the permit letter (KONSEP), and sends the draft for
approval; the Kepala Dinas approves it with the decree number; the admin publishes it; the
service is in that office's public catalogue and an application runs through it (the steps
through the services: their pages are tested by the other journeys).

axe-core runs on every page; screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django.utils import timezone

from satupintu.accounts.office_roles import office_role_save
from satupintu.applications import services as applications
from satupintu.applications.models import Status
from satupintu.applications.tests.conftest import forward_data, upload_all
from satupintu.catalogue import selectors
from satupintu.catalogue.models import ServiceStandardVersion
from tests.browser.test_officer_journey import PASSWORD, SIZES, _check, _shots
from tests.browser.test_standards_approval import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT = Path(__file__).parents[2] / "satupintu/catalogue/tests/documents/izin-usaha-toko-swalayan.docx"
CODE = "izin-usaha-toko-swalayan"
DECREE = "503/17/DPMPTSP-KPR/XII/2026"
#: The forward outcome of each step kind, to run the application through its steps.
FORWARD = {
    "submit": "submitted",
    "completeness_check": "complete",
    "inspection": "recommend",
    "draft": "drafted",
    "initial": "approve",
    "sign": "approve",
    "number": "numbered",
    "handover": "pickup",
}


@pytest.fixture
def kampar(make_office, make_user):
    office = make_office(slug="dpmptsp-kabupaten-kampar", name="DPMPTSP Kabupaten Kampar", region="Kabupaten Kampar")
    office_role_save(office=office, code="kasubid_pelayanan", name="Kasubid Pelayanan", permissions=[], actor=None)
    people = {
        "admin": make_user("admin-kampar", office=office, roles=["admin"], password=PASSWORD),
        "kadis": make_user("kadis-kampar", office=office, roles=["kepala_dinas"], password=PASSWORD),
    }
    for role in ("front_office", "back_office", "kasubid_pelayanan", "analis_madya"):
        people[role] = make_user(f"{role}-kampar", office=office, roles=[role], password=PASSWORD)
    people["kepala_dinas"] = people["kadis"]
    return office, people


def _run_through(office, people, applicant):
    """An application on the published version, each step completed by its role's holder."""
    service = selectors.office_services(office=office).get(code=CODE)
    data = {
        "nama_lengkap": "Rina Marlina",
        "nik": applicant.nik,
        "alamat": "Jalan Sudirman No. 5, Bangkinang",
        "no_hp": "+6281234567890",
        "surel": "rina@example.id",
    }
    app = applications.application_create(office=office, service=service, actor=applicant, data=data)
    upload_all(app, applicant)
    app = applications.application_submit(application=app, actor=applicant)
    spec = applications.spec_for(app)
    while app.current_step is not None:
        step = spec.step(app.current_step)
        actor = applicant if app.current_role == "pemohon" else people[app.current_role]
        app = applications.step_complete(
            application=app,
            actor=actor,
            step_number=step.number,
            outcome=FORWARD[step.kind],
            data=forward_data(app, step.kind, timezone.now()),
        )
    connection.close()  # this thread's own connection
    return app


@pytest.mark.parametrize("size", list(SIZES))
def test_a_new_office_imports_its_standard_fixes_it_has_it_approved_and_takes_applications(
    live_server, browser, kampar, applicant, size, tmp_path
):
    office, people = kampar
    axe = Axe()
    shots = _shots(tmp_path)
    base = f"{live_server.url}/petugas/{office.slug}/standar/"
    today = timezone.localdate()
    admin_context, admin = _sign_in(browser, live_server, size, "admin-kampar")
    kadis_context, kadis = _sign_in(browser, live_server, size, "kadis-kampar")
    try:
        admin.goto(base)
        assert "Belum ada layanan" in admin.locator("main").inner_text()
        admin.get_by_role("link", name="Impor naskah Standar Pelayanan").click()
        _check(admin, axe, shots, f"{size}-impor-1-unggah")
        # A file of another type is refused at the field, in Indonesian.
        admin.get_by_label("Berkas naskah").set_input_files(
            {"name": "naskah.odt", "mimeType": "application/vnd.oasis.opendocument.text", "buffer": b"PK\x03\x04"}
        )
        admin.get_by_role("button", name="Impor sebagai konsep").click()
        assert "gunakan PDF, DOCX, HTML atau TXT" in admin.locator(".error-summary").inner_text()
        _check(admin, axe, shots, f"{size}-impor-2-galat")
        admin.get_by_label("Berkas naskah").set_input_files(str(DOCUMENT))
        admin.get_by_role("button", name="Impor sebagai konsep").click()
        admin.wait_for_url(f"**/{CODE}/v1/")
        report = admin.locator("section.import-report")
        assert "Kepala Bidang Perizinan" in report.inner_text()
        # The office's own role "Kasubid Pelayanan" mapped itself; the other two names wait.
        names = [n.get_attribute("value") for n in report.locator("form.role-map input[name=nama]").all()]
        assert names == ["Petugas Tata Usaha", "Kepala Bidang Perizinan"]
        _check(admin, axe, shots, f"{size}-impor-3-laporan")

        # Map the unknown Pelaksana names: each rewrites the draft.
        admin.get_by_label("Kepala Bidang Perizinan").select_option("analis_madya")
        admin.get_by_role("button", name="Petakan Kepala Bidang Perizinan").click()
        admin.wait_for_url(f"**/{CODE}/v2/")
        admin.get_by_label("Petugas Tata Usaha").select_option("back_office")
        admin.get_by_role("button", name="Petakan Petugas Tata Usaha").click()
        admin.wait_for_url(f"**/{CODE}/v3/")
        report = admin.locator("section.import-report")
        assert "Semua pelaksana pada naskah sudah dipetakan ke peran." in report.inner_text()
        assert "Kepala Bidang Perizinan → JF Analis Kebijakan Ahli Madya" in report.inner_text()

        # Fix a flagged clause: the permit's validity is the importer's default.
        report.get_by_role("link", name="Surat izin: masa berlaku").click()
        admin.wait_for_url("**/ubah/#permit_validity")
        _check(admin, axe, shots, f"{size}-impor-4-ubah")
        admin.get_by_label("Jumlah tahun (bila sejumlah tahun)").fill("3")
        admin.get_by_role("button", name="Simpan sebagai konsep").click()
        admin.wait_for_url(f"**/{CODE}/v4/#permit_validity")  # the browser keeps the fragment across the redirect
        assert "permit" not in admin.locator("ul.flagged").inner_text() if admin.locator("ul.flagged").count() else True
        definition = ServiceStandardVersion.objects.get(service__office=office, version=4).definition
        assert definition["permit"]["years"] == 3
        assert definition["sop"]["steps"][4]["roles"] == ["analis_madya"]
        assert definition["sop"]["steps"][3]["roles"] == ["kasubid_pelayanan"]

        # Preview the permit letter (KONSEP, sample data) and the Standar Pelayanan document.
        admin.get_by_role("link", name="Ubah templat surat izin layanan ini").click()
        assert "templat bawaan satupintu" in admin.locator("main").inner_text()
        _check(admin, axe, shots, f"{size}-impor-5-templat-surat")
        for name, pdf_name in (("Pratinjau surat izin (KONSEP, data contoh, versi 4)", "surat-izin"),):
            href = admin.get_by_role("link", name=name).get_attribute("href")
            response = admin.request.get(live_server.url + href)
            assert response.ok and response.headers["content-type"] == "application/pdf"
            (shots / f"{size}-impor-{pdf_name}.pdf").write_bytes(response.body())
        admin.go_back()
        href = admin.get_by_role("link", name="Standar Pelayanan (PDF)", exact=True).get_attribute("href")
        response = admin.request.get(live_server.url + href)
        assert response.ok and response.body().startswith(b"%PDF")
        (shots / f"{size}-impor-standar.pdf").write_bytes(response.body())

        # Preview the public page of the draft.
        admin.get_by_role("link", name="Pratinjau halaman publik").click()
        assert "Izin Usaha Toko Swalayan" in admin.locator("main").inner_text()
        assert admin.get_by_role("link", name="Ajukan permohonan").count() == 0  # a draft takes no applications
        _check(admin, axe, shots, f"{size}-impor-6-pratinjau")
        admin.go_back()

        admin.get_by_role("button", name="Ajukan untuk persetujuan").click()
        assert "Diajukan untuk persetujuan" in admin.locator("dl.facts").first.inner_text()

        kadis.goto(f"{base}{CODE}/v4/")
        kadis.get_by_label("Nomor Keputusan Kepala Dinas").fill(DECREE)
        kadis.get_by_label("Tanggal Keputusan").fill((today - dt.timedelta(days=1)).isoformat())
        kadis.get_by_role("button", name="Setujui dan tetapkan dengan Keputusan").click()
        kadis.wait_for_url(f"**/{CODE}/v4/")
        assert "Disetujui Kepala Dinas" in kadis.locator("dl.facts").first.inner_text()
        _check(kadis, axe, shots, f"{size}-impor-7-disetujui")

        admin.reload()
        admin.get_by_label("Berlaku mulai tanggal").fill(today.isoformat())
        admin.get_by_role("button", name="Umumkan").click()
        admin.wait_for_url(f"**/{CODE}/v4/")

        admin.goto(f"{live_server.url}/kantor/{office.slug}/layanan/")
        assert "Izin Usaha Toko Swalayan" in admin.locator("main").inner_text()
        _check(admin, axe, shots, f"{size}-impor-8-katalog")
        admin.get_by_role("link", name="Izin Usaha Toko Swalayan").click()
        assert admin.get_by_role("link", name="Ajukan permohonan").first.is_visible()
        assert DECREE in admin.locator("dl.facts").first.inner_text()
        _check(admin, axe, shots, f"{size}-impor-9-layanan")
        width = admin.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["viewport"]["width"], "the page must not scroll sideways"

        # In a thread of its own: signing runs asyncio, and Playwright holds this thread's event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            app = pool.submit(_run_through, office, people, applicant).result()
        assert app.status == Status.COLLECTED and app.standard_version.version == 4
    finally:
        admin_context.close()
        kadis_context.close()
