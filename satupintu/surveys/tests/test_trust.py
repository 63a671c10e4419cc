"""
Issue 13, part 5: survey answers that can be trusted.

Finding: "Invented survey answers. Any officer, the Kepala Dinas included, can enter unlimited
'paper' questionnaires: 20 fabricated entries moved the public IKM to 100.00 (A)."
"""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.core.models import AuditEvent
from satupintu.surveys import selectors, services
from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.models import SurveyResponse
from satupintu.surveys.periods import period_parse
from satupintu.surveys.report import skm_report_xlsx
from satupintu.surveys.tests.conftest import answers

pytestmark = pytest.mark.django_db
MAY = period_parse("2026-05")
AT = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def may_online(served):
    """25 files collected in May 2026, five of whose applicants answered online, all rating 2 (IKM 50.00, D)."""
    apps = served(25, day=dt.date(2026, 5, 4))
    for app in apps[:5]:
        services.response_submit_online(
            token=invitation_token(app), answers=answers(2), at=dt.datetime(2026, 5, 6, 3, 0, tzinfo=dt.UTC)
        )
    return apps


def _ikm(office):
    return selectors.survey_summary(office=office, period=MAY).result


def _fabricate(office, batch, actor, n=20):
    for _ in range(n):
        services.response_enter_paper(office=office, actor=actor, answers=answers(4), batch=batch, at=AT)


def test_finding_20_fabricated_entries_do_not_move_the_ikm_without_a_second_officer(
    office, staff, may_online, paper_batch
):
    """20 invented 'paper' answers wait in their batch: the public IKM stays 50.00 (D) until someone else approves."""
    assert (str(_ikm(office).ikm), _ikm(office).grade.letter) == ("50.00", "D")
    batch = paper_batch(period="2026-05")
    _fabricate(office, batch, staff["front_office"])
    assert (str(_ikm(office).ikm), _ikm(office).grade.letter, _ikm(office).respondents) == ("50.00", "D", 5)
    summary = selectors.survey_summary(office=office, period=MAY)
    assert summary.pending == 20 and summary.channels == {"online": 5, "paper": 0, "import": 0}

    # The one who collected and entered them cannot approve them, nor can the Kepala Dinas.
    for who in ("front_office", "kepala_dinas"):
        with pytest.raises(PermissionDenied):
            services.survey_batch_decide(batch=batch, actor=staff[who], approve=True)
    assert str(_ikm(office).ikm) == "50.00"


def test_finding_20_fabricated_entries_cannot_exceed_the_respondents_served(office, staff, served, paper_batch):
    """With 10 people served in May and 5 answers already in, the 6th paper questionnaire is refused."""
    apps = served(10, day=dt.date(2026, 5, 4))
    for app in apps[:5]:
        services.response_submit_online(
            token=invitation_token(app), answers=answers(2), at=dt.datetime(2026, 5, 6, 3, 0, tzinfo=dt.UTC)
        )
    batch = paper_batch(period="2026-05")
    with pytest.raises(InvalidData, match="10 orang dilayani, tersisa 0"):
        _fabricate(office, batch, staff["front_office"])
    # Each questionnaire is its own transaction: five fit, the sixth and every later one do not.
    batch.refresh_from_db()
    assert SurveyResponse.objects.filter(batch=batch).count() == batch.count == 5


def test_finding_paper_entries_stop_at_the_number_served(office, staff, served, paper_batch):
    """One questionnaire per person served: entry n+1 is refused, whoever types it."""
    served(3, day=dt.date(2026, 5, 4))
    batch = paper_batch(period="2026-05")
    _fabricate(office, batch, staff["front_office"], n=3)
    with pytest.raises(InvalidData, match="3 orang dilayani, tersisa 0"):
        _fabricate(office, batch, staff["front_office"], n=1)
    assert SurveyResponse.objects.filter(batch=batch).count() == 3


def test_finding_the_kepala_dinas_cannot_enter_paper_questionnaires(office, staff, may_online):
    """Entering paper questionnaires is the counter's and the secretariat's work, not the Kepala Dinas's."""
    with pytest.raises(PermissionDenied):
        services.survey_batch_open(
            office=office, actor=staff["kepala_dinas"], collected_on=dt.date(2026, 5, 20), place="Ruang Kadis", at=AT
        )


def test_a_paper_questionnaire_needs_its_batch(office, staff, may_online):
    """A questionnaire with no batch (day, place, collector) is refused."""
    with pytest.raises(InvalidData) as err:
        services.response_enter_paper(office=office, actor=staff["front_office"], answers=answers(4), at=AT)
    assert "batch" in err.value.errors


def test_a_batch_names_day_place_and_collector(office, staff):
    """Opening a batch without its day or place, or with a collector from outside the office, is refused."""
    with pytest.raises(InvalidData) as err:
        services.survey_batch_open(
            office=office, actor=staff["front_office"], collected_on=None, place=" ", at=AT, collected_by=object()
        )
    assert set(err.value.errors) == {"collected_on", "place", "collected_by"}
    with pytest.raises(InvalidData) as err:
        services.survey_batch_open(
            office=office, actor=staff["front_office"], collected_on=dt.date(2026, 6, 2), place="Loket", at=AT
        )
    assert "collected_on" in err.value.errors  # not in the future


def test_an_approved_batch_counts_and_is_marked_as_paper(office, staff, may_online, paper_batch, approve):
    """After the Sekretaris approves, the 20 answers count, marked as paper in the summary, the XLSX and the audit."""
    batch = paper_batch(period="2026-05")
    _fabricate(office, batch, staff["front_office"])
    approve(batch)
    summary = selectors.survey_summary(office=office, period=MAY)
    assert summary.respondents == 25 and summary.pending == 0
    assert summary.channels == {"online": 5, "paper": 20, "import": 0}
    sheet = load_workbook(io.BytesIO(skm_report_xlsx(summary)))["Ringkasan"]
    facts = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert facts["— daring (tautan undangan)"] == 5
    assert facts["— kuesioner kertas (disetujui petugas kedua)"] == 20
    assert AuditEvent.objects.filter(action="survey.batch_approved", actor=staff["sekretaris"]).exists()
    with pytest.raises(Conflict):
        services.response_enter_paper(office=office, actor=staff["front_office"], answers=answers(4), batch=batch)


def test_a_rejected_batch_never_counts_and_frees_its_places(office, staff, served, paper_batch):
    """A rejected batch needs a reason, never counts, and no longer takes places of the people served."""
    served(2, day=dt.date(2026, 5, 4))
    batch = paper_batch(period="2026-05")
    _fabricate(office, batch, staff["front_office"], n=2)
    with pytest.raises(InvalidData):
        services.survey_batch_decide(batch=batch, actor=staff["kepegawaian"], approve=False)
    services.survey_batch_decide(
        batch=batch, actor=staff["kepegawaian"], approve=False, note="Tidak ada lembar aslinya."
    )
    assert _ikm(office) is None
    again = paper_batch(period="2026-05")
    _fabricate(office, again, staff["front_office"], n=2)


def test_an_import_waits_for_approval_and_is_limited_too(office, staff, served):
    """A file of answers is a batch like paper: it waits for a second officer and cannot exceed those served."""
    served(2, day=dt.date(2026, 5, 4))
    csv = "U1,U2,U3,U4,U5,U6,U7,U8,U9,period\n" + "4,4,4,4,4,4,4,4,4,2026-05\n" * 3
    with pytest.raises(InvalidData, match="melebihi"):
        services.responses_import(
            office=office, actor=staff["front_office"], stream=io.BytesIO(csv.encode()), filename="a.csv"
        )
    csv = "U1,U2,U3,U4,U5,U6,U7,U8,U9,period\n" + "4,4,4,4,4,4,4,4,4,2026-05\n" * 2
    batch = services.responses_import(
        office=office, actor=staff["front_office"], stream=io.BytesIO(csv.encode()), filename="a.csv"
    )
    assert _ikm(office) is None
    services.survey_batch_decide(batch=batch, actor=staff["sekretaris"], approve=True)
    assert _ikm(office).respondents == 2


def test_finding_staff_cannot_answer_online_as_the_public(client, office, staff, served):
    """An officer of the office signed in cannot answer through an invitation link (service, page and API)."""
    app = served(1)[0]
    with pytest.raises(PermissionDenied):
        services.response_submit_online(token=invitation_token(app), answers=answers(4), actor=staff["kepala_dinas"])

    client.force_login(staff["front_office"])
    r = client.post(f"/survei/isi/{invitation_token(app)}/", answers(4))
    assert r.status_code == 403

    client.logout()
    token = client.post(
        "/api/v1/auth/token", {"username": "sekretaris-1", "password": "rahasia-sekali-123"}, "application/json"
    ).json()["token"]
    r = client.post(
        "/api/v1/surveys/responses",
        {"token": invitation_token(app), "answers": answers(4)},
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 403 and not SurveyResponse.objects.exists()

    # The public, signed in or not, still answers.
    r = client.post(f"/survei/isi/{invitation_token(app)}/", answers(4))
    assert r.status_code == 302 and SurveyResponse.objects.count() == 1


def test_the_batches_page_lets_only_a_second_officer_decide(client, office, staff, served, paper_batch):
    """The batches page shows each batch's source; the collector gets no approve button and is refused if forced."""
    served(1, day=dt.date(2026, 5, 4))
    batch = paper_batch(period="2026-05")
    _fabricate(office, batch, staff["front_office"], n=1)
    client.force_login(staff["front_office"])
    page = client.get(f"/petugas/survei/{office.slug}/kelompok/").content.decode()
    assert "Kotak survei ruang loket" in page and "Setujui" not in page
    r = client.post(f"/petugas/survei/{office.slug}/kelompok/", {"batch": batch.pk, "keputusan": "setujui"})
    assert r.status_code == 403
    client.force_login(staff["sekretaris"])
    page = client.get(f"/petugas/survei/{office.slug}/kelompok/").content.decode()
    assert "Setujui" in page
    r = client.post(f"/petugas/survei/{office.slug}/kelompok/", {"batch": batch.pk, "keputusan": "setujui"})
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.decided_by == staff["sekretaris"]
