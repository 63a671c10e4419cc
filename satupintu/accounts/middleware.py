"""
Request-scoped permission memory, and the account rules every request passes: the idle timeout
and the second factor (``AccountSessionMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import remembered_for_request
from satupintu.accounts.sessions import STATE_KEY, STATE_SECONDS, session_idle_expired, session_touch
from satupintu.accounts.twofactor import has_device, is_staff_person, otp_required


class PermissionMemoryMiddleware:
    """Answer each permission question once per request: the page's many checks share one read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with remembered_for_request():
            return self.get_response(request)


#: URL names a signed-in officer may reach before giving the second factor.
OTP_EXEMPT_NAMES = (
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_key_options",
    "accounts:otp_key_verify",
    "accounts:otp_enrol",
    "set_language",
)
#: Path prefixes outside the rule: the API (bearer tokens; its token door asks for the code
#: itself), static files and the probes.
OTP_EXEMPT_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")


def account_state(request: HttpRequest, now: float) -> dict[str, Any]:
    """Whether the session's user is an officer and must give a second factor (kept a few minutes)."""
    state = request.session.get(STATE_KEY)
    if not state or now - float(state.get("at", 0)) > STATE_SECONDS:
        user = request.user
        state = {"staff": is_staff_person(user), "otp": otp_required(user), "at": now}
        request.session[STATE_KEY] = state
    return state


class AccountSessionMiddleware:
    """
    For a signed-in session: sign it out after its idle limit (``SATUPINTU_ACCOUNTS``: 30 minutes
    for officers, longer for applicants), refresh "last seen", and, while an officer who must give
    a second factor has not given it, send every page to the code step (or, with no authenticator
    yet, to the enrolment page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt_paths: tuple[str, ...] | None = None

    def exempt(self, path: str) -> bool:
        if self._exempt_paths is None:
            self._exempt_paths = tuple(reverse(name) for name in OTP_EXEMPT_NAMES)
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path in self._exempt_paths or path.startswith((*OTP_EXEMPT_PREFIXES, static))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        now = timezone.now()
        state = account_state(request, now.timestamp())
        if session_idle_expired(request=request, staff=state["staff"], now=now):
            logout(request)
            messages.info(request, _("Anda otomatis keluar karena lama tidak aktif. Silakan masuk lagi."))
            login = reverse(settings.LOGIN_URL)
            target = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(f"{login}?{urlencode({'next': target})}" if target else login)
        session_touch(request=request, now=now)
        if state["otp"] and not user.is_verified() and not self.exempt(request.path):
            step = "accounts:otp_verify" if has_device(user) else "accounts:otp_enrol"
            target = request.get_full_path() if request.method == "GET" else ""
            url = reverse(step)
            return HttpResponseRedirect(f"{url}?{urlencode({'next': target})}" if target else url)
        return self.get_response(request)
