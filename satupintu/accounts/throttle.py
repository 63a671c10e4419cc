"""
One sign-in throttle for every door: the web login, the admin login and the API token.

Every door calls ``login_authenticate``: it refuses while the throttle says wait, checks the
password, and appends one ``LoginAttempt`` row whatever happens (succeeded, failed, or refused
unchecked while throttled). The throttle counts failures in the rows, so it holds across
processes and servers without a shared cache.

Two keys, both progressive delays and never a lock of a name:

- **the name from one address**: after ``FREE_FAILURES`` failures of a username from an
  address since its last success there, the next try from that address waits
  ``BASE_DELAY_SECONDS × 2^(n − FREE_FAILURES)`` seconds after the last failure (at most
  ``MAX_DELAY_SECONDS``). Someone guessing the Kepala Dinas's password from one address slows
  only themselves: the Kepala Dinas signs in from her own address as usual.
- **the address**: after ``ADDRESS_FREE_FAILURES`` failures from an address (any names), the
  same delay applies to the names that have not signed in successfully from that address within
  ``KNOWN_ADDRESS_DAYS``; officers behind the office's one NAT address who have used it before
  are not held up by a colleague's (or a virus's) guessing.

Failures older than ``WINDOW_HOURS`` are forgotten. The settings are
``settings.SATUPINTU_LOGIN_THROTTLE`` (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.models import LoginAttempt, User
from satupintu.core.errors import DomainError

DEFAULTS: dict[str, int] = {
    "FREE_FAILURES": 5,
    "ADDRESS_FREE_FAILURES": 50,
    "BASE_DELAY_SECONDS": 2,
    "MAX_DELAY_SECONDS": 15 * 60,
    "WINDOW_HOURS": 24,
    "KNOWN_ADDRESS_DAYS": 90,
}


def throttle_settings() -> dict[str, int]:
    return {**DEFAULTS, **getattr(settings, "SATUPINTU_LOGIN_THROTTLE", {})}


class LoginThrottled(DomainError):
    """Too many recent failures for this name from this address (or from this address): wait."""

    code = "throttled"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LoginFailed(DomainError):
    """Wrong username or password, or an inactive account (the message does not say which)."""

    code = "unauthorized"
    http_status = 401


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the server sees it (a proxy must set REMOTE_ADDR correctly)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def wait_text(seconds: int) -> str:
    """ "45 detik", "3 menit": how long to wait, rounded up."""
    if seconds < 60:
        return ngettext("%(count)s detik", "%(count)s detik", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)s menit", "%(count)s menit", minutes) % {"count": minutes}


@dataclass(frozen=True)
class Verdict:
    """Whether a try may go ahead now, and if not, how many seconds remain."""

    wait_seconds: int

    @property
    def allowed(self) -> bool:
        return self.wait_seconds <= 0


def _delay(failures: int, free: int, limits: dict[str, int]) -> int:
    if failures < free:
        return 0
    return min(limits["BASE_DELAY_SECONDS"] * 2 ** min(failures - free, 30), limits["MAX_DELAY_SECONDS"])


def _attempts(address: str | None) -> Any:
    rows = LoginAttempt.objects.all()
    return rows.filter(ip_address=address) if address else rows.filter(ip_address__isnull=True)


def login_verdict(*, username: str, address: str | None, now: dt.datetime | None = None) -> Verdict:
    """How long this name from this address must wait before its next try (0: go ahead)."""
    limits = throttle_settings()
    now = now or timezone.now()
    since = now - dt.timedelta(hours=limits["WINDOW_HOURS"])
    from_address = _attempts(address).filter(attempted_at__gte=since)
    this_name = from_address.filter(username__iexact=username)
    last_success = this_name.filter(succeeded=True).order_by("-attempted_at").values_list("attempted_at", flat=True)
    success_at = last_success.first()
    pair_failures = this_name.filter(succeeded=False, throttled=False)
    if success_at is not None:
        pair_failures = pair_failures.filter(attempted_at__gt=success_at)
    waits = [0]
    count = pair_failures.count()
    delay = _delay(count, limits["FREE_FAILURES"], limits)
    if delay:
        last = pair_failures.order_by("-attempted_at").values_list("attempted_at", flat=True).first()
        if last is not None:
            waits.append(math.ceil((last + dt.timedelta(seconds=delay) - now).total_seconds()))
    address_failures = from_address.filter(succeeded=False, throttled=False)
    count = address_failures.count()
    delay = _delay(count, limits["ADDRESS_FREE_FAILURES"], limits)
    if delay:
        known_since = now - dt.timedelta(days=limits["KNOWN_ADDRESS_DAYS"])
        known = (
            _attempts(address).filter(username__iexact=username, succeeded=True, attempted_at__gte=known_since).exists()
        )
        if not known:
            last = address_failures.order_by("-attempted_at").values_list("attempted_at", flat=True).first()
            if last is not None:
                waits.append(math.ceil((last + dt.timedelta(seconds=delay) - now).total_seconds()))
    return Verdict(wait_seconds=max(waits))


def login_attempt_record(
    *, username: str, address: str | None, succeeded: bool, throttled: bool = False, door: str = ""
) -> LoginAttempt:
    """Append one sign-in attempt (the login audit trail and the throttle's input)."""
    return LoginAttempt.objects.create(
        username=username[:150],
        ip_address=address,
        attempted_at=timezone.now(),
        succeeded=succeeded,
        throttled=throttled,
        door=door[:20],
    )


def login_authenticate(*, request: HttpRequest | None, username: str, password: str, door: str) -> User:
    """
    Check a sign-in at any door (``web``, ``admin``, ``api``); return the user or raise.

    Raise LoginThrottled (with ``retry_after`` seconds, the password not checked) while the
    throttle says wait, LoginFailed for a wrong name or password or an inactive account. Every
    call appends one LoginAttempt row.
    """
    username = (username or "").strip()
    address = client_address(request)
    verdict = login_verdict(username=username, address=address)
    if not verdict.allowed:
        login_attempt_record(username=username, address=address, succeeded=False, throttled=True, door=door)
        raise LoginThrottled(
            _("Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Demi keamanan, coba lagi dalam %(wait)s.")
            % {"wait": wait_text(verdict.wait_seconds)},
            retry_after=verdict.wait_seconds,
        )
    user = authenticate(request, username=username, password=password) if username and password else None
    if user is None or not user.is_active:
        login_attempt_record(username=username, address=address, succeeded=False, door=door)
        raise LoginFailed(_("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."))
    login_attempt_record(username=username, address=address, succeeded=True, door=door)
    return user
