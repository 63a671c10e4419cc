"""
The complaint journey and the survey journey (issue 14, items 4 and 5), at phone and desktop
sizes, with axe-core run on every page visited; no violation of impact serious or critical, and
no page scrolls sideways on a phone.

Complaint: the public form with an attachment → the receipt → the officer's Buku Pengaduan →
sort and answer → the status page → "tidak puas" reopens it one level up → the officer sees it
again in words → the monthly report refuses the running month.
Survey: the invitation link → a missing answer named by its question → the answers → thanks →
the same link says it was used before any form → the public results from the home page → the
officers' suggestions and follow-up plans (a target inside the survey period refused).

Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set (else the test's temporary folder).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from satupintu.applications.tests.conftest import PDF
from satupintu.complaints.models import Complaint
from satupintu.complaints.services import complaint_categories_install
from satupintu.notifications.templates import default_templates_install
from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.tests.conftest import collect_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-sekali-123"  # make_user's default
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _history_trigger_vs_flush(_django_db_helper):
    """SQLite flushes with DELETE, which the complaint history's append-only trigger refuses: lift it."""
    yield
    from django.db import connection

    from satupintu.complaints import triggers

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_DROP_NO_DELETE)


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SATUPINTU_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check(page, axe, shots: Path, name: str, size: str) -> None:
    """Screenshot, fail on a serious or critical axe-core violation, and on sideways scrolling on a phone."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    result = axe.run(page).response
    assert result["passes"] or result["violations"], "axe-core did not run"
    violations = result["violations"]
    (shots / f"{name}.axe.txt").write_text(
        "\n".join(f"{v['impact']}\t{v['id']}\t{len(v['nodes'])}" for v in violations) or "no violations\n"
    )
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in BLOCKING
    ]
    assert blocking == [], f"{name}: {blocking}"
    if size == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page scrolls sideways on a phone ({width} px)"


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


@pytest.fixture
def collected(services_loaded, staff, applicant):
    """
    A collected radiographer file. Built on a worker thread: the permit's signing runs its own
    asyncio loop, which cannot start inside the loop Playwright's sync API keeps on this thread.
    """
    from concurrent.futures import ThreadPoolExecutor
    from importlib import import_module

    from django.apps import apps

    # A transactional test before this one may have flushed what the data migration installed.
    import_module("satupintu.surveys.migrations.0002_questionnaire_2017").load(apps, None)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(collect_file, services_loaded, staff, applicant).result()


@pytest.fixture
def complaint_office(office, staff):
    complaint_categories_install()
    default_templates_install()
    office.registration_prefix = "PKU"
    office.save()
    return office


@pytest.mark.parametrize("size", list(SIZES))
def test_the_complaint_journey(live_server, browser, complaint_office, staff, size, tmp_path):
    axe, shots, base = Axe(), _shots(tmp_path), live_server.url
    citizen_context = browser.new_context(locale="id-ID", **SIZES[size])
    officer_context = browser.new_context(locale="id-ID", **SIZES[size])
    page, officer = citizen_context.new_page(), officer_context.new_page()
    for p in (page, officer):
        p.set_default_timeout(15_000)
    evidence = tmp_path / "kuitansi.pdf"
    evidence.write_bytes(PDF)
    try:
        page.goto(base + "/pengaduan/")
        _check(page, axe, shots, f"pgd-{size}-1-formulir", size)
        page.get_by_label("Isi pengaduan, saran atau masukan").fill(
            "Petugas loket meminta biaya tambahan padahal layanan ini gratis."
        )
        page.get_by_label("Lampiran").set_input_files(str(evidence))
        page.get_by_label("Nama", exact=True).fill("Dewi Lestari")
        page.get_by_role("button", name="Kirim pengaduan").click()
        page.wait_for_url("**/pengaduan/terkirim/**")
        ticket = page.locator("#nomor-tiket").inner_text().strip()
        code = page.locator("#kode-pengaduan").inner_text().strip()
        _check(page, axe, shots, f"pgd-{size}-2-tanda-terima", size)
        assert Complaint.objects.get(ticket=ticket).attachments.count() == 1

        # The officer: the register (cards on a phone), sort as ringan, answer on the web.
        _sign_in(officer, base, "pengelola_pengaduan-1")
        officer.goto(base + "/petugas/pengaduan/")
        assert officer.get_by_role("heading", level=1).inner_text() == "Buku Pengaduan"
        _check(officer, axe, shots, f"pgd-{size}-3-buku-pengaduan", size)
        officer.get_by_role("link", name=ticket).click()
        officer.locator("#weight-ringan").check()
        officer.locator("#form-triage").get_by_role("button", name="Simpan pemilahan").click()
        officer.wait_for_load_state()
        officer.locator("#form-reply").get_by_label("Tanggapan", exact=True).fill(
            "Biaya itu tidak sah; petugas sudah ditegur dan uang Anda dikembalikan."
        )
        officer.locator("#form-reply").get_by_role("button", name="Catat tanggapan").click()
        officer.wait_for_load_state()
        assert "Sudah ditanggapi" in officer.locator("#status-pengaduan").inner_text()
        _check(officer, axe, shots, f"pgd-{size}-4-ditanggapi", size)

        # The citizen reads the answer as text and is not satisfied: it reopens one level up.
        page.goto(base + f"/pengaduan/status/?tiket={ticket}&kode={code}")
        assert "dikembalikan" in page.locator("#tanggapan").inner_text()
        _check(page, axe, shots, f"pgd-{size}-5-status", size)
        page.get_by_label("Tidak puas").check()
        page.get_by_role("button", name="Kirim penilaian").click()
        page.wait_for_load_state()
        assert "Tuliskan alasan" in page.locator(".error-summary").inner_text()
        _check(page, axe, shots, f"pgd-{size}-6-alasan-wajib", size)
        page.get_by_label("Tidak puas").check()
        page.get_by_label("Alasan").fill("Uang saya belum dikembalikan sampai hari ini.")
        page.get_by_role("button", name="Kirim penilaian").click()
        page.wait_for_load_state()
        assert "Dalam koordinasi pimpinan" in page.locator("#status-pengaduan").inner_text()
        assert "dibuka kembali" in page.locator("ol.timeline").inner_text()
        _check(page, axe, shots, f"pgd-{size}-7-dibuka-kembali", size)
        complaint = Complaint.objects.get(ticket=ticket)
        assert complaint.weight == "sedang" and complaint.status == "coordination"

        officer.goto(base + f"/petugas/pengaduan/tiket/{ticket}/")
        history = officer.locator("table.history").inner_text()
        assert "Bobot naik: Ringan menjadi Sedang" in history and "register" not in history
        _check(officer, axe, shots, f"pgd-{size}-8-riwayat", size)

        # The monthly report refuses the month still running, in words.
        officer.goto(base + f"/petugas/pengaduan/{complaint_office.slug}/laporan/")
        officer.evaluate(
            "() => { const i = document.getElementById('bulan'); i.removeAttribute('max');"
            " const d = new Date(); i.value = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0'); }"
        )
        officer.get_by_role("button", name="Susun dari Buku Pengaduan").click()
        officer.wait_for_load_state()
        assert "belum berakhir" in officer.locator("main").inner_text()
        _check(officer, axe, shots, f"pgd-{size}-9-laporan", size)
    finally:
        citizen_context.close()
        officer_context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_survey_journey(live_server, browser, collected, staff, size, tmp_path):
    axe, shots, base = Axe(), _shots(tmp_path), live_server.url
    context = browser.new_context(locale="id-ID", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    url = base + f"/survei/isi/{invitation_token(collected)}/"
    try:
        page.goto(url)
        _check(page, axe, shots, f"skm-{size}-1-kuesioner", size)
        radios = page.locator("fieldset.fieldset")
        count = radios.count()
        for i in range(count):
            if i == 2:
                continue  # U3 left out
            radios.nth(i).locator("input[type=radio]").nth(3).check()
        page.get_by_label("Saran dan masukan (tidak wajib)").fill("Antrean di loket terlalu lama pada pagi hari.")
        page.get_by_role("button", name="Kirim jawaban").click()
        page.wait_for_load_state()
        summary = page.locator(".error-summary").inner_text()
        assert "kecepatan waktu dalam memberikan pelayanan" in summary and "U3" not in summary
        _check(page, axe, shots, f"skm-{size}-2-belum-dijawab", size)
        fields = page.locator("fieldset.fieldset")
        fields.nth(2).locator("input[type=radio]").nth(1).check()
        for i in range(count):
            if i != 2:
                fields.nth(i).locator("input[type=radio]").nth(3).check()
        page.get_by_label("Saran dan masukan (tidak wajib)").fill("Antrean di loket terlalu lama pada pagi hari.")
        page.get_by_role("button", name="Kirim jawaban").click()
        page.wait_for_url("**/survei/terima-kasih/")
        _check(page, axe, shots, f"skm-{size}-3-terima-kasih", size)

        # The same link again: said at once, no form.
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text() == "Survei sudah diisi"
        assert page.locator("input[type=radio]").count() == 0
        _check(page, axe, shots, f"skm-{size}-4-sudah-diisi", size)

        # The public results, reached from the home page.
        page.goto(base + "/")
        page.get_by_role("link", name="Lihat hasil survei kepuasan masyarakat").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Hasil survei kepuasan masyarakat"
        _check(page, axe, shots, f"skm-{size}-5-hasil-publik", size)

        # Officers: the suggestions, then the follow-up plans (a target inside the period refused).
        _sign_in(page, base, "kepegawaian-1")
        page.goto(base + f"/petugas/survei/{collected.office.slug}/saran/")
        assert "Antrean di loket terlalu lama" in page.locator("#daftar-saran").inner_text()
        assert "Waktu penyelesaian" in page.locator("#daftar-saran").inner_text()
        _check(page, axe, shots, f"skm-{size}-6-saran", size)
        page.goto(base + f"/petugas/survei/{collected.office.slug}/tindak-lanjut/")
        assert "Antrean di loket terlalu lama" in page.locator("#saran-U3").inner_text()
        page.get_by_label("Unsur").select_option("U3")
        page.get_by_label("Rencana tindak lanjut").fill("Tambah satu loket pada pukul 08.00–10.00.")
        page.get_by_label("Penanggung jawab").fill("Sekretaris")
        page.get_by_label("Target waktu").fill("2026-06-30")
        page.get_by_role("button", name="Simpan rencana").click()
        page.wait_for_load_state()
        assert "sesudah periode survei" in page.locator("main").inner_text()
        _check(page, axe, shots, f"skm-{size}-7-rencana-ditolak", size)
    finally:
        context.close()


def test_the_service_page_on_a_phone_folds_and_keeps_the_apply_button_in_reach(
    live_server, browser, services_loaded, tmp_path
):
    """The phone page was 17,000 px tall with one "Ajukan" button at the top."""
    axe, shots = Axe(), _shots(tmp_path)
    context = browser.new_context(locale="id-ID", **SIZES["phone"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/layanan/izin-kerja-radiografer/")
        height = page.evaluate("document.documentElement.scrollHeight")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        box = page.locator("#apply-bar").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844 + 1
        page.screenshot(path=str(shots / "layanan-phone-tengah.png"))
        _check(page, axe, shots, "layanan-phone", "phone")
        (shots / "layanan-phone.height.txt").write_text(f"{height}\n")
        assert height < 9000, f"the folded page is still {height} px tall"
        page.get_by_text("2. Sistem, mekanisme dan prosedur").click()
        assert page.locator("#bagian-sop table.sop").is_visible()
    finally:
        context.close()
