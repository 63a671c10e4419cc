"""
Delivery channels behind one interface: ``channel.send(notice) -> SendResult``.

Which implementation serves a channel is configuration (``SATUPINTU_SMS``, ``SATUPINTU_WHATSAPP``,
``SATUPINTU_EMAIL`` in settings, each a dict with ``BACKEND``):

- ``http``: an HTTP gateway (Indonesian SMS and WhatsApp gateways differ in URL, auth, payload
  and what success looks like; all of it is settings, see docs/notifications.md);
- ``mail``: Django's e-mail backend (SMTP in production, locmem in tests);
- ``console``: logs the message (the default for development when nothing is configured);
- ``file``: appends one JSON line per message to ``SATUPINTU_NOTICE_FILE`` (development, and the
  real-worker test reads it);
- ``fake``: records what it was sent in ``fake_gateway`` and can be told to fail (tests).

A channel never raises for a delivery problem: it answers ``SendResult(ok=False, ...)`` and says
whether trying again may help (``retryable``). Letters are not sent by a channel: the front office
posts them and marks the task done.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.utils import timezone

from satupintu.notifications.models import Notice, NoticeChannel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str = ""
    error: str = ""
    retryable: bool = True


class Channel(Protocol):
    def send(self, notice: Notice) -> SendResult: ...


class ConsoleChannel:
    """
    Log that a message was sent, never to whom or what (development default). Logs outlive the
    data they mention, so no phone number, address or text goes there: read the message itself in
    the office's outbox, or configure the file channel to keep whole messages in development.
    """

    def send(self, notice: Notice) -> SendResult:
        logger.info(
            "notice %s sent on the console channel (%s, %d characters)", notice.pk, notice.channel, len(notice.text)
        )
        return SendResult(ok=True, provider_id=f"console-{notice.pk}")


class FileChannel:
    """Append one JSON line per message to a file (development; the real-worker test reads it)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, notice: Notice) -> SendResult:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {
            "id": notice.pk,
            "channel": notice.channel,
            "to": notice.recipient,
            "subject": notice.subject,
            "text": notice.text,
            "key": notice.idempotency_key,
            "at": timezone.now().isoformat(),
        }
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        return SendResult(ok=True, provider_id=f"file-{notice.pk}")


@dataclass
class FakeGateway:
    """A gateway for tests: records every message and fails the next N sends when told to."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    _failures: list[SendResult] = field(default_factory=list)

    def reset(self) -> None:
        self.sent.clear()
        self._failures.clear()
        self.attempts = 0

    def fail(self, times: int = 1, *, retryable: bool = True, error: str = "gateway unavailable") -> None:
        self._failures.extend(SendResult(ok=False, error=error, retryable=retryable) for _ in range(times))

    def send(self, notice: Notice) -> SendResult:
        self.attempts += 1
        if self._failures:
            return self._failures.pop(0)
        self.sent.append(
            {
                "id": notice.pk,
                "channel": notice.channel,
                "to": notice.recipient,
                "subject": notice.subject,
                "text": notice.text,
                "key": notice.idempotency_key,
            }
        )
        return SendResult(ok=True, provider_id=f"fake-{len(self.sent)}")


#: The one fake shared by every channel configured as ``fake`` (tests reset it).
fake_gateway = FakeGateway()


class MailChannel:
    """E-mail through Django's configured backend (SMTP in production)."""

    def send(self, notice: Notice) -> SendResult:
        message_id = make_msgid(domain="satupintu")
        message = EmailMessage(
            subject=notice.subject,
            body=notice.text,
            to=[notice.recipient],
            headers={"Message-ID": message_id, "X-Satupintu-Notice": notice.idempotency_key},
        )
        try:
            message.send(fail_silently=False)
        except (OSError, ValueError) as exc:  # smtplib's errors are OSError subclasses
            permanent = (
                isinstance(exc, ValueError | smtplib.SMTPRecipientsRefused) or getattr(exc, "smtp_code", 0) // 100 == 5
            )
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}", retryable=not permanent)
        return SendResult(ok=True, provider_id=message_id[:200])


def _dig(data: Any, path: str) -> Any:
    """``a.b.0.c`` into nested JSON."""
    for part in path.split(".") if path else []:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _fill(template: Any, values: dict[str, str]) -> Any:
    """Fill ``{name}`` placeholders in every string of a JSON-like payload template."""
    if isinstance(template, str):
        out = template
        for name, value in values.items():
            out = out.replace("{" + name + "}", value)
        return out
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def _json_setting(value: Any, default: Any) -> Any:
    """A JSON-valued setting: a dict/list as is, a string parsed (it came from the environment)."""
    if value in (None, ""):
        return default
    return json.loads(value) if isinstance(value, str) else value


class HttpGatewayChannel:
    """
    An HTTP SMS or WhatsApp gateway, shaped entirely by settings.

    ``URL``, ``METHOD``, ``FORMAT`` (json/form/query), ``HEADERS``, ``BASIC_AUTH``, ``PAYLOAD``
    (a JSON-like template with ``{to}``, ``{to_digits}``, ``{to_local}``, ``{text}``,
    ``{subject}``, ``{key}``), ``SUCCESS`` (``status``: accepted HTTP codes; optional
    ``json_path`` + ``equals``, or ``contains`` for a plain-text answer), ``PROVIDER_ID_PATH``,
    ``IDEMPOTENCY_HEADER`` and ``TIMEOUT``. 429, 5xx and network errors are retryable; other
    answers are not (a wrong number or a rejected credential will not fix itself).
    """

    def __init__(self, config: dict[str, Any], opener: Any = None) -> None:
        auth = config.get("BASIC_AUTH") or None
        self.config = {
            **config,
            "HEADERS": _json_setting(config.get("HEADERS"), {}),
            "PAYLOAD": _json_setting(config.get("PAYLOAD"), {"to": "{to}", "message": "{text}"}),
            "SUCCESS": _json_setting(config.get("SUCCESS"), {"status": [200, 201, 202]}),
            "BASIC_AUTH": tuple(auth.split(":", 1)) if isinstance(auth, str) else auth,
        }
        self.opener = opener or urllib.request.urlopen

    def request_for(self, notice: Notice) -> urllib.request.Request:
        config = self.config
        to = notice.recipient
        digits = to.lstrip("+")
        values = {
            "to": to,
            "to_digits": digits,
            "to_local": "0" + digits[2:] if digits.startswith("62") else digits,
            "text": notice.text,
            "subject": notice.subject,
            "key": notice.idempotency_key,
        }
        payload = _fill(config.get("PAYLOAD") or {"to": "{to}", "message": "{text}"}, values)
        method = str(config.get("METHOD", "POST")).upper()
        fmt = config.get("FORMAT", "json")
        url = str(config["URL"])
        headers = {str(k): str(_fill(v, values)) for k, v in (config.get("HEADERS") or {}).items()}
        data = None
        if fmt == "query" or method == "GET":
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(payload)
        elif fmt == "form":
            data = urllib.parse.urlencode(payload).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        else:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        if config.get("BASIC_AUTH"):
            user, password = config["BASIC_AUTH"]
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        if config.get("IDEMPOTENCY_HEADER"):
            headers[str(config["IDEMPOTENCY_HEADER"])] = notice.idempotency_key
        return urllib.request.Request(url, data=data, headers=headers, method=method)

    def send(self, notice: Notice) -> SendResult:
        request = self.request_for(notice)
        try:
            with self.opener(request, timeout=float(self.config.get("TIMEOUT", 10))) as response:
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode("utf-8", "replace") if exc.fp else ""
        except (urllib.error.URLError, OSError) as exc:
            return SendResult(ok=False, error=f"network: {exc}", retryable=True)
        return self.judge(status, body)

    def judge(self, status: int, body: str) -> SendResult:
        success = self.config.get("SUCCESS") or {}
        accepted = success.get("status") or [200, 201, 202]
        if status not in accepted:
            return SendResult(ok=False, error=f"HTTP {status}: {body[:300]}", retryable=status == 429 or status >= 500)
        try:
            parsed: Any = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        if success.get("json_path"):
            value = _dig(parsed, success["json_path"])
            expected = success.get("equals", "")
            if value != expected and str(value).lower() != str(expected).lower():
                return SendResult(ok=False, error=f"gateway refused: {body[:300]}", retryable=False)
        if success.get("contains") and success["contains"] not in body:
            return SendResult(ok=False, error=f"gateway refused: {body[:300]}", retryable=False)
        provider_id = (
            _dig(parsed, self.config.get("PROVIDER_ID_PATH", "")) if self.config.get("PROVIDER_ID_PATH") else ""
        )
        return SendResult(ok=True, provider_id=str(provider_id or "")[:200])


def _build(config: dict[str, Any]) -> Channel:
    backend = config.get("BACKEND", "console")
    if backend == "http":
        return HttpGatewayChannel(config)
    if backend == "mail":
        return MailChannel()
    if backend == "file":
        return FileChannel(config.get("PATH") or settings.SATUPINTU_NOTICE_FILE)
    if backend == "fake":
        return fake_gateway
    if backend == "console":
        return ConsoleChannel()
    raise ValueError(f"unknown notice channel backend {backend!r}")


def channel_for(channel: str) -> Channel:
    """The configured implementation of ``channel`` (sms, email, whatsapp)."""
    setting = {
        NoticeChannel.SMS: "SATUPINTU_SMS",
        NoticeChannel.WHATSAPP: "SATUPINTU_WHATSAPP",
        NoticeChannel.EMAIL: "SATUPINTU_EMAIL",
    }.get(NoticeChannel(channel))
    if setting is None:
        raise ValueError(f"channel {channel!r} is not sent by a gateway")
    return _build(getattr(settings, setting, None) or {"BACKEND": "console"})
