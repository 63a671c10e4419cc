"""
Turn an uploaded document into lines of text the readers understand.

Every form ends as the seeds' form: one line per paragraph or table row, table cells separated
by tabs, and the inner markup of a cell kept as it is (the seeds' web-page text carries leftover
tags such as ``<ol>`` and ``<p>``, and the clause parser reads ``<li>`` as an item boundary).

- ``.txt``: decoded as UTF-8 (or Windows-1252 when that fails).
- ``.html`` / ``.htm``: tables become tab-separated rows (a ``colspan`` repeats empty cells so
  columns stay aligned); other block elements become lines.
- ``.pdf``: the text of every page (pypdf), line by line.
- ``.docx``: paragraphs and tables in document order (python-docx), tables as tab rows.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError


class StandardImportError(DomainError):
    """A document could not be read or holds no Standar Pelayanan; ``message`` says why, in Indonesian."""

    code = "import_failed"
    http_status = 422


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "li", "ol", "ul", "section", "article", "title"}
_SKIP = {"script", "style", "head"}


class _TableText(HTMLParser):
    """Collect lines from HTML: table rows as tab-joined cells with their inner markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._text: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._colspan = 1
        self._skip = 0
        self._depth = 0

    def _flush_text(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.lines.append(text)
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "table":
            self._flush_text()
            self._depth += 1
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._colspan = int(span) if span.isdigit() else 1
        elif self._cell is not None:
            self._cell.append(f"<{tag}>")
        elif tag in _BLOCKS:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            cell = " ".join("".join(self._cell).split())
            self._row.extend([cell] + [""] * (self._colspan - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(c.strip() for c in self._row):
                self.lines.append("\t".join(self._row))
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
        elif self._cell is not None:
            if tag in {"li", "p"}:
                self._cell.append(" ")
        elif tag in _BLOCKS:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(html.escape(data, quote=False).replace("&amp;", "&"))
        elif self._row is None:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()


def _html_lines(text: str) -> list[str]:
    parser = _TableText()
    parser.feed(text)
    parser.close()
    return parser.lines


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StandardImportError(_("Berkas tidak dapat dibaca sebagai teks."), code="unreadable")


def _pdf_lines(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise StandardImportError(
            _("Berkas PDF tidak dapat dibaca: %(error)s") % {"error": exc}, code="unreadable"
        ) from None
    return "\n".join(pages).splitlines()


def _docx_lines(data: bytes) -> list[str]:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise StandardImportError(
            _("Berkas DOCX tidak dapat dibaca: %(error)s") % {"error": exc}, code="unreadable"
        ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.splitlines() or [""])
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans: keep the first.
                    marker = id(cell._tc)
                    cells.append("" if marker in seen else " ".join(cell.text.split()))
                    seen.add(marker)
                if any(cells):
                    lines.append("\t".join(cells))
    return lines


def document_lines(data: bytes, filename: str) -> tuple[list[str], str]:
    """
    The lines of the document and the form of its container (``text``, ``html``, ``pdf``, ``docx``),
    parsed as its name's suffix says (by its first bytes only for a name without a known suffix).

    Raise StandardImportError with an Indonesian message for a file that cannot be read.
    """
    name = filename.lower()
    # A known suffix decides how the file is parsed (a PDF named .txt is read as text and fails);
    # the content decides only for a name without one of them.
    known = name.endswith((".pdf", ".docx", ".txt", ".html", ".htm"))
    if name.endswith(".pdf") or (not known and data[:5] == b"%PDF-"):
        return _pdf_lines(data), "pdf"
    if name.endswith(".docx") or (not known and data[:2] == b"PK"):
        return _docx_lines(data), "docx"
    text = _decode(data)
    if name.endswith((".html", ".htm")) or re.search(r"<(table|html|body)\b", text[:5000], re.I):
        return _html_lines(text), "html"
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), "text"
