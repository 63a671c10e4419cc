"""
Serving stored uploads back: never as a page of this site.

An upload is the applicant's (or a complainant's) file, checked and re-written but still theirs:
a PDF is sent as a download (``Content-Disposition: attachment``), so it opens in a viewer, not
in a page of this origin; an image is shown inline under a sandboxing policy that allows it no
scripts, forms or plugins. Both are ``nosniff`` and ``no-store, private`` (personal data).
"""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

INLINE_TYPES = {"image/jpeg", "image/png"}
#: The policy of a served upload: nothing runs, nothing is fetched but the image itself.
UPLOAD_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def upload_response(stream: IO[bytes], *, content_type: str, filename: str) -> FileResponse:
    """A response streaming a stored upload with the headers that keep it inert and uncached."""
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        stream,
        content_type=content_type if inline or content_type == "application/pdf" else "application/octet-stream",
        as_attachment=not inline,
        filename=filename or "berkas",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = UPLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
