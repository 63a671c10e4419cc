"""
Issue 13, item 2: the console notice channel logged phone numbers and whole texts. No phone,
e-mail, NIK or message text reaches a log now: the channels do not write them, and the filter on
every handler masks what a message or an ``extra`` field still carries (JSON logs included).
"""

import io
import json
import logging
from types import SimpleNamespace

from satupintu.core.logs import JsonFormatter, MaskPersonalData
from satupintu.notifications.channels import ConsoleChannel
from satupintu.notifications.services import applicant_addresses

PHONE = "+6281234567890"
EMAIL = "rina@example.com"
NIK = "1471015503900002"
TEXT = "Surat izin PKU-2026-000123 sudah terbit; kode pengambilan 834221."


def test_console_channel_logs_no_phone_email_or_text(caplog):
    caplog.set_level(logging.INFO, logger="satupintu.notifications.channels")
    for channel, recipient in (("sms", PHONE), ("email", EMAIL)):
        notice = SimpleNamespace(pk=7, channel=channel, recipient=recipient, subject="Izin terbit", text=TEXT)
        assert ConsoleChannel().send(notice).ok
    assert len(caplog.records) == 2
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "notice 7" in logged
    for secret in (PHONE, "81234567890", EMAIL, TEXT, "834221", "Izin terbit"):
        assert secret not in logged


def test_an_invalid_phone_on_file_is_not_logged(caplog):
    application = SimpleNamespace(pk=5, applicant=None, applicant_phone="0812-ABC-12345678", applicant_email=EMAIL)
    caplog.set_level(logging.WARNING, logger="satupintu.notifications.services")
    applicant_addresses(application)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "application 5" in logged and "0812" not in logged and EMAIL not in logged


def test_json_logs_mask_phone_email_and_nik_in_message_extra_and_exception():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("satupintu.tests.personal")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)  # whatever DJANGO_LOG_LEVEL the run has
    try:
        logger.warning("sent to %s and %s for %s", PHONE, EMAIL, NIK, extra={"recipient": "0812 3456 7890"})
        try:
            raise ValueError(f"bad address {EMAIL}")
        except ValueError:
            logger.exception("failed for 081234567890")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2
    text = out.getvalue()
    for secret in (PHONE, "81234567890", "0812 3456 7890", EMAIL, NIK):
        assert secret not in text
    assert lines[0]["message"] == "sent to [telepon] and [email] for [nik]"
    assert lines[0]["recipient"] == "[telepon]"
    assert "[email]" in lines[1]["exception"]
