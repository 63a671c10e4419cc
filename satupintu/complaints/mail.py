"""
Inbound e-mail to the office's complaint mailbox becomes a complaint (seed a.2: "Pengaduan ditujukan
melalui email"). Messages come from a Maildir directory or an IMAP folder
(``SATUPINTU_COMPLAINTS["MAILBOX"]``); ``manage.py complaints_fetch_mail`` runs the import.

A message is imported once: its Message-ID is the complaint's ``source``, and an imported message is
marked seen in its mailbox. Attachments are kept when they are PDF, JPEG or PNG by content.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import imaplib
import io
import logging
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from typing import Any

from django.utils import timezone

from satupintu.complaints.models import Complaint, ComplaintChannel
from satupintu.complaints.services import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, complaint_register
from satupintu.core.errors import DomainError
from satupintu.core.models import Office

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        content = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", "", content)))
    return re.sub(r"[ \t]+\n", "\n", content).strip()


def message_source(message: EmailMessage, raw: bytes) -> str:
    """The key that makes the import idempotent: the Message-ID, else a hash of the message."""
    message_id = str(message.get("Message-ID", "")).strip()
    return f"surel:{message_id[:180]}" if message_id else f"surel:sha256:{hashlib.sha256(raw).hexdigest()}"


def complaint_from_message(*, office: Office, raw: bytes) -> Complaint | None:
    """
    Register the complaint an e-mail carries; None when it was imported before.

    The sender's display name and address are the complainant's identity; the subject is the
    complaint's subject; the text (or the HTML's text) its description. Raise DomainError when the
    message cannot become a complaint (no sender address, an empty text).
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    source = message_source(message, raw)
    if Complaint.objects.filter(office=office, source=source).exists():
        return None
    senders = getaddresses([str(message.get("Reply-To") or message.get("From") or "")])
    name, address = senders[0] if senders else ("", "")
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            attachments.append((part.get_filename() or "lampiran", io.BytesIO(payload)))
    text = _text_of(message)
    received = timezone.now()
    try:
        sent = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
        if sent is not None and sent.tzinfo is not None and sent < received:
            received = sent
    except (TypeError, ValueError):
        pass
    kept = []
    from satupintu.applications.uploads import upload_check

    for filename, stream in attachments:
        try:
            upload_check(stream, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
        except DomainError:
            logger.info("mail %s: an attachment was skipped (type or size)", source)
            continue
        kept.append((filename, stream))
    number = re.search(r"\b[A-Z]{2,10}-\d{4}-\d{6}\b", f"{message.get('Subject', '')}\n{text}")
    return complaint_register(
        office=office,
        channel=ComplaintChannel.EMAIL,
        description=text,
        subject=str(message.get("Subject", ""))[:200],
        name=name or address.split("@")[0],
        email=address,
        application_number=number.group(0) if number else "",
        source=source,
        attachments=kept,
        at=received,
    )


# --- mailboxes ----------------------------------------------------------------------------------------


def maildir_messages(path: str) -> Iterator[tuple[bytes, Callable[[], None]]]:
    """Unseen messages of a Maildir, each with a callback that marks it seen (moved to ``cur``, flag S)."""
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in list(box.keys()):
        message = box.get_message(key)
        if "S" in message.get_flags():
            continue

        def mark(key: str = key, message: mailbox.MaildirMessage = message) -> None:
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message

        yield box.get_bytes(key), mark


def imap_messages(
    config: dict[str, Any], connect: Callable[..., Any] | None = None
) -> Iterator[tuple[bytes, Callable[[], None]]]:
    """Unseen messages of an IMAP folder; marking one sets ``\\Seen`` on the server."""
    use_ssl = config.get("IMAP_SSL", True)
    factory = connect or (imaplib.IMAP4_SSL if use_ssl else imaplib.IMAP4)
    client = factory(config["IMAP_HOST"], int(config.get("IMAP_PORT") or (993 if use_ssl else 143)))
    try:
        client.login(config["IMAP_USER"], config["IMAP_PASSWORD"])
        client.select(config.get("IMAP_FOLDER", "INBOX"))
        _status, data = client.search(None, "UNSEEN")
        for number in (data[0] or b"").decode().split():
            _status, parts = client.fetch(number, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")

            def mark(number: str = number) -> None:
                client.store(number, "+FLAGS", "\\Seen")

            yield raw, mark
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone
            logger.debug("imap logout failed", exc_info=True)


def mail_import(*, office: Office, messages: Iterator[tuple[bytes, Callable[[], None]]]) -> ImportResult:
    """Turn each message into a complaint; mark it seen once it is registered (or was before)."""
    result = ImportResult()
    for raw, mark in messages:
        try:
            complaint = complaint_from_message(office=office, raw=raw)
        except DomainError as exc:
            result.failed.append(exc.message)
            logger.warning("mail not imported: %s", exc.message)
            continue
        if complaint is None:
            result.skipped += 1
        else:
            result.imported.append(complaint.ticket)
        mark()
    return result


def mailbox_fetch(*, office: Office, config: dict | None = None) -> ImportResult | None:
    """
    Import the configured complaint mailbox (``SATUPINTU_COMPLAINTS["MAILBOX"]``) into ``office``.

    Return None when no mailbox is configured (nothing to do).
    """
    from django.conf import settings

    if config is None:
        config = dict(getattr(settings, "SATUPINTU_COMPLAINTS", {}).get("MAILBOX") or {})
    if config.get("MAILDIR"):
        return mail_import(office=office, messages=maildir_messages(config["MAILDIR"]))
    if config.get("IMAP_HOST"):
        return mail_import(office=office, messages=imap_messages(config))
    return None
