"""QR codes for the verification link (segno: pure Python, ≈6–9 ms a code)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG markup for the templates (error correction M)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", border=0, xmldecl=False, dark="#000")
    return buffer.getvalue().decode("ascii")


def qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The module matrix of the QR code of ``url`` (1 = dark), to compare two codes."""
    return tuple(tuple(row) for row in segno.make(url, error="m", micro=False).matrix)
