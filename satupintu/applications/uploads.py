"""
Check uploaded files by their content, not their name: PDF, JPEG or PNG, within the size limit.

Files are read in chunks (hashing as they go), never whole into memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError

SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
}
LABELS = {"pdf": "PDF", "png": "PNG", "jpg": "JPG"}


class UploadRejected(DomainError):
    code = "upload_rejected"
    http_status = 422


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    size: int
    sha256: str


def upload_check(stream: IO[bytes], *, allowed: list[str], max_bytes: int) -> CheckedUpload:
    """Identify the file by its first bytes and measure and hash it; raise UploadRejected otherwise."""
    stream.seek(0)
    head = stream.read(16)
    kind = next((k for k, (magic, _ct) in SIGNATURES.items() if head.startswith(magic)), None)
    allowed_text = ", ".join(LABELS[k] for k in allowed)
    if not head:
        raise UploadRejected(_("Berkas kosong. Pilih berkas lain."))
    if kind is None or kind not in allowed:
        raise UploadRejected(
            _("Jenis berkas tidak diterima. Unggah berkas %(types)s (isi berkas diperiksa, bukan hanya namanya).")
            % {"types": allowed_text}
        )
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise UploadRejected(
                _(
                    "Berkas terlalu besar (lebih dari %(mb)s MB). "
                    "Perkecil atau pindai ulang dengan resolusi lebih rendah."
                )
                % {"mb": max_bytes // (1024 * 1024)}
            )
        digest.update(chunk)
    stream.seek(0)
    return CheckedUpload(kind=kind, content_type=SIGNATURES[kind][1], size=size, sha256=digest.hexdigest())
