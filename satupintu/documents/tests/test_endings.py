"""
Issue 10: each step does its row's work, and the endings keep the register true.

Each test names the defect it closes (the list at the top of issue 10) or the seed clause it proves.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from satupintu.applications import services
from satupintu.applications.models import Application, Permit, Status
from satupintu.applications.tests.conftest import FORM_DATA, HANDOVER_SELF, PDF, WIB, Clock, bap_for, upload_all
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.documents import printouts
from satupintu.documents.models import DocumentKind, IssuedDocument
from satupintu.documents.services import permit_download, permit_revoke
from satupintu.documents.signing import BsreSigner, SigningError
from satupintu.documents.tests.conftest import RADIOGRAFER, walk
from satupintu.notifications.models import Notice

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("/ ", "/")  # a long number wraps after a slash


def test_defect_a_file_cancelled_at_the_handover_desk_kept_a_valid_permit(issue, staff, applicant, client):
    """Once the permit is signed, neither the counter nor the applicant can withdraw: only revocation ends it."""
    app = issue(RADIOGRAFER)
    assert app.status == Status.READY and Permit.objects.filter(application=app).exists()
    for actor in (staff["front_office"], applicant):
        with pytest.raises(Conflict) as refused:
            services.application_withdraw(application=app, actor=actor, reason="Batal.")
        assert refused.value.code == "permit_signed"
    assert Application.objects.get(pk=app.pk).status == Status.READY
    client.force_login(staff["front_office"])
    page = client.get(reverse("staff:application", args=[app.number])).content.decode()
    assert "Batalkan permohonan atas permintaan pemohon" not in page


def test_defect_the_applicant_downloaded_the_signed_permit_before_any_handover(issue, applicant, client, settings):
    """No signed permit leaves before the handover; the first download *is* the handover (survey invitation)."""
    settings.SATUPINTU_SMS = {"BACKEND": "fake"}
    app = issue(RADIOGRAFER)
    client.force_login(applicant)
    assert client.get(reverse("portal:permit_pdf", args=[app.number])).status_code == 404
    assert Application.objects.get(pk=app.pk).status == Status.READY

    document = permit_download(number=app.number, user=applicant)
    app.refresh_from_db()
    assert app.status == Status.COLLECTED and document.signed
    last = ControlCardEntry.objects.filter(application=app).order_by("-seq").first()
    assert (last.outcome, last.actor_id) == ("download", applicant.pk)
    assert Notice.objects.filter(application=app, template_key="survey.invitation").exists()
    # Downloading again does not record another handover.
    permit_download(number=app.number, user=applicant)
    assert ControlCardEntry.objects.filter(application=app, outcome="download").count() == 1
    assert client.get(reverse("portal:permit_pdf", args=[app.number])).status_code == 200


def test_the_api_download_by_the_applicant_records_the_handover(issue, applicant, client):
    from satupintu.api.tokens import token_issue

    app = issue(RADIOGRAFER)
    _record, token = token_issue(user=applicant)
    response = client.get(f"/api/v1/applications/{app.number}/permit.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Application.objects.get(pk=app.pk).status == Status.COLLECTED


def test_defect_the_card_said_disetujui_paraf_after_the_kepala_dinas_signed(issue, staff, client):
    """The sign step is recorded and announced as a signature ("Ditandatangani"), not as a paraf."""
    app = issue(RADIOGRAFER)
    sign = ControlCardEntry.objects.get(application=app, step_kind="sign")
    from satupintu.catalogue.step_kinds import outcome_label

    assert outcome_label(sign.step_kind, sign.outcome) == "Ditandatangani"
    assert outcome_label("initial", "approve") == "Diparaf"
    client.force_login(staff["front_office"])
    card = client.get(reverse("staff:card", args=[app.number])).content.decode()
    assert "Ditandatangani" in card and "Disetujui (paraf)" not in card


def test_the_kepala_dinas_may_refuse_with_a_reason_and_a_refusal_letter(services_loaded, staff, applicant):
    """Issue 10 (sign): the Kadis may also refuse; the reason goes to the refusal letter and no number is taken."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock, stop_kind="sign")
    with pytest.raises(InvalidData):
        services.step_complete(application=app, actor=staff["kepala_dinas"], step_number=8, outcome="reject")
    app = services.step_complete(
        application=app,
        actor=staff["kepala_dinas"],
        step_number=8,
        outcome="reject",
        note="Fasilitas belum memiliki izin operasional radiologi.",
        at=clock.tick(minutes=30),
    )
    assert app.status == Status.REJECTED and not Permit.objects.filter(application=app).exists()
    assert "izin operasional radiologi" in _text(printouts.refusal_letter_pdf(app))


def test_the_bap_is_dated_within_the_file_and_signed_by_the_offices_tim_teknis(services_loaded, staff, applicant):
    """Issue 10 (inspection): not in the future, not before submission; team from the office's Tim Teknis; a PDF."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock, stop_kind="inspection")

    def attempt(**bap):
        with pytest.raises(InvalidData) as refused:
            services.step_complete(
                application=app,
                actor=staff["tim_teknis"],
                step_number=3,
                outcome="recommend",
                data=bap_for(app, clock.now, **bap),
                at=clock.now,
            )
        return refused.value.errors

    assert "date" in attempt(date="2026-03-20")  # in the future
    assert "date" in attempt(date="2026-03-01")  # before the file was handed in
    assert "team" in attempt(team=["Orang dari luar"])
    app = services.step_complete(
        application=app,
        actor=staff["tim_teknis"],
        step_number=3,
        outcome="recommend",
        data=bap_for(app, clock.now),
        at=clock.tick(minutes=20),
    )
    assert app.bap["team"] == [{"id": str(staff["tim_teknis"].pk), "name": staff["tim_teknis"].display_name}]
    text = _text(printouts.bap_pdf(app))
    assert "BERITA ACARA PEMERIKSAAN" in text and staff["tim_teknis"].display_name in text
    assert "ruang radiologi berizin" in text and app.number in text


def test_a_proxy_collects_only_with_the_power_of_attorney_and_the_card_names_them(issue, staff):
    """Issue 10 (handover): who collected (name, ID number, self or proxy with the surat kuasa)."""
    app = issue(RADIOGRAFER)
    step = app.current_step
    proxy = {"relation": "proxy", "name": "Budi Santoso", "id_number": "1471011001850003"}
    with pytest.raises(InvalidData) as refused:
        services.step_complete(
            application=app, actor=staff["front_office"], step_number=step, outcome="pickup", data={"handover": proxy}
        )
    assert "proxy_document" in refused.value.errors
    with pytest.raises(InvalidData):
        services.step_complete(application=app, actor=staff["front_office"], step_number=step, outcome="pickup")
    letter = services.proxy_letter_attach(
        application=app, actor=staff["front_office"], stream=io.BytesIO(PDF), filename="surat-kuasa.pdf"
    )
    with pytest.raises(PermissionDenied):
        services.proxy_letter_attach(
            application=app, actor=staff["back_office"], stream=io.BytesIO(PDF), filename="surat-kuasa.pdf"
        )
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=step,
        outcome="pickup",
        data={"handover": {**proxy, "proxy_document": str(letter.pk)}},
    )
    assert app.status == Status.COLLECTED
    record = ControlCardEntry.objects.get(application=app, outcome="pickup").data["handover"]
    assert record == {**proxy, "proxy_document": str(letter.pk), "holder_name": "Rina Marlina, A.Md.Rad."}


def test_the_staff_page_records_a_proxy_handover_with_its_upload(issue, staff, client):
    app = issue(RADIOGRAFER)
    client.force_login(staff["front_office"])
    response = client.post(
        reverse("staff:act", args=[app.number]),
        {
            "action": "complete",
            "step": app.current_step,
            "outcome": "pickup",
            "handover_relation": "proxy",
            "handover_name": "Budi Santoso",
            "handover_id_number": "1471011001850003",
            "proxy_letter": SimpleUploadedFile("kuasa.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    entry = ControlCardEntry.objects.get(application=app, outcome="pickup")
    assert entry.data["handover"]["relation"] == "proxy" and entry.data["handover"]["proxy_document"]
    page = client.get(reverse("staff:application", args=[app.number])).content.decode()
    assert "Diambil kuasa: Budi Santoso" in page


def test_revocation_stores_its_letter_and_tells_the_applicant(issue, staff, settings):
    """Issue 10 (endings): revocation by the Kepala Dinas — reason, letter, notice."""
    settings.SATUPINTU_SMS = {"BACKEND": "fake"}
    app = issue(RADIOGRAFER)
    app = services.step_complete(
        application=app, actor=staff["front_office"], step_number=app.current_step, outcome="pickup", data=HANDOVER_SELF
    )
    permit = Permit.objects.get(application=app)
    with pytest.raises(PermissionDenied):
        permit_revoke(permit=permit, actor=staff["sekretaris"], reason="x")
    permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="STR pemegang izin dicabut.")
    letter = IssuedDocument.objects.get(application=app, kind=DocumentKind.REVOCATION)
    text = _text(letter.file.open("rb").read())
    assert "DICABUT" in text and permit.number in text and "STR pemegang izin dicabut." in text
    notice = Notice.objects.get(application=app, event="permit.revoked", channel="sms")
    assert permit.number in notice.text and "STR pemegang izin dicabut." in notice.text


def test_a_withdrawal_by_the_office_tells_the_applicant_and_their_own_does_not(
    services_loaded, staff, applicant, settings
):
    settings.SATUPINTU_SMS = {"BACKEND": "fake"}
    service = services_loaded[RADIOGRAFER]
    made = []
    for _ in range(2):
        app = services.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER]
        )
        upload_all(app, applicant)
        made.append(services.application_submit(application=app, actor=applicant))
    services.application_withdraw(application=made[0], actor=staff["front_office"], reason="Atas permintaan pemohon.")
    services.application_withdraw(application=made[1], actor=applicant, reason="Pindah kota.")
    assert Notice.objects.filter(application=made[0], event="application.withdrawn").exists()
    assert not Notice.objects.filter(application=made[1], event="application.withdrawn").exists()


def test_defect_a_revoked_permit_led_with_the_green_asli_box(issue, staff, client):
    """The verification page leads with the real state (revoked, with its date), never with "ASLI" alone."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    page = client.get(reverse("portal:verify", args=[permit.verification_code])).content.decode()
    assert "ASLI DAN BERLAKU" in page
    permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="Dicabut karena STR dicabut.")
    page = client.get(reverse("portal:verify", args=[permit.verification_code])).content.decode()
    headline = page.index('id="status-utama"')
    assert page.index("DICABUT") > headline and "ASLI DAN BERLAKU" not in page
    assert "Dicabut oleh Kepala Dinas sejak" in page


def test_bsre_asks_for_the_signers_passphrase_each_time_and_never_keeps_it():
    """Issue 10 (sign): with BSrE, a signature without the signer's passphrase or TOTP is refused in Indonesian."""
    signer = BsreSigner(url="http://127.0.0.1:9", nik="1471", passphrase="")
    with pytest.raises(SigningError) as refused:
        signer.sign(b"%PDF", reason="x", location="y")
    assert "passphrase TTE atau kode TOTP" in refused.value.message


def test_roles_without_personal_data_get_a_masked_konsep_and_no_signed_file(issue, staff, client):
    """One masking rule for the letters too: kepegawaian sees the KONSEP masked and not the signed permit."""
    app = issue(RADIOGRAFER)
    client.force_login(staff["kepegawaian"])
    konsep = client.get(reverse("staff:permit_pdf", args=[app.number]) + "?konsep=1")
    text = _text(konsep.content)
    assert konsep.status_code == 200 and "KONSEP" in text
    assert app.applicant_nik not in text and "1471********0002" in text
    signed = client.get(reverse("staff:permit_pdf", args=[app.number]))
    assert signed.status_code == 403
