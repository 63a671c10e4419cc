"""
PDF rendering with Typst (ADR 0006): one template per document kind, data passed as JSON.

Templates are Typst sources. The defaults ship in ``typst/<kind>.typ`` (with the shared layout
``typst/naskah.typ``); an office overrides one with a ``DocumentTemplate`` row (admin), for all its
services or for one. Fonts ship in ``fonts/`` (Liberation Sans, SIL OFL 1.1); system fonts are
ignored so a document renders the same on every server, and nothing is fetched at run time.
The compiler's root is the ``typst/`` folder: a template can import the shared layout but read no
other file on the server.
"""

from __future__ import annotations

import json
import threading
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


def compile_pdf(source: str, data: dict[str, Any]) -> bytes:
    """Compile a Typst source with ``data`` (available to it as ``data()``) to PDF bytes."""
    try:
        result = _compiler().compile(
            input=source.encode("utf-8"),
            format="pdf",
            sys_inputs={"data": json.dumps(data, default=str, ensure_ascii=False)},
        )
    except typst.TypstError as exc:
        raise RenderError(f"Templat dokumen tidak dapat dirender: {exc.message}") from exc
    assert isinstance(result, bytes)
    return result


def render_pdf(kind: str, data: dict[str, Any], *, office_id: int | None, service_code: str = "") -> bytes:
    return compile_pdf(template_source(kind, office_id=office_id, service_code=service_code), data)


def render_png(pdf_source: str, data: dict[str, Any], *, ppi: float = 72) -> list[bytes]:
    """Pages as PNG images (previews and the samples in docs/samples)."""
    result = _compiler().compile(
        input=pdf_source.encode("utf-8"),
        format="png",
        ppi=ppi,
        sys_inputs={"data": json.dumps(data, default=str, ensure_ascii=False)},
    )
    return result if isinstance(result, list) else [result]  # type: ignore[list-item]
