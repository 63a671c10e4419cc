"""
Check uploaded files by parsing them, not by their first bytes, and keep only a clean copy.

A PDF is opened with pypdf and refused when it carries active or hidden content (JavaScript,
automatic or launch actions, embedded files, rich media, XFA forms), when it is truncated, has
data after its end (a polyglot), is encrypted with a password, or exceeds the page, object or
decompression limits; otherwise its pages are written to a new file, so incremental updates,
unreferenced objects and document-level actions are not kept. An image (JPEG, PNG) has its
size read from the header and is refused past the pixel limit *before* it is decoded, then
decoded fully and encoded again without EXIF, comments or other metadata. Anything else is
refused. Every refusal names its reason in Indonesian (``UploadRejected.reason`` is stable).

The limits are ``settings.SATUPINTU_UPLOADS`` (docs/security.md); ``CheckedUpload.file`` is the
clean copy, and its ``size`` and ``sha256`` are those of that copy: store it, not the upload.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import tempfile
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError

logger = logging.getLogger(__name__)

SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
}
LABELS = {"pdf": "PDF", "png": "PNG", "jpg": "JPG"}
PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG"}

#: Defaults for ``settings.SATUPINTU_UPLOADS``; a deployment overrides any of them.
DEFAULT_LIMITS: dict[str, int] = {
    # Width × height read from the header; larger images are refused before decoding.
    "MAX_PIXELS": 40_000_000,
    # The stored copy is scaled down to fit this many pixels on its longer side.
    "IMAGE_MAX_SIDE": 4000,
    "PDF_MAX_PAGES": 300,
    "PDF_MAX_OBJECTS": 100_000,
    # Bytes all compressed streams of one PDF may inflate to, together.
    "PDF_MAX_INFLATED_BYTES": 256 * 1024 * 1024,
    # One stream inflating past this many bytes at more than BOMB_RATIO times its stored size is a
    # bomb (a blank scanned A4 page at 300 dpi is 25 MB at about 1000:1).
    "PDF_BOMB_STREAM_BYTES": 32 * 1024 * 1024,
    "PDF_BOMB_RATIO": 1000,
    # Nesting depth of arrays and dictionaries (a deeply nested file exhausts parsers).
    "PDF_MAX_DEPTH": 64,
    # Uploads one requirement of one application may have on record (the active one included).
    "MAX_REPLACEMENTS": 20,
}

#: Dictionary keys that make a PDF do something by itself, or carry something that is not the page.
PDF_ACTIVE_KEYS: dict[str, str] = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "auto_action",
    "/EmbeddedFiles": "embedded_file",
    "/EmbeddedFile": "embedded_file",
    "/RichMedia": "rich_media",
    "/XFA": "xfa",
    "/RichMediaContent": "rich_media",
    "/RichMediaSettings": "rich_media",
}
#: Annotation subtypes that play media or 3D content.
PDF_MEDIA_SUBTYPES = {"/RichMedia", "/Movie", "/Sound", "/Screen", "/3D", "/FileAttachment"}
#: Action types (``/S``) refused wherever they appear.
PDF_ACTIVE_ACTIONS: dict[str, str] = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/GoToE": "embedded_file",
    "/RichMediaExecute": "rich_media",
    "/Rendition": "rich_media",
}
#: Content that makes an image file also a page or a script.
MARKUP_MARKERS = (b"<script", b"<html", b"<svg", b"<iframe", b"<body", b"javascript:")


class UploadRejected(DomainError):
    code = "upload_rejected"
    http_status = 422

    def __init__(self, message: str, *, reason: str = "rejected") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CheckedUpload:
    """What was accepted: the kind and type of the clean copy, its size and hash, and the copy itself."""

    kind: str
    content_type: str
    size: int
    sha256: str
    file: IO[bytes] = field(repr=False, compare=False, default_factory=io.BytesIO)


def upload_limits() -> dict[str, int]:
    """The limits in force: the defaults updated with ``settings.SATUPINTU_UPLOADS``."""
    return {**DEFAULT_LIMITS, **getattr(settings, "SATUPINTU_UPLOADS", {})}


def upload_check(stream: IO[bytes], *, allowed: list[str], max_bytes: int) -> CheckedUpload:
    """
    Parse the upload as one of the ``allowed`` kinds and return its clean copy.

    Raise UploadRejected (Indonesian message, stable ``reason``) for an empty, oversized,
    unrecognised, damaged or dangerous file. The upload stream is left at its start and is not
    changed; the clean copy is ``CheckedUpload.file`` (positioned at 0).
    """
    limits = upload_limits()
    content = _read_bounded(stream, max_bytes=max_bytes)
    kind = next((k for k, (magic, _ct) in SIGNATURES.items() if content.startswith(magic)), None)
    if kind is None or kind not in allowed:
        raise UploadRejected(
            _("Jenis berkas tidak diterima. Unggah berkas %(types)s (isi berkas diperiksa, bukan hanya namanya).")
            % {"types": ", ".join(LABELS[k] for k in allowed)},
            reason="type",
        )
    clean = _clean_pdf(content, limits) if kind == "pdf" else _clean_image(content, kind, limits, max_bytes)
    if len(clean) > max_bytes:
        # Re-encoding rarely grows a file; when it does, the limit still holds for what is stored.
        raise _too_big(max_bytes)
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    spooled.write(clean)
    spooled.seek(0)
    return CheckedUpload(
        kind=kind,
        content_type=SIGNATURES[kind][1],
        size=len(clean),
        sha256=hashlib.sha256(clean).hexdigest(),
        file=spooled,
    )


def _too_big(max_bytes: int) -> UploadRejected:
    return UploadRejected(
        _("Berkas terlalu besar (lebih dari %(mb)s MB). Perkecil atau pindai ulang dengan resolusi lebih rendah.")
        % {"mb": max_bytes // (1024 * 1024)},
        reason="too_big",
    )


def _read_bounded(stream: IO[bytes], *, max_bytes: int) -> bytes:
    """Read the whole upload, in chunks, refusing as soon as it passes ``max_bytes``."""
    stream.seek(0)
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            stream.seek(0)
            raise _too_big(max_bytes)
        parts.append(chunk)
    stream.seek(0)
    if not size:
        raise UploadRejected(_("Berkas kosong. Pilih berkas lain."), reason="empty")
    return b"".join(parts)


# --- PDF ----------------------------------------------------------------------------------------------


def _pdf_refused(reason: str) -> UploadRejected:
    messages = {
        "javascript": _("PDF ditolak: berisi JavaScript. Cetak ulang dokumen ke PDF biasa lalu unggah lagi."),
        "auto_action": _(
            "PDF ditolak: berisi tindakan otomatis yang berjalan saat dibuka. "
            "Cetak ulang ke PDF biasa lalu unggah lagi."
        ),
        "launch": _("PDF ditolak: berisi perintah untuk menjalankan program lain."),
        "submit_form": _("PDF ditolak: berisi formulir yang mengirim data ke tempat lain."),
        "import_data": _("PDF ditolak: berisi perintah untuk mengimpor data."),
        "embedded_file": _(
            "PDF ditolak: berisi berkas lain di dalamnya (lampiran tersembunyi). Unggah dokumennya saja."
        ),
        "rich_media": _("PDF ditolak: berisi media (video, suara, Flash). Unggah dokumen tanpa media."),
        "xfa": _("PDF ditolak: formulir XFA tidak diterima. Cetak formulir ke PDF biasa lalu unggah lagi."),
        "encrypted": _("PDF ditolak: dilindungi kata sandi. Unggah salinan tanpa kata sandi."),
        "truncated": _("PDF ditolak: berkas terpotong atau tidak lengkap. Unduh atau pindai ulang, lalu unggah lagi."),
        "trailing_data": _(
            "PDF ditolak: ada data lain setelah akhir dokumen (berkas ganda). Simpan ulang sebagai PDF biasa."
        ),
        "polyglot": _("PDF ditolak: berkas ini sekaligus berkas lain (misalnya ZIP). Simpan ulang sebagai PDF biasa."),
        "damaged": _("PDF ditolak: berkas rusak dan tidak dapat dibaca. Simpan ulang atau pindai ulang dokumennya."),
        "too_many_pages": _("PDF ditolak: lebih dari %(limit)s halaman. Pisahkan dokumennya.")
        % {"limit": upload_limits()["PDF_MAX_PAGES"]},
        "no_pages": _("PDF ditolak: tidak ada halaman."),
        "too_many_objects": _("PDF ditolak: struktur berkas terlalu rumit. Simpan ulang dokumen sebagai PDF biasa."),
        "too_deep": _("PDF ditolak: struktur berkas terlalu dalam. Simpan ulang dokumen sebagai PDF biasa."),
        "bomb": _("PDF ditolak: isinya mengembang terlalu besar saat dibuka (bom dekompresi)."),
    }
    return UploadRejected(messages[reason], reason=f"pdf_{reason}")


def _pdf_tail_check(content: bytes) -> None:
    """Refuse a PDF without its end marker (truncated) or with bytes after it (a polyglot)."""
    end = content.rfind(b"%%EOF")
    if end < 0:
        raise _pdf_refused("truncated")
    rest = content[end + 5 :].strip(b"\r\n\t \x00")
    if rest:
        # More objects after the end marker: an update cut off midway; anything else rides along.
        raise _pdf_refused("truncated" if b" obj" in rest or b"endstream" in rest else "trailing_data")


def _clean_pdf(content: bytes, limits: dict[str, int]) -> bytes:
    """Check the PDF and return its pages written to a new file; raise UploadRejected otherwise."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    _pdf_tail_check(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            # An owner password alone (no password to open) is common on official documents.
            if reader.is_encrypted and not reader.decrypt(""):
                raise _pdf_refused("encrypted")
            _pdf_objects_check(reader, limits)
            pages = _pdf_page_count(reader, limits)
            writer = PdfWriter()
            for page in reader.pages:
                writer.add_page(page)
            if pages == 0:
                raise _pdf_refused("no_pages")
            out = io.BytesIO()
            writer.write(out)
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, zlib.error) as exc:
        logger.info("pdf upload refused as damaged: %r", exc)
        raise _pdf_refused("damaged") from None
    except RecursionError:
        raise _pdf_refused("too_deep") from None
    clean = out.getvalue()
    # A ZIP reader looks for its directory in the last 64 KB; none may be there in what we keep.
    if b"PK\x05\x06" in clean[-(65536 + 22) :]:
        raise _pdf_refused("polyglot")
    return clean


def _pdf_objects(reader: Any) -> Iterator[Any]:
    """Every indirect object of the file, read once each (cross-reference table and object streams)."""
    from pypdf.generic import IndirectObject

    for generation, numbers in reader.xref.items():
        for idnum in numbers:
            yield reader.get_object(IndirectObject(idnum, generation, reader))
    for idnum in reader.xref_objStm:
        yield reader.get_object(IndirectObject(idnum, 0, reader))


def _pdf_objects_check(reader: Any, limits: dict[str, int]) -> None:
    """Walk every object: refuse active content, too many objects, deep nesting or a decompression bomb."""
    count = sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm)
    if count > limits["PDF_MAX_OBJECTS"]:
        raise _pdf_refused("too_many_objects")
    budget = [limits["PDF_MAX_INFLATED_BYTES"], limits["PDF_BOMB_STREAM_BYTES"], limits["PDF_BOMB_RATIO"]]
    for obj in _pdf_objects(reader):
        _pdf_value_check(obj, depth=0, limits=limits, budget=budget)
    # The catalogue's own entries: an /OpenAction is only a destination or a "go to" here.
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if root is None or not hasattr(root, "get"):
        raise _pdf_refused("damaged")
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if names is not None and hasattr(names, "get"):
        if "/JavaScript" in names:
            raise _pdf_refused("javascript")
        if "/EmbeddedFiles" in names:
            raise _pdf_refused("embedded_file")
    acroform = root.get("/AcroForm")
    acroform = acroform.get_object() if acroform is not None else None
    if acroform is not None and hasattr(acroform, "get") and "/XFA" in acroform:
        raise _pdf_refused("xfa")


def _pdf_value_check(value: Any, *, depth: int, limits: dict[str, int], budget: list[int]) -> None:
    """Check one value (direct objects are walked; references are checked where they are defined)."""
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    if depth > limits["PDF_MAX_DEPTH"]:
        raise _pdf_refused("too_deep")
    if isinstance(value, DictionaryObject):
        for key, reason in PDF_ACTIVE_KEYS.items():
            if key in value:
                raise _pdf_refused(reason)
        action = value.get("/S")
        if isinstance(action, str) and action in PDF_ACTIVE_ACTIONS:
            raise _pdf_refused(PDF_ACTIVE_ACTIONS[action])
        if action == "/URI":
            target = str(value.get("/URI", "")).strip().lower()
            if target.startswith(("javascript:", "data:", "vbscript:")):
                raise _pdf_refused("javascript")
        if value.get("/Type") == "/Filespec" and ("/EF" in value or "/RF" in value):
            raise _pdf_refused("embedded_file")
        subtype = value.get("/Subtype")
        if isinstance(subtype, str) and subtype in PDF_MEDIA_SUBTYPES and value.get("/Type") in (None, "/Annot"):
            raise _pdf_refused("embedded_file" if subtype == "/FileAttachment" else "rich_media")
        if "/OpenAction" in value:
            opened = value.raw_get("/OpenAction")
            opened = opened.get_object() if hasattr(opened, "get_object") else opened
            if isinstance(opened, DictionaryObject) and opened.get("/S") not in (None, "/GoTo"):
                raise _pdf_refused(PDF_ACTIVE_ACTIONS.get(str(opened.get("/S")), "auto_action"))
        for item in value.values():
            _pdf_value_check(item, depth=depth + 1, limits=limits, budget=budget)
        if isinstance(value, StreamObject):
            _pdf_stream_check(value, budget=budget)
    elif isinstance(value, ArrayObject):
        for item in value:
            _pdf_value_check(item, depth=depth + 1, limits=limits, budget=budget)


def _inflated(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate a Flate stream piece by piece (at most 1 MB of output at a time)."""
    inflater = zlib.decompressobj()
    for chunk in chunks:
        pending = chunk
        while pending:
            out = inflater.decompress(pending, 1024 * 1024)
            if out:
                yield out
            pending = inflater.unconsumed_tail
    rest = inflater.flush()
    if rest:
        yield rest


def _pdf_stream_check(stream: Any, *, budget: list[int]) -> None:
    """
    Inflate a stream's leading Flate filters, counting against what is left of the file's budget.

    Nothing is kept: the output is only counted, so a bomb costs memory for one piece at a time.
    Chained filters (``[/FlateDecode /FlateDecode]``) are inflated layer through layer. ``budget``
    is [bytes left for the file, the stream size past which the ratio is checked, the ratio].
    """
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
    layers = 0
    for name in names:
        if name not in ("/FlateDecode", "/Fl"):
            break
        layers += 1
    if not layers:
        return
    raw: bytes = getattr(stream, "_data", b"")  # the stream as stored, before any filter
    pieces: Iterator[bytes] = iter(raw[i : i + 65536] for i in range(0, len(raw), 65536))
    for _layer in range(layers):
        pieces = _inflated(pieces)
    produced = 0
    budget_left, stream_bytes, ratio = budget
    try:
        for piece in pieces:
            produced += len(piece)
            if produced > budget_left or (produced > stream_bytes and produced > ratio * max(len(raw), 1)):
                raise _pdf_refused("bomb")
    except zlib.error:
        pass  # a broken stream is not a bomb; a viewer shows what it can
    budget[0] -= produced


def _pdf_page_count(reader: Any, limits: dict[str, int]) -> int:
    """Count the pages by walking the page tree once (no cycles, bounded), before pypdf flattens it."""
    from pypdf.generic import DictionaryObject

    root = reader.trailer["/Root"].get_object()
    top = root.get("/Pages")
    if top is None:
        raise _pdf_refused("no_pages")
    seen: set[int] = set()
    pages = 0
    pending: list[tuple[Any, int]] = [(top, 0)]
    while pending:
        ref, depth = pending.pop()
        node = ref.get_object()
        if id(node) in seen or not isinstance(node, DictionaryObject):
            raise _pdf_refused("damaged")
        seen.add(id(node))
        if depth > limits["PDF_MAX_DEPTH"]:
            raise _pdf_refused("too_deep")
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            kids = node.get("/Kids")
            kids = kids.get_object() if kids is not None else []
            if len(seen) + len(pending) + len(kids) > limits["PDF_MAX_OBJECTS"]:
                raise _pdf_refused("too_many_objects")
            pending.extend((kid, depth + 1) for kid in kids)
        else:
            pages += 1
            if pages > limits["PDF_MAX_PAGES"]:
                raise _pdf_refused("too_many_pages")
    return pages


# --- images -------------------------------------------------------------------------------------------


def image_refused(reason: str) -> UploadRejected:
    """The refusal for an image, by reason (also used by readers of stored photos)."""
    messages = {
        "too_many_pixels": _(
            "Gambar ditolak: ukurannya lebih dari %(megapixels)s megapiksel. Perkecil gambarnya lalu unggah lagi."
        )
        % {"megapixels": upload_limits()["MAX_PIXELS"] // 1_000_000},
        "damaged": _("Gambar ditolak: berkas rusak, terpotong atau bukan gambar yang sah. Foto atau pindai ulang."),
        "markup": _("Gambar ditolak: berisi kode halaman web atau skrip."),
        "mismatch": _("Gambar ditolak: isi berkas tidak sesuai dengan jenisnya."),
    }
    return UploadRejected(messages[reason], reason=f"image_{reason}")


def _clean_image(content: bytes, kind: str, limits: dict[str, int], max_bytes: int) -> bytes:
    """
    Check the image's size before decoding, decode it fully, and encode it again without metadata.

    Whatever follows the image data (an appended archive, a camera's trailer) is not kept: the
    stored copy holds the pixels only. Markup anywhere in the file is refused outright.
    """
    from PIL import Image, ImageOps

    lowered = content.lower()
    if any(marker in lowered for marker in MARKUP_MARKERS):
        raise image_refused("markup")
    image_format = PILLOW_FORMATS[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(content), formats=[image_format])
            width, height = opened.size  # from the header only: nothing is decoded yet
            if width * height > limits["MAX_PIXELS"] or width <= 0 or height <= 0:
                raise image_refused("too_many_pixels")
            if opened.format != image_format:
                raise image_refused("mismatch")
            opened.load()  # decode everything: a truncated or corrupt file fails here
            image = ImageOps.exif_transpose(opened) or opened  # keep the photo upright once EXIF is gone
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise image_refused("too_many_pixels") from None
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, MemoryError) as exc:
        logger.info("image upload refused as damaged: %r", exc)
        raise image_refused("damaged") from None
    image.thumbnail((limits["IMAGE_MAX_SIDE"], limits["IMAGE_MAX_SIDE"]))
    clean = _image_encode(image, image_format)
    # A photo just under the limit may come out larger: step the JPEG quality down, then halve it.
    for quality in (80, 70):
        if len(clean) <= max_bytes or image_format != "JPEG":
            break
        clean = _image_encode(image, image_format, quality=quality)
    if len(clean) > max_bytes and image.width > 800:
        image.thumbnail((image.width // 2, image.height // 2))
        clean = _image_encode(image, image_format, quality=80)
    return clean


def _image_encode(image: Any, image_format: str, *, quality: int = 90) -> bytes:
    """
    Encode pixels only: no EXIF, XMP, ICC profile, comments or text chunks are written.

    Pillow's encoders fall back to the decoded file's ``info`` (its comment, its EXIF), so the
    copy written gets an empty ``info`` (a PNG keeps only its transparency).
    """
    out = io.BytesIO()
    if image_format == "JPEG":
        clean = image if image.mode in ("L", "RGB", "CMYK") else image.convert("RGB")
        clean = clean.copy()
        clean.info = {}
        clean.save(out, format="JPEG", quality=quality, exif=b"")
    else:
        clean = image if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16") else image.convert("RGBA")
        clean = clean.copy()
        clean.info = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        clean.save(out, format="PNG", optimize=False)
    return out.getvalue()


def image_within_limits(content: bytes) -> bool:
    """Whether a stored image's header declares no more pixels than the limit (read without decoding)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content), formats=["JPEG", "PNG"]) as image:
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return 0 < width * height <= upload_limits()["MAX_PIXELS"]


def replacements_check(*, application: Any, requirement_key: str) -> None:
    """
    Refuse another upload for a requirement that already has ``MAX_REPLACEMENTS`` files on record.

    Every earlier upload stays on file (inactive) for the record, so without a cap one draft could
    fill the storage (audit finding: 267 replacements on one draft).
    """
    from satupintu.applications.models import Document

    limit = upload_limits()["MAX_REPLACEMENTS"]
    if Document.objects.filter(application=application, requirement_key=requirement_key).count() >= limit:
        raise UploadRejected(
            _(
                "Berkas untuk persyaratan ini sudah diganti %(count)s kali, batas yang diizinkan. "
                "Hubungi loket bila masih perlu menggantinya."
            )
            % {"count": limit},
            reason="too_many_replacements",
        )
