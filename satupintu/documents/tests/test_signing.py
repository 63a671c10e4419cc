"""
Signers (DESIGN §7): the local PAdES signer parses its key once; the BSrE adapter speaks the
esign-client API (``POST /api/v2/sign/pdf``), tested against a fake on 127.0.0.1.
"""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from satupintu.documents.signing import BsreSigner, LocalSigner, SigningError, signer_cache_clear, signer_for
from satupintu.documents.verification import pdf_signature_check

pytestmark = pytest.mark.django_db


def _a_pdf():
    from satupintu.documents.rendering import compile_pdf

    return compile_pdf('#set page(paper: "a4")\nSurat uji.', {})


class FakeBsre:
    """A fake regional esign-client: records requests and signs with a local signer (or refuses)."""

    def __init__(self, signer):
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, self.headers.get("Authorization"), body))
                if body.get("passphrase") != "benar":
                    payload, status = {"error": "Passphrase anda salah", "status_code": 2031}, 400
                else:
                    signed = [signer.sign(base64.b64decode(f), reason="BSrE", location="Jakarta") for f in body["file"]]
                    payload, status = {"file": [base64.b64encode(f).decode() for f in signed], "time": 42}, 200
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_the_signer_is_built_once_per_office_with_its_key_parsed(office):
    """Issue 4: parse the signer's key once and reuse it."""
    first = signer_for(office)
    assert isinstance(first, LocalSigner) and signer_for(office) is first
    signed = first.sign(_a_pdf(), reason="uji", location="Pekanbaru")
    assert pdf_signature_check(signed).ok
    assert "Pengembangan" in first.issuer_text  # a development certificate says so on the letter


def test_the_bsre_adapter_sends_the_pdf_and_returns_the_signed_file(office, settings):
    """DESIGN §7: BSrE behind the same Signer interface (INVISIBLE signature, NIK + passphrase)."""
    local = signer_for(office)
    with FakeBsre(local) as fake:
        settings.SATUPINTU_SIGNING = {
            **settings.SATUPINTU_SIGNING,
            "BACKEND": "bsre",
            "BSRE": {
                "URL": fake.url,
                "NIK": "1471010101700001",
                "PASSPHRASE": "benar",
                "USERNAME": "esign",
                "PASSWORD": "rahasia",
            },
        }
        signer_cache_clear()
        bsre = signer_for(office)
        assert isinstance(bsre, BsreSigner) and "BSrE" in bsre.issuer_text
        signed = bsre.sign(_a_pdf(), reason="Surat izin", location="Pekanbaru")
        assert pdf_signature_check(signed).ok
        path, auth, body = fake.requests[0]
        assert path == "/api/v2/sign/pdf" and auth.startswith("Basic ")
        assert body["nik"] == "1471010101700001" and body["signatureProperties"][0]["tampilan"] == "INVISIBLE"
        wrong = BsreSigner(url=fake.url, nik="1", passphrase="salah")
        with pytest.raises(SigningError, match="Passphrase anda salah"):
            wrong.sign(_a_pdf(), reason="x", location="y")
    with pytest.raises(SigningError, match="tidak dapat dihubungi"):
        BsreSigner(url=fake.url, nik="1", passphrase="benar", timeout=1).sign(_a_pdf(), reason="x", location="y")


def test_production_refuses_to_invent_a_certificate(office, settings):
    """Without AUTO_DEV_CA a missing office certificate is an error, not a silent development key."""
    settings.SATUPINTU_SIGNING = {
        **settings.SATUPINTU_SIGNING,
        "AUTO_DEV_CA": False,
        "PKCS12": {office.slug: "/nonexistent/kantor.p12"},
    }
    signer_cache_clear()
    with pytest.raises(SigningError, match="belum dipasang"):
        signer_for(office)


def test_the_dev_ca_command_makes_a_certificate_per_office(office, make_office, signing):
    other = make_office()
    call_command("documents_dev_ca", verbosity=0)
    assert (signing / "ca.pem").exists()
    assert (signing / "offices" / f"{office.slug}.p12").exists() and (
        signing / "offices" / f"{other.slug}.p12"
    ).exists()


def test_the_sign_step_asks_bsre_for_the_passphrase_each_time_and_stores_it_nowhere(
    client, office, settings, services_loaded, staff, applicant
):
    """Issue 10 (sign): with BSrE the Kepala Dinas types the passphrase at the sign step; a wrong one is shown
    in plain Indonesian and changes nothing; the right one signs; it is on no card entry, notice or audit row."""
    import datetime as dt

    from django.urls import reverse

    from satupintu.applications import services
    from satupintu.applications.models import Application, Permit
    from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
    from satupintu.control_card.models import ControlCardEntry
    from satupintu.core.models import AuditEvent
    from satupintu.documents.tests.conftest import walk

    local = signer_for(office)
    with FakeBsre(local) as fake:
        settings.SATUPINTU_SIGNING = {
            **settings.SATUPINTU_SIGNING,
            "BACKEND": "bsre",
            "BSRE": {"URL": fake.url, "NIK": "1471010101700001"},
        }
        signer_cache_clear()
        clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
        service = services_loaded["izin-kerja-radiografer"]
        app = services.application_create(
            office=office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
        )
        upload_all(app, applicant)
        app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
        app = walk(app, staff, applicant, clock, stop_kind="sign")
        client.force_login(staff["kepala_dinas"])
        page = client.get(reverse("staff:application", args=[app.number])).content.decode()
        assert 'name="tte_passphrase"' in page and 'type="password"' in page
        form = {"action": "complete", "step": app.current_step, "outcome": "approve"}
        # The number is taken at once (ADR 0009); a refused signature leaves the file at the sign
        # step, its number reserved, with the reason and a retry button.
        wrong = client.post(reverse("staff:act", args=[app.number]), {**form, "tte_passphrase": "salah"}, follow=True)
        page = wrong.content.decode()
        assert wrong.status_code == 200 and "Gagal ditandatangani." in page and "Passphrase anda salah" in page
        assert Application.objects.get(pk=app.pk).current_step == app.current_step
        reserved = Permit.objects.get(application=app).number
        assert reserved in page and 'value="approve"' in page and 'value="reject"' not in page
        right = client.post(reverse("staff:act", args=[app.number]), {**form, "tte_passphrase": "benar"})
        assert right.status_code == 302
        assert fake.requests[-1][2]["passphrase"] == "benar"
        assert Application.objects.get(pk=app.pk).current_step == app.current_step + 1
        assert Permit.objects.get(application=app).number == reserved
    stored = " ".join(str(e.data) + e.note for e in ControlCardEntry.objects.filter(application=app))
    stored += " ".join(str(a.data) for a in AuditEvent.objects.all())
    assert "benar" not in stored and "salah" not in stored
