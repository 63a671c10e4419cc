"""
The data protection officer's access log, the person's "Siapa yang mengakses data saya" and the
complaint officer's "Tinjau untuk publikasi", at phone and desktop sizes, with axe-core on each
(no serious or critical violation). Screenshots go to ``SATUPINTU_SCREENSHOT_DIR`` when set (else
the test's temporary folder).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from satupintu.applications import services
from satupintu.applications.models import Channel
from satupintu.applications.selectors import application_read
from satupintu.applications.tests.conftest import FORM_DATA
from satupintu.complaints import services as complaints
from satupintu.core.models import AccessKind
from tests.browser.test_officer_journey import SIZES, _check, _shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-uji-123"
RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture(autouse=True)
def _history_trigger_vs_flush(_django_db_helper):
    """SQLite flushes with DELETE, which the complaint history's append-only trigger refuses: lift it for the flush."""
    yield
    from django.db import connection

    from satupintu.complaints import triggers

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(triggers.SQLITE_DROP_NO_DELETE)


@pytest.fixture
def reads(services_loaded, make_user, applicant):
    """The applicant's file read by three officers through four doors."""
    service = services_loaded[RADIOGRAFER]
    office = service.office
    applicant.set_password(PASSWORD)
    applicant.save()
    front = make_user("loket-1", office=office, roles=["front_office"])
    front.full_name = "Sri Wahyuni, A.Md."
    front.save()
    back = make_user("bo-1", office=office, roles=["back_office"])
    back.full_name = "Hendra Saputra, S.Kom."
    back.save()
    kadis = make_user("kadis-1", office=office, roles=["kepala_dinas"])
    kadis.full_name = "Dr. H. Akmal Prasetyo, S.T., M.Si."
    kadis.save()
    dpo = make_user("ppdp-1", office=office, roles=["pejabat_pelindungan_data"], password=PASSWORD)
    dpo.full_name = "Nurul Hidayah, S.H."
    dpo.save()
    app = services.application_create(
        office=office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], channel=Channel.ONLINE
    )
    application_read(app, front, kind=AccessKind.APPLICATION_PAGE)
    application_read(app, front, kind=AccessKind.DOCUMENT, target="document:1", fields=["ktp"])
    application_read(app, back, kind=AccessKind.PERMIT_DRAFT)
    application_read(app, kadis, kind=AccessKind.PERMIT, target="permit:503/SIKR/2026/0001")
    complaints.complaint_categories_install()  # a transactional test before may have flushed them
    make_user("pengaduan-1", office=office, roles=["pengelola_pengaduan"], password=PASSWORD)
    complaint = complaints.complaint_register(
        office=office,
        channel="website",
        name="Dewi Lestari",
        phone="081234567890",
        description="Saya Dewi Lestari, NIK 1471015503900002, HP 0812 3456 7890: izin saya belum selesai.",
    )
    return office, complaint.ticket


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dpo_page_the_persons_access_list_and_the_publication_review(live_server, browser, reads, size, tmp_path):
    axe = Axe()
    shots = _shots(tmp_path)
    office, ticket = reads
    for username, path, heading, name, shown in (
        (
            "ppdp-1",
            f"/petugas/{office.slug}/akses-data-pribadi/",
            "Akses data pribadi",
            "1-ppdp",
            "Hendra Saputra, S.Kom.",
        ),
        ("pemohon-1", "/data-saya/akses/", "Siapa yang mengakses data saya", "2-pemohon", "Hendra Saputra, S.Kom."),
        ("pengaduan-1", f"/petugas/pengaduan/tiket/{ticket}/", "Tinjau untuk publikasi", "3-tinjau", "[nik]"),
    ):
        context = browser.new_context(locale="id-ID", **SIZES[size])
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(live_server.url + "/akun/masuk/")
            page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_load_state()
            page.goto(live_server.url + path)
            assert page.get_by_role("heading", name=heading, exact=True).is_visible()
            assert page.get_by_text(shown).first.is_visible()
            _check(page, axe, shots, f"privacy-{size}-{name}")
        finally:
            context.close()
