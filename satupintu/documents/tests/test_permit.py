"""
The signed permit letter (DESIGN §7; DOMAIN, The permits; issue 4 "Done when").
"""

import datetime as dt

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from satupintu.accounts.models import ActingAppointment
from satupintu.applications import services
from satupintu.applications.models import NumberSeries, Permit, PermitStatus
from satupintu.applications.tests.conftest import WIB, Clock
from satupintu.control_card.models import ControlCardEntry
from satupintu.control_card.selectors import card_check
from satupintu.core.errors import Conflict, InvalidData, PermissionDenied
from satupintu.documents import context as ctx
from satupintu.documents.models import IssuedDocument
from satupintu.documents.qr import qr_svg
from satupintu.documents.rendering import template_source
from satupintu.documents.selectors import permit_verify, read_file, uploaded_pdf_check
from satupintu.documents.services import permit_document_reissue, permit_pdf_render, permit_revoke
from satupintu.documents.tests.conftest import PARAMEDIK, RADIOGRAFER, pdf_text, qr_texts_of_page, walk
from satupintu.documents.verification import pdf_signature_check, trust_roots

pytestmark = pytest.mark.django_db


def _issued(app):
    return IssuedDocument.objects.get(application=app, kind="permit", version=1)


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_each_seed_service_issues_a_permit_whose_pades_signature_validates(code, issue):
    """DESIGN §7: every issued permit carries a PAdES signature that pyHanko's validator accepts."""
    app = issue(code)
    document = _issued(app)
    pdf = read_file(document)
    reader = PdfFileReader(__import__("io").BytesIO(pdf))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    )
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert document.signed and document.sha256 and document.size == len(pdf)


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_the_qr_code_on_the_page_decodes_to_the_permits_verification_url(code, issue):
    """
    DESIGN §7: the QR links to the public verification page. The page is rasterised (Typst PNG of
    the same template and data the signed PDF was compiled from) and the QR is decoded from its
    pixels with zxing-cpp; the signed PDF's text also carries the same address.
    """
    app = issue(code)
    permit = Permit.objects.get(application=app)
    url = ctx.verification_url(permit)
    assert url == f"https://izin.example.go.id/verifikasi/{permit.verification_code}/"
    import typst

    from satupintu.documents.rendering import FONTS_DIR, TYPST_DIR

    data = ctx.permit_context(app, permit, draft=False, qr_svg=qr_svg(url), issuer_text="X")
    page = typst.Compiler(root=str(TYPST_DIR), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True).compile(
        input=template_source("permit", office_id=app.office_id).encode(),
        format="png",
        ppi=110,
        sys_inputs={"data": __import__("json").dumps(data)},
    )
    pages = [page] if isinstance(page, bytes) else page
    assert len(pages) == 1  # the letter fits on one A4 page
    assert qr_texts_of_page(pages[0]) == [url]
    assert url in pdf_text(read_file(_issued(app))).replace("\n", "")


def test_the_permit_text_carries_the_letter_content(issue, head):
    """DOMAIN, Letter content: number, name with titles, NIK, STR and its validity, place of work, signer."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    text = pdf_text(read_file(_issued(app)))
    flat = " ".join(text.split())
    for expected in [
        "SURAT IZIN KERJA RADIOGRAFER",
        f"NOMOR : {permit.number}",
        "Rina Marlina, A.Md.Rad.",
        "1471015503900002",
        "RG00001234567890",
        "31 Desember 2029",
        "RSUD Arifin Achmad",
        "Jalan Diponegoro No. 2, Pekanbaru",
        "Undang-Undang Nomor 25 tahun 2009",
        "Dr. H. Akmal Prasetyo, S.T., M.Si.",
        "Pembina Utama Muda (IV/c)",
        "NIP. 19700101 199503 1 001",
        "PEMERINTAH KOTA PEKANBARU",
        "Ditetapkan di",
        "Tembusan",
        "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh",
    ]:
        assert expected in flat, expected
    assert "081234567890" not in flat and "rina@example.com" not in flat  # contacts are not letter content
    assert "Plh." not in flat


def test_a_lifetime_str_prints_seumur_hidup(issue):
    """DOMAIN: STR validity or "seumur hidup"."""
    app = issue(RADIOGRAFER, data={"str_seumur_hidup": True, "str_berlaku_sampai": ""})
    flat = " ".join(pdf_text(read_file(_issued(app))).split())
    assert "Seumur hidup" in flat and Permit.objects.get(application=app).valid_until is None


def test_the_paramedik_permit_prints_its_five_year_validity_and_place_of_practice(issue):
    app = issue(PARAMEDIK, start=dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    flat = " ".join(pdf_text(read_file(_issued(app))).split())
    assert "SURAT IZIN PRAKTIK PARAMEDIK ASISTEN TEKNIK REPRODUKSI" in flat
    assert "Pos IB Rumbai" in flat and "ATR-2024-0099" in flat and "2 Juni 2031" in flat


def test_a_plh_signs_as_plh_with_their_own_name(issue, staff, make_user, office):
    """DESIGN §1: a Plh signs; the block says "Plh." and the card records for whom."""
    plh = make_user("plh-kadis")
    plh.full_name, plh.rank, plh.nip = "Hj. Sri Wahyuni, S.H., M.H.", "Pembina Tingkat I (IV/b)", "197203152000032002"
    plh.save()
    ActingAppointment.objects.create(
        office=office,
        role="kepala_dinas",
        acting_user=plh,
        official=staff["kepala_dinas"],
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    app = issue(RADIOGRAFER, actors={"kepala_dinas": plh})
    flat = " ".join(pdf_text(read_file(_issued(app))).split())
    assert "Plh. KEPALA" in flat
    assert "Hj. Sri Wahyuni, S.H., M.H." in flat and "NIP. 19720315 200003 2 002" in flat
    assert _issued(app).acting_for_name == staff["kepala_dinas"].display_name


def test_the_number_is_taken_at_the_signature_and_the_number_step_takes_no_other(
    services_loaded, staff, applicant, issue
):
    """ADR 0006: the signature covers the number; the SOP's number step registers it without a second number."""
    from satupintu.applications.tests.conftest import FORM_DATA, upload_all

    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock, stop_kind="sign")
    assert not Permit.objects.filter(application=app).exists()
    app = services.step_complete(
        application=app, actor=staff["kepala_dinas"], step_number=8, outcome="approve", at=clock.tick(minutes=5)
    )
    permit = Permit.objects.get(application=app)
    assert permit.number == "500.16.7.2/0001/SIKR/DPMPTSP/2026" and permit.issued_at == clock.now
    assert permit.number in " ".join(pdf_text(read_file(_issued(app))).split())
    app = services.step_complete(
        application=app, actor=staff["back_office"], step_number=9, outcome="numbered", at=clock.tick(minutes=2)
    )
    assert Permit.objects.get(application=app).number == permit.number
    assert NumberSeries.objects.get(office=app.office, key=f"izin:{RADIOGRAFER}").last_value == 1
    assert IssuedDocument.objects.filter(application=app).count() == 1


def test_a_standard_without_a_sign_step_still_issues_at_its_number_step(services_loaded, staff, applicant, office):
    """The engine stays generic: the third YAML-only service issues its signed permit when numbered."""
    from satupintu.applications.tests.conftest import FORM_DATA, upload_all

    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock)
    assert pdf_signature_check(read_file(_issued(app))).ok


def test_a_draft_preview_has_no_number_no_qr_and_says_konsep(issue, services_loaded, staff, applicant):
    """DOMAIN, TTE: draft letters must not carry a QR or look final."""
    app = issue(RADIOGRAFER)
    pdf = permit_pdf_render(app, None, draft=True)
    flat = " ".join(pdf_text(pdf).split())
    assert "KONSEP" in flat and "NOMOR" not in flat and "verifikasi" not in flat
    assert "ditandatangani secara elektronik menggunakan" not in flat
    assert pdf_signature_check(pdf).signed is False


def test_an_altered_byte_fails_verification(issue):
    """Done when: an altered byte fails verification (signature and hash)."""
    app = issue(RADIOGRAFER)
    pdf = bytearray(read_file(_issued(app)))
    at = pdf.index(b"/Type /Page") + 1  # inside the signed byte range
    pdf[at] = ord("X") if pdf[at] != ord("X") else ord("Y")
    assert not pdf_signature_check(bytes(pdf)).ok
    assert not uploaded_pdf_check(__import__("io").BytesIO(bytes(pdf))).genuine
    assert uploaded_pdf_check(__import__("io").BytesIO(read_file(_issued(app)))).genuine


def test_a_tampered_stored_file_shows_as_not_authentic(issue):
    app = issue(RADIOGRAFER)
    document = _issued(app)
    original = read_file(document)
    with document.file.open("wb") as handle:
        handle.write(original.replace(b"/Producer", b"/Producex", 1))
    verification = permit_verify(Permit.objects.get(application=app).verification_code)
    assert verification is not None and not verification.authentic and verification.reasons


def test_revocation_by_the_kepala_dinas_with_a_reason(issue, staff):
    """Issue 4: revocation by the Kepala Dinas with a reason; the card and the audit record it."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    with pytest.raises(PermissionDenied):
        permit_revoke(permit=permit, actor=staff["sekretaris"], reason="x")
    with pytest.raises(InvalidData):
        permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="  ")
    permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="STR dicabut oleh konsil.")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.REVOKED
    verification = permit_verify(permit.verification_code)
    assert verification.status == "revoked" and verification.authentic  # still the office's genuine file
    last = ControlCardEntry.objects.filter(application=app).order_by("-seq").first()
    assert (last.outcome, last.note) == ("revoked", "STR dicabut oleh konsil.")
    app.refresh_from_db()
    assert card_check(app.pk, head_hash=app.card_head_hash).ok
    with pytest.raises(Conflict):
        permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="lagi")


def test_expiry_and_renewal_show_in_the_status(issue, services_loaded):
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    assert permit_verify(permit.verification_code).status == "valid"
    later = dt.datetime(2030, 1, 1, 9, 0, tzinfo=WIB)
    assert permit_verify(permit.verification_code, at=later).status == "expired"
    renewal = issue(
        RADIOGRAFER,
        renewal=True,
        data={"nomor_izin_lama": permit.number},
        start=dt.datetime(2026, 4, 6, 9, 0, tzinfo=WIB),
    )
    permit.refresh_from_db()
    verification = permit_verify(permit.verification_code)
    assert permit.status == PermitStatus.REPLACED and verification.status == "replaced"
    assert verification.replaced_by == Permit.objects.get(application=renewal).number


def test_a_reissue_is_a_new_version_and_the_old_file_is_kept(issue, staff):
    """Issue 4, Storage: issued PDFs are immutable; a re-issue is a new version."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    first = _issued(app)
    with pytest.raises(ValueError):
        first.save()
    second = permit_document_reissue(permit=permit, actor=staff["kepala_dinas"], reason="Perbaikan templat kop.")
    assert second.version == 2 and second.sha256 != first.sha256
    assert read_file(first) and permit_verify(permit.verification_code).document == second
    verdict = uploaded_pdf_check(__import__("io").BytesIO(read_file(first)))
    assert verdict.genuine and "versi yang lebih baru" in verdict.message


def test_an_office_template_overrides_the_default(issue, office):
    from satupintu.documents.models import DocumentTemplate

    source = template_source("permit", office_id=office.pk).replace(
        "Dengan ketentuan:", "Dengan ketentuan khusus kantor:"
    )
    DocumentTemplate.objects.create(office=office, kind="permit", service_code=RADIOGRAFER, source=source)
    app = issue(RADIOGRAFER)
    assert "ketentuan khusus kantor" in pdf_text(read_file(_issued(app)))
