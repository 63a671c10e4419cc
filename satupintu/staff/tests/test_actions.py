"""The application page's actions: stale steps, the completeness checklist, personal data, Plh, counter form."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.services import acting_appoint
from satupintu.applications.models import Application, Document, Status
from satupintu.applications.tests.conftest import FORM_DATA, PNG
from satupintu.control_card.models import ControlCardEntry
from satupintu.core.models import PersonalDataAccess
from satupintu.staff.forms import KIND_FIELD, NEW, RENEWAL
from satupintu.staff.tests.conftest import PARAMEDIK, act_url, advance, app_url

pytestmark = pytest.mark.django_db


def ticks(app, *, except_=()):
    """The checklist as the officer fills it: every item judged, "tidak sesuai" for those in ``except_``."""
    return {
        f"judge-{d.requirement_key}": "tidak_sesuai" if d.requirement_key in except_ else "sesuai"
        for d in app.documents.filter(active=True)
    }


def test_a_stale_post_gets_the_409_message_and_changes_nothing(client, submitted, staff):
    """Two tabs on the same step: the second "Lengkap" finds the step moved on and acts on nothing."""
    app = submitted()
    client.force_login(staff["front_office"])
    form = {"action": "complete", "step": 2, "outcome": "complete", **ticks(app)}
    assert client.post(act_url(app), form).status_code == 302
    app.refresh_from_db()
    before = (app.current_step, app.card_seq, app.status, app.card_head_hash)

    response = client.post(act_url(app), form)
    assert response.status_code == 409
    assert "Langkah ini sudah diselesaikan atau berpindah" in response.content.decode()
    app.refresh_from_db()
    assert (
        (app.current_step, app.card_seq, app.status, app.card_head_hash)
        == before
        == (3, 2, Status.IN_PROCESS, before[3])
    )


def test_an_incomplete_file_goes_back_with_a_reason_per_requirement(client, submitted, staff):
    """Seed SOP row 2: an incomplete file is returned; the reason per item is what the applicant reads."""
    app = submitted()
    client.force_login(staff["front_office"])
    response = client.post(
        act_url(app),
        {
            "action": "complete",
            "step": 2,
            "outcome": "incomplete",
            **ticks(app, except_={"ktp"}),
            "reason-ktp": "Fotokopi KTP buram, tidak terbaca.",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.RETURNED and app.current_step == 1
    assert app.return_reasons == [
        {"key": "ktp", "label": "Fotokopi KTP", "reason": "Fotokopi KTP buram, tidak terbaca."}
    ]
    entry = ControlCardEntry.objects.get(application=app, seq=2)
    assert entry.outcome == "incomplete"
    assert {
        "key": "ktp",
        "label": "Fotokopi KTP",
        "ok": False,
        "reason": "Fotokopi KTP buram, tidak terbaca.",
    } in entry.data["checklist"]
    page = client.get(app_url(app)).content.decode()
    assert "Alasan pengembalian berkas" in page and "Fotokopi KTP buram, tidak terbaca." in page
    # Back at the submit step the counter may upload a better scan and hand the file in again.
    assert 'name="file-ktp"' in page and "Ajukan berkas" in page


def test_an_unticked_requirement_without_a_reason_is_shown_next_to_its_row(client, submitted, staff):
    app = submitted()
    client.force_login(staff["front_office"])
    response = client.post(
        act_url(app), {"action": "complete", "step": 2, "outcome": "incomplete", **ticks(app, except_={"ktp"})}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Nilai setiap persyaratan, dan tuliskan alasan untuk yang tidak sesuai." in page
    assert 'href="#reason-ktp"' in page and "Tuliskan alasan persyaratan ini tidak sesuai." in page
    # The officer's judgements are kept: KTP stays "tidak sesuai", the others "sesuai".
    assert 'id="judge-ktp-no" name="judge-ktp" value="tidak_sesuai" checked' in page
    assert 'id="judge-pas_foto-ok" name="judge-pas_foto" value="sesuai" checked' in page
    app.refresh_from_db()
    assert app.current_step == 2 and app.card_seq == 1


def test_nothing_on_the_checklist_starts_ticked(client, submitted, staff):
    """Issue 10: every "sesuai" box started ticked; now each requirement waits for the officer's judgement."""
    app = submitted()
    client.force_login(staff["front_office"])
    page = client.get(app_url(app)).content.decode()
    assert 'name="judge-ktp"' in page
    assert 'value="sesuai" checked' not in page and 'value="tidak_sesuai" checked' not in page
    # Pressing "lengkap" without judging is refused, item by item.
    response = client.post(act_url(app), {"action": "complete", "step": 2, "outcome": "complete"})
    assert (
        response.status_code == 422 and "Nilai persyaratan ini: sesuai atau tidak sesuai." in response.content.decode()
    )


def test_personal_data_is_masked_for_a_role_without_the_right(client, submitted, staff):
    """Kepegawaian may open staff pages but not personal data: NIK and phone masked, files closed (UU 27/2022)."""
    app = submitted()
    client.force_login(staff["kepegawaian"])
    response = client.get(app_url(app))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1471011001850003" not in page and "1471********0003" in page
    assert "+6281234567890" not in page
    assert "15 Mar 1990" not in page  # date of birth is personal
    assert "Agus Salim, A.Md.Pt." in page  # the name is on the permit, not masked
    document = Document.objects.filter(application=app).first()
    assert reverse("staff:document", args=[document.pk]) not in page
    assert client.get(reverse("staff:document", args=[document.pk])).status_code == 403
    assert not PersonalDataAccess.objects.filter(kind="document").exists()


def test_the_front_office_opens_a_file_and_the_access_is_logged(client, submitted, staff, applicant):
    app = submitted()
    document = Document.objects.filter(application=app, requirement_key="ktp").get()
    client.force_login(staff["front_office"])
    page = client.get(app_url(app)).content.decode()
    assert "1471011001850003" in page
    url = reverse("staff:document", args=[document.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")  # a PDF upload is a download, never a page here
    assert response["X-Content-Type-Options"] == "nosniff"
    event = PersonalDataAccess.objects.get(kind="document")
    assert (event.actor, event.office, event.target) == (staff["front_office"], app.office, f"document:{document.pk}")

    client.force_login(applicant)
    assert client.get(url).status_code == 403
    client.force_login(staff["front_office"])
    assert client.get(reverse("staff:document", args=[document.pk + 1000])).status_code == 404


def test_a_plh_signs_for_the_kepala_dinas_and_the_card_says_so(client, submitted, staff, make_user):
    """An acting official (Plh) works the sign step; the card records both names."""
    kadis = staff["kepala_dinas"]
    kadis.full_name = "Dr. Hj. Kepala Dinas"
    kadis.save()
    plh = make_user("plh-kadis")
    plh.full_name = "Drs. Pelaksana Harian"
    plh.save()
    today = timezone.localdate()
    acting_appoint(
        office=kadis.memberships.first().office,
        role="kepala_dinas",
        acting_user=plh,
        official=kadis,
        valid_from=today - dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=1),
    )
    app = advance(submitted(), staff, until_kind="sign")
    client.force_login(plh)
    assert client.get(reverse("staff:queue", args=[app.office.slug, "kepala_dinas"])).status_code == 200
    page = client.get(app_url(app)).content.decode()
    assert "Anda bertindak sebagai Plh. Kepala Dinas untuk Dr. Hj. Kepala Dinas." in page
    response = client.post(act_url(app), {"action": "complete", "step": app.current_step, "outcome": "approve"})
    assert response.status_code == 302
    card = client.get(app_url(app, "staff:card")).content.decode()
    assert "Drs. Pelaksana Harian" in card and "Plh. untuk Dr. Hj. Kepala Dinas" in card


def test_a_tampered_card_is_flagged_on_the_card_page(client, submitted, staff):
    """An entry changed in the database breaks the hash chain; the card page says which entry."""
    app = advance(submitted(), staff, until_kind="initial")
    client.force_login(staff["front_office"])
    assert "Rantai catatan utuh (3 entri)" in client.get(app_url(app, "staff:card")).content.decode()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the deferred foreign-key checks of this test's inserts first: PostgreSQL does not
            # alter a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE control_card_controlcardentry DISABLE TRIGGER control_card_no_update")
        else:
            cursor.execute("DROP TRIGGER control_card_no_update")
        cursor.execute(
            "UPDATE control_card_controlcardentry SET note='diubah' WHERE seq=2 AND application_id=%s", [app.pk]
        )
    card = client.get(app_url(app, "staff:card")).content.decode()
    assert "PERINGATAN: catatan kartu kendali telah diubah — entri 2: Isi entri telah diubah setelah dicatat." in card
    assert "Rantai catatan utuh" not in card


def test_the_counter_form_shows_the_domains_errors_per_field(client, services_loaded, staff):
    office = services_loaded[PARAMEDIK].office
    client.force_login(staff["front_office"])
    url = reverse("staff:counter_new", args=[office.slug, PARAMEDIK])
    page = client.get(url).content.decode()
    assert 'type="date"' in page and 'type="tel"' in page and "Diisi hanya untuk perpanjangan." in page
    data = {**FORM_DATA[PARAMEDIK], KIND_FIELD: NEW, "nik": "123", "nama_lengkap": ""}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_nik"' in page and 'href="#id_nama_lengkap"' in page
    assert "Nama lengkap (dengan gelar) wajib diisi." in page
    assert 'value="1471011001850003"' not in page and 'value="Pos IB Rumbai"' in page  # answers kept
    assert not Application.objects.exists()


def test_the_counter_registers_a_renewal_when_perpanjangan_is_chosen(client, services_loaded, staff):
    """Renewal-only fields are required for a renewal and dropped for a new application."""
    office = services_loaded[PARAMEDIK].office
    client.force_login(staff["front_office"])
    url = reverse("staff:counter_new", args=[office.slug, PARAMEDIK])
    response = client.post(url, {**FORM_DATA[PARAMEDIK], KIND_FIELD: RENEWAL})
    assert response.status_code == 422
    assert "Nomor surat izin yang diperpanjang wajib diisi." in response.content.decode()
    response = client.post(url, {**FORM_DATA[PARAMEDIK], KIND_FIELD: RENEWAL, "nomor_izin_lama": "500/0001/2021"})
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.renewal and app.data["nomor_izin_lama"] == "500/0001/2021"
    response = client.post(url, {**FORM_DATA[PARAMEDIK], KIND_FIELD: NEW, "nomor_izin_lama": "500/0001/2021"})
    assert "nomor_izin_lama" not in Application.objects.exclude(pk=app.pk).get().data


def test_an_upload_of_the_wrong_kind_is_refused_with_its_message(client, services_loaded, staff):
    office = services_loaded[PARAMEDIK].office
    client.force_login(staff["front_office"])
    client.post(reverse("staff:counter_new", args=[office.slug, PARAMEDIK]), {KIND_FIELD: NEW, **FORM_DATA[PARAMEDIK]})
    app = Application.objects.get()
    response = client.post(
        act_url(app),
        {
            "action": "upload",
            "step": 1,
            "file-ktp": SimpleUploadedFile("ktp.pdf", b"MZ not a pdf", content_type="application/pdf"),
            "file-pas_foto": SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Jenis berkas tidak diterima." in page and 'href="#file-ktp"' in page
    assert list(app.documents.values_list("requirement_key", flat=True)) == ["pas_foto"]
    response = client.post(act_url(app), {"action": "submit", "step": 1})
    assert response.status_code == 422 and "Berkas belum lengkap" in response.content.decode()


def test_the_front_office_withdraws_a_file_with_a_reason(client, submitted, staff):
    app = submitted()
    client.force_login(staff["front_office"])
    response = client.post(act_url(app), {"action": "withdraw", "step": 2, "reason": ""})
    assert response.status_code == 422 and "Alasan wajib diisi." in response.content.decode()
    response = client.post(act_url(app), {"action": "withdraw", "step": 2, "reason": "Pemohon pindah ke Dumai."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN and app.withdrawal_reason == "Pemohon pindah ke Dumai."


def test_claiming_a_step_keeps_other_officers_off_it(client, submitted, staff, make_user):
    app = submitted()
    office = app.office
    colleague = make_user("front_office-2", office=office, roles=["front_office"])
    client.force_login(staff["front_office"])
    assert client.post(act_url(app), {"action": "claim", "step": 2}).status_code == 302
    client.force_login(colleague)
    page = client.get(app_url(app)).content.decode()
    assert "Langkah ini sedang dikerjakan oleh front_office-1." in page
    assert 'name="outcome"' not in page
    response = client.post(act_url(app), {"action": "complete", "step": 2, "outcome": "complete", **ticks(app)})
    assert response.status_code == 409
    client.force_login(staff["front_office"])
    assert client.post(act_url(app), {"action": "release", "step": 2}).status_code == 302
    app.refresh_from_db()
    assert app.claimed_by is None


def test_an_officer_without_the_steps_role_sees_no_outcome_buttons_and_cannot_act(client, submitted, staff):
    app = submitted()
    client.force_login(staff["back_office"])
    page = client.get(app_url(app)).content.decode()
    assert 'name="outcome"' not in page and "Anda tidak memegang peran itu" in page
    response = client.post(act_url(app), {"action": "complete", "step": 2, "outcome": "complete", **ticks(app)})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.current_step == 2


def test_a_birth_date_that_disagrees_with_the_nik_is_a_warning_on_the_checklist(client, submitted, staff):
    """Issue 10 (identity) and DOMAIN (NIK): birth date and sex are compared with the NIK — a warning, not a refusal."""
    app = submitted()  # the paramedik form says 15 March 1990; the NIK 1471011001850003 says 10 January 1985
    client.force_login(staff["front_office"])
    page = client.get(app_url(app)).content.decode()
    assert "Periksa identitas pemohon:" in page
    assert "Tanggal lahir pada formulir (1990-03-15) berbeda dengan tanggal lahir menurut NIK (1985-01-10)." in page
    assert "Jenis kelamin pada formulir" not in page  # Laki-laki agrees with the NIK
    response = client.post(act_url(app), {"action": "complete", "step": 2, "outcome": "complete", **ticks(app)})
    assert response.status_code == 302  # the officer decides; the warning does not block
