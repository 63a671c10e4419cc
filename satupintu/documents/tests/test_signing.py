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
                    signed = signer.sign(base64.b64decode(body["file"][0]), reason="BSrE", location="Jakarta")
                    payload, status = {"file": [base64.b64encode(signed).decode()], "time": 42}, 200
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
