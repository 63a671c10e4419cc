"""
One radiographer application, start to finish, in the browser (issue 10's journey): the applicant
on a phone, each officer in their own desktop session.

Apply → returned with two flagged items → the applicant must replace both → the officer sees what
changed → BAP by the office's Tim Teknis → a revise that changes the place of work → the signed
letter prints the new place → the applicant's download records the handover → withdrawal is
refused → the Kepala Dinas revokes → the public verification page says revoked.

Set ``SATUPINTU_SHOTS=/some/dir`` to keep screenshots of every page at both sizes.
"""

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from pypdf import PdfReader

from satupintu.applications.models import Application, Permit, Status
from satupintu.applications.tests.conftest import scan_of
from satupintu.control_card.models import ControlCardEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-uji-123"
SHOTS = os.environ.get("SATUPINTU_SHOTS", "")
NEW_PLACE = "RS Awal Bros Pekanbaru"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def officers(services_loaded, make_user):
    office = services_loaded["izin-kerja-radiografer"].office
    roles = ["front_office", "tim_teknis", "back_office", "analis_muda", "analis_madya", "sekretaris", "kepala_dinas"]
    return {role: make_user(f"b-{role}", office=office, roles=[role], password=PASSWORD) for role in roles}


def _shot(page, name):
    """
    Run axe-core on the page (no serious or critical violation allowed) and, with SATUPINTU_SHOTS,
    keep it as a phone (390x844) and a desktop (1280x900) would show it.
    """
    violations = Axe().run(page).response["violations"]
    blocking = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v.get("impact") in BLOCKING]
    assert blocking == [], f"{name}: {blocking}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for label, width, height in (("phone", 390, 844), ("desktop", 1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(size)


def _session(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations the step-kind table asks for
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page


def _open(page, live_server, number):
    page.goto(f"{live_server.url}/petugas/permohonan/{number}/")


def _act(page, live_server, number, outcome, *, note="", fill=None, shot=""):
    _open(page, live_server, number)
    if fill:
        fill(page)
    if note:
        page.locator("#note").fill(note)
    if shot:
        _shot(page, shot)
    page.locator(f"button[name=outcome][value={outcome}]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()[:800]


def _judge_all(p, *, flagged=None):
    flagged = flagged or {}
    for radio in p.locator("fieldset.judgement").all():
        key = radio.get_attribute("id").removeprefix("judge-")
        if key in flagged:
            p.locator(f"#judge-{key}-no").check()
            p.locator(f"#reason-{key}").fill(flagged[key])
        else:
            p.locator(f"#judge-{key}-ok").check()


def test_a_radiographer_file_is_returned_fixed_revised_signed_downloaded_and_revoked(
    live_server, browser, phone, officers, tmp_path
):
    upload = tmp_path / "berkas.pdf"
    upload.write_bytes(scan_of("awal"))

    # The applicant signs up on a phone and applies.
    page = phone
    page.goto(live_server.url + "/daftar/")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Rina Marlina, A.Md.Rad.")
    page.get_by_label("NIK").fill("1471015503900002")
    page.get_by_label("Surel (e-mail)").fill("rina@example.com")
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Buat akun").click()
    page.wait_for_load_state()
    # The sign-up answers the same whether or not the data is registered: the applicant signs in.
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill("rina@example.com")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/layanan/izin-kerja-radiografer/")
    page.get_by_role("link", name="Ajukan permohonan").first.click()
    page.get_by_label("Permohonan baru", exact=True).check()
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Tempat lahir").fill("Pekanbaru")
    page.get_by_label("Tanggal lahir").fill("1990-03-15")
    page.get_by_label("Perempuan").check()
    page.get_by_label("Alamat rumah (sesuai KTP atau domisili)").fill("Jalan Sudirman No. 1, Pekanbaru")
    page.get_by_label("Nomor STR").fill("RG00001234567890")
    page.get_by_label("STR berlaku sampai").fill("2029-12-31")
    page.get_by_label("Nama fasilitas pelayanan kesehatan tempat bekerja").fill("RSUD Arifin Achmad")
    page.get_by_label("Alamat tempat kerja").fill("Jalan Diponegoro No. 2, Pekanbaru")
    # NIK and name come from the account: shown, not typed (issue 10).
    assert page.get_by_label("NIK").is_disabled() and page.get_by_label("NIK").input_value() == "1471015503900002"
    _shot(page, "0-apply-form")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/berkas/")
    files = page.locator("input[type=file]")
    for i in range(files.count()):
        files.nth(i).set_input_files(str(upload))
    page.get_by_role("button", name="Unggah berkas yang dipilih").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Lanjut: periksa jawaban").click()
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/tanda-terima/")
    number = page.locator("#nomor-registrasi").inner_text().strip()
    assert Application.objects.get(number=number).status == Status.SUBMITTED

    # The front office judges every item: nothing starts ticked; the STR and the KTP are flagged.
    front = _session(browser, live_server, "b-front_office")
    _open(front, live_server, number)
    assert front.locator("input[type=radio][name^=judge-]:checked").count() == 0
    _act(
        front,
        live_server,
        number,
        "incomplete",
        fill=lambda p: _judge_all(
            p, flagged={"str": "STR belum dilegalisir basah.", "ktp": "Fotokopi KTP buram, tidak terbaca."}
        ),
        shot="1-checklist",
    )
    assert Application.objects.get(number=number).status == Status.RETURNED

    # The applicant reads both reasons; handing in again without replacing is refused.
    page.goto(f"{live_server.url}/permohonan/{number}/")
    main = page.locator("main").inner_text()
    assert "STR belum dilegalisir basah." in main and "Fotokopi KTP buram" in main
    _shot(page, "2-returned")
    page.get_by_role("link", name="Periksa dan ajukan kembali").click()
    page.get_by_role("button", name="Ajukan kembali").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert Application.objects.get(number=number).status == Status.RETURNED
    _shot(page, "3-resubmit-refused")
    # Replace both flagged files with new scans, then hand in again.
    page.goto(f"{live_server.url}/permohonan/{number}/berkas/")
    for key in ("str", "ktp"):
        fixed = tmp_path / f"{key}-baru.pdf"
        fixed.write_bytes(scan_of(f"{key}-baru"))
        page.locator(f"input[name=berkas_{key}]").set_input_files(str(fixed))
    page.get_by_role("button", name="Unggah berkas yang dipilih").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/permohonan/{number}/periksa/")
    page.get_by_role("button", name="Ajukan kembali").click()
    page.wait_for_load_state()
    assert Application.objects.get(number=number).status == Status.SUBMITTED

    # The officer sees what changed since the return, then accepts.
    _open(front, live_server, number)
    changes = front.locator("#changes").inner_text()
    assert changes.count("berkas diganti") == 2 and "Tidak ada isian formulir yang berubah." in changes
    _shot(front, "4-changes")
    _act(front, live_server, number, "complete", fill=_judge_all)

    # The Tim Teknis records its BAP: a member chosen from the office's Tim Teknis.
    sessions = {role: _session(browser, live_server, f"b-{role}") for role in officers if role != "front_office"}

    def bap(p):
        p.locator("#bap_date").fill(timezone.localdate().isoformat())
        p.get_by_label(officers["tim_teknis"].display_name).check()
        p.locator("#bap_findings").fill("Tempat kerja memiliki ruang radiologi berizin BAPETEN.")
        p.locator("#bap_recommendation").fill("Layak diberikan izin kerja.")

    _act(sessions["tim_teknis"], live_server, number, "recommend", fill=bap, shot="5-bap")
    _act(sessions["back_office"], live_server, number, "drafted")
    _act(sessions["analis_muda"], live_server, number, "approve")
    _act(sessions["analis_madya"], live_server, number, "revise", note=f"Tempat kerja pemohon kini {NEW_PLACE}.")

    # The back office sees the note and changes the place of work on the draft.
    def new_place(p):
        assert NEW_PLACE in p.locator("main").inner_text()
        p.locator("#draft-tempat_kerja").fill(NEW_PLACE)

    _act(sessions["back_office"], live_server, number, "drafted", fill=new_place, shot="6-draft")
    for role in ["analis_muda", "analis_madya", "sekretaris"]:
        _act(sessions[role], live_server, number, "approve")
    _act(sessions["kepala_dinas"], live_server, number, "approve", shot="7-sign")
    _act(sessions["back_office"], live_server, number, "numbered")
    application = Application.objects.get(number=number)
    assert application.status == Status.READY
    assert application.data["tempat_kerja"] == NEW_PLACE
    redraft = ControlCardEntry.objects.filter(application=application, outcome="drafted").order_by("-seq").first()
    assert redraft.data["changes"][0]["after"] == NEW_PLACE

    # The signed letter prints the new place.
    signed = sessions["back_office"].request.get(f"{live_server.url}/petugas/permohonan/{number}/surat-izin.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(signed.body())).pages)
    assert NEW_PLACE in " ".join(text.split())

    # The applicant downloads the permit: that is the handover.
    page.goto(f"{live_server.url}/permohonan/{number}/")
    _shot(page, "8-ready")
    page.get_by_role("button", name="Unduh surat izin").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.COLLECTED
    last = ControlCardEntry.objects.filter(application=application).order_by("-seq").first()
    assert last.outcome == "download"
    _shot(page, "9-permit")

    # Withdrawal is refused once signed: neither the applicant nor the counter is offered it.
    page.goto(f"{live_server.url}/permohonan/{number}/")
    assert page.get_by_text("Batalkan permohonan").count() == 0
    _open(front, live_server, number)
    assert front.locator("details.withdraw").count() == 0

    # The Kepala Dinas revokes; the public verification page leads with "revoked".
    kadis = sessions["kepala_dinas"]
    kadis.goto(f"{live_server.url}/petugas/permohonan/{number}/cabut-izin/")
    kadis.get_by_label("Alasan pencabutan").fill("STR pemegang izin dicabut oleh konsil.")
    kadis.get_by_role("button", name="Cabut surat izin").click()
    kadis.wait_for_load_state()
    permit = Permit.objects.get(application=application)
    assert permit.status == "revoked"
    public = browser.new_page(viewport={"width": 390, "height": 844})
    public.goto(f"{live_server.url}/verifikasi/{permit.verification_code}/")
    headline = public.locator("#status-utama").inner_text()
    assert "DICABUT" in headline and "ASLI DAN BERLAKU" not in public.locator("main").inner_text()
    _shot(public, "10-verify-revoked")
    public.close()
