"""Seed a.2: e-mail to the office's complaint mailbox becomes a complaint (Maildir and IMAP)."""

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from satupintu.complaints.mail import imap_messages, mail_import
from satupintu.complaints.models import Complaint
from satupintu.complaints.tests.conftest import PDF
from satupintu.notifications.models import Notice

pytestmark = pytest.mark.django_db


def _message(n: int, *, attachment: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Siti Aminah <siti{n}@example.com>"
    message["To"] = "dpmptsppekanbaru@gmail.com"
    message["Subject"] = f"Keluhan berkas PKU-2026-00012{n}"
    message["Message-ID"] = f"<pesan-{n}@example.com>"
    message["Date"] = "Mon, 09 Mar 2026 09:00:00 +0700"
    message.set_content("Berkas saya sudah dua minggu belum selesai. Mohon dibantu.")
    if attachment:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="bukti.pdf")
        message.add_attachment(
            b"MZ\x90\x00 not allowed", maintype="application", subtype="octet-stream", filename="x.exe"
        )
    return message.as_bytes()


@pytest.fixture
def maildir(tmp_path):
    box = mailbox.Maildir(tmp_path / "pengaduan", create=True)
    box.add(_message(1, attachment=PDF))
    box.add(_message(2))
    return tmp_path / "pengaduan"


def test_messages_in_a_maildir_become_complaints_once(office, fake, maildir, capsys):
    call_command("complaints_fetch_mail", "--maildir", str(maildir), "--office", office.slug)
    assert "imported 2" in capsys.readouterr().out
    first = Complaint.objects.get(complainant_email="siti1@example.com")
    assert first.channel == "email" and first.complainant_name == "Siti Aminah"
    assert first.subject == "Keluhan berkas PKU-2026-000121" and first.application_number == "PKU-2026-000121"
    assert first.source == "surel:<pesan-1@example.com>"
    assert [a.content_type for a in first.attachments.all()] == ["application/pdf"]  # the .exe is dropped
    assert Notice.objects.filter(event="complaint.received", channel="email").count() == 2
    # Seen messages are not read again; a re-delivered message is recognised by its Message-ID.
    box = mailbox.Maildir(maildir, create=False)
    assert all("S" in box.get_message(k).get_flags() for k in box.keys())  # noqa: SIM118 - a Maildir is not a dict
    box.add(_message(1))
    call_command("complaints_fetch_mail", "--maildir", str(maildir), "--office", office.slug)
    assert "imported 0" in capsys.readouterr().out and Complaint.objects.count() == 2


class FakeImap:
    """Records what the importer asks of an IMAP server."""

    def __init__(self, host, port):
        self.calls = [("connect", host, port)]
        self.messages = {"1": _message(3), "2": _message(4)}

    def login(self, user, password):
        self.calls.append(("login", user))

    def select(self, folder):
        self.calls.append(("select", folder))

    def search(self, charset, criterion):
        return "OK", [" ".join(self.messages).encode()]

    def fetch(self, number, parts):
        return "OK", [(f"{number} (BODY[] {{n}})".encode(), self.messages[number]), b")"]

    def store(self, number, op, flag):
        self.calls.append(("store", number, flag))

    def logout(self):
        self.calls.append(("logout",))


def test_an_imap_folder_is_read_and_marked_seen(office, fake):
    servers = []

    def connect(host, port):
        servers.append(FakeImap(host, port))
        return servers[0]

    config = {"IMAP_HOST": "imap.example.com", "IMAP_USER": "pengaduan", "IMAP_PASSWORD": "x"}
    result = mail_import(office=office, messages=imap_messages(config, connect=connect))
    assert len(result.imported) == 2
    calls = servers[0].calls
    assert calls[0] == ("connect", "imap.example.com", 993) and ("select", "INBOX") in calls
    assert [c for c in calls if c[0] == "store"] == [("store", "1", "\\Seen"), ("store", "2", "\\Seen")]
    assert calls[-1] == ("logout",)


def test_the_scheduled_fetch_does_nothing_without_a_mailbox(office, settings):
    """With no mailbox configured the 5-minute job imports nothing and raises nothing."""
    from satupintu.complaints.tasks import fetch_complaint_mail

    settings.SATUPINTU_COMPLAINTS = {}
    assert fetch_complaint_mail.call() == 0


def test_the_scheduled_fetch_reads_the_configured_mailbox(office, fake, maildir, settings):
    """The 5-minute job imports the configured Maildir into the default office."""
    from satupintu.complaints.tasks import fetch_complaint_mail

    settings.SATUPINTU_DEFAULT_OFFICE = office.slug
    settings.SATUPINTU_COMPLAINTS = {"MAILBOX": {"MAILDIR": str(maildir)}}
    assert fetch_complaint_mail.call() == 2
    assert fetch_complaint_mail.call() == 0
