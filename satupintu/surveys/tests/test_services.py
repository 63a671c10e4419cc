"""
Responses online (invitation token), on paper and by import; follow-up plans.

Seed, Evaluasi kinerja pelaksana a.1–a.4.
"""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from satupintu.core.errors import Conflict, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import AuditEvent
from satupintu.surveys import selectors, services
from satupintu.surveys.invitations import invitation_token
from satupintu.surveys.models import FollowUpPlan, InvitationUse, PlanStatus, SurveyElement, SurveyResponse
from satupintu.surveys.periods import period_parse
from satupintu.surveys.tests.conftest import answers

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 20, 3, 0, tzinfo=dt.UTC)


def test_the_questionnaire_ships_nine_elements_with_the_standard_wording():
    elements = list(SurveyElement.objects.order_by("position"))
    assert [e.code for e in elements] == [f"U{i}" for i in range(1, 10)]
    u4 = elements[3]
    assert [text for _, text in u4.answers] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    u9 = elements[8]
    assert u9.answer_1 == "Tidak ada" and u9.answer_4 == "Dikelola dengan baik"
    # The regulation lists complaint handling (8) before facilities (9).
    assert (elements[7].name, elements[7].regulation_number) == ("Sarana dan prasarana", 9)
    assert elements[8].regulation_number == 8


def test_an_invitation_answers_once_and_the_answer_is_anonymous(collected):
    token = invitation_token(collected)
    response = services.response_submit_online(
        token=token, answers=answers(4, 3, 3, 4, 3, 3, 4, 3, 2), profile={"sex": "P", "age_band": "30-39"}, at=AT
    )
    assert (response.service_id, response.office_id, response.channel) == (
        collected.service_id,
        collected.office_id,
        "online",
    )
    assert (response.period, response.sex, response.entered_by) == ("2026-03-20", "P", None)
    assert not {f.name for f in SurveyResponse._meta.fields} & {"application", "applicant", "nik", "token"}
    assert InvitationUse.objects.count() == 1
    with pytest.raises(Conflict) as err:
        services.response_submit_online(token=invitation_token(collected), answers=answers(1), at=AT)
    assert err.value.code == "already_answered"
    assert SurveyResponse.objects.count() == 1


def test_a_forged_token_or_an_uncollected_file_is_refused(collected, services_loaded, applicant):
    with pytest.raises(NotFound):
        services.response_submit_online(token=invitation_token(collected) + "x", answers=answers(4))
    from satupintu.applications import services as app_services
    from satupintu.applications.tests.conftest import FORM_DATA

    service = services_loaded["izin-kerja-radiografer"]
    draft = app_services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code]
    )
    with pytest.raises(NotFound):
        services.response_submit_online(token=invitation_token(draft), answers=answers(4))


def test_incomplete_answers_are_refused_per_element_in_indonesian(collected):
    with pytest.raises(InvalidData) as err:
        services.response_submit_online(
            token=invitation_token(collected), answers={**answers(3), "U2": "", "U5": 7}, profile={"sex": "X"}
        )
    assert err.value.errors == {
        # Issue 14: the message quotes the question the person read, not its code ("U9 belum dijawab.").
        "U2": "Pertanyaan “Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?” "
        "belum dijawab.",
        "U5": "Jawaban “Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?” harus 1, 2, 3 atau 4 (tertulis “7”).",
        "sex": "Isian jenis kelamin “X” tidak dikenal.",
    }
    assert not InvitationUse.objects.exists()  # a refused answer does not use up the invitation


def test_an_officer_enters_a_paper_questionnaire_with_an_audit_row(office, staff, services_loaded, served, paper_batch):
    service = services_loaded["izin-kerja-radiografer"]
    served(1)
    batch = paper_batch(period="2026-S1", service=service)
    response = services.response_enter_paper(
        office=office, actor=staff["front_office"], answers=answers(3), batch=batch, at=AT
    )
    assert (response.channel, response.period, response.entered_by) == ("paper", "2026-S1", staff["front_office"])
    assert (response.batch, response.service) == (batch, service)
    assert AuditEvent.objects.filter(action="survey.paper_entered", actor=staff["front_office"]).exists()


def test_a_user_without_a_role_cannot_enter_paper_answers(office, make_user):
    with pytest.raises(PermissionDenied):
        services.response_enter_paper(office=office, actor=make_user(), answers=answers(3))


CSV = (
    "U1;U2;U3;U4;U5;U6;U7;U8;U9;period;service;jenis_kelamin\n"
    "4;4;3;4;3;3;4;3;3;2026-S1;izin-kerja-radiografer;Perempuan\n"
    "3;3;3;4;3;3;3;3;2;2026-S1;;L\n"
)


def test_a_csv_of_answers_is_imported_as_one_batch(office, staff, services_loaded, served):
    served(2)
    batch = services.responses_import(
        office=office, actor=staff["front_office"], stream=io.BytesIO(CSV.encode()), filename="skm.csv", at=AT
    )
    assert batch.count == 2
    rows = list(SurveyResponse.objects.filter(batch=batch).order_by("pk"))
    assert rows[0].service == services_loaded["izin-kerja-radiografer"] and rows[0].sex == "P"
    assert rows[1].service is None and rows[1].u9 == 2
    result = selectors.ikm_of(selectors.responses_for(batch=batch, counted_only=False))
    assert result.respondents == 2
    assert AuditEvent.objects.filter(action="survey.imported").count() == 1


def test_an_xlsx_of_answers_is_imported(office, staff, served):
    served(3)
    book = Workbook()
    sheet = book.active
    sheet.append(["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "Periode"])
    for _ in range(3):
        sheet.append([4, 4, 4, 4, 4, 4, 4, 4, 4, "2026"])
    sheet.append([None] * 10)  # blank rows are skipped
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    batch = services.responses_import(office=office, actor=staff["front_office"], stream=out, filename="skm.xlsx")
    assert batch.count == 3
    assert selectors.ikm_of(selectors.responses_for(batch=batch, counted_only=False)).ikm == 100


def test_an_import_with_wrong_rows_imports_nothing_and_names_each_row(office, staff):
    csv = "U1,U2,U3,U4,U5,U6,U7,U8,U9,period,service\n4,4,4,4,4,4,4,4,4,2026,\n4,5,4,4,4,4,4,,4,2026-S3,reklame\n"
    with pytest.raises(InvalidData) as err:
        services.responses_import(
            office=office, actor=staff["front_office"], stream=io.BytesIO(csv.encode()), filename="a.csv"
        )
    assert list(err.value.errors) == ["baris 3"]
    message = err.value.errors["baris 3"]
    assert "Jawaban U2 (Sistem, mekanisme, dan prosedur) harus 1, 2, 3 atau 4" in message
    assert "Pertanyaan U8 (Sarana dan prasarana) belum dijawab" in message
    assert "Periode “2026-S3” tidak dikenal" in message and "Layanan “reklame” tidak dikenal" in message
    assert not SurveyResponse.objects.exists()


def test_an_import_without_the_answer_columns_is_refused(office, staff):
    with pytest.raises(InvalidData, match="Kolom wajib tidak ada: U9, period"):
        services.responses_import(
            office=office,
            actor=staff["front_office"],
            stream=io.BytesIO(b"U1,U2,U3,U4,U5,U6,U7,U8\n"),
            filename="a.csv",
        )


def _import(office, actor, rows, period="2026", *, approver=None):
    """Import rows as one batch and, given an approver, approve it so that it counts."""
    lines = ["U1,U2,U3,U4,U5,U6,U7,U8,U9,period"] + [",".join(map(str, r)) + f",{period}" for r in rows]
    batch = services.responses_import(
        office=office, actor=actor, stream=io.BytesIO("\n".join(lines).encode()), filename="x.csv"
    )
    if approver is not None:
        services.survey_batch_decide(batch=batch, actor=approver, approve=True)
    return batch


def test_every_element_below_baik_needs_a_follow_up_plan_tracked_to_done(office, staff, served):
    """Seed, Evaluasi kinerja pelaksana a.4: a plan for each element still rated low."""
    served(10)
    _import(office, staff["front_office"], [[4, 4, 2, 4, 4, 4, 4, 4, 3]] * 10, approver=staff["sekretaris"])
    period = period_parse("2026")
    summary = selectors.survey_summary(office=office, period=period)
    assert [e.code for e in summary.result.below_good] == ["U3", "U9"]
    assert summary.missing_plans == ["U3", "U9"]

    plan = services.followup_plan_create(
        office=office,
        actor=staff["kepegawaian"],
        period="2026",
        element_code="U3",
        action="Tambah petugas loket pada jam sibuk.",
        owner="Sekretaris",
        due_on=dt.date(2027, 6, 30),
    )
    assert selectors.survey_summary(office=office, period=period).missing_plans == ["U9"]
    with pytest.raises(InvalidData) as err:
        services.followup_plan_update(plan=plan, actor=staff["kepegawaian"], status=PlanStatus.DONE)
    assert "done_note" in err.value.errors
    plan = services.followup_plan_update(
        plan=plan, actor=staff["kepegawaian"], status=PlanStatus.DONE, done_note="Dua petugas tambahan sejak Mei."
    )
    assert plan.status == PlanStatus.DONE and plan.done_on is not None
    with pytest.raises(Conflict):
        services.followup_plan_update(plan=plan, actor=staff["kepegawaian"], owner="Kadis")
    actions = list(AuditEvent.objects.filter(action__startswith="survey.plan").values_list("action", flat=True))
    assert sorted(actions) == ["survey.plan_created", "survey.plan_updated"]


def test_only_those_who_evaluate_performance_plan_follow_ups(office, staff):
    with pytest.raises(PermissionDenied):
        services.followup_plan_create(
            office=office,
            actor=staff["front_office"],
            period="2026",
            element_code="U3",
            action="x",
            owner="y",
            due_on=dt.date(2026, 6, 30),
        )
    assert not FollowUpPlan.objects.exists()


def test_sample_size_is_shown_against_the_number_served(collected, office, staff):
    """The population is the files collected in the period; Krejcie & Morgan for 1 → 1."""
    _import(office, staff["front_office"], [[3] * 9], period="2026-03", approver=staff["sekretaris"])
    summary = selectors.survey_summary(office=office, period=period_parse("2026-T1"))
    assert (summary.population, summary.sample_required, summary.respondents, summary.sample_met) == (1, 1, 1, True)
    assert selectors.survey_summary(office=office, period=period_parse("2026-T2")).population == 0


def test_ikm_per_service_and_period_is_aggregated_in_the_database(
    office, staff, services_loaded, django_assert_max_num_queries, served, paper_batch, approve
):
    service = services_loaded["izin-kerja-radiografer"]
    served(2, day=dt.date(2026, 5, 4))
    served(1, day=dt.date(2025, 5, 4))
    batch = paper_batch(period="2026-05", service=service)
    for v in (3, 4):
        services.response_enter_paper(office=office, actor=staff["front_office"], answers=answers(v), batch=batch)
    approve(batch)
    _import(office, staff["front_office"], [[1] * 9], period="2025", approver=staff["sekretaris"])
    with django_assert_max_num_queries(1):
        result = selectors.ikm_of(selectors.responses_for(office=office, period=period_parse("2026"), service=service))
    assert (result.respondents, str(result.ikm), result.grade.letter) == (2, "87.50", "B")
    [(svc, by)] = selectors.ikm_by_service(office=office, period=period_parse("2026"))
    assert svc == service and by.ikm == result.ikm
