"""
Words instead of codes in the complaint and report histories (issue 14: the history showed
``register → received``, the report's review ``submit``).
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from satupintu.complaints import labels
from satupintu.complaints.models import Complaint, ComplaintReport
from satupintu.complaints.tests.test_pages import _file_public

APP = Path(labels.__file__).parent


def test_every_history_action_the_services_write_has_a_label():
    """Each ``action="…"`` written into a complaint's history or a report's review has words."""
    written = set(re.findall(r'\baction="([a-z_]+)"', (APP / "services.py").read_text()))
    assert written <= set(labels.EVENT_ACTIONS), written - set(labels.EVENT_ACTIONS)
    from satupintu.complaints.monthly import REPORT_TRANSITIONS

    assert {"draft", *REPORT_TRANSITIONS} <= set(labels.REPORT_ACTIONS)


@pytest.mark.django_db
def test_the_staff_history_reads_in_words(client, office, officers):
    _file_public(client)
    ticket = Complaint.objects.get().ticket
    client.force_login(officers["pengelola_pengaduan"])
    page = client.get(f"/petugas/pengaduan/tiket/{ticket}/").content.decode()
    assert "Dicatat di Buku Pengaduan" in page and "Status menjadi: Diterima, menunggu dipilah" in page
    assert "register" not in page.split("Riwayat</h2>")[1]
    assert "→ received" not in page


@pytest.mark.django_db
def test_the_report_review_reads_in_words(client, office, officers):
    from django.utils import timezone

    client.force_login(officers["pengelola_pengaduan"])
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    client.post(f"/petugas/pengaduan/{office.slug}/laporan/", {"bulan": last_month.strftime("%Y-%m")})
    report = ComplaintReport.objects.get()
    client.post(f"/petugas/pengaduan/laporan/{report.pk}/tindakan/", {"action": "submit", "summary": "Ringkas."})
    page = client.get(f"/petugas/pengaduan/laporan/{report.pk}/").content.decode()
    timeline = page.split("Riwayat pemeriksaan</h2>")[1].split("</ol>")[0]
    assert "Konsep laporan disusun" in timeline and "Diajukan kepada Sekretaris untuk diperiksa" in timeline
    assert " submit " not in timeline and " draft " not in timeline


def test_the_report_pdf_writes_hours_with_a_decimal_comma():
    """Issue 14: numbers follow the locale in PDFs; the report's hours read ``2,5``, not ``2.5``."""
    from django.utils import translation

    from satupintu.complaints.monthly import _cell

    with translation.override("id"):
        assert _cell(2.5) == "2,5" and _cell(3) == "3" and _cell(None) == "-"
    with translation.override("en"):
        assert _cell(2.5) == "2.5"
