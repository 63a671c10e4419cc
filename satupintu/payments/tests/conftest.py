"""A charged service (the shipped perpanjangan-imta standard) and a file driven to its payment step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from satupintu.applications import services
from satupintu.applications.tests.conftest import WIB, all_sesuai, bap_for, fresh, upload_all

IMTA = Path(settings.SATUPINTU_STANDARDS_DIR) / "perpanjangan-imta.yaml"
IMTA_DATA = {
    "nama_penanggung_jawab": "Rina Marlina, A.Md.Rad.",
    "nik": "1471015503900002",
    "no_hp": "081234567890",
    "surel": "rina@example.com",
    "alamat": "Jalan Sudirman No. 1, Pekanbaru",
    "nama_perusahaan": "PT Contoh Energi",
    "nomor_rptka": "KEP.12345/PPTKA/PTA/2026",
    "jabatan_tka": "Drilling Engineer",
    "jumlah_tka": "2",
    "jangka_waktu_bulan": "6",
}
#: 2 workers × 6 months × US$ 100 at Rp 16.250,55 = Rp 19.500.660.
RATE = Decimal("16250.55")
AMOUNT = 19_500_660
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB)  # a Tuesday


@pytest.fixture(autouse=True)
def _fake_gateway():
    from satupintu.payments.gateway import fake_gateway

    fake_gateway.reset()
    yield fake_gateway
    fake_gateway.reset()


@pytest.fixture
def imta(office):
    from satupintu.catalogue.loader import standard_load_file

    return standard_load_file(office=office, path=IMTA).service


@pytest.fixture
def rate(office, staff):
    from satupintu.payments.services import exchange_rate_record

    return exchange_rate_record(
        office=office,
        actor=staff["bendahara_penerima"],
        currency="USD",
        date=START.date(),
        rate=RATE,
        source="KMK kurs pajak minggu ini (uji)",
        at=START,
    )


def to_payment(office, imta, staff, applicant, *, data=None, at=START):
    """A file of the charged service handed in, found complete and verified: it waits at its payment step."""
    application = services.application_create(
        office=office, service=imta, actor=applicant, data=data or IMTA_DATA, at=at
    )
    upload_all(application, applicant)
    application = services.application_submit(application=application, actor=applicant, at=at)
    application = services.step_complete(
        application=application,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        data=all_sesuai(application),
        at=at + dt.timedelta(minutes=10),
    )
    application = services.step_complete(
        application=application,
        actor=staff["tim_teknis"],
        step_number=3,
        outcome="recommend",
        data=bap_for(application, at + dt.timedelta(hours=1)),
        at=at + dt.timedelta(hours=1),
    )
    return fresh(application)
