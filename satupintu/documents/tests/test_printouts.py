"""
The other documents from the same template system (issue 4, item 4): their key texts.
"""

import datetime as dt

import pytest

from satupintu.applications import services
from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, all_sesuai, bap_for, upload_all
from satupintu.documents import printouts
from satupintu.documents.tests.conftest import PARAMEDIK, RADIOGRAFER, pdf_text

pytestmark = pytest.mark.django_db


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_receipt_carries_the_tracking_number_and_code(issue):
    """Issue 4: receipt (tanda terima) with the tracking number and code."""
    app = issue(RADIOGRAFER)
    text = _flat(printouts.receipt_pdf(app))
    for expected in [
        "TANDA TERIMA BERKAS PERMOHONAN",
        app.number,
        app.tracking_code,
        "Izin Kerja Radiografer",
        "Foto copy STR yang dilegalisir basah",
        "2 hari kerja",
        "GRATIS",
    ]:
        assert expected in text, expected


def test_the_control_card_lists_every_step_with_paraf_and_plh(issue, staff):
    """Seed, Pengawasan internal: the printable kartu kendali."""
    app = issue(RADIOGRAFER)
    text = _flat(printouts.card_pdf(app))
    assert "KARTU KENDALI" in text and app.number in text
    assert staff["kepala_dinas"].display_name in text and "2a" in text
    # Issue 10: the Kepala Dinas's step is recorded as signing, the analysts' as paraf.
    assert "Ditandatangani" in text and "Diparaf" in text and "Disetujui (paraf)" not in text


def _rejected(services_loaded, staff, applicant):
    clock = Clock(dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB))
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="incomplete",
        data=all_sesuai(app, str="STR belum dilegalisir basah."),
        at=clock.tick(minutes=5),
    )
    return app, clock


def test_the_return_and_refusal_letters(services_loaded, staff, applicant, head):
    """DESIGN §4: a return names each missing item; a rejection ends with a letter of refusal and its reason."""
    app, clock = _rejected(services_loaded, staff, applicant)
    text = _flat(printouts.return_letter_pdf(app))
    assert "Pengembalian Berkas" in text and "STR belum dilegalisir basah." in text
    assert "Rina Marlina, A.Md.Rad." in text and "Jalan Sudirman No. 1, Pekanbaru" in text
    assert "Nomor" in text and "Sifat" in text and "Hal" in text  # Tata Naskah Dinas heading
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=5))
    app = services.step_complete(
        application=app,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        at=clock.tick(minutes=5),
        data=all_sesuai(app),
    )
    app = services.step_complete(
        application=app,
        actor=staff["tim_teknis"],
        step_number=3,
        outcome="reject",
        note="Tempat kerja tidak memiliki izin fasilitas radiologi.",
        data=bap_for(app, clock.now),
        at=clock.tick(minutes=5),
    )
    text = _flat(printouts.refusal_letter_pdf(app))
    assert "TIDAK DAPAT DIKABULKAN" in text and "izin fasilitas radiologi" in text
    assert "NIP. 19700101 199503 1 001" in text


def test_the_notice_letter_goes_to_the_home_address(issue):
    """Seed, Jaminan pelayanan b: the surat pemberitahuan to the applicant's home address."""
    app = issue(RADIOGRAFER)
    body = "Produk layanan Saudara telah selesai sejak sebulan lalu.\n\nMohon segera diambil di loket."
    text = _flat(printouts.notice_letter_pdf(app, body=body))
    assert "Pemberitahuan Pengambilan Surat Izin Kerja Radiografer" in text
    assert "Jalan Sudirman No. 1, Pekanbaru" in text and "Mohon segera diambil di loket." in text


@pytest.mark.parametrize("code", [RADIOGRAFER, PARAMEDIK])
def test_the_standard_and_the_sop_diagram_come_from_the_definition(code, services_loaded, office):
    """PermenPANRB 15/2014 (14 components) and 35/2012 (SOP AP: lanes per Pelaksana, Mutu Baku)."""
    from satupintu.catalogue.selectors import service_get

    _service, _version, spec = service_get(office=office, code=code)
    standard = _flat(printouts.standard_pdf(spec, office))
    for component in [
        "Persyaratan",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Dasar hukum",
        "Kompetensi pelaksana",
        "Pengawasan internal",
        "Jaminan pelayanan",
        "Evaluasi kinerja pelaksana",
    ]:
        assert component in standard, component
    assert spec.legal_basis[0].text.split()[0] in standard
    # The procedure lists the SOP's own step labels once, not lettered again ("a. 1. Pemohon…").
    first = spec.sop.steps[0]
    assert f"{first.label or first.number}. {first.activity.split()[0]}" in standard
    assert f"a. {first.label or first.number}. " not in standard
    sop = _flat(printouts.sop_pdf(spec, office))
    assert "STANDAR OPERASIONAL PROSEDUR" in sop and "Kelengkapan" in sop and "Waktu" in sop
    assert "Kepala Dinas" in sop and "Sekretaris" in sop and spec.sop.steps[-1].time in sop
