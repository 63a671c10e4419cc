"""
Issue 13, item 2 (UU 27/2022): every read of a person's data by someone else writes an access row —
who, what, when, why, from where — at each door of the staff side, and only the office's data
protection officer searches and exports the log. One test per door; each fails if its row is missing.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from satupintu.applications.models import Document
from satupintu.core.models import AccessKind, PersonalDataAccess
from satupintu.core.privacy import Subject, personal_read
from satupintu.staff.tests.conftest import app_url

NIK = "1471011001850003"  # the paramedik form's applicant (FORM_DATA)

pytestmark = pytest.mark.django_db


def rows(kind):
    return list(PersonalDataAccess.objects.filter(kind=kind))


def test_access_log_staff_application_page_records_who_what_why_and_from_where(client, submitted, staff):
    app = submitted()
    client.force_login(staff["front_office"])
    assert client.get(app_url(app), REMOTE_ADDR="10.1.2.3").status_code == 200
    (row,) = rows(AccessKind.APPLICATION_PAGE)
    assert (row.actor, row.office, row.target) == (staff["front_office"], app.office, f"application:{app.number}")
    assert (row.subject_nik, row.subject_name) == (NIK, app.applicant_name)
    assert row.roles == "front_office"
    assert row.ip_address == "10.1.2.3" and row.path == app_url(app)
    assert row.purpose.startswith("Mengerjakan langkah")  # the front office works the completeness check now
    assert "nik" in row.fields and "applicant_nik" not in row.fields  # the NIK once, by its form field
    assert row.at is not None


def test_access_log_not_written_when_the_role_sees_the_file_masked(client, submitted, staff):
    """Kepegawaian sees NIK and phone masked: no personal data read, no row."""
    app = submitted()
    client.force_login(staff["kepegawaian"])
    assert client.get(app_url(app)).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_access_log_staff_document_download(client, submitted, staff):
    app = submitted()
    document = Document.objects.filter(application=app, requirement_key="ktp").get()
    client.force_login(staff["back_office"])
    response = client.get(reverse("staff:document", args=[document.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (row,) = rows(AccessKind.DOCUMENT)
    assert (row.actor, row.target, row.fields) == (staff["back_office"], f"document:{document.pk}", ["ktp"])
    assert row.subject_nik == NIK


def test_access_log_staff_konsep_of_the_permit(client, submitted, staff):
    app = submitted()
    client.force_login(staff["back_office"])
    response = client.get(reverse("staff:permit_pdf", args=[app.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    (row,) = rows(AccessKind.PERMIT_DRAFT)
    assert (row.actor, row.subject_nik) == (staff["back_office"], NIK)


def test_access_log_search_by_nik_records_each_person_found(client, submitted, staff):
    app = submitted()
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:search"), {"q": NIK, "layanan": app.service.code})
    assert page.status_code == 200 and app.number in page.content.decode()
    (row,) = rows(AccessKind.SEARCH)
    assert (row.actor, row.subject_nik, row.office) == (staff["front_office"], NIK, app.office)
    # A search by name shows no NIK: no row.
    client.get(reverse("staff:search"), {"q": "Agus", "layanan": app.service.code})
    assert len(rows(AccessKind.SEARCH)) == 1


def test_access_log_admin_user_page(client, applicant, make_user):
    admin = make_user("super")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.get(reverse("admin:accounts_user_change", args=[applicant.pk]))
    assert response.status_code == 200
    (row,) = rows(AccessKind.ADMIN_USER)
    assert (row.actor, row.subject, row.subject_nik) == (admin, applicant, applicant.nik)
    assert row.target == f"accounts.user:{applicant.pk}" and "nik" in row.fields


def test_access_log_a_person_reading_their_own_data_is_not_recorded(office, applicant):
    written = personal_read(
        actor=applicant, kind=AccessKind.APPLICATION_PAGE, office=office, subjects=[Subject.of_user(applicant)]
    )
    assert written == [] and not PersonalDataAccess.objects.exists()


def test_access_log_rows_cannot_be_changed_or_deleted(office, staff, applicant):
    (row,) = personal_read(
        actor=staff["front_office"], kind=AccessKind.DOCUMENT, office=office, subjects=[Subject.of_user(applicant)]
    )
    row.purpose = "lain"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


# --- the data protection officer's page ----------------------------------------------------------------


@pytest.fixture
def logged(submitted, staff, client):
    """Two reads of the applicant's file by two officers."""
    app = submitted()
    for role in ("front_office", "back_office"):
        client.force_login(staff[role])
        client.get(app_url(app))
    client.logout()
    return app


def test_dpo_page_is_for_the_data_protection_officer_only(client, staff, office, logged):
    url = reverse("staff:access_log", args=[office.slug])
    for role in ("admin", "kepala_dinas", "front_office"):
        client.force_login(staff[role])
        assert client.get(url).status_code == 403, role
        assert client.get(reverse("staff:access_log_export", args=[office.slug, "csv"])).status_code == 403
    client.force_login(staff["pejabat_pelindungan_data"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 akses" in text and NIK in text
    assert "no-store" in page["Cache-Control"]
    home = client.get(reverse("staff:home")).content.decode()
    assert url in home


def test_dpo_page_searches_by_person_official_period_and_kind(client, staff, office, logged):
    client.force_login(staff["pejabat_pelindungan_data"])
    url = reverse("staff:access_log", args=[office.slug])

    def count(**params):
        page = client.get(url, params)
        assert page.status_code == 200, page.content.decode()
        return page.context["page"].paginator.count

    assert count(orang=NIK) == 2
    assert count(orang="agus salim") == 2
    assert count(orang="1471011001850009") == 0
    assert count(petugas="back_office-1") == 1
    assert count(jenis=AccessKind.APPLICATION_PAGE) == 2
    assert count(jenis=AccessKind.DOCUMENT) == 0
    assert count(dari="2000-01-01", sampai="2000-01-02") == 0
    assert count(dari="2000-01-01") == 2
    refused = client.get(url, {"orang": "1234", "dari": "kemarin"})
    assert refused.status_code == 422
    assert "NIK terdiri atas 16 angka" in refused.content.decode()
    assert "harus berupa tanggal" in refused.content.decode()


def test_dpo_export_csv_and_xlsx_and_the_export_is_itself_recorded(client, staff, office, logged):
    dpo = staff["pejabat_pelindungan_data"]
    client.force_login(dpo)
    response = client.get(reverse("staff:access_log_export", args=[office.slug, "csv"]), {"orang": NIK})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Waktu" and len(lines) == 3
    assert {line[1] for line in lines[1:]} == {staff["front_office"].display_name, staff["back_office"].display_name}
    assert all(line[7] == NIK for line in lines[1:])
    (export,) = PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT, actor=dpo)
    assert export.subject_nik == NIK and export.target == f"access_log:{office.slug}:csv"

    response = client.get(reverse("staff:access_log_export", args=[office.slug, "xlsx"]), {"orang": NIK})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    # The two page reads and, newest first, the CSV export just made (it read the NIK too).
    assert values[0][0] == "Waktu" and len(values) == 4
    assert values[1][3] == "Ekspor (XLSX/CSV)" and values[1][1] == dpo.display_name
    assert client.get(reverse("staff:access_log_export", args=[office.slug, "pdf"])).status_code == 404
