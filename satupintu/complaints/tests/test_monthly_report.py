"""
Seed j–k: the Laporan Pengaduan Pelayanan Publik is drafted from the Buku Pengaduan, checked by the
Sekretaris — sent back to be corrected and checked again — approved, and submitted to the Kepala
Dinas as the monthly report; PDF and XLSX with figures by channel, weight, status, time to answer.
"""

import datetime as dt
import io

import pytest

from satupintu.complaints import monthly, services
from satupintu.complaints.models import ComplaintReport, ReportStatus
from satupintu.complaints.tests.conftest import MONDAY
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.notifications.models import OfficeTask
from satupintu.notifications.scans import complaint_report_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(office, officers):
    """Three complaints in March 2026: a ringan website one answered in a day, a letter, a berat one."""
    pengelola = officers["pengelola_pengaduan"]
    a = services.complaint_register(
        office=office, channel="website", name="A", description="Antrian terlalu lama.", at=MONDAY
    )
    services.complaint_triage(complaint=a, actor=pengelola, weight="ringan", category="prosedur", at=MONDAY)
    services.complaint_reply(
        complaint=a, actor=pengelola, method="web", text="Loket ditambah.", at=MONDAY + dt.timedelta(hours=4)
    )
    b = services.complaint_register(
        office=office, channel="letter", name="B", description="Toilet rusak sejak lama.", actor=pengelola, at=MONDAY
    )
    services.complaint_triage(complaint=b, actor=pengelola, weight="ringan", category="sarana-prasarana", at=MONDAY)
    c = services.complaint_register(
        office=office,
        channel="in_person",
        anonymous=True,
        description="Diminta uang oleh oknum.",
        actor=pengelola,
        at=MONDAY,
    )
    services.complaint_triage(complaint=c, actor=pengelola, weight="berat", category="biaya", at=MONDAY)
    # April's complaint is not in March's report.
    services.complaint_register(
        office=office,
        channel="website",
        name="D",
        description="Pengaduan bulan April.",
        at=MONDAY + dt.timedelta(days=30),
    )
    return office


def test_figures_by_channel_weight_status_and_time_to_answer(march):
    figures = monthly.report_figures(office=march, year=2026, month=3, at=MONDAY + dt.timedelta(days=40))
    assert figures["total"] == 3
    assert (
        figures["by_channel"]["website"] == 1
        and figures["by_channel"]["letter"] == 1
        and figures["by_channel"]["in_person"] == 1
    )
    assert figures["by_channel_group"] == {"internet": 1, "langsung": 1, "surat": 1, "telepon": 0}
    assert figures["by_weight"] == {"ringan": 2, "sedang": 0, "berat": 1, "": 0}
    assert figures["by_status"]["answered"] == 1 and figures["by_status"]["handling"] == 1
    assert figures["answered"] == 1 and figures["answered_on_time"] == 1 and figures["overdue_open"] == 2
    assert figures["hours_to_answer"]["mean"] == 3.0  # 09.00–13.00 less the midday break
    anonymous = next(r for r in figures["register"] if r["channel"].startswith("Langsung"))
    assert anonymous["complainant"] == "Anonim"


def test_the_review_loop_send_back_correct_recheck_approve_submit(march, officers):
    pengelola, sekretaris, kadis = officers["pengelola_pengaduan"], officers["sekretaris"], officers["kepala_dinas"]
    report = monthly.complaint_report_draft(
        office=march, year=2026, month=3, actor=pengelola, at=MONDAY + dt.timedelta(days=25)
    )
    assert report.status == ReportStatus.DRAFT and report.figures["total"] == 3
    with pytest.raises(PermissionDenied):
        monthly.complaint_report_act(report=report, actor=sekretaris, action="submit")
    report = monthly.complaint_report_act(report=report, actor=pengelola, action="submit", summary="Tiga pengaduan.")
    assert report.status == ReportStatus.IN_REVIEW
    assert OfficeTask.objects.get(kind="complaint_report", done_at__isnull=True).role == "sekretaris"
    with pytest.raises(PermissionDenied):
        monthly.complaint_report_act(report=report, actor=kadis, action="approve")
    with pytest.raises(InvalidData):
        monthly.complaint_report_act(report=report, actor=sekretaris, action="return")
    report = monthly.complaint_report_act(
        report=report, actor=sekretaris, action="return", note="Tambahkan analisis penyebab."
    )
    assert report.status == ReportStatus.RETURNED and report.review_note == "Tambahkan analisis penyebab."
    assert OfficeTask.objects.get(kind="complaint_report", done_at__isnull=True).role == "pengelola_pengaduan"
    with pytest.raises(Conflict):
        monthly.complaint_report_act(report=report, actor=sekretaris, action="approve")
    report = monthly.complaint_report_act(
        report=report,
        actor=pengelola,
        action="submit",
        summary="Tiga pengaduan; penyebab: antrean.",
        note="Analisis ditambahkan.",
    )
    assert report.status == ReportStatus.IN_REVIEW and report.revision == 1
    report = monthly.complaint_report_act(report=report, actor=sekretaris, action="approve")
    assert report.approved_by == sekretaris
    report = monthly.complaint_report_act(report=report, actor=sekretaris, action="deliver")
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert [s.action for s in report.steps.order_by("at", "id")] == [
        "draft",
        "submit",
        "return",
        "submit",
        "approve",
        "deliver",
    ]
    assert OfficeTask.objects.get(kind="complaint_report", done_at__isnull=True).role == "kepala_dinas"
    with pytest.raises(Conflict):
        monthly.complaint_report_draft(office=march, year=2026, month=3, actor=pengelola)


def test_the_monthly_schedule_drafts_last_months_report_once(march):
    first_of_april = dt.datetime(2026, 4, 1, 6, 0, tzinfo=MONDAY.tzinfo)
    assert complaint_report_draft(at=first_of_april) == 1
    assert complaint_report_draft(at=first_of_april) == 0
    report = ComplaintReport.objects.get()
    assert (report.year, report.month, report.figures["total"]) == (2026, 3, 3)
    assert OfficeTask.objects.get(kind="complaint_report").role == "pengelola_pengaduan"


def test_pdf_and_xlsx(march, officers):
    from openpyxl import load_workbook

    report = monthly.complaint_report_draft(office=march, year=2026, month=3, actor=officers["pengelola_pengaduan"])
    pdf = monthly.complaint_report_pdf(report)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    book = load_workbook(io.BytesIO(monthly.complaint_report_xlsx(report)))
    assert book.sheetnames == ["Ringkasan", "Buku Pengaduan"]
    summary = [[c for c in row if c is not None] for row in book["Ringkasan"].iter_rows(values_only=True)]
    assert ["Surat / tertulis", 1] in summary and ["Berat", 1] in summary
    mean = next(row for row in book["Ringkasan"].iter_rows() if row[0].value == "Rata-rata")[1]
    assert mean.value == 3.0 and mean.data_type == "n" and mean.number_format == "0.0"  # shown 3,0 in Indonesian
    register = list(book["Buku Pengaduan"].iter_rows(values_only=True))
    assert register[0][:3] == ("Nomor tiket", "Tanggal pengaduan", "Identitas pengadu") and len(register) == 4


def test_the_report_pdf_has_its_kop_figures_approval_blocks_and_register(march, officers, settings, tmp_path):
    """
    Issue 14: the report comes from the office's document template with its kop, the decimal
    comma, the Sekretaris's approval and the Kepala Dinas's receipt; the register is its annex.
    """
    from django.utils import translation

    from satupintu.documents.tests.conftest import pdf_text

    settings.SATUPINTU_SIGNING = {"DIR": tmp_path}  # no office certificate: the configured head signs
    march.head_name, march.head_nip = "Dr. H. Akmal Prasetyo, S.T., M.Si.", "197001011995031001"
    march.save()
    pengelola, sekretaris = officers["pengelola_pengaduan"], officers["sekretaris"]
    sekretaris.full_name, sekretaris.nip = "Dra. Sekar Ayu, M.Si.", "197501012000032001"
    sekretaris.save()
    later = MONDAY + dt.timedelta(days=25)
    report = monthly.complaint_report_draft(office=march, year=2026, month=3, actor=pengelola, at=later)
    draft = " ".join(pdf_text(monthly.complaint_report_pdf(report), sample="laporan-pengaduan-konsep").split())
    assert "Menyetujui," in draft and "Dra. Sekar Ayu" not in draft  # to be approved: blank lines
    report = monthly.complaint_report_act(report=report, actor=pengelola, action="submit", summary="Tiga.", at=later)
    report = monthly.complaint_report_act(report=report, actor=sekretaris, action="approve", at=later)
    report = monthly.complaint_report_act(report=report, actor=sekretaris, action="deliver", at=later)
    with translation.override("id"):
        text = " ".join(pdf_text(monthly.complaint_report_pdf(report), sample="laporan-pengaduan").split())
    for expected in [
        march.name.upper(),  # the kop
        "LAPORAN PENGADUAN PELAYANAN PUBLIK",
        "BULAN MARET 2026",
        "Surat / tertulis",
        "3,0",  # hours to answer, decimal comma
        "Menyetujui,",
        "Sekretaris " + march.name,
        "Dra. Sekar Ayu, M.Si.",
        "NIP. 19750101 200003 2 001",
        "Diterima,",
        "Dr. H. Akmal Prasetyo, S.T., M.Si.",
        "NIP. 19700101 199503 1 001",
        "Lampiran: Buku Pengaduan",
        "Anonim",
    ]:
        assert expected in text, expected
    assert "3.0" not in text
    for ticket in ComplaintReport.objects.get().figures["register"]:
        assert ticket["ticket"] in text, "a ticket number is printed whole, on one line of its column"


def test_the_report_pdf_comes_from_the_offices_template(march, officers):
    """The office edits the report like its letters: a DocumentTemplate row of kind complaint_report."""
    from satupintu.documents.models import DocumentKind, DocumentTemplate
    from satupintu.documents.tests.conftest import pdf_text

    DocumentTemplate.objects.create(
        office=march,
        kind=DocumentKind.COMPLAINT_REPORT,
        source='#import "/naskah.typ": *\n#let d = data()\nLaporan kantor sendiri: #d.period',
    )
    report = monthly.complaint_report_draft(office=march, year=2026, month=3, actor=officers["pengelola_pengaduan"])
    assert "Laporan kantor sendiri: Bulan Maret 2026" in pdf_text(monthly.complaint_report_pdf(report))
