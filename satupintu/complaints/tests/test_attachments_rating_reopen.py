"""
Complaints people can use (issue 14, item 4): attachments on the public form, the complainant's
rating of the answer ("not satisfied" reopens it one level up), a monthly report only for months
that have ended, a readable history, decision and reply as text, a register that fits a phone.
"""

import datetime as dt
import io

import pytest

from satupintu.applications.tests.conftest import PDF
from satupintu.complaints import monthly, services
from satupintu.complaints.models import Complaint, ComplaintReport, ComplaintStatus
from satupintu.complaints.tests.conftest import MONDAY
from satupintu.core.errors import Conflict, InvalidData
from satupintu.notifications.models import OfficeTask

pytestmark = pytest.mark.django_db


def _answered(office, officers, weight="ringan"):
    complaint = services.complaint_register(
        office=office,
        channel="website",
        name="Budi Santoso",
        email="budi@example.org",
        description="Berkas saya belum diproses setelah satu minggu.",
        at=MONDAY,
    )
    pengelola = officers["pengelola_pengaduan"]
    services.complaint_triage(complaint=complaint, actor=pengelola, weight=weight, unit="Bidang Pelayanan")
    if weight != "ringan":
        services.complaint_coordinate(complaint=complaint, actor=officers["kepala_bidang"], note="Dibahas.")
        services.complaint_coordinate(complaint=complaint, actor=officers["kepala_dinas"], note="Disetujui.")
        services.complaint_decide(
            complaint=complaint, actor=officers["kepala_dinas"], decision="Berkas diproses ulang."
        )
    return services.complaint_reply(complaint=complaint, actor=pengelola, method="web", text="Berkas sudah diproses.")


# --- attachments ---------------------------------------------------------------------------------


def test_the_public_form_takes_attachments_checked_like_application_uploads(client, office, officers):
    """The public form had no attachments; a PDF is kept (clean copy), a fake one is refused by its content."""
    response = client.post(
        "/pengaduan/",
        {
            "jenis": "pengaduan",
            "isi": "Petugas meminta biaya tambahan di loket.",
            "nama": "Siti",
            "lampiran": [io.BytesIO(PDF)],
        },
        format="multipart",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.attachments.get().content_type == "application/pdf"

    fake = io.BytesIO(b"%PDF-1.4 not really a pdf <script>")
    fake.name = "bukti.pdf"
    page = client.post(
        "/pengaduan/", {"jenis": "pengaduan", "isi": "Isi yang cukup panjang.", "nama": "Siti", "lampiran": [fake]}
    )
    assert page.status_code == 200 and Complaint.objects.count() == 1
    assert "Lampiran “bukti.pdf”" in page.content.decode()


def test_more_attachments_than_the_limit_are_refused_in_indonesian(office):
    """At most ATTACHMENT_MAX_COUNT files with one complaint, on every front door."""
    files = [(f"b{i}.pdf", io.BytesIO(PDF)) for i in range(services.ATTACHMENT_MAX_COUNT + 1)]
    with pytest.raises(InvalidData) as caught:
        services.complaint_register(
            office=office, channel="website", name="Siti", description="Isi yang cukup panjang.", attachments=files
        )
    assert "paling banyak 3 berkas" in caught.value.errors["attachment"]


# --- the complainant's rating ------------------------------------------------------------------------


def test_a_satisfied_complainant_closes_the_matter_with_the_rating_in_the_history(office, officers):
    complaint = _answered(office, officers)
    done = services.complaint_rate(complaint=complaint, rating="satisfied")
    assert done.status == ComplaintStatus.ANSWERED and done.rating == "satisfied"
    assert done.events.order_by("-seq").first().action == "rate"
    with pytest.raises(Conflict):
        services.complaint_rate(complaint=done, rating="not_satisfied", reason="Berubah pikiran.")


def test_not_satisfied_reopens_a_ringan_complaint_as_sedang_with_coordination_and_a_task(office, officers):
    complaint = _answered(office, officers)
    with pytest.raises(InvalidData) as caught:
        services.complaint_rate(complaint=complaint, rating="not_satisfied")
    assert "alasan" in caught.value.errors["reason"]
    done = services.complaint_rate(
        complaint=complaint, rating="not_satisfied", reason="Berkas saya tetap belum diproses.", at=MONDAY
    )
    assert done.weight == "sedang" and done.status == ComplaintStatus.COORDINATION
    assert done.reopened_count == 1 and done.due_at > MONDAY
    event = done.events.order_by("-seq").first()
    assert event.action == "reopen" and event.data["from_weight"] == "ringan" and event.data["weight"] == "sedang"
    task = OfficeTask.objects.get(kind=services.REOPENED_TASK)
    assert task.role == "kepala_bidang" and done.ticket in task.title
    # the new level is coordinated again from scratch, then answered and rated once more
    assert services.coordination_missing(done) == ["kepala_bidang", "kepala_dinas"]
    services.complaint_coordinate(complaint=done, actor=officers["kepala_bidang"], note="Dibahas ulang.")
    services.complaint_coordinate(complaint=done, actor=officers["kepala_dinas"], note="Ditindaklanjuti.")
    services.complaint_decide(complaint=done, actor=officers["kepala_dinas"], decision="Diproses hari ini.")
    again = services.complaint_reply(
        complaint=done, actor=officers["pengelola_pengaduan"], method="web", text="Sudah selesai."
    )
    assert services.complaint_rate(complaint=again, rating="satisfied").rating == "satisfied"


def test_not_satisfied_with_a_sedang_answer_goes_to_berat(office, officers):
    complaint = _answered(office, officers, weight="sedang")
    done = services.complaint_rate(complaint=complaint, rating="not_satisfied", reason="Keputusan tidak adil.")
    assert done.weight == "berat" and done.decision == ""


def test_an_unanswered_complaint_cannot_be_rated(office):
    complaint = services.complaint_register(
        office=office, channel="website", name="Siti", description="Isi yang cukup panjang."
    )
    with pytest.raises(Conflict):
        services.complaint_rate(complaint=complaint, rating="satisfied")


def test_the_tracking_page_lets_the_complainant_rate_the_answer(client, office, officers):
    complaint = _answered(office, officers)
    page = client.post("/pengaduan/status/", {"tiket": complaint.ticket, "kode": complaint.access_code})
    html = page.content.decode()
    assert "Nilai tanggapan ini" in html and 'class="text-block"' in html and "notice-box" not in html
    response = client.post(
        "/pengaduan/status/nilai/",
        {"tiket": complaint.ticket, "kode": complaint.access_code, "penilaian": "not_satisfied", "alasan": ""},
    )
    assert response.status_code == 422 and "Tuliskan alasan" in response.content.decode()
    response = client.post(
        "/pengaduan/status/nilai/",
        {"tiket": complaint.ticket, "kode": complaint.access_code, "penilaian": "not_satisfied", "alasan": "Belum."},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "dibuka kembali" in html
    assert Complaint.objects.get().status == ComplaintStatus.COORDINATION
    wrong = client.post(
        "/pengaduan/status/nilai/", {"tiket": complaint.ticket, "kode": "SALAH123", "penilaian": "satisfied"}
    )
    assert wrong.status_code == 404


def test_the_api_takes_the_rating_with_the_code(client, office, officers):
    complaint = _answered(office, officers)
    response = client.post(
        f"/api/v1/complaints/{complaint.ticket}/rating",
        {"code": complaint.access_code, "rating": "satisfied"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["rating"] == "satisfied" and response.json()["can_rate"] is False


# --- the monthly report ---------------------------------------------------------------------------------


def test_the_running_month_cannot_be_reported(office, officers):
    """A report compiled for the month still running would carry figures that are not final."""
    at = dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)
    with pytest.raises(InvalidData) as caught:
        monthly.complaint_report_draft(office=office, year=2026, month=3, actor=officers["pengelola_pengaduan"], at=at)
    assert "belum berakhir" in caught.value.message and "Februari 2026" in caught.value.message
    with pytest.raises(InvalidData):
        monthly.complaint_report_draft(office=office, year=2026, month=4, actor=officers["pengelola_pengaduan"], at=at)
    report = monthly.complaint_report_draft(
        office=office, year=2026, month=2, actor=officers["pengelola_pengaduan"], at=at
    )
    assert report.month == 2


def test_the_report_page_and_api_refuse_the_running_month_with_a_clear_message(client, office, officers):
    from django.utils import timezone

    client.force_login(officers["pengelola_pengaduan"])
    page = client.post(
        f"/petugas/pengaduan/{office.slug}/laporan/", {"bulan": timezone.localdate().strftime("%Y-%m")}, follow=True
    )
    assert "belum berakhir" in page.content.decode() and not ComplaintReport.objects.exists()

    from satupintu.api.tokens import token_issue

    _row, token = token_issue(user=officers["pengelola_pengaduan"])
    today = timezone.localdate()
    response = client.post(
        "/api/v1/complaint-reports",
        {"office": office.slug, "year": today.year, "month": today.month},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422 and "belum berakhir" in response.json()["detail"]


# --- words, text blocks, the register on a phone --------------------------------------------------------


def test_the_staff_history_reads_in_words_with_the_weight_change(client, office, officers):
    complaint = _answered(office, officers)
    services.complaint_rate(complaint=complaint, rating="not_satisfied", reason="Belum selesai.")
    client.force_login(officers["pengelola_pengaduan"])
    html = client.get(f"/petugas/pengaduan/tiket/{complaint.ticket}/").content.decode()
    history = html.split("Riwayat</h2>")[1]
    assert "Bobot naik: Ringan menjadi Sedang" in history and "Pengadu tidak puas" in history
    for code in ("register", "received", "triage", "reopen", "not_satisfied", "ringan"):
        assert f">{code}<" not in history and f" {code} " not in history
    assert 'class="panel"' not in html and 'class="text-block"' in html


def test_the_register_stacks_into_cards_on_a_phone(client, office, officers):
    _answered(office, officers)
    client.force_login(officers["pengelola_pengaduan"])
    html = client.get(f"/petugas/pengaduan/{office.slug}/").content.decode()
    assert 'class="register stack"' in html and 'data-label="Nomor tiket"' in html
