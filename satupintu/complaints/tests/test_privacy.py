"""
Issue 13, item 2: Open311 published a named web complaint verbatim at once, with whatever NIK or
phone the complainant typed. Now nothing of its text or place is public until an officer has
reviewed it ("Tinjau untuk publikasi") and written the public text; reading a complainant's
identity and exporting the monthly report are doors of the access log.
"""

import datetime as dt

import pytest

from satupintu.complaints import monthly, services
from satupintu.complaints.models import Complaint
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.core.models import AccessKind, AuditEvent, PersonalDataAccess

pytestmark = pytest.mark.django_db

NIK = "1471015503900002"
PHONE = "0812 3456 7890"
TEXT = f"Saya Dewi Lestari, NIK {NIK}, HP {PHONE}: izin saya belum selesai padahal sudah 5 hari."


def _file(client, **extra):
    data = {"jenis": "pengaduan", "kategori": "waktu-penyelesaian", "isi": TEXT, "nama": "Dewi Lestari"}
    data.update({"hp": "081234567890", **extra})
    response = client.post("/pengaduan/", data)
    assert response.status_code == 302, response.content.decode()
    return Complaint.objects.get()


def _open311(client, ticket):
    (row,) = client.get(f"/open311/v2/requests/{ticket}.json").json()
    listed = client.get("/open311/v2/requests.json").content.decode()
    return row, listed


def test_open311_named_web_complaint_with_nik_and_phone_is_not_public_until_reviewed(client, office, officers):
    complaint = _file(client)
    row, listed = _open311(client, complaint.ticket)
    assert row["description"] == "" and row["address"] == "" and row["lat"] is None
    assert row["status_notes"] == "Menunggu peninjauan petugas sebelum dipublikasikan"
    for secret in (NIK, PHONE, "Dewi", "5 hari"):
        assert secret not in listed

    # The officer's page offers the review with a suggestion that has the numbers and the name removed.
    client.force_login(officers["pengelola_pengaduan"])
    page = client.get(f"/petugas/pengaduan/tiket/{complaint.ticket}/").content.decode()
    assert "Tinjau untuk publikasi" in page
    suggestion = services.public_text_suggestion(complaint)
    assert NIK not in suggestion and "0812" not in suggestion and "Dewi Lestari" not in suggestion
    assert "[nik]" in suggestion and "[telepon]" in suggestion and "[nama]" in suggestion

    # A text still carrying a NIK, phone or the name is refused, with the officer's text kept.
    refused = client.post(f"/petugas/pengaduan/tiket/{complaint.ticket}/publikasi/", {"public_text": TEXT})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "Teks publik masih memuat data pribadi" in body and "NIK" in body and "nama pengadu" in body
    assert _open311(client, complaint.ticket)[0]["description"] == ""

    reviewed = "Pemohon melaporkan izinnya belum selesai setelah 5 hari."
    done = client.post(f"/petugas/pengaduan/tiket/{complaint.ticket}/publikasi/", {"public_text": reviewed})
    assert done.status_code == 302
    row, listed = _open311(client, complaint.ticket)
    assert (
        row["description"] == reviewed and row["status_notes"] != "Menunggu peninjauan petugas sebelum dipublikasikan"
    )
    assert NIK not in listed and "Dewi" not in listed
    event = AuditEvent.objects.get(action="complaint.publish")
    assert event.actor == officers["pengelola_pengaduan"] and event.target == f"complaint:{complaint.ticket}"

    # Withdrawn: a placeholder again.
    client.post(f"/petugas/pengaduan/tiket/{complaint.ticket}/publikasi/", {"publish": "0"})
    assert _open311(client, complaint.ticket)[0]["description"] == ""
    assert AuditEvent.objects.filter(action="complaint.unpublish").count() == 1


def test_open311_publication_review_rules(office, officers):
    confidential = services.complaint_register(
        office=office, channel="website", name="Rudi", description="Diminta uang di loket 3.", confidential=True
    )
    with pytest.raises(Conflict):
        services.complaint_publication_review(
            complaint=confidential, actor=officers["pengelola_pengaduan"], text="Dugaan pungutan di loket."
        )
    plain = services.complaint_register(office=office, channel="website", name="Rudi", description="Antrean panjang.")
    with pytest.raises(PermissionDenied):
        services.complaint_publication_review(complaint=plain, actor=officers["front_office"], text="Antrean panjang.")
    with pytest.raises(InvalidData):
        services.complaint_publication_review(complaint=plain, actor=officers["pengelola_pengaduan"], text="pendek")
    with pytest.raises(InvalidData):
        services.complaint_publication_review(
            complaint=plain, actor=officers["pengelola_pengaduan"], text="Hubungi rudi@example.com segera."
        )


def test_public_form_says_what_will_be_public(client, office):
    page = client.get("/pengaduan/").content.decode()
    assert "Apa yang dipublikasikan" in page
    assert "baru tampil setelah petugas meninjaunya" in page


def test_access_log_complaint_identity_read_by_an_officer(client, office, officers):
    complaint = _file(client)
    client.force_login(officers["pengelola_pengaduan"])
    assert client.get(f"/petugas/pengaduan/tiket/{complaint.ticket}/").status_code == 200
    (row,) = PersonalDataAccess.objects.filter(kind=AccessKind.COMPLAINT)
    assert (row.actor, row.subject_name, row.target) == (
        officers["pengelola_pengaduan"],
        "Dewi Lestari",
        f"complaint:{complaint.ticket}",
    )
    assert "complainant_phone" in row.fields


def test_access_log_monthly_report_export(client, office, officers):
    complaint = _file(client)
    pengelola = officers["pengelola_pengaduan"]
    received = complaint.received_at
    # A report is drafted only for a month that has ended: draft this month's as of the next month.
    next_month = (received.replace(day=28) + dt.timedelta(days=7)).replace(day=2)
    report = monthly.complaint_report_draft(
        office=office, year=received.year, month=received.month, actor=pengelola, at=next_month
    )
    client.force_login(pengelola)
    assert client.get(f"/petugas/pengaduan/laporan/{report.pk}/unduh.xlsx").status_code == 200
    (row,) = PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT)
    assert (row.actor, row.subject_name, row.target) == (
        pengelola,
        "Dewi Lestari",
        f"complaint_report:{report.pk}:xlsx",
    )


def test_access_log_complaint_attachment_download(client, office, officers):
    from satupintu.complaints.tests.conftest import pdf_file

    complaint = services.complaint_register(
        office=office,
        channel="website",
        name="Dewi Lestari",
        description="Lampiran bukti antrean.",
        attachments=[pdf_file()],
    )
    attachment = complaint.attachments.get()
    client.force_login(officers["pengelola_pengaduan"])
    response = client.get(f"/petugas/pengaduan/lampiran/{attachment.pk}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    (row,) = PersonalDataAccess.objects.filter(kind=AccessKind.DOCUMENT)
    assert (row.subject_name, row.target) == ("Dewi Lestari", f"complaint_attachment:{attachment.pk}")
