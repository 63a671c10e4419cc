"""The public complaint pages and the complaint officers' pages (Bahasa Indonesia, server-rendered)."""

import datetime as dt
import io

import pytest

from satupintu.complaints.models import Complaint, ComplaintReport
from satupintu.complaints.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def _file_public(client, **extra):
    data = {
        "jenis": "pengaduan",
        "kategori": "prosedur",
        "isi": "Antrean loket terlalu panjang.",
        "nama": "Budi",
        "surel": "budi@example.com",
    }
    data.update(extra)
    return client.post("/pengaduan/", data)


def test_public_form_receipt_and_status(client, office, officers):
    page = client.get("/pengaduan/").content.decode()
    assert "Sampaikan pengaduan, saran atau masukan" in page and "Sistem, mekanisme dan prosedur" in page
    bad = _file_public(client, isi="", nama="")
    assert bad.status_code == 200 and "Ada masalah" in bad.content.decode()
    response = _file_public(client)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert complaint.ticket in receipt and complaint.access_code in receipt
    status = client.post(
        "/pengaduan/status/", {"tiket": complaint.ticket, "kode": complaint.access_code}
    ).content.decode()
    assert "Diterima, menunggu dipilah" in status and "Budi" not in status
    wrong = client.post("/pengaduan/status/", {"tiket": complaint.ticket, "kode": "SALAH"}).content.decode()
    assert "Nomor tiket atau kode tidak cocok." in wrong


def test_the_receipt_is_only_for_the_browser_that_filed(client, office, officers):
    from django.test import Client

    _file_public(client)
    ticket = Complaint.objects.get().ticket
    assert Client().get(f"/pengaduan/terkirim/{ticket}/").status_code == 404


def test_staff_register_new_letter_with_scan_triage_and_reply(client, office, officers):
    client.force_login(officers["pengelola_pengaduan"])
    assert client.get("/petugas/pengaduan/")["Location"].endswith(f"/petugas/pengaduan/{office.slug}/")
    scan = io.BytesIO(PDF)
    scan.name = "surat.pdf"
    response = client.post(
        f"/petugas/pengaduan/{office.slug}/baru/",
        {
            "channel": "letter",
            "source": "kotak saran",
            "kind": "saran",
            "description": "Mohon tambah kursi tunggu.",
            "name": "Sari",
            "address": "Jl. Riau 2",
            "scan": scan,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 1
    register = client.get(f"/petugas/pengaduan/{office.slug}/").content.decode()
    assert complaint.ticket in register and "Sari" in register and "belum dipilah" in register
    detail = client.get(f"/petugas/pengaduan/tiket/{complaint.ticket}/").content.decode()
    assert 'id="form-triage"' in detail and "Rantai riwayat utuh." in detail
    client.post(
        f"/petugas/pengaduan/tiket/{complaint.ticket}/tindakan/",
        {"action": "triage", "weight": "ringan", "kind": "saran", "category": "sarana-prasarana"},
    )
    detail = client.get(f"/petugas/pengaduan/tiket/{complaint.ticket}/").content.decode()
    assert 'id="form-reply"' in detail and 'value="letter"' in detail
    client.post(
        f"/petugas/pengaduan/tiket/{complaint.ticket}/tindakan/",
        {"action": "reply", "method": "letter", "text": "Kursi ditambah bulan depan."},
    )
    assert Complaint.objects.get().status == "answered"
    attachment = complaint.attachments.get()
    assert client.get(f"/petugas/pengaduan/lampiran/{attachment.pk}/").status_code == 200


def test_other_roles_are_refused(client, office, officers):
    client.force_login(officers["front_office"])
    assert client.get(f"/petugas/pengaduan/{office.slug}/").status_code == 403
    assert client.get("/petugas/pengaduan/").status_code == 403
    _file_public(client)
    assert client.get(f"/petugas/pengaduan/tiket/{Complaint.objects.get().ticket}/").status_code == 403


def test_report_pages_walk_the_review(client, office, officers):
    _file_public(client)
    client.force_login(officers["pengelola_pengaduan"])
    from django.utils import timezone

    # Issue 14: only a month that has ended can be reported; last month is the latest.
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    response = client.post(f"/petugas/pengaduan/{office.slug}/laporan/", {"bulan": month})
    report = ComplaintReport.objects.get()
    assert response["Location"].endswith(f"/petugas/pengaduan/laporan/{report.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Laporan Pengaduan Pelayanan Publik" in page and 'id="report-submit"' in page
    client.post(f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "submit", "summary": "Satu pengaduan."})
    client.force_login(officers["sekretaris"])
    client.post(f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "return", "note": "Lengkapi analisis."})
    assert ComplaintReport.objects.get().status == "returned"
    client.force_login(officers["pengelola_pengaduan"])
    assert "Lengkapi analisis." in client.get(f"/petugas/pengaduan/laporan/{report.pk}/").content.decode()
    client.post(
        f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "submit", "summary": "Dengan analisis."}
    )
    client.force_login(officers["sekretaris"])
    client.post(f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "approve"})
    client.post(f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "deliver"})
    assert ComplaintReport.objects.get().status == "submitted"
    pdf = client.get(f"/petugas/pengaduan/laporan/{report.pk}/unduh.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/petugas/pengaduan/laporan/{report.pk}/unduh.xlsx")
    assert xlsx.content.startswith(b"PK")
