"""
Surveys people can use (issue 14, item 5): the "Saran dan masukan" listed for staff, in the XLSX
and grouped by element for the follow-up plans; a used or expired link says so before the form;
plan target dates after the survey period; the public results linked from the home page with the
plans the office published.
"""

import datetime as dt
import io

import pytest

from satupintu.core.errors import InvalidData
from satupintu.surveys import selectors, services
from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.models import FollowUpPlan
from satupintu.surveys.periods import period_parse
from satupintu.surveys.tests.conftest import answers

pytestmark = pytest.mark.django_db


def _import(office, staff, rows, period="2026"):
    """Rows of nine answers and a suggestion, imported and approved so that they count."""
    lines = ["U1,U2,U3,U4,U5,U6,U7,U8,U9,period,saran"]
    lines += [",".join(map(str, r[:9])) + f",{period},{r[9]}" for r in rows]
    batch = services.responses_import(
        office=office, actor=staff["front_office"], stream=io.BytesIO("\n".join(lines).encode()), filename="x.csv"
    )
    services.survey_batch_decide(batch=batch, actor=staff["sekretaris"], approve=True)
    return batch


@pytest.fixture
def with_suggestions(office, staff, served):
    served(3)
    _import(
        office,
        staff,
        [
            [4, 4, 1, 4, 4, 4, 4, 4, 4, "Antrean loket terlalu lama"],
            [4, 4, 4, 4, 4, 4, 4, 4, 2, "Pengaduan saya tidak dibalas"],
            [4, 4, 4, 4, 4, 4, 4, 4, 4, ""],
        ],
    )


def test_suggestions_are_read_back_with_the_elements_their_writer_rated_low(office, with_suggestions):
    """The free text was saved but shown nowhere; ``suggestions(office, period)`` is what the PDF uses."""
    items = selectors.suggestions(office, period_parse("2026"))
    assert sorted(i.text for i in items) == ["Antrean loket terlalu lama", "Pengaduan saya tidak dibalas"]
    by_text = {i.text: i for i in items}
    assert by_text["Antrean loket terlalu lama"].low_elements == ("U3",)
    assert [i.text for i in selectors.suggestions(office, period_parse("2026"), element="U9")] == [
        "Pengaduan saya tidak dibalas"
    ]
    assert [i.text for i in selectors.suggestions(office, period_parse("2026"), query="ANTREAN")] == [
        "Antrean loket terlalu lama"
    ]
    grouped = selectors.suggestions_by_element(items, ["U3", "U9"])
    assert [i.text for i in grouped["U3"]] == ["Antrean loket terlalu lama"]
    assert [i.text for i in grouped["U9"]] == ["Pengaduan saya tidak dibalas"]


def test_staff_see_the_suggestions_with_filters(client, office, staff, with_suggestions):
    client.force_login(staff["front_office"])
    page = client.get(f"/petugas/survei/{office.slug}/saran/?periode=2026").content.decode()
    assert "Antrean loket terlalu lama" in page and "Pengaduan saya tidak dibalas" in page
    assert "dinilai kurang: Waktu penyelesaian" in page
    filtered = client.get(f"/petugas/survei/{office.slug}/saran/?periode=2026&unsur=U9").content.decode()
    assert "Pengaduan saya tidak dibalas" in filtered and "Antrean loket" not in filtered
    results = client.get(f"/petugas/survei/{office.slug}/").content.decode()
    assert f"/petugas/survei/{office.slug}/saran/" in results  # reachable from the survey menu


def test_the_xlsx_report_carries_the_suggestions(client, office, staff, with_suggestions):
    from openpyxl import load_workbook

    client.force_login(staff["front_office"])
    body = client.get(f"/petugas/survei/{office.slug}/laporan.xlsx?periode=2026").content
    sheet = load_workbook(io.BytesIO(body))["Saran dan masukan"]
    texts = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(texts) == ["Antrean loket terlalu lama", "Pengaduan saya tidak dibalas"]


def test_the_plans_page_groups_the_suggestions_by_element(client, office, staff, with_suggestions):
    client.force_login(staff["kepegawaian"])
    page = client.get(f"/petugas/survei/{office.slug}/tindak-lanjut/?periode=2026").content.decode()
    section = page.split("Saran responden per unsur")[1]
    assert 'id="saran-U3"' in section and "Antrean loket terlalu lama" in section.split('id="saran-U9"')[0]


def test_a_used_invitation_says_so_before_the_form(client, collected):
    """A used link showed the whole form and refused only after it was filled in."""
    url = f"/survei/isi/{invitation_token(collected)}/"
    assert client.post(url, answers(4)).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 409 and "sudah diisi" in html and 'type="radio"' not in html


def test_an_expired_invitation_says_it_expired_before_the_form(client, collected):
    from unittest import mock

    from satupintu.surveys.invitations import TOKEN_MAX_AGE

    old = dt.datetime.now(dt.UTC) - TOKEN_MAX_AGE - dt.timedelta(days=2)
    with mock.patch("time.time", return_value=old.timestamp()):
        stale = invitation_token(collected)
    page = client.get(f"/survei/isi/{stale}/")
    html = page.content.decode()
    assert page.status_code == 404 and "sudah kedaluwarsa: undangan berlaku 366 hari" in html
    assert 'type="radio"' not in html


def test_a_plan_target_before_the_survey_ends_is_refused_in_indonesian(office, staff):
    with pytest.raises(InvalidData) as caught:
        services.followup_plan_create(
            office=office,
            actor=staff["kepegawaian"],
            period="2026",
            element_code="U3",
            action="Tambah petugas.",
            owner="Sekretaris",
            due_on=dt.date(2020, 1, 1),
        )
    assert "sesudah periode survei 2026 berakhir (31 Desember 2026)" in caught.value.errors["due_on"]
    plan = services.followup_plan_create(
        office=office,
        actor=staff["kepegawaian"],
        period="2026",
        element_code="U3",
        action="Tambah petugas.",
        owner="Sekretaris",
        due_on=dt.date(2027, 3, 31),
    )
    with pytest.raises(InvalidData):
        services.followup_plan_update(plan=plan, actor=staff["kepegawaian"], due_on=dt.date(2026, 12, 31))


def test_the_public_results_show_only_the_plans_the_office_published(client, office, staff, with_suggestions):
    for action, published in (("Loket tambahan jam sibuk.", True), ("Rapat internal.", False)):
        services.followup_plan_create(
            office=office,
            actor=staff["kepegawaian"],
            period="2026",
            element_code="U3",
            action=action,
            owner="Sekretaris",
            due_on=dt.date(2027, 3, 31),
            published=published,
        )
    page = client.get(f"/survei/kantor/{office.slug}/hasil/?periode=2026").content.decode()
    assert "Loket tambahan jam sibuk." in page and "Rapat internal." not in page
    plan = FollowUpPlan.objects.get(action="Rapat internal.")
    services.followup_plan_update(plan=plan, actor=staff["kepegawaian"], published=True)
    assert "Rapat internal." in client.get(f"/survei/kantor/{office.slug}/hasil/?periode=2026").content.decode()


def test_the_home_page_links_to_the_public_ikm_results(client, office, services_loaded):
    page = client.get("/").content.decode()
    assert f"/survei/kantor/{office.slug}/hasil/" in page
