"""
Public pages from the shared cache (issue 12): the catalogue, the service pages and the published
satisfaction index (IKM), for visitors who are not signed in.

A page is kept per language and path (pages with a query string, e.g. a catalogue search or
another IKM period, are rendered every time) for ``PUBLIC_PAGE_SECONDS`` at most, and forgotten
at once when what it shows changes: any row of the catalogue, an office, or a survey answer or
setting (``pages_changed``, connected in ``PortalConfig.ready``). Tracking is never cached (it
is about one person's file), nor is a page for a signed-in user (it names them), nor one that
carries a message for this visitor.

The language form on every page carries a CSRF token: the cached copy's token is replaced with
this visitor's own on the way out, so the form keeps working and the CSRF cookie is set as usual.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

#: How long a public page is kept at most (changes made around the signals are seen after this).
PUBLIC_PAGE_SECONDS = 300
_GENERATION_KEY = "public-pages:generation"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def pages_changed(**_kwargs: Any) -> None:
    """Forget every cached public page (a new generation of keys)."""
    cache.set(_GENERATION_KEY, secrets.token_hex(8), None)


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, secrets.token_hex(8), None)
        generation = cache.get(_GENERATION_KEY, "0")
    return str(generation)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and getattr(request, "user", None) is not None
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the shared cache when the visitor is anonymous (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"public-page:{_generation()}:{get_language()}:{request.path}"
        kept = cache.get(key)
        if kept is not None:
            body, token, content_type = kept
            if token:
                body = body.replace(token, get_token(request).encode())
            return HttpResponse(body, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            found = _TOKEN.search(response.content)
            cache.set(
                key,
                (response.content, found.group(1) if found else b"", response["Content-Type"]),
                PUBLIC_PAGE_SECONDS,
            )
        return response

    return wrapped
