"""The public questionnaire and results, and the officers' survey and performance pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.models import FollowUpPlan, SurveyResponse
from satupintu.surveys.tests.conftest import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper_via_pages(client, office, staff, served):
    """
    Through the officers' pages: the front office opens a batch of paper questionnaires for a
    period and types them in, the Sekretaris approves it; ``served`` people were served then.
    """
    import datetime as dt

    from satupintu.surveys.models import SurveyBatch

    def run(values_list, *, period="2026-05", approve=True):
        served(len(values_list), day=dt.date(2026, 5, 4))
        client.force_login(staff["front_office"])
        r = client.post(
            f"/petugas/survei/{office.slug}/isi/",
            {"tanggal": "2026-05-20", "tempat": "Kotak survei loket", "periode": period},
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        batch = SurveyBatch.objects.latest("pk")
        assert r["Location"] == f"/petugas/survei/{office.slug}/isi/{batch.pk}/"
        for values in values_list:
            r = client.post(f"/petugas/survei/{office.slug}/isi/{batch.pk}/", values)
            assert r.status_code == 302, r.content.decode()[:2000]
        if approve:
            client.force_login(staff["sekretaris"])
            r = client.post(f"/petugas/survei/{office.slug}/kelompok/", {"batch": batch.pk, "keputusan": "setujui"})
            assert r.status_code == 302
        client.logout()
        return batch

    return run


def test_the_invitation_page_takes_one_anonymous_answer(client, collected):
    url = f"/survei/isi/{invitation_token(collected)}/"
    page = client.get(url)
    assert page.status_code == 200 and "Sangat mahal" in page.content.decode()
    r = client.post(url, {**answers(4), "U3": ""})
    # Issue 14: the missing answer is named by the question the person read, not "U3".
    missing = (
        "Pertanyaan “Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?” belum dijawab."
    )
    assert r.status_code == 422 and missing in r.content.decode() and "U3" not in r.content.decode().split("<form")[0]
    r = client.post(url, {**answers(4), "sex": "P"})
    assert r.status_code == 302 and r["Location"] == "/survei/terima-kasih/"
    r = client.post(url, answers(1))
    assert r.status_code == 409 and SurveyResponse.objects.count() == 1
    assert client.get("/survei/isi/nonsense/").status_code == 404


def test_the_public_page_publishes_the_results(client, office, staff, collected, paper_via_pages):
    paper_via_pages([answers(3)])
    page = client.get("/survei/hasil/?periode=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "75,00" in text and "Kurang baik" in text  # shown the Indonesian way


def test_officers_see_results_with_chart_and_missing_plans(client, office, staff, paper_via_pages):
    paper_via_pages([answers(3)])
    client.force_login(staff["front_office"])
    page = client.get(f"/petugas/survei/{office.slug}/?periode=2026")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "75,00" in text and "belum ada rencana" in text
    xlsx = client.get(f"/petugas/survei/{office.slug}/laporan.xlsx?periode=2026")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/petugas/survei/{office.slug}/laporan.pdf?periode=2026")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_follow_up_plans_are_made_and_closed_from_the_pages(client, office, staff, paper_via_pages):
    paper_via_pages([answers(3)])
    client.force_login(staff["front_office"])
    assert client.get(f"/petugas/survei/{office.slug}/tindak-lanjut/").status_code == 403
    client.force_login(staff["kepegawaian"])
    r = client.post(
        f"/petugas/survei/{office.slug}/tindak-lanjut/?periode=2026",
        {
            "periode": "2026",
            "element_code": "U1",
            "action": "Sederhanakan formulir.",
            "owner": "Bidang",
            "due_on": "2027-03-31",  # after the survey period 2026 (issue 14)
        },
    )
    assert r.status_code == 302
    plan = FollowUpPlan.objects.get()
    page = client.get(f"/petugas/survei/{office.slug}/tindak-lanjut/?periode=2026").content.decode()
    assert "Sederhanakan formulir." in page and "U2" in page  # U2–U9 still missing
    r = client.post(
        f"/petugas/survei/{office.slug}/tindak-lanjut/{plan.pk}/", {"status": "done", "done_note": "Formulir baru."}
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "done"


def test_import_page_lists_errors_per_row(client, office, staff, served):
    from django.core.files.uploadedfile import SimpleUploadedFile

    served(1)
    client.force_login(staff["front_office"])
    bad = SimpleUploadedFile("skm.csv", b"U1,U2,U3,U4,U5,U6,U7,U8,U9,period\n4,4,4,4,4,4,4,4,0,2026\n")
    r = client.post(f"/petugas/survei/{office.slug}/impor/", {"berkas": bad})
    assert r.status_code == 422 and "baris 2" in r.content.decode()
    good = SimpleUploadedFile("skm.csv", b"U1,U2,U3,U4,U5,U6,U7,U8,U9,period\n4,4,4,4,4,4,4,4,4,2026\n")
    assert client.post(f"/petugas/survei/{office.slug}/impor/", {"berkas": good}).status_code == 302


def test_the_counter_shows_the_invitation_link_of_a_collected_file(client, office, staff, collected):
    client.force_login(staff["front_office"])
    page = client.get(f"/petugas/survei/{office.slug}/undangan/{collected.number}/")
    assert page.status_code == 200 and "/survei/isi/" in page.content.decode()


def test_the_performance_dashboard_is_for_kepegawaian(client, office, staff, collected):
    client.force_login(staff["front_office"])
    assert client.get(f"/petugas/survei/{office.slug}/kinerja/").status_code == 403
    client.force_login(staff["kepegawaian"])
    page = client.get(f"/petugas/survei/{office.slug}/kinerja/?periode=2026-03")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "Petugas Front Office" in text
    xlsx = client.get(f"/petugas/survei/{office.slug}/kinerja.xlsx?periode=2026-03")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_performance_time_standards_always_carry_their_number(client, office, staff, collected):
    """Issue 14: a day-based standard showed as "hari kerja" with no number; it reads "1 hari kerja"."""
    client.force_login(staff["kepegawaian"])
    text = client.get(f"/petugas/survei/{office.slug}/kinerja/?periode=2026-03").content.decode()
    assert "<td>1 hari kerja</td>" in text and "<td>hari kerja</td>" not in text
    assert "<td>3 menit</td>" in text or "<td>5 menit</td>" in text


def test_a_time_standard_is_written_in_the_chosen_language():
    from django.utils import translation

    from satupintu.workdays import WorkingDuration

    assert str(WorkingDuration.parse("1 hari")) == "1 hari kerja"
    with translation.override("en"):
        assert str(WorkingDuration.parse("2 hari kerja")) == "2 working days"
        assert str(WorkingDuration.parse("20 menit")) == "20 minutes"


def test_the_skm_report_pdf_and_chart_write_decimals_the_indonesian_way(
    client, office, staff, served, paper_batch, approve
):
    """Issue 14: numbers follow the locale everywhere; the PDF and the chart said "75.00"."""
    from django.utils import translation

    from satupintu.core.numbers import number_text
    from satupintu.documents.tests.conftest import pdf_text
    from satupintu.surveys import services as survey_services
    from satupintu.surveys.periods import period_parse
    from satupintu.surveys.report import skm_report_context, skm_report_pdf, skm_report_xlsx
    from satupintu.surveys.selectors import survey_summary

    served(1, day=dt.date(2026, 5, 4))
    batch = paper_batch(period="2026-05")
    survey_services.response_enter_paper(
        office=office,
        actor=staff["front_office"],
        answers=answers(3),
        batch=batch,
        at=dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC),
    )
    approve(batch)
    client.force_login(staff["front_office"])
    summary = survey_summary(office=office, period=period_parse("2026"))
    with translation.override("id"):
        data = skm_report_context(summary, suggestions=["Ruang tunggu perlu kipas angin."])
        pdf = skm_report_pdf(summary, suggestions=["Ruang tunggu perlu kipas angin."])
        text = " ".join(pdf_text(pdf, sample="laporan-skm").split())
    assert data["bars"][-1]["text"] == "75,00 (C)" and data["good_border"]["text"] == "76,61"
    for expected in [
        office.name.upper(),  # the kop
        "LAPORAN SURVEI KEPUASAN MASYARAKAT",
        "Nilai per unsur",
        "75,00",
        "76,61",
        "Grafik nilai konversi per unsur",
        "Rencana tindak lanjut",
        "Menyetujui,",
        "Mengetahui,",
        "Saran dan masukan responden",
        "Ruang tunggu perlu kipas angin.",
    ]:
        assert expected in text, expected
    assert "75.00" not in text and "3.0000" not in text
    book = load_workbook(io.BytesIO(skm_report_xlsx(summary)))
    assert book["Unsur"]["G2"].value == Decimal("75.00") and book["Unsur"]["G2"].number_format == "0.00"
    for element in summary.elements.values():
        # The chart's labels wrap: every element's name is printed whole.
        assert " ".join(element.name.split()) in text, element.name
    with translation.override("en"):
        assert number_text(summary.result.ikm) == "75.00"
    page = client.get(f"/petugas/survei/{office.slug}/?periode=2026").content.decode()
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert "75,00 (C)" in svg and "75.00" not in svg
