"""
Issue 11 item 6: the seed's guarantees are data of the standard, read per service — the period
after which an uncollected product gets the notice letter ("1 bulan"), the SMS when the product
is ready, and the complaint deadlines per weight. The defaults are what the seeds promise.
"""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from satupintu.applications.tests.conftest import WIB
from satupintu.catalogue.loader import parse_standard, standard_load
from satupintu.catalogue.tests.standards import text_with_fee_set
from satupintu.notifications.models import Notice
from satupintu.notifications.scans import is_uncollected_for, uncollected_products_scan

pytestmark = pytest.mark.django_db

RADIOGRAFER = Path(settings.SATUPINTU_STANDARDS_DIR) / "izin-kerja-radiografer.yaml"


def test_the_defaults_are_the_seeds_guarantees():
    guarantees = parse_standard(RADIOGRAFER.read_text(encoding="utf-8")).guarantees
    assert guarantees.uncollected_months == 1 and guarantees.uncollected_notice_after == "1 bulan"
    assert guarantees.ready_sms is True
    assert guarantees.complaint_deadline("sedang") is None  # the office's complaint rules apply


def test_a_period_not_in_months_is_refused_at_its_field():
    data = yaml.safe_load(text_with_fee_set(RADIOGRAFER))
    data["guarantees"] = {"uncollected_notice_after": "30 hari"}
    from satupintu.catalogue.loader import StandardFileError

    with pytest.raises(StandardFileError) as refused:
        parse_standard(yaml.safe_dump(data, allow_unicode=True))
    assert dict(refused.value.problems)["guarantees.uncollected_notice_after"] == "tulis dalam bulan, mis. '1 bulan'"


@pytest.fixture
def radiographer(services_loaded):
    """The radiographer service with a standard promising the letter after 2 months and no ready SMS."""
    service = services_loaded["izin-kerja-radiografer"]
    data = yaml.safe_load(text_with_fee_set(RADIOGRAFER))
    data["guarantees"] = {
        "uncollected_notice_after": "2 bulan",
        "ready_sms": False,
        "complaint_deadlines": {"ringan": 1},
    }
    standard_load(office=service.office, text=yaml.safe_dump(data, allow_unicode=True))
    return service


def test_the_uncollected_scan_reads_the_period_of_the_service_standard(ready_application):
    """Finished 10 March under a standard saying "2 bulan": no letter on 10 April, one on 10 May."""
    app = ready_application
    assert not is_uncollected_for(app, at=dt.datetime(2026, 4, 10, 8, 0, tzinfo=WIB))
    assert uncollected_products_scan(at=dt.datetime(2026, 4, 10, 8, 0, tzinfo=WIB)) == 0
    assert uncollected_products_scan(at=dt.datetime(2026, 5, 10, 8, 0, tzinfo=WIB)) == 1
    assert Notice.objects.filter(application=app, channel="letter").count() == 1


def test_no_ready_sms_when_the_standard_promises_none(ready_application):
    assert not Notice.objects.filter(application=ready_application, event="application.ready").exists()
    assert Notice.objects.filter(application=ready_application).exclude(event="application.ready").exists()


def test_a_complaint_about_a_file_gets_the_deadline_its_service_standard_sets(ready_application, staff, office):
    """Ringan: 1 working day by this standard (the office's rules say 2); sedang keeps the office's 5."""
    from satupintu.complaints import services as complaints
    from satupintu.workdays import add_working_days

    monday = dt.datetime(2026, 3, 16, 9, 0, tzinfo=WIB)
    officer = staff["pengelola_pengaduan"]
    about_file = complaints.complaint_register(
        office=office,
        channel="website",
        name="Rina",
        description="Surat izin belum bisa diambil.",
        application_number=ready_application.number,
        at=monday,
    )
    assert about_file.application_id == ready_application.pk
    triaged = complaints.complaint_triage(complaint=about_file, actor=officer, weight="ringan", at=monday)
    assert triaged.due_at == add_working_days(triaged.received_at, 1, office=office)
    other = complaints.complaint_register(
        office=office, channel="website", name="Budi", description="Antrian lama.", at=monday
    )
    other = complaints.complaint_triage(complaint=other, actor=officer, weight="ringan", at=monday)
    assert other.due_at == add_working_days(other.received_at, 2, office=office)
