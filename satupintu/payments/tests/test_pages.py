"""The applicant's pages show the estimate, the bill, and pay through the fake gateway; the public check."""

from __future__ import annotations

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import upload_all
from satupintu.payments.models import Bill, BillStatus
from satupintu.payments.tests.conftest import IMTA_DATA, to_payment

pytestmark = pytest.mark.django_db


def test_the_service_page_says_how_the_fee_is_computed_and_on_what_basis(client, imta, office):
    page = client.get(f"/kantor/{office.slug}/layanan/{imta.code}/").content.decode()
    assert "US$ 100 per orang per bulan × jumlah orang × jumlah bulan" in page
    assert "PP Nomor 97 Tahun 2012" in page


def test_check_your_answers_shows_the_estimate_at_the_days_rate(client, imta, office, applicant, rate):
    application = services.application_create(office=office, service=imta, actor=applicant, data=IMTA_DATA)
    upload_all(application, applicant)
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.number}/periksa/").content.decode()
    assert "Perkiraan biaya" in page and "Rp 19.500.660" in page and "US$ 1.200" in page


def test_the_application_page_shows_the_bill_and_the_fake_gateway_pays_it(client, imta, office, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.number}/").content.decode()
    bill = Bill.objects.get(application=application)
    assert bill.number in page and bill.payment_code in page and "Bayar sekarang" in page
    assert client.get(f"/permohonan/{application.number}/skrd.pdf").content.startswith(b"%PDF")
    response = client.post(f"/permohonan/{application.number}/bayar-uji/")
    assert response.status_code == 302
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert client.get(f"/permohonan/{application.number}/tanda-bukti-bayar.pdf").content.startswith(b"%PDF")
    client.logout()
    check = client.get("/skrd/periksa/", {"kode": bill.payment_code}).content.decode()
    assert bill.number in check and "Lunas" in check and applicant.full_name not in check


def test_the_treasurer_page_reconciles_the_day_and_records_a_counter_payment(
    client, imta, office, staff, applicant, rate
):
    import io

    from satupintu.applications.tests.conftest import PDF
    from satupintu.payments.tests.conftest import AMOUNT

    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    client.force_login(staff["front_office"])
    assert client.get(f"/petugas/{office.slug}/bendahara/").status_code == 403
    client.force_login(staff["bendahara_penerima"])
    page = client.get(f"/petugas/{office.slug}/bendahara/").content.decode()
    assert bill.number in page and "Catat pembayaran tunai" in page
    proof = io.BytesIO(PDF)
    proof.name = "bukti.pdf"
    response = client.post(
        f"/petugas/{office.slug}/bendahara/skrd/{bill.pk}/bayar/",
        {"jumlah": str(AMOUNT), "rujukan": "KW-77", "bukti": proof},
    )
    assert response.status_code == 302 and Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    day = Bill.objects.get(pk=bill.pk).paid_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Jakarta")).date()
    page = client.get(f"/petugas/{office.slug}/bendahara/", {"tanggal": day.isoformat()}).content.decode()
    assert "Rp 19.500.660" in page and "KW-77" in page
    xlsx = client.get(f"/petugas/{office.slug}/bendahara/rekonsiliasi.xlsx", {"tanggal": day.isoformat()})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/petugas/{office.slug}/bendahara/penerimaan.pdf").content.startswith(b"%PDF")


def test_the_officers_page_shows_the_bill_and_its_payments(client, imta, office, staff, applicant, rate):
    application = to_payment(office, imta, staff, applicant)
    bill = Bill.objects.get(application=application)
    client.force_login(staff["bendahara_penerima"])
    page = client.get(f"/petugas/permohonan/{application.number}/").content.decode()
    assert bill.number in page and "Rp 19.500.660" in page and "Belum dibayar" in page


def test_a_file_closed_unpaid_shows_why_and_its_closing_letter(client, imta, office, staff, applicant, rate):
    import datetime as dt

    from satupintu.payments.services import bills_overdue_scan
    from satupintu.payments.tests.conftest import START

    application = to_payment(office, imta, staff, applicant)
    bills_overdue_scan(at=START + dt.timedelta(days=31))
    bills_overdue_scan(at=START + dt.timedelta(days=39))
    client.force_login(applicant)
    page = client.get(f"/permohonan/{application.number}/").content.decode()
    assert "permohonan ditutup" in page and "Unduh surat penutupan (PDF)" in page
    assert client.get(f"/permohonan/{application.number}/surat-penutupan.pdf").content.startswith(b"%PDF")
