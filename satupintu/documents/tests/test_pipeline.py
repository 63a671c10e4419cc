"""
Issue 14, one document pipeline: every PDF from the documents app's renderer, the office's
emblem in the kop (no empty slot without it), the signer as the certificate names them, the
legal basis punctuated once, and the control card as the card page has it.
"""

import datetime as dt
import io

import pypdf
import pytest
from PIL import Image

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
from satupintu.applications.uploads import UploadRejected
from satupintu.core.errors import PermissionDenied
from satupintu.core.models import AuditEvent
from satupintu.documents import context as ctx
from satupintu.documents import printouts
from satupintu.documents.models import IssuedDocument, LetterSettings
from satupintu.documents.selectors import read_file
from satupintu.documents.services import letter_emblem_set
from satupintu.documents.signing import signer_for
from satupintu.documents.tests.conftest import RADIOGRAFER, pdf_text, walk

pytestmark = pytest.mark.django_db


def _flat(pdf: bytes, sample: str = "") -> str:
    return " ".join(pdf_text(pdf, sample=sample).split())


def _images_on_first_page(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images)


def _emblem(kind: str = "PNG") -> io.BytesIO:
    """A stand-in regional emblem: a green shield with a gold star, on white."""
    from PIL import ImageDraw

    image = Image.new("RGB", (240, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 20), (220, 20), (220, 170), (120, 285), (20, 170)], fill=(0, 112, 60), outline=(212, 160, 23))
    draw.regular_polygon((120, 120, 60), 5, fill=(212, 160, 23))
    out = io.BytesIO()
    image.save(out, format=kind)
    out.seek(0)
    return out


@pytest.fixture
def admin_user(staff, office):
    from satupintu.accounts.models import RoleMembership, User

    user = User.objects.create_user(username="admin-kantor", password="x", full_name="Admin Kantor")
    RoleMembership.objects.create(user=user, office=office, role="admin", valid_from=dt.date(2020, 1, 1))
    return user


def test_the_office_uploads_its_emblem_and_every_kop_shows_it(issue, admin_user, office):
    """The kop has the uploaded emblem; without one it has no image (and no empty slot)."""
    app = issue(RADIOGRAFER)
    without = printouts.receipt_pdf(app)
    assert _images_on_first_page(without) == 0
    letter_emblem_set(office=office, actor=admin_user, upload=_emblem("JPEG"))
    stored = bytes(LetterSettings.objects.get(office=office).emblem_png)
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")  # re-encoded as PNG
    assert AuditEvent.objects.filter(action="letter_settings.emblem_set", actor=admin_user).exists()
    for name, pdf in [
        ("tanda-terima", printouts.receipt_pdf(app)),
        ("kartu-kendali", printouts.card_pdf(app)),
        ("bap", printouts.bap_pdf(app)),
        ("surat-pemberitahuan", printouts.notice_letter_pdf(app, body="Mohon segera diambil.")),
    ]:
        assert _images_on_first_page(pdf) == 1, name
        assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu".upper() in _flat(pdf, f"{name}-lambang"), name
    letter_emblem_set(office=office, actor=admin_user, upload=None)
    assert _images_on_first_page(printouts.receipt_pdf(app)) == 0


def test_an_emblem_upload_is_checked_like_an_application_upload(admin_user, office, staff):
    """A file that is not an image is refused in Indonesian; only the office's admin may set the emblem."""
    with pytest.raises(UploadRejected, match="Jenis berkas tidak diterima"):
        letter_emblem_set(office=office, actor=admin_user, upload=io.BytesIO(b"<svg onload=alert(1)></svg>"))
    with pytest.raises(PermissionDenied):
        letter_emblem_set(office=office, actor=staff["front_office"], upload=_emblem())
    assert not LetterSettings.objects.filter(office=office).exclude(emblem_png=b"").exists()


def test_the_permit_prints_the_signer_as_the_certificate_names_them(issue, staff):
    """The printed name is the certificate's subject CN, also recorded on the issued document."""
    kadis = staff["kepala_dinas"]
    kadis.full_name = "Nama Akun Lain (bukan sertifikat)"
    kadis.save()
    app = issue(RADIOGRAFER)
    signer = signer_for(app.office)
    cn = signer.signer.signing_cert.subject.native["common_name"]
    assert ctx.certificate_name(app.office) == cn
    document = IssuedDocument.objects.get(application=app, kind="permit")
    text = _flat(read_file(document), "surat-izin")
    assert cn in text and "Nama Akun Lain" not in text
    assert document.signer_name == cn
    # The kop and the signature block.
    assert "PEMERINTAH KOTA PEKANBARU" in text and "NIP. 19700101 199503 1 001" in text
    # The legal basis is one list: each item ends once ("Satu Pintu;." came from the standard).
    assert ";." not in text and "Satu Pintu." in text


def test_letters_carry_the_kop_and_the_signature_block_with_the_certificates_name(issue):
    app = issue(RADIOGRAFER)
    cn = ctx.certificate_name(app.office)
    text = _flat(printouts.notice_letter_pdf(app, body="Produk layanan telah selesai."), "surat-pemberitahuan")
    for expected in ["PEMERINTAH KOTA PEKANBARU", "Hal", "Yth.", cn, "NIP. 19700101 199503 1 001"]:
        assert expected in text, expected


def test_without_a_certificate_the_letter_names_the_configured_head(head, settings, tmp_path):
    """No certificate installed (BSrE, or not yet signed): the office's head as configured."""
    settings.SATUPINTU_SIGNING = {"DIR": tmp_path, "AUTO_DEV_CA": True}
    assert ctx.certificate_name(head) == ""
    assert not (tmp_path / "offices").exists()  # reading the name never makes a certificate
    assert ctx.signature_block(head, None).name == "Dr. H. Akmal Prasetyo, S.T., M.Si."


def test_the_card_pdf_has_the_remarks_and_the_delays_of_the_card_page(services_loaded, staff, applicant, head):
    """
    "Ket." says on time, late or applicant's time (with the officer's note); the delay line names
    the late step as the card page does.
    """
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    clock.tick(hours=26)  # the completeness check waits past its standard
    app = walk(app, staff, applicant, clock, stop_kind="inspection")
    data = ctx.card_context(app)
    late = [row for row in data["rows"] if row[9].startswith("TERLAMBAT")]
    assert late, data["rows"]
    assert all(row[9] for row in data["rows"])  # Ket. is never empty
    text = _flat(printouts.card_pdf(app), "kartu-kendali")
    step = late[0][1]
    for expected in [
        "KARTU KENDALI PELAYANAN",
        app.number,
        "Ket.",
        "TERLAMBAT",
        "Waktu pemohon",
        "Letak keterlambatan:",
        f"langkah {step}",
        "Langkah berjalan:",
        "standar",
    ]:
        assert expected in text, expected


def test_the_admin_form_uploads_the_emblem_and_refuses_a_non_image(client, admin_user, office):
    """The office's administrator uploads the emblem in the admin; a non-image gets the upload's message."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    fields = {"office": office.pk, "place": "Pekanbaru", "tembusan": "[]", "head_title": "", "on_behalf_of": ""}
    bad = io.BytesIO(b"%PDF-1.4 not an emblem")
    bad.name = "lambang.png"
    page = client.post("/admin/documents/lettersettings/add/", {**fields, "emblem_upload": bad})
    assert page.status_code == 200 and "Jenis berkas tidak diterima" in page.content.decode()
    assert not LetterSettings.objects.exists()
    good = _emblem()
    good.name = "lambang.png"
    page = client.post("/admin/documents/lettersettings/add/", {**fields, "emblem_upload": good})
    assert page.status_code == 302, page.content.decode()[:2000]
    row = LetterSettings.objects.get(office=office)
    assert bytes(row.emblem_png).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="letter_settings.emblem_set", office=office).exists()
    change = client.get(f"/admin/documents/lettersettings/{row.pk}/change/").content.decode()
    assert 'alt="Lambang daerah"' in change
