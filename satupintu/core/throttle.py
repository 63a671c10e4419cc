"""
A small failure throttle on Django's cache: count misses per key in a window, refuse past a limit.

Used where a guess can reveal something (the public tracking code). The default cache is per
process; set CACHES to a shared cache (Redis, database) when running several processes.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError


class Throttled(DomainError):
    code = "throttled"
    http_status = 429


def throttle_check(key: str, *, limit: int) -> None:
    """Raise Throttled when ``key`` has failed ``limit`` times within its window."""
    if cache.get(f"throttle:{key}", 0) >= limit:
        raise Throttled(_("Terlalu banyak percobaan yang salah. Coba lagi beberapa menit lagi."))


def throttle_fail(key: str, *, window_seconds: int) -> None:
    """Count one failure for ``key``; the count expires ``window_seconds`` after the first failure."""
    full = f"throttle:{key}"
    if cache.add(full, 1, window_seconds):
        return
    try:
        cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, window_seconds)
