"""
The verification page and its JSON twin, the PDF downloads and who may have them
(DESIGN §7, §12: ``GET /verify/{code}``, ``GET /applications/{number}/permit.pdf``, ``/verifikasi/{code}``).
"""

import io

import pytest

from satupintu.api.tokens import token_issue
from satupintu.applications.models import Permit
from satupintu.documents.models import IssuedDocument
from satupintu.documents.selectors import read_file
from satupintu.documents.services import permit_revoke
from satupintu.documents.tests.conftest import PARAMEDIK, RADIOGRAFER, pdf_text

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)[1]}"}


def test_the_verification_page_is_public_and_shows_key_facts_only(client, issue):
    """DESIGN §7: authentic or not, status, key facts — and nothing more personal (no NIK, birth, address)."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    response = client.get(f"/verifikasi/{permit.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ASLI" in html and "Berlaku" in html
    for fact in [permit.number, "Rina Marlina, A.Md.Rad.", "RSUD Arifin Achmad", "31 Desember 2029", app.office.name]:
        assert fact in html
    for private in ["1471015503900002", "Jalan Sudirman No. 1", "15 Maret 1990", "081234567890", "Perempuan"]:
        assert private not in html
    assert client.get("/verifikasi/bukan-kode-yang-ada/").status_code == 404


def test_the_json_twin_says_the_same(client, issue, applicant):
    app = issue(PARAMEDIK)
    permit = Permit.objects.get(application=app)
    body = client.get(f"/api/v1/verify/{permit.verification_code}").json()
    assert body["authentic"] is True and body["status"] == "valid"
    # The holder is the account's person (issue 10: identity comes from the account).
    assert body["number"] == permit.number and body["holder_name"] == applicant.full_name
    assert {"label": "Nama tempat pelayanan", "value": "Pos IB Rumbai"} in body["facts"]
    assert applicant.nik not in str(body)
    assert client.get("/api/v1/verify/tidak-ada").status_code == 404


def test_a_revoked_permit_shows_as_revoked_on_the_page_and_in_json(client, issue, staff):
    """Done when: a revoked permit shows as revoked."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    permit_revoke(permit=permit, actor=staff["kepala_dinas"], reason="Pelanggaran etik profesi.")
    html = client.get(f"/verifikasi/{permit.verification_code}/").content.decode()
    assert "Dicabut" in html and "Pelanggaran etik" not in html
    body = client.get(f"/api/v1/verify/{permit.verification_code}").json()
    assert body["status"] == "revoked" and body["status_label"] == "Dicabut" and body["revoked_at"]


def test_uploading_the_pdf_tells_genuine_from_altered(client, issue):
    """Issue 4: uploading a PDF to the verification page tells whether it is a genuine, unaltered permit."""
    app = issue(RADIOGRAFER)
    permit = Permit.objects.get(application=app)
    original = read_file(IssuedDocument.objects.get(application=app))
    url = f"/verifikasi/{permit.verification_code}/"
    good = client.post(url, {"berkas": io.BytesIO(original)}, format="multipart")
    assert "ASLI DAN UTUH" in good.content.decode()
    altered = original.replace(b"Rina", b"Rini", 1) if b"Rina" in original else original[:-10] + b"0000000000"
    bad = client.post(url, {"berkas": io.BytesIO(altered)})
    assert "TIDAK COCOK" in bad.content.decode()


def test_the_applicant_and_the_offices_officers_download_the_signed_permit(
    client, issue, applicant, staff, make_user, make_office
):
    """Access control: the applicant and the office's officers; another applicant or office's officer: 404."""
    app = issue(RADIOGRAFER)
    url = f"/api/v1/applications/{app.number}/permit.pdf"
    mine = client.get(url, **_bearer(applicant))
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert mine.content == read_file(IssuedDocument.objects.get(application=app))
    assert client.get(url, **_bearer(staff["front_office"])).status_code == 200
    assert client.get(url, **_bearer(make_user("orang-lain"))).status_code == 404
    elsewhere = make_user("petugas-lain", office=make_office(), roles=["front_office"])
    assert client.get(url, **_bearer(elsewhere)).status_code == 404
    assert client.get(url).status_code == 401
    # The portal: the applicant's own download, 404 for anyone else.
    client.force_login(applicant)
    assert client.get(f"/permohonan/{app.number}/surat-izin.pdf").status_code == 200
    client.force_login(make_user("tetangga"))
    assert client.get(f"/permohonan/{app.number}/surat-izin.pdf").status_code == 404


def test_the_receipt_and_card_through_the_api(client, issue, applicant, staff):
    app = issue(RADIOGRAFER)
    receipt = client.get(f"/api/v1/applications/{app.number}/receipt.pdf", **_bearer(applicant))
    assert receipt.status_code == 200 and app.tracking_code in pdf_text(receipt.content)
    assert client.get(f"/api/v1/applications/{app.number}/card.pdf", **_bearer(applicant)).status_code == 403
    card = client.get(f"/api/v1/applications/{app.number}/card.pdf", **_bearer(staff["sekretaris"]))
    assert card.status_code == 200 and "KARTU KENDALI" in pdf_text(card.content)


def test_staff_preview_is_a_konsep_until_signed_and_then_the_signed_file(
    client, services_loaded, staff, applicant, issue
):
    import datetime as dt

    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
    from satupintu.documents.tests.conftest import walk

    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = walk(app, staff, applicant, clock, stop_kind="sign")
    client.force_login(staff["kepala_dinas"])
    draft = client.get(f"/petugas/permohonan/{app.number}/surat-izin.pdf")
    assert draft.status_code == 200 and "KONSEP" in pdf_text(draft.content)
    page = client.get(f"/petugas/permohonan/{app.number}/").content.decode()
    assert "Pratinjau konsep surat izin" in page
    app = walk(app, staff, applicant, clock)
    final = client.get(f"/petugas/permohonan/{app.number}/surat-izin.pdf")
    assert final.content == read_file(IssuedDocument.objects.get(application=app))
    assert "Cabut surat izin" in client.get(f"/petugas/permohonan/{app.number}/").content.decode()


def test_the_revocation_form_is_for_the_kepala_dinas_only(client, issue, staff):
    app = issue(RADIOGRAFER)
    url = f"/petugas/permohonan/{app.number}/cabut-izin/"
    client.force_login(staff["sekretaris"])
    assert client.get(url).status_code == 403
    client.force_login(staff["kepala_dinas"])
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "Tempat kerja ditutup."})
    assert response.status_code == 302
    assert Permit.objects.get(application=app).status == "revoked"
