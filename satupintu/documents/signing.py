"""
Electronic signatures (TTE) on issued documents: PAdES with pyHanko, or BSrE behind the same interface.

``signer_for(office)`` returns the office's ``Signer``, built once per process and office: the
private key is parsed once and reused (stock pyHanko re-parses a PKCS#12 key on every signature,
≈100 ms instead of ≈25 ms). Configuration, ``settings.SATUPINTU_SIGNING`` (every key optional):

- ``BACKEND``: ``"local"`` (default; pyHanko with a PKCS#12 file) or ``"bsre"`` (the regional
  BSrE esign-client, DESIGN §7).
- ``DIR``: where the development CA and the per-office development certificates live
  (default ``var/signing``); ``manage.py documents_dev_ca`` creates them.
- ``PKCS12``: ``{office slug: path}`` — an office's own certificate (production). Offices not
  listed use ``DIR/offices/<slug>.p12``.
- ``PASSPHRASE``: the PKCS#12 passphrase (or ``{office slug: passphrase}``).
- ``AUTO_DEV_CA``: create the development CA and certificate on first use (DEBUG and tests).
- ``TRUST_ROOTS``: PEM files of the roots verification trusts besides the development CA
  (e.g. the BSrE root in production).
- ``BSRE``: ``{"URL", "USERNAME", "PASSWORD", "NIK", "PASSPHRASE", "TIMEOUT", "ISSUER_TEXT"}``.
- ``EAGER``: sign at once in the approving request instead of the worker (default in tests).
- ``ATTEMPTS`` (3), ``RETRY_DELAY_SECONDS`` (2, doubled per attempt): retries of a signing call
  that failed for a transient reason; ``STALE_SECONDS`` (300): when the sweep takes back a
  signature whose worker died (ADR 0009).

``Signer.sign_many`` signs several files in one call (one BSrE request, one passphrase or TOTP
entry for a batch); ``sign`` is the call for one.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from satupintu.core.errors import DomainError
from satupintu.core.models import Office


class SigningError(DomainError):
    """The document could not be signed (no certificate configured, or the signing service refused)."""

    code = "signing_failed"
    http_status = 503


class SigningRefused(SigningError):
    """The signing service refused this signature (a wrong passphrase or TOTP): the signer can try again."""

    code = "signing_refused"
    http_status = 422


def signing_settings() -> dict[str, Any]:
    config: dict[str, Any] = {
        "BACKEND": "local",
        "DIR": Path(getattr(settings, "VAR_DIR", "var")) / "signing",
        "PKCS12": {},
        "PASSPHRASE": "satupintu-dev",
        "AUTO_DEV_CA": bool(settings.DEBUG or getattr(settings, "TESTING", False)),
        "TRUST_ROOTS": [],
        "BSRE": {},
        "EAGER": bool(getattr(settings, "TESTING", False)),
        "ATTEMPTS": 3,
        "RETRY_DELAY_SECONDS": 2,
        "STALE_SECONDS": 300,
    }
    config.update(getattr(settings, "SATUPINTU_SIGNING", {}) or {})
    config["DIR"] = Path(config["DIR"])
    return config


@dataclass(frozen=True)
class SignItem:
    """One PDF to sign and what its signature says."""

    pdf: bytes
    reason: str
    location: str
    field_name: str = "TTE"


class Signer(Protocol):
    """Signs PDFs with the office's TTE; the result is the signed PDFs' bytes, in order."""

    #: Who issued the certificate, for the visible line "… yang diterbitkan oleh …".
    issuer_text: str

    def sign(
        self,
        pdf: bytes,
        *,
        reason: str,
        location: str,
        field_name: str = "TTE",
        credentials: Mapping[str, str] | None = None,
    ) -> bytes: ...

    def sign_many(self, items: Sequence[SignItem], *, credentials: Mapping[str, str] | None = None) -> list[bytes]: ...

    #: Whether each signature needs the signer's passphrase or TOTP (asked at the sign step, never stored).
    needs_credentials: bool


class _ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the private key parsed once, not on every signature."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), hash_algo)
        if isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # pragma: no cover - other key types


def _issuer_text(cert: Any) -> str:
    issuer = cert.issuer.native
    return str(issuer.get("organization_name") or issuer.get("common_name") or "")


@dataclass
class LocalSigner:
    """PAdES baseline B-B with pyHanko and a key held by this server (a PKCS#12 file)."""

    signer: signers.SimpleSigner
    issuer_text: str

    @classmethod
    def from_pkcs12(cls, path: Path, passphrase: str | None) -> LocalSigner:
        from cryptography.hazmat.primitives.serialization import pkcs12
        from pyhanko.keys import internal

        try:
            key, cert, extra = pkcs12.load_key_and_certificates(
                path.read_bytes(), passphrase.encode() if passphrase else None
            )
        except (OSError, ValueError) as exc:
            raise SigningError(f"Sertifikat penanda tangan tidak dapat dibaca ({path.name}): {exc}") from exc
        if key is None or cert is None:
            raise SigningError(f"Berkas {path.name} tidak memuat kunci dan sertifikat.")
        key_info = asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        signing_cert = internal.translate_pyca_cryptography_cert_to_asn1(cert)
        chain = [internal.translate_pyca_cryptography_cert_to_asn1(c) for c in extra or []]
        signer = _ParsedKeySigner(
            signing_cert=signing_cert,
            signing_key=key_info,
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        return cls(signer=signer, issuer_text=_issuer_text(signing_cert))

    needs_credentials: bool = False

    def sign(
        self,
        pdf: bytes,
        *,
        reason: str,
        location: str,
        field_name: str = "TTE",
        credentials: Mapping[str, str] | None = None,
    ) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        out = signers.PdfSigner(meta, signer=self.signer, new_field_spec=fields.SigFieldSpec(field_name)).sign_pdf(
            writer, in_place=False
        )
        return out.getvalue()

    def sign_many(self, items: Sequence[SignItem], *, credentials: Mapping[str, str] | None = None) -> list[bytes]:
        """Each file with the key held here (parsed once); the development CA signs this way too."""
        return [
            self.sign(i.pdf, reason=i.reason, location=i.location, field_name=i.field_name, credentials=credentials)
            for i in items
        ]


@dataclass
class BsreSigner:
    """
    The regional BSrE esign-client (``POST /api/v2/sign/pdf``): the certificate bound to the
    signer's NIK stays with BSrE; this server sends the PDF and the signer's passphrase.
    """

    url: str
    nik: str
    passphrase: str
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    issuer_text: str = "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara"

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if self.username:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read() or b"{}").get("error") or exc.reason
            except ValueError:
                detail = exc.reason
            refused = SigningRefused if 400 <= exc.code < 500 else SigningError
            raise refused(f"Layanan TTE BSrE menolak permintaan: {detail} (HTTP {exc.code}).") from exc
        except (OSError, ValueError) as exc:
            raise SigningError(f"Layanan TTE BSrE tidak dapat dihubungi: {exc}") from exc

    needs_credentials: bool = True

    def sign(
        self,
        pdf: bytes,
        *,
        reason: str,
        location: str,
        field_name: str = "TTE",
        credentials: Mapping[str, str] | None = None,
    ) -> bytes:
        """Sign one file through BSrE (``sign_many`` with one item)."""
        item = SignItem(pdf=pdf, reason=reason, location=location, field_name=field_name)
        return self.sign_many([item], credentials=credentials)[0]

    def sign_many(self, items: Sequence[SignItem], *, credentials: Mapping[str, str] | None = None) -> list[bytes]:
        """
        Sign several files in one BSrE call with the passphrase or TOTP the signer typed once for
        them; it is passed on and forgotten, never stored or logged.
        """
        if not items:
            return []
        given = dict(credentials or {})
        secret = {k: str(given[k]).strip() for k in ("passphrase", "totp") if str(given.get(k, "")).strip()}
        if not secret and self.passphrase:
            secret = {"passphrase": self.passphrase}  # a deployment that still configures one (not advised)
        if not secret:
            raise SigningRefused(
                "Masukkan passphrase TTE atau kode TOTP Anda untuk menandatangani; satupintu tidak menyimpannya."
            )
        answer = self._post(
            "/api/v2/sign/pdf",
            {
                "nik": self.nik,
                **secret,
                "signatureProperties": [
                    {"tampilan": "INVISIBLE", "reason": i.reason, "location": i.location} for i in items
                ],
                "file": [base64.b64encode(i.pdf).decode() for i in items],
            },
        )
        files = answer.get("file") or []
        if len(files) != len(items):
            raise SigningError(
                f"Layanan TTE BSrE mengembalikan {len(files)} berkas bertanda tangan untuk {len(items)} berkas."
            )
        return [base64.b64decode(f) for f in files]

    def user_status(self) -> dict[str, Any]:
        """``POST /api/v2/user/check/status``: whether the signer's certificate is active."""
        return self._post("/api/v2/user/check/status", {"nik": self.nik})


_cache: dict[str, Signer] = {}
_lock = threading.Lock()


def office_pkcs12_path(office: Office) -> Path:
    config = signing_settings()
    configured = config["PKCS12"].get(office.slug)
    return Path(configured) if configured else config["DIR"] / "offices" / f"{office.slug}.p12"


def office_passphrase(office: Office) -> str | None:
    passphrase = signing_settings()["PASSPHRASE"]
    if isinstance(passphrase, dict):
        passphrase = passphrase.get(office.slug)
    return passphrase or None


def signer_for(office: Office) -> Signer:
    """The office's signer, built once per process (the key parsed once)."""
    config = signing_settings()
    key = f"{config['BACKEND']}:{office.slug}:{office_pkcs12_path(office)}"
    signer = _cache.get(key)
    if signer is not None:
        return signer
    with _lock:
        if key in _cache:
            return _cache[key]
        if config["BACKEND"] == "bsre":
            bsre = config["BSRE"]
            if not bsre.get("URL"):
                raise SigningError("SATUPINTU_SIGNING['BSRE']['URL'] belum diatur.")
            signer = BsreSigner(
                url=bsre["URL"],
                nik=bsre.get("NIK", ""),
                passphrase=bsre.get("PASSPHRASE", ""),
                username=bsre.get("USERNAME", ""),
                password=bsre.get("PASSWORD", ""),
                timeout=float(bsre.get("TIMEOUT", 30)),
                issuer_text=bsre.get("ISSUER_TEXT") or BsreSigner.issuer_text,
            )
        else:
            path = office_pkcs12_path(office)
            if not path.exists():
                if not config["AUTO_DEV_CA"] or config["PKCS12"].get(office.slug):
                    raise SigningError(
                        f"Sertifikat penanda tangan kantor {office.slug} belum dipasang ({path}). "
                        "Pasang PKCS#12 kantor atau jalankan manage.py documents_dev_ca untuk pengembangan."
                    )
                from satupintu.documents.devca import dev_office_certificate

                dev_office_certificate(office)
            signer = LocalSigner.from_pkcs12(path, office_passphrase(office))
        _cache[key] = signer
        return signer


def signer_cache_clear() -> None:
    with _lock:
        _cache.clear()


def signing_needs_credentials(office: Office) -> bool:
    """Whether the office signs through BSrE, so the sign step asks for the passphrase or TOTP each time."""
    return signing_settings()["BACKEND"] == "bsre"
