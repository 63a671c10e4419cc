"""
Checking a PDF's electronic signature with pyHanko's validator against the trusted roots.

The roots are the development CA (when one exists) and ``SATUPINTU_SIGNING['TRUST_ROOTS']`` (the
BSrE root in production). Nothing is fetched: revocation information that is not in the file is
not looked up (``allow_fetching=False``), which suits closed office networks.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from satupintu.documents.devca import dev_ca_pem
from satupintu.documents.signing import signing_settings


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko says of a PDF's (last) signature."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def _certs_from(data: bytes) -> list[x509.Certificate]:
    if pem.detect(data):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def trust_roots() -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    dev = dev_ca_pem()
    if dev:
        roots += _certs_from(dev)
    for path in signing_settings()["TRUST_ROOTS"]:
        roots += _certs_from(Path(path).read_bytes())
    return roots


def pdf_signature_check(pdf: bytes) -> SignatureCheck:
    """Validate the PDF's last signature: intact, covering the whole file, chaining to a trusted root."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        return SignatureCheck(signed=False, problem=f"Berkas bukan PDF yang dapat dibaca: {exc}")
    if not signatures:
        return SignatureCheck(signed=False, problem="Berkas tidak memuat tanda tangan elektronik.")
    signature = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:
        return SignatureCheck(signed=True, problem=f"Tanda tangan tidak dapat diperiksa: {exc}")
    signer = ""
    if status.signing_cert is not None:
        signer = str(status.signing_cert.subject.native.get("common_name", ""))
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer,
        problem="" if status.bottom_line else "Tanda tangan tidak sah atau berkas telah diubah.",
    )


def sha256_of_stream(stream: IO[bytes], *, max_bytes: int) -> tuple[str, int]:
    """Hash a stream in chunks (never the whole file in memory); ValueError past ``max_bytes``."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        size += len(chunk)
        if size > max_bytes:
            raise ValueError("too large")
        digest.update(chunk)
    return digest.hexdigest(), size
