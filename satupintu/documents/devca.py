"""
The development certificate authority: a root and one signing certificate per office.

Only for development and tests — documents signed with it say so in the visible line ("Otoritas
Sertifikat Pengembangan satupintu"), and production configures the office's own certificate
(PKCS#12) or BSrE instead. Files live under ``SATUPINTU_SIGNING['DIR']``: ``ca.pem``,
``ca-key.pem`` and ``offices/<slug>.p12``. Creation holds a file lock, so two processes (a web
server and a worker, or two test runs) never make two different CAs.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from satupintu.core.models import Office
from satupintu.documents.signing import office_passphrase, office_pkcs12_path, signing_settings

DEV_CA_NAME = "Otoritas Sertifikat Pengembangan satupintu (bukan untuk produksi)"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _ca_paths() -> tuple[Path, Path]:
    directory = signing_settings()["DIR"]
    return directory / "ca.pem", directory / "ca-key.pem"


def dev_ca(*, force: bool = False) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The development root (created when missing, or anew with ``force``)."""
    cert_path, key_path = _ca_paths()
    with _locked(cert_path.parent):
        if cert_path.exists() and key_path.exists() and not force:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            return cert, key
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_CA_NAME),
                x509.NameAttribute(NameOID.COMMON_NAME, "satupintu Development Root CA"),
            ]
        )
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write(
            key_path,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
        return cert, key


def dev_office_certificate(office: Office, *, force: bool = False) -> Path:
    """Create the office's development signing certificate (PKCS#12) under the development CA."""
    path = office_pkcs12_path(office)
    ca_cert, ca_key = dev_ca()
    with _locked(path.parent):
        if path.exists() and not force:
            return path
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, office.name[:64]),
                x509.NameAttribute(NameOID.COMMON_NAME, (office.head_name or f"Kepala {office.name}")[:64]),
            ]
        )
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        passphrase = office_passphrase(office)
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
        )
        _write(path, pkcs12.serialize_key_and_certificates(office.slug.encode(), key, cert, [ca_cert], encryption))
        return path


def dev_ca_pem() -> bytes | None:
    """The development root as PEM, if one exists (a trust root for verification)."""
    cert_path, _key = _ca_paths()
    return cert_path.read_bytes() if cert_path.exists() else None
