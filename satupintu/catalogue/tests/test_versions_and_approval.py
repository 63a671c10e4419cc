"""
Issue 11 item 4: a version goes draft → sent for review → approved by the Kepala Dinas with the
decree → published effective from a date; the version in force is the newest published and
effective in the office's time zone; applications keep the version they started on.
"""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from satupintu.applications import services as applications
from satupintu.applications.tests.conftest import FORM_DATA
from satupintu.catalogue import selectors
from satupintu.catalogue.diff import standard_diff
from satupintu.catalogue.loader import standard_load
from satupintu.catalogue.services import service_copy_from_template, standard_draft_create, standard_transition
from satupintu.catalogue.tests.standards import text_with_fee_set
from satupintu.core.errors import Conflict, DomainError, InvalidData, PermissionDenied
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

RADIOGRAFER = "izin-kerja-radiografer"
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def people(office, make_user, applicant):
    return {
        "keeper": make_user("pengelola", office=office, roles=["pengelola_standar"]),
        "kadis": make_user("kadis", office=office, roles=["kepala_dinas"]),
        "clerk": make_user("loket", office=office, roles=["front_office"]),
        "applicant": applicant,
    }


@pytest.fixture
def draft(office, people):
    return service_copy_from_template(office=office, template_code=RADIOGRAFER, actor=people["keeper"])


def _through(version, people, *, effective_from=None):
    version = standard_transition(version=version, transition="send_for_review", actor=people["keeper"])
    version = standard_transition(
        version=version,
        transition="approve",
        actor=people["kadis"],
        decree_number="503/123/DPMPTSP/2026",
        decree_date=dt.date(2026, 11, 20),
    )
    return standard_transition(
        version=version,
        transition="publish",
        actor=people["keeper"],
        effective_from=effective_from or dt.date(2026, 11, 21),
    )


def test_a_copied_draft_goes_through_review_approval_with_the_decree_and_publication(draft, people, office):
    published = _through(draft, people)
    assert published.status == "published"
    assert published.decree_number == "503/123/DPMPTSP/2026" and published.decree_date == dt.date(2026, 11, 20)
    assert published.approved_by == people["kadis"] and published.sent_for_review_by == people["keeper"]
    assert selectors.current_version_of(draft.service) == published
    actions = list(
        AuditEvent.objects.filter(office=office, action__startswith="standard.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["standard.send_for_review", "standard.approve", "standard.publish"]


def test_only_the_kepala_dinas_approves_and_only_with_a_decree_number_and_date(draft, people):
    version = standard_transition(version=draft, transition="send_for_review", actor=people["keeper"])
    with pytest.raises(PermissionDenied):
        standard_transition(
            version=version, transition="approve", actor=people["keeper"], decree_number="1", decree_date=TODAY
        )
    with pytest.raises(InvalidData) as missing:
        standard_transition(version=version, transition="approve", actor=people["kadis"])
    assert set(missing.value.errors) == {"decree_number", "decree_date"}
    with pytest.raises(PermissionDenied):
        standard_transition(version=draft, transition="send_for_review", actor=people["clerk"])


def test_the_one_who_sent_a_version_cannot_approve_it_even_as_kepala_dinas(office, make_user):
    both = make_user(office=office, roles=["pengelola_standar", "kepala_dinas"])
    version = service_copy_from_template(office=office, template_code=RADIOGRAFER, actor=both)
    version = standard_transition(version=version, transition="send_for_review", actor=both)
    with pytest.raises(DomainError) as refused:
        standard_transition(version=version, transition="approve", actor=both, decree_number="1", decree_date=TODAY)
    assert refused.value.code == "four_eyes"


def test_a_returned_version_needs_a_note_and_goes_back_to_draft(draft, people):
    version = standard_transition(version=draft, transition="send_for_review", actor=people["keeper"])
    with pytest.raises(InvalidData):
        standard_transition(version=version, transition="return", actor=people["kadis"])
    version = standard_transition(
        version=version, transition="return", actor=people["kadis"], note="Biaya belum sesuai Perda."
    )
    assert version.status == "draft" and version.review_note == "Biaya belum sesuai Perda."


def test_a_transition_from_the_wrong_status_is_a_conflict(draft, people):
    with pytest.raises(Conflict):
        standard_transition(version=draft, transition="publish", actor=people["keeper"], effective_from=TODAY)


def test_a_version_published_for_a_later_date_is_not_in_force_until_that_day(draft, people):
    later = timezone.localdate() + dt.timedelta(days=10)
    _through(draft, people, effective_from=later)
    with pytest.raises(selectors.NotFound):
        selectors.current_version_of(draft.service)
    assert selectors.current_version_of(draft.service, day=later).version == draft.version


def test_publication_cannot_take_effect_before_the_decree(draft, people):
    version = standard_transition(version=draft, transition="send_for_review", actor=people["keeper"])
    version = standard_transition(
        version=version,
        transition="approve",
        actor=people["kadis"],
        decree_number="9",
        decree_date=dt.date(2026, 11, 20),
    )
    with pytest.raises(InvalidData) as bad:
        standard_transition(
            version=version, transition="publish", actor=people["keeper"], effective_from=dt.date(2026, 11, 1)
        )
    assert "effective_from" in bad.value.errors


def test_the_seeds_loaded_from_files_are_published_directly_and_the_audit_says_so(office):
    path = Path(settings.SATUPINTU_STANDARDS_DIR) / f"{RADIOGRAFER}.yaml"
    result = standard_load(office=office, text=path.read_text(encoding="utf-8"), path=str(path))
    assert result.version.status == "published"
    event = AuditEvent.objects.get(action="standard.publish", office=office)
    assert event.data["direct"] is True


def test_an_application_keeps_the_version_it_started_on_when_a_new_one_is_published(office, people, applicant):
    path = Path(settings.SATUPINTU_STANDARDS_DIR) / f"{RADIOGRAFER}.yaml"
    first = standard_load(office=office, text=text_with_fee_set(path)).version
    application = applications.application_create(
        office=office, service=first.service, actor=applicant, data=FORM_DATA[RADIOGRAFER]
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["completion_time"]["text"] = "1 hari kerja (dengan persyaratan lengkap)"
    data["completion_time"]["duration"] = "1 hari"
    second = standard_draft_create(
        service=first.service, text=yaml.safe_dump(data, allow_unicode=True), actor=people["keeper"]
    )
    assert second.status == "draft" and selectors.current_version_of(first.service) == first
    _through(second, people)
    assert selectors.current_version_of(first.service) == second
    application.refresh_from_db()
    assert application.standard_version_id == first.pk
    assert applications.spec_for(application).completion_time.duration != "1 hari"
    newer = applications.application_create(
        office=office, service=first.service, actor=applicant, data=FORM_DATA[RADIOGRAFER]
    )
    assert newer.standard_version_id == second.pk


def test_the_difference_of_two_versions_names_each_changed_clause_in_its_component():
    old = {
        "fee": {"amount": None, "text": "Belum ditetapkan"},
        "requirements": [{"key": "ktp", "label": "KTP"}, {"key": "foto", "label": "Pas foto"}],
        "legal_basis": [{"label": "a.", "text": "UU 25/2009"}],
    }
    new = {
        "fee": {"amount": 0, "text": "GRATIS"},
        "requirements": [
            {"key": "foto", "label": "Pas foto"},
            {"key": "ktp", "label": "KTP"},
            {"key": "str", "label": "STR"},
        ],
        "legal_basis": [{"label": "a.", "text": "UU 25/2009"}],
    }
    by_label = {str(c.label): c for c in standard_diff(old, new)}
    fee = by_label["4. Biaya/tarif"]
    assert {(ch.path, ch.old, ch.new) for ch in fee.changes} == {
        ("fee.amount", "–", "0"),
        ("fee.text", "Belum ditetapkan", "GRATIS"),
    }
    requirements = by_label["1. Persyaratan pelayanan"]
    # A reordered list is not a change; the added requirement is one.
    assert [(ch.path, ch.kind) for ch in requirements.changes] == [
        ("requirements[key=str].key", "added"),
        ("requirements[key=str].label", "added"),
    ]
    assert not by_label["7. Dasar hukum"].changed


def test_the_staff_diff_page_and_the_approval_page_show_the_versions(client, office, people):
    path = Path(settings.SATUPINTU_STANDARDS_DIR) / f"{RADIOGRAFER}.yaml"
    first = standard_load(office=office, text=path.read_text(encoding="utf-8")).version
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fee"] = {"amount": 50000, "text": "Rp 50.000 sesuai Perda"}
    second = standard_draft_create(
        service=first.service, text=yaml.safe_dump(data, allow_unicode=True), actor=people["keeper"]
    )
    client.force_login(people["keeper"])
    body = client.get(
        reverse("staff:standard_diff", args=[office.slug, RADIOGRAFER]), {"dari": first.version, "ke": second.version}
    ).content.decode()
    assert "4. Biaya/tarif" in body and "Rp 50.000 sesuai Perda" in body and "tidak berubah" in body
    page = reverse("staff:standard_version", args=[office.slug, RADIOGRAFER, second.version])
    assert "Ajukan untuk persetujuan" in client.get(page).content.decode()
    act = reverse("staff:standard_act", args=[office.slug, RADIOGRAFER, second.version])
    assert client.post(act, {"transition": "send_for_review"}).status_code == 302
    client.force_login(people["kadis"])
    refused = client.post(act, {"transition": "approve", "decree_number": ""})
    assert refused.status_code == 422 and "Isi nomor Keputusan Kepala Dinas." in refused.content.decode()
    done = client.post(act, {"transition": "approve", "decree_number": "503/7/2026", "decree_date": "2026-11-30"})
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.status == "approved" and second.decree_number == "503/7/2026"


def test_the_api_moves_a_version_through_its_approval(client, office, people):
    from satupintu.api.tests.conftest import ApiClient

    keeper, kadis = ApiClient(client, people["keeper"]), ApiClient(client, people["kadis"])
    created = keeper.post("/standards/copy", {"office": office.slug, "template": RADIOGRAFER})
    assert created.status_code == 201 and created.json()["transitions"] == ["send_for_review", "withdraw"]
    base = f"/standards/{RADIOGRAFER}/versions/1/transitions"
    assert keeper.post(base, {"office": office.slug, "transition": "send_for_review"}).json()["status"] == "in_review"
    assert kadis.post(base, {"office": office.slug, "transition": "approve"}).status_code == 422
    approved = kadis.post(
        base, {"office": office.slug, "transition": "approve", "decree_number": "9/2026", "decree_date": "2026-11-30"}
    )
    assert approved.status_code == 200 and approved.json()["decree_number"] == "9/2026"
    published = keeper.post(base, {"office": office.slug, "transition": "publish", "effective_from": "2026-11-30"})
    assert published.json()["status"] == "published"
    assert (
        ApiClient(client, people["clerk"])
        .get(f"/standards/{RADIOGRAFER}/versions", {"office": office.slug})
        .status_code
        == 403
    )
    assert (
        ApiClient(client).get(f"/services/{RADIOGRAFER}", {"office": office.slug}).json()["decree_number"] == "9/2026"
    )
    # The published service now takes an application, on the version just published.
    created = ApiClient(client, people["applicant"]).post(
        "/applications", {"office": office.slug, "service": RADIOGRAFER, "data": FORM_DATA[RADIOGRAFER]}
    )
    assert created.status_code == 201, created.content


def test_the_decree_with_its_lampiran_and_the_pledge_are_pdfs_konsep_until_approved(client, draft, people, office):
    import io

    from pypdf import PdfReader

    client.force_login(people["keeper"])
    url = reverse("staff:standard_version_pdf", args=[office.slug, RADIOGRAFER, draft.version, "keputusan"])
    konsep = PdfReader(io.BytesIO(client.get(url).content))
    first = konsep.pages[0].extract_text()
    assert "KONSEP" in first and "STANDAR PELAYANAN IZIN KERJA RADIOGRAFER" in first
    _through(draft, people)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "503/123/DPMPTSP/2026" in text and "LAMPIRAN" in text and "KONSEP" not in pages[0].extract_text()
    assert "Undang-Undang Nomor 25" in text.replace("\n", " ") or "25 Tahun 2009" in text.replace("\n", " ")
    pledge = client.get(
        reverse("staff:standard_version_pdf", args=[office.slug, RADIOGRAFER, draft.version, "maklumat"])
    )
    assert "MAKLUMAT PELAYANAN" in PdfReader(io.BytesIO(pledge.content)).pages[0].extract_text()
    assert client.get(url.replace("keputusan.pdf", "lain.pdf")).status_code == 404


def test_a_draft_is_previewed_as_its_public_page_and_its_sop_diagram_without_being_public(
    client, draft, people, office
):
    client.force_login(people["keeper"])
    preview = client.get(reverse("staff:standard_preview", args=[office.slug, RADIOGRAFER, draft.version]))
    body = preview.content.decode()
    assert preview.status_code == 200 and "Pratinjau versi 1 (Konsep)" in body
    assert "Foto copy STR yang dilegalisir basah" in body and "Masa berlaku tidak tercantum" not in body
    sop = client.get(reverse("staff:standard_version_pdf", args=[office.slug, RADIOGRAFER, draft.version, "sop"]))
    assert sop.status_code == 200 and sop.content.startswith(b"%PDF")
    assert client.get(reverse("portal:office_service", args=[office.slug, RADIOGRAFER])).status_code == 404
    client.force_login(people["clerk"])
    assert (
        client.get(reverse("staff:standard_preview", args=[office.slug, RADIOGRAFER, draft.version])).status_code == 403
    )
