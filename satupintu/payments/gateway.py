"""
The payment gateway behind one interface: ``gateway.bill_open(request) -> GatewayBill``.

Which implementation serves is configuration (``SATUPINTU_PAYMENTS`` in settings, a dict with
``BACKEND``), as for the SMS gateway (``notifications.channels``):

- ``http``: a regional bank's virtual-account / QRIS API over HTTP: ``URL``, ``HEADERS`` (JSON),
  the request body a template of placeholders (``BODY``), and where the answer puts the payment
  code, the QRIS payload and the gateway's reference (``CODE_PATH``, ``QRIS_PATH``,
  ``REFERENCE_PATH``, dotted paths). The request is signed like the callback;
- ``fake``: the local fake the tests (and development) drive: it opens bills with a virtual
  account number of its own and builds the signed callback a bank would send (``fake_gateway``).

The callback (``POST /api/v1/payments/callback``) is authenticated with ``SECRET``: the header
``X-Signature`` carries ``hex(HMAC-SHA256(SECRET, body))`` and ``signature_valid`` compares it in
constant time. A gateway that cannot be reached never fails the step that issues the bill: the
bill gets an office payment code (payable at the treasurer's counter) and the failure is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"


class GatewayError(Exception):
    """The gateway did not open the bill (unreachable, refused, an answer without a code)."""


@dataclass(frozen=True)
class BillRequest:
    number: str
    amount: int
    due_at: dt.datetime
    name: str
    description: str


@dataclass(frozen=True)
class GatewayBill:
    payment_code: str
    qris: str = ""
    reference: str = ""


class PaymentGateway(Protocol):
    def bill_open(self, request: BillRequest) -> GatewayBill: ...


def config() -> dict[str, Any]:
    return dict(getattr(settings, "SATUPINTU_PAYMENTS", None) or {"BACKEND": "fake", "SECRET": ""})


def secret() -> bytes:
    return str(config().get("SECRET", "")).encode("utf-8")


def sign(body: bytes, key: bytes | None = None) -> str:
    """The signature of a body: hex HMAC-SHA256 with the shared secret."""
    return hmac.new(secret() if key is None else key, body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the body's HMAC with the configured secret (never without a secret)."""
    key = secret()
    if not key or not signature:
        return False
    return hmac.compare_digest(sign(body, key), signature.strip().lower())


def _dig(data: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        for key, value in values.items():
            template = template.replace("{" + key + "}", value)
        return template
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


DEFAULT_BODY = {
    "bill_number": "{number}",
    "amount": "{amount}",
    "expires_at": "{due_at}",
    "customer_name": "{name}",
    "description": "{description}",
}


class HttpGateway:
    """A bank's virtual-account / QRIS API, shaped by settings."""

    def __init__(self, conf: dict[str, Any], opener: Any = None) -> None:
        self.conf = conf
        self.opener = opener or urllib.request.urlopen

    def request_for(self, request: BillRequest) -> urllib.request.Request:
        values = {
            "number": request.number,
            "amount": str(request.amount),
            "due_at": request.due_at.isoformat(),
            "name": request.name,
            "description": request.description,
        }
        body = json.dumps(_fill(self.conf.get("BODY") or DEFAULT_BODY, values)).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)}
        headers.update(self.conf.get("HEADERS") or {})
        return urllib.request.Request(self.conf["URL"], data=body, headers=headers, method="POST")

    def bill_open(self, request: BillRequest) -> GatewayBill:
        try:
            with self.opener(self.request_for(request), timeout=float(self.conf.get("TIMEOUT", 10))) as response:
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise GatewayError(str(exc)) from exc
        code = _dig(answer, self.conf.get("CODE_PATH", "payment_code"))
        if not code:
            raise GatewayError(f"jawaban gateway tanpa kode bayar: {answer!r}"[:300])
        return GatewayBill(
            payment_code=str(code),
            qris=str(_dig(answer, self.conf.get("QRIS_PATH", "qris")) or ""),
            reference=str(_dig(answer, self.conf.get("REFERENCE_PATH", "reference")) or ""),
        )


@dataclass
class FakePaymentGateway:
    """The local fake: opens bills with a virtual account of its own, builds the bank's signed callbacks."""

    opened: list[BillRequest] = field(default_factory=list)
    down: bool = False
    prefix: str = "8808"

    def reset(self) -> None:
        self.opened.clear()
        self.down = False

    def bill_open(self, request: BillRequest) -> GatewayBill:
        if self.down:
            raise GatewayError("fake gateway is down")
        self.opened.append(request)
        digits = "".join(c for c in request.number if c.isdigit())[-12:].rjust(12, "0")
        code = f"{self.prefix}{digits}"
        return GatewayBill(payment_code=code, qris=f"00020101021226FAKEQRIS{code}", reference=f"FAKE-{code}")

    def callback(
        self,
        payment_code: str,
        amount: int,
        *,
        reference: str | None = None,
        paid_at: dt.datetime | None = None,
        key: bytes | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers the bank would POST when ``payment_code`` is paid (signed with ``key``)."""
        body = json.dumps(
            {
                "payment_code": payment_code,
                "amount": amount,
                "reference": reference or f"TRX-{payment_code}",
                "paid_at": (paid_at or dt.datetime.now(dt.UTC)).isoformat(),
                "status": "paid",
            }
        ).encode("utf-8")
        return body, {"HTTP_X_SIGNATURE": sign(body, key)}


#: The one fake shared by every configuration with ``BACKEND: fake`` (tests reset it).
fake_gateway = FakePaymentGateway()


def gateway() -> PaymentGateway:
    conf = config()
    backend = conf.get("BACKEND", "fake")
    if backend == "http":
        return HttpGateway(conf)
    if backend == "fake":
        return fake_gateway
    raise ValueError(f"unknown payment gateway backend {backend!r}")
