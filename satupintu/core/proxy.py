"""
The client's address behind the reverse proxy.

Behind nginx every request reaches the web process from 127.0.0.1, so the throttles, which count
per address, would put every citizen in one bucket. When the direct peer is one of
SATUPINTU_TRUSTED_PROXIES, REMOTE_ADDR is replaced by the address the proxy saw: its X-Real-IP,
else the right-most X-Forwarded-For entry (the one the proxy itself appended; entries to its left
come from the client and may be forged).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ForwardedClientMiddleware:
    """Set REMOTE_ADDR to the proxied client's address for requests from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = set(getattr(settings, "SATUPINTU_TRUSTED_PROXIES", []))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") in self.trusted:
            real = request.META.get("HTTP_X_REAL_IP", "").strip()
            forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = real or (forwarded[-1] if forwarded[-1] else "")
            if client:
                request.META["SATUPINTU_PROXY_ADDR"] = request.META["REMOTE_ADDR"]
                request.META["REMOTE_ADDR"] = client[:45]
        return self.get_response(request)
