"""
The applicant's online journey through the portal pages (DESIGN §11: GOV.UK patterns).

Seed, SOP row 1 (the applicant hands in the file), row 2 (completeness check, returned when
incomplete), row 9 (the applicant receives the product: here by download). Officers' steps are
driven through ``services.step_complete``: the staff pages are tested on their own.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.applications import selectors, services
from satupintu.applications.models import Application, Document, Status
from satupintu.applications.tests.conftest import (
    FORM_DATA,
    PDF,
    PDF_REPLACEMENT,
    PNG,
    WIB,
    Clock,
    all_sesuai,
    bap_for,
    upload_all,
)
from satupintu.control_card.models import ControlCardEntry

pytestmark = pytest.mark.django_db

CODE = "izin-kerja-radiografer"


def _form_post(data):
    """The form as a browser posts it: a ticked checkbox is "on", an unticked one is absent."""
    posted = {}
    for key, value in data.items():
        if value is True:
            posted[key] = "on"
        elif value is not False:
            posted[key] = value
    return posted


def _apply(client, *, data=None, kind="baru"):
    url = reverse("portal:apply", args=[CODE]) + f"?jenis={kind}"
    return client.post(url, _form_post(data or FORM_DATA[CODE]))


def _all_files(app, content=PDF, ext="pdf"):
    spec = services.spec_for(app)
    return {
        f"berkas_{r.key}": SimpleUploadedFile(f"{r.key}.{ext}", content, content_type="application/pdf")
        for r in spec.requirements_for(renewal=app.renewal)
    }


def test_the_service_page_links_to_the_application_form(client, services_loaded, office):
    """“Ajukan permohonan” sits near the top of the service standard's page."""
    body = client.get(reverse("portal:service", args=[CODE])).content.decode()
    link = reverse("portal:office_apply", args=[office.slug, CODE])
    assert f'href="{link}"' in body
    assert body.index(link) < body.index('id="persyaratan"')


def test_an_anonymous_visitor_is_sent_to_sign_in_first(client, services_loaded):
    """Applying needs an account: the login page comes back to the form afterwards."""
    url = reverse("portal:apply", args=[CODE])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_the_form_asks_new_or_renewal_first_and_shows_renewal_fields_only_for_a_renewal(
    client, services_loaded, applicant
):
    """One question per page: new or renewal; the renewal-only question appears only for a renewal."""
    client.force_login(applicant)
    url = reverse("portal:apply", args=[CODE])
    body = client.get(url).content.decode()
    assert "Permohonan baru atau perpanjangan?" in body and 'type="radio"' in body
    assert "Pilih permohonan baru atau perpanjangan." in client.get(url + "?jenis=").content.decode()
    new = client.get(url + "?jenis=baru").content.decode()
    assert 'name="nomor_izin_lama"' not in new
    assert 'type="date"' in new and 'type="tel"' in new and 'name="str_seumur_hidup"' in new
    assert "Surat pemberitahuan dikirim ke alamat ini" in new  # the field's help as hint text
    # Name and NIK come from the account: shown, not typed, and the hint says so (issue 10).
    assert "Diambil dari akun Anda dan tidak dapat diubah pada permohonan." in new
    assert 'name="nik"' in new and "disabled" in new.split('name="nik"')[1].split(">")[0]
    renewal = client.get(url + "?jenis=perpanjangan").content.decode()
    assert 'name="nomor_izin_lama"' in renewal


def test_form_errors_from_the_server_are_listed_at_the_top_and_linked_to_their_fields(
    client, services_loaded, applicant
):
    """The server's rules (required, past/future dates, required_unless) come back as an error summary in Indonesian."""
    client.force_login(applicant)
    data = {**FORM_DATA[CODE], "tanggal_lahir": "2099-01-01", "str_berlaku_sampai": "", "tempat_kerja": ""}
    response = _apply(client, data=data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ada masalah" in body
    assert 'href="#id_tanggal_lahir"' in body and "Tanggal lahir harus tanggal yang sudah lewat." in body
    assert "STR berlaku sampai wajib diisi." in body
    assert "wajib diisi." in body and 'href="#id_tempat_kerja"' in body
    assert not Application.objects.exists()
    # A lifetime STR needs no end date (required_unless).
    data = {**FORM_DATA[CODE], "str_seumur_hidup": True, "str_berlaku_sampai": ""}
    assert _apply(client, data=data).status_code == 302


def test_the_whole_online_radiographer_journey(client, services_loaded, staff, applicant):
    """
    Apply → upload every requirement → check answers → submit → receipt; returned as incomplete with
    a reason → the status page shows it → re-upload and resubmit → officers finish → READY shows the
    permit number → download records the handover (COLLECTED).
    """
    client.force_login(applicant)
    response = _apply(client)
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:documents", args=[app.number])
    assert (app.status, app.applicant, app.renewal) == (Status.DRAFT, applicant, False)

    # Uploads: every requirement listed, missing ones marked, size limit and types shown.
    page = client.get(reverse("portal:documents", args=[app.number])).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in page and "5 MB" in page
    assert "Foto copy STR yang dilegalisir basah" in page and "Belum diunggah" in page
    assert "Surat izin praktik asli" not in page  # renewal only
    response = client.post(reverse("portal:documents", args=[app.number]), _all_files(app))
    assert response.status_code == 302
    assert Document.objects.filter(application=app, active=True).count() == 9
    page = client.get(reverse("portal:documents", args=[app.number])).content.decode()
    assert "Semua persyaratan sudah diunggah." in page and "str.pdf" in page
    assert "Lanjut: periksa jawaban" in page

    # Check your answers: data by section with change links, documents with change links.
    review = reverse("portal:review", args=[app.number])
    page = client.get(review).content.decode()
    assert "Rina Marlina, A.Md.Rad." in page and "15 Maret 1990" in page and "0812-3456-7890" in page
    assert f'href="{reverse("portal:edit", args=[app.number])}#id_nomor_str"' in page
    assert f"{reverse('portal:documents', args=[app.number])}#berkas-str" in page
    response = client.post(review)
    assert response.status_code == 302 and response["Location"] == reverse("portal:receipt", args=[app.number])
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED

    # The receipt: number and code in large type, the documents handed in, what happens next, tracking.
    page = client.get(reverse("portal:receipt", args=[app.number])).content.decode()
    assert app.number in page and app.tracking_code in page
    assert "Foto copy STR yang dilegalisir basah" in page and "str.pdf" in page
    assert "2 hari kerja (dengan persyaratan lengkap)" in page and "sejak berkas dinyatakan lengkap" in page
    assert f"{reverse('portal:track')}?nomor={app.number}" in page
    assert "WIB" in page

    # The front office returns it: the STR copy is not legalised.
    services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, str="STR belum dilegalisir basah."),
    )
    status_url = reverse("portal:application", args=[app.number])
    page = client.get(status_url).content.decode()
    assert "Berkas dikembalikan untuk dilengkapi" in page
    assert "Foto copy STR yang dilegalisir basah" in page and "STR belum dilegalisir basah." in page
    assert "Periksa dan ajukan kembali" in page
    listing = client.get(reverse("portal:my_applications")).content.decode()
    assert app.number in listing and "Dikembalikan kepada pemohon untuk dilengkapi" in listing

    # The applicant replaces the STR and resubmits from the status page.
    replacement = SimpleUploadedFile("str-legalisir.png", PNG, content_type="image/png")
    assert client.post(reverse("portal:documents", args=[app.number]), {"berkas_str": replacement}).status_code == 302
    response = client.post(review)
    assert response.status_code == 302 and response["Location"] == status_url
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED

    # Officers complete the rest of the SOP.
    app = services.step_complete(
        application=app, actor=staff["front_office"], step_number=2, outcome="complete", data=all_sesuai(app)
    )
    page = client.get(status_url).content.decode()
    assert "Tim Teknis" in page and "dihitung setelah" not in page
    app = services.step_complete(
        application=app, actor=staff["tim_teknis"], step_number=3, outcome="recommend", data=bap_for(app)
    )
    for number, role, outcome in [
        (4, "back_office", "drafted"),
        (5, "analis_muda", "approve"),
        (6, "analis_madya", "approve"),
        (7, "sekretaris", "approve"),
        (8, "kepala_dinas", "approve"),
        (9, "back_office", "numbered"),
    ]:
        app = services.step_complete(application=app, actor=staff[role], step_number=number, outcome=outcome)
    assert app.status == Status.READY

    page = client.get(status_url).content.decode()
    assert "Surat izin Anda sudah selesai" in page
    assert app.permit.number in page and "Unduh surat izin" in page and "loket" in page
    # The timeline names stages and outcomes, never the officers, step numbers or codes (issue 10).
    assert "Tidak lengkap — dikembalikan" in page and "Diberi nomor" in page
    assert "Ditandatangani" in page and "Langkah 8" not in page
    assert "Surat izin selesai: siap diambil di loket atau diunduh" in page
    # No signed permit leaves before the handover: the PDF waits for the download button.
    assert client.get(reverse("portal:permit_pdf", args=[app.number])).status_code == 404
    assert staff["front_office"].username not in page and staff["kepala_dinas"].username not in page

    response = client.post(reverse("portal:permit", args=[app.number]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:permit", args=[app.number])
    app.refresh_from_db()
    assert app.status == Status.COLLECTED
    last = ControlCardEntry.objects.filter(application=app).order_by("-seq").first()
    assert (last.step_number, last.outcome, last.actor_id) == (10, "download", applicant.pk)
    page = client.get(reverse("portal:permit", args=[app.number])).content.decode()
    assert "SURAT IZIN KERJA RADIOGRAFER" in page and app.permit.number in page
    assert "Rina Marlina, A.Md.Rad." in page and "31 Desember 2029" in page
    assert "Unduh surat izin (PDF)" in page
    pdf = client.get(reverse("portal:permit_pdf", args=[app.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")


def test_submitting_without_every_document_lists_the_missing_ones(client, services_loaded, applicant):
    """The server refuses an incomplete file; the summary names what is missing and links to the uploads."""
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    upload_all(app, applicant, skip={"str", "ktp"})
    response = client.post(reverse("portal:review", args=[app.number]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Foto copy KTP" in body and "Foto copy STR yang dilegalisir basah" in body
    assert f'href="{reverse("portal:documents", args=[app.number])}"' in body
    app.refresh_from_db()
    assert app.status == Status.DRAFT


def test_a_text_file_pretending_to_be_a_pdf_is_refused_in_indonesian(client, services_loaded, applicant):
    """Uploads are checked by content, not by name; the page says why and nothing is stored."""
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    fake = SimpleUploadedFile("ktp.pdf", b"ini bukan PDF, hanya teks biasa", content_type="application/pdf")
    response = client.post(reverse("portal:documents", args=[app.number]), {"berkas_ktp": fake})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jenis berkas tidak diterima" in body and "isi berkas diperiksa" in body
    assert 'href="#id_berkas_ktp"' in body
    assert not Document.objects.filter(application=app).exists()


def test_the_answers_can_be_changed_before_submitting(client, services_loaded, applicant):
    """“Ubah” opens the form with the answers; saving goes back to check your answers."""
    client.force_login(applicant)
    _apply(client)
    app = Application.objects.get()
    edit = reverse("portal:edit", args=[app.number])
    assert "RSUD Arifin Achmad" in client.get(edit).content.decode()
    data = {**FORM_DATA[CODE], "tempat_kerja": "RS Awal Bros"}
    response = client.post(edit, _form_post(data))
    assert response.status_code == 302 and response["Location"] == reverse("portal:review", args=[app.number])
    app.refresh_from_db()
    assert app.data["tempat_kerja"] == "RS Awal Bros"


def test_another_applicant_cannot_see_someone_elses_application(client, services_loaded, applicant, make_user):
    """Someone else's number is 404 on every page, in Indonesian; it is not revealed that it exists."""
    service = services_loaded[CODE]
    app = services.application_create(office=service.office, service=service, actor=applicant, data=FORM_DATA[CODE])
    client.force_login(make_user("pemohon-lain"))
    for name in ["application", "documents", "edit", "review", "receipt", "permit"]:
        response = client.get(reverse(f"portal:{name}", args=[app.number]))
        assert response.status_code == 404, name
        assert "tidak ditemukan" in response.content.decode()
    assert client.post(reverse("portal:review", args=[app.number])).status_code == 404
    assert app.number not in client.get(reverse("portal:my_applications")).content.decode()


def test_my_applications_lists_number_service_status_and_dates(client, services_loaded, applicant):
    """Each application with its plain-language status and when it is expected to be done."""
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[CODE]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[CODE], at=clock.now
    )
    upload_all(app, applicant)
    services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    client.force_login(applicant)
    body = client.get(reverse("portal:my_applications")).content.decode()
    assert app.number in body and service.name in body
    assert "Menunggu pemeriksaan berkas" in body
    assert "9 Maret 2026 09.05 WIB" in body
    assert "dihitung setelah berkas dinyatakan lengkap" in body


def test_the_applicant_can_withdraw_with_a_reason(client, services_loaded, applicant):
    """Withdrawing needs a reason; then the application is closed as withdrawn."""
    service = services_loaded[CODE]
    app = services.application_create(office=service.office, service=service, actor=applicant, data=FORM_DATA[CODE])
    upload_all(app, applicant)
    services.application_submit(application=app, actor=applicant)
    client.force_login(applicant)
    url = reverse("portal:application", args=[app.number])
    assert "Batalkan permohonan" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Alasan wajib diisi." in response.content.decode()
    response = client.post(url, {"reason": "Pindah tugas ke kota lain."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN
    body = client.get(url).content.decode()
    assert "Dibatalkan oleh pemohon" in body and "Pindah tugas ke kota lain." in body
    assert "Batalkan permohonan</button>" not in body


def test_a_resubmission_must_replace_each_flagged_file_or_answer_its_reason(client, services_loaded, staff, applicant):
    """Issue 10 (completeness): a returned file cannot come back unchanged; the officer sees what changed."""
    service = services_loaded[CODE]
    app = services.application_create(office=service.office, service=service, actor=applicant, data=FORM_DATA[CODE])
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant)
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, str="STR belum dilegalisir basah.", ktp="KTP buram."),
    )
    client.force_login(applicant)
    review = reverse("portal:review", args=[app.number])
    page = client.get(review).content.decode()
    assert page.count("Berkas belum diganti") == 2 and 'name="jawaban_ktp"' in page
    refused = client.post(review)
    assert refused.status_code == 200
    assert "Unggah berkas pengganti atau tuliskan jawaban atas alasan pengembalian." in refused.content.decode()
    # Replace the STR; answer the KTP's reason instead of replacing it.
    new_str = SimpleUploadedFile("str.pdf", PDF_REPLACEMENT, "application/pdf")
    client.post(reverse("portal:documents", args=[app.number]), {"berkas_str": new_str})
    done = client.post(review, {"jawaban_ktp": "KTP asli saya tunjukkan di loket."})
    assert done.status_code == 302
    changes = selectors.changes_since_return(Application.objects.get(pk=app.pk))
    by_key = {item.key: item for item in changes.items}
    assert by_key["str"].replaced and not by_key["ktp"].replaced
    assert by_key["ktp"].response == "KTP asli saya tunjukkan di loket."
