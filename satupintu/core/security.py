"""
Request and response guards every page and the API pass through (issue 13 parts 3 and 7).

``RequestLimitMiddleware`` refuses a body too large for its kind *before* anything reads it
(413), a body sent without a length (411), and a multipart body Django cannot parse (400, not a
server error). ``PersonalNoStoreMiddleware`` marks every API answer and every page served to a
signed-in user ``Cache-Control: no-store, private`` unless the view chose its own caching: such
answers carry NIKs, names and addresses that no shared cache or back button may keep.

The limits are ``settings.SATUPINTU_REQUEST_LIMITS`` (docs/security.md).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_REQUEST_LIMITS = {
    # A signed-in user's (or an API client's) multipart body: every requirement of one form at
    # the largest size a standard allows, plus the form fields.
    "MAX_BYTES": 64 * 1024 * 1024,
    # Anyone else's body: the public forms (a complaint, a permit PDF to verify).
    "ANONYMOUS_MAX_BYTES": 12 * 1024 * 1024,
}
#: RFC 2046 §5.1.1: 1 to 70 characters, the last not a space.
BOUNDARY = re.compile(r"^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MACHINE_PREFIXES = ("/api/", "/open311/")


def _has_null(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_null(k) or _has_null(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return False


def request_limits() -> dict[str, int]:
    return {**DEFAULT_REQUEST_LIMITS, **getattr(settings, "SATUPINTU_REQUEST_LIMITS", {})}


def _machine(request: HttpRequest) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def request_refusal(request: HttpRequest, *, status: int, code: str, detail: str) -> HttpResponse:
    """The refusal in the interface's own form: ``{"detail", "code"}`` for the API, a page otherwise."""
    if _machine(request):
        response: HttpResponse = JsonResponse({"detail": detail, "code": code}, status=status)
    else:
        response = render(request, "request_refused.html", {"detail": detail, "status": status}, status=status)
    response["Cache-Control"] = "no-store"
    if status in (411, 413):
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
    return response


class RequestLimitMiddleware:
    """
    Refuse oversized, unmeasured or unparseable request bodies before a view or form reads them.

    Place it before CsrfViewMiddleware (which reads POST data) and after AuthenticationMiddleware
    (a signed-in user gets the larger limit; neither middleware reads the body).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request) or self.null_refusal(request)
        if refusal is not None:
            logger.info("request refused (%s): %s %s", refusal.status_code, request.method, request.path)
            return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in BODY_METHODS:
            return None
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not raw_length:
            if chunked:
                return request_refusal(
                    request,
                    status=411,
                    code="length_required",
                    detail=_(
                        "Kirim permintaan dengan panjang isi (Content-Length); pengiriman bertahap tidak diterima."
                    ),
                )
            return None
        try:
            length = int(raw_length)
        except ValueError:
            length = -1
        if length < 0:
            return request_refusal(
                request, status=400, code="bad_request", detail=_("Panjang isi permintaan (Content-Length) tidak sah.")
            )
        content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        multipart = content_type == "multipart/form-data"
        limit = self.limit(request, multipart=multipart)
        if length > limit:
            return request_refusal(
                request,
                status=413,
                code="too_large",
                detail=_(
                    "Permintaan terlalu besar (lebih dari %(mb)s MB). Kirim berkas yang lebih kecil atau satu per satu."
                )
                % {"mb": max(1, limit // (1024 * 1024))},
            )
        if multipart and request.method == "POST":
            return self.multipart_refusal(request, params.get("boundary", ""))
        return None

    def null_refusal(self, request: HttpRequest) -> HttpResponse | None:
        """
        Refuse a NUL character in the path, the query, form fields or a JSON body (400): no text
        of the domain has one, and PostgreSQL refuses to store or compare it (the fuzzing found
        ``POST /api/v1/applications`` with one in ``service`` answering 500 there).
        """
        found = "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower()
        if not found and request.method in BODY_METHODS and request.META.get("CONTENT_LENGTH"):
            content_type, _params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                found = any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
            elif content_type == "application/json" or content_type.endswith("+json"):
                try:
                    found = _has_null(json.loads(request.body))
                except ValueError:
                    found = False  # not JSON: the view answers for that
        if not found:
            return None
        return request_refusal(
            request, status=400, code="bad_request", detail=_("Permintaan memuat karakter NUL yang tidak diterima.")
        )

    def limit(self, request: HttpRequest, *, multipart: bool) -> int:
        """Bytes this request's body may have: file uploads by kind of caller, other bodies Django's limit."""
        limits = request_limits()
        if not multipart:
            return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or limits["MAX_BYTES"]
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        return limits["MAX_BYTES"] if signed_in else limits["ANONYMOUS_MAX_BYTES"]

    def multipart_refusal(self, request: HttpRequest, boundary: str) -> HttpResponse | None:
        """Parse the multipart body now, so a broken one is a 400 for every interface alike."""
        detail = _("Isi formulir (multipart) rusak atau tidak lengkap. Kirim ulang formulirnya.")
        if not BOUNDARY.match(boundary):
            return request_refusal(request, status=400, code="bad_multipart", detail=detail)
        try:
            request.POST  # noqa: B018 (parsing is the point: Django caches the result for the view)
            request.FILES  # noqa: B018
        except MultiPartParserError:
            return request_refusal(request, status=400, code="bad_multipart", detail=detail)
        return None


class PersonalNoStoreMiddleware:
    """
    Mark personal answers ``Cache-Control: no-store, private``: every API and Open311 answer and
    every page for a signed-in user, unless the view set its own ``Cache-Control``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        if _machine(request) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store, private"
            response.headers.setdefault("Pragma", "no-cache")
        return response
