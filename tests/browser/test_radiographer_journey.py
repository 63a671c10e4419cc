"""
One radiographer application, start to finish, in the browser: the applicant on a phone, each
officer in their own session. Apply → returned once → fixed → complete → BAP → draft → three paraf
(one revise) → sign → number → pickup; then the printable control card shows all of it.
"""

import pytest
from django.conf import settings

from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def officers(services_loaded, make_user):
    office = services_loaded["izin-kerja-radiografer"].office
    roles = ["front_office", "tim_teknis", "back_office", "analis_muda", "analis_madya", "sekretaris", "kepala_dinas"]
    return {role: make_user(f"b-{role}", office=office, roles=[role], password=PASSWORD) for role in roles}


def _session(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page


def _act(page, live_server, number, outcome, *, note="", fill=None):
    page.goto(f"{live_server.url}/petugas/permohonan/{number}/")
    if fill:
        fill(page)
    if note:
        page.locator("#note").fill(note)
    page.locator(f"button[name=outcome][value={outcome}]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()[:800]


def test_an_applicant_and_the_office_take_a_radiographer_application_to_pickup(
    live_server, browser, phone, officers, tmp_path
):
    upload = tmp_path / "berkas.pdf"
    upload.write_bytes(PDF)

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
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/berkas/")
    files = page.locator("input[type=file]")
    assert files.count() == 9  # ten requirements; the old permit only for a renewal
    for i in range(files.count()):
        files.nth(i).set_input_files(str(upload))
    page.get_by_role("button", name="Unggah berkas yang dipilih").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Lanjut: periksa jawaban").click()
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/tanda-terima/")
    number = page.locator("#nomor-registrasi").inner_text().strip()
    code = page.locator("#kode-pelacakan").inner_text().strip()
    assert Application.objects.get(number=number).status == Status.SUBMITTED

    # The front office returns it: the STR copy is not legalised.
    front = _session(browser, live_server, "b-front_office")

    def str_not_legalised(p):
        p.locator("#ok-str").uncheck()
        p.locator("#reason-str").fill("STR belum dilegalisir basah.")

    _act(front, live_server, number, "incomplete", fill=str_not_legalised)
    assert Application.objects.get(number=number).status == Status.RETURNED

    # The applicant reads why, uploads the legalised copy and hands it in again.
    page.goto(f"{live_server.url}/permohonan/{number}/")
    assert "STR belum dilegalisir basah." in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/permohonan/{number}/berkas/")
    page.locator("input[name=file-str], input[name$=str]").first.set_input_files(str(upload))
    page.get_by_role("button", name="Unggah berkas yang dipilih").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/permohonan/{number}/")
    page.get_by_role("button", name="Ajukan kembali").click()
    page.wait_for_load_state()
    assert Application.objects.get(number=number).status == Status.SUBMITTED

    _act(front, live_server, number, "complete")

    def bap(p):
        p.locator("#bap_date").fill("2026-11-24")
        p.locator("#bap_team").fill("Ir. Budi (Dinas Kesehatan)\nSari, S.T. (DPMPTSP)")
        p.locator("#bap_findings").fill("Tempat kerja sesuai; alat radiologi berizin.")
        p.locator("#bap_recommendation").fill("Layak diberikan izin kerja.")

    sessions = {role: _session(browser, live_server, f"b-{role}") for role in officers if role != "front_office"}
    _act(sessions["tim_teknis"], live_server, number, "recommend", fill=bap)
    _act(sessions["back_office"], live_server, number, "drafted")
    _act(sessions["analis_muda"], live_server, number, "approve")
    _act(sessions["analis_madya"], live_server, number, "revise", note="Alamat tempat kerja belum lengkap.")
    _act(sessions["back_office"], live_server, number, "drafted")
    for role in ["analis_muda", "analis_madya", "sekretaris", "kepala_dinas"]:
        _act(sessions[role], live_server, number, "approve")
    _act(sessions["back_office"], live_server, number, "numbered")
    application = Application.objects.get(number=number)
    assert application.status == Status.READY
    permit_number = application.permit.number
    assert permit_number.startswith("500.16.7.2/0001/SIKR/DPMPTSP/")

    # The applicant sees it is ready; the public tracking page shows the status without personal data.
    page.goto(f"{live_server.url}/permohonan/{number}/")
    assert permit_number in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/lacak/?nomor={number}&kode={code}")
    tracked = page.locator("main").inner_text()
    assert "Selesai" in tracked and "Rina" not in tracked and "1471015503900002" not in tracked

    _act(front, live_server, number, "pickup")
    assert Application.objects.get(number=number).status == Status.COLLECTED

    # The printable control card: every step, its paraf and times, and an intact chain.
    front.goto(f"{live_server.url}/petugas/permohonan/{number}/kartu-kendali/")
    card = front.locator("main").inner_text()
    rows = front.locator("table tbody tr")
    assert rows.count() >= 15
    for name in ["b-tim_teknis", "b-kepala_dinas", "b-analis_madya"]:
        assert name in card
    assert "Rantai catatan utuh (15 entri)" in card
    if settings.DEBUG:  # pragma: no cover - screenshots only when debugging locally
        front.screenshot(path=str(tmp_path / "card.png"), full_page=True)
