"""
PDF rendering with Typst (ADR 0006): one template per document kind, data passed as JSON.

Templates are Typst sources. The defaults ship in ``typst/<kind>.typ`` (with the shared layout
``typst/naskah.typ``); an office overrides one with a ``DocumentTemplate`` row (admin), for all its
services or for one. Fonts ship in ``fonts/`` (Liberation Sans, SIL OFL 1.1); system fonts are
ignored so a document renders the same on every server, and nothing is fetched at run time.
The compiler's root is the ``typst/`` folder: a template can import the shared layout but read no
other file on the server. A document with files of its own (the holder's photo on the permit) is
compiled in a temporary root made for that one render — the ``.typ`` files of ``typst/`` and those
files — removed afterwards. The office's regional emblem (``LetterSettings.emblem_png``, an
upload checked and re-encoded as PNG) is such a file: every document of the office gets it as
``/lambang.png`` and its data says so in ``emblem`` (empty without one: the kop then has no slot).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typst

from satupintu.core.errors import DomainError

HERE = Path(__file__).resolve().parent
TYPST_DIR = HERE / "typst"
FONTS_DIR = HERE / "fonts"


class RenderError(DomainError):
    """A template did not compile (an office's edited template has an error)."""

    code = "render_failed"
    http_status = 500


_local = threading.local()


def _compiler() -> typst.Compiler:
    # Font discovery is the slow part of a first compile: keep one compiler per thread.
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TYPST_DIR), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def default_source(kind: str) -> str:
    """The template shipped with the app for a document kind."""
    path = TYPST_DIR / f"{kind}.typ"
    if not path.exists():
        raise RenderError(f"Templat dokumen {kind} tidak ada.")
    return path.read_text(encoding="utf-8")


def template_source(kind: str, *, office_id: int | None, service_code: str = "") -> str:
    """The office's template for the kind (for this service, else for all), else the default."""
    if office_id is not None:
        from satupintu.documents.models import DocumentTemplate

        rows = {
            row.service_code: row.source
            for row in DocumentTemplate.objects.filter(
                office_id=office_id, kind=kind, service_code__in={"", service_code}, active=True
            )
        }
        if service_code in rows:
            return rows[service_code]
        if "" in rows:
            return rows[""]
    return default_source(kind)


@contextmanager
def _root(files: Mapping[str, bytes] | None) -> Iterator[str]:
    """The compile root: ``typst/``, or a temporary copy of its templates plus ``files``."""
    if not files:
        yield str(TYPST_DIR)
        return
    with tempfile.TemporaryDirectory(prefix="satupintu-typst-") as tmp:
        root = Path(tmp)
        for template in TYPST_DIR.glob("*.typ"):
            shutil.copyfile(template, root / template.name)
        for name, content in files.items():
            target = root / name
            if target.parent != root or not name or name.endswith(".typ"):
                raise ValueError(f"bad file name for the Typst root: {name!r}")
            target.write_bytes(content)
        yield tmp


def _compile(source: str, data: dict[str, Any], files: Mapping[str, bytes] | None, **options: Any) -> Any:
    with _root(files) as root:
        # The root is passed on every compile: the compiler keeps the last one it was given.
        return _compiler().compile(
            input=source.encode("utf-8"),
            root=root,
            sys_inputs={"data": json.dumps(data, default=str, ensure_ascii=False)},
            **options,
        )


def compile_pdf(source: str, data: dict[str, Any], *, files: Mapping[str, bytes] | None = None) -> bytes:
    """
    Compile a Typst source with ``data`` (available to it as ``data()``) to PDF bytes.

    ``files`` (name → content) are readable by the template as ``"/<name>"`` for this render only.
    """
    try:
        result = _compile(source, data, files, format="pdf")
    except typst.TypstError as exc:
        raise RenderError(f"Templat dokumen tidak dapat dirender: {exc.message}") from exc
    assert isinstance(result, bytes)
    return result


EMBLEM_FILE = "lambang.png"


def office_emblem(office_id: int | None) -> bytes:
    """The office's regional emblem as PNG bytes (empty when it has none)."""
    if office_id is None:
        return b""
    from satupintu.documents.models import LetterSettings

    found = LetterSettings.objects.filter(office_id=office_id).values_list("emblem_png", flat=True).first()
    return bytes(found or b"")


def render_pdf(
    kind: str,
    data: dict[str, Any],
    *,
    office_id: int | None,
    service_code: str = "",
    files: Mapping[str, bytes] | None = None,
) -> bytes:
    """
    Render a document kind with the office's template (``template_source``) and the shipped fonts.

    The office's emblem is added to the compile root and named in ``data["emblem"]``.
    """
    emblem = office_emblem(office_id)
    data = {**data, "emblem": f"/{EMBLEM_FILE}" if emblem else ""}
    if emblem:
        files = {**(files or {}), EMBLEM_FILE: emblem}
    return compile_pdf(template_source(kind, office_id=office_id, service_code=service_code), data, files=files)


def render_png(
    pdf_source: str, data: dict[str, Any], *, ppi: float = 72, files: Mapping[str, bytes] | None = None
) -> list[bytes]:
    """Pages as PNG images (previews and the samples in docs/samples)."""
    result = _compile(pdf_source, data, files, format="png", ppi=ppi)
    return result if isinstance(result, list) else [result]
