"""
The charged service in the browser (issue 15): the applicant (phone) reads how the fee is computed,
sees the estimate on "check your answers", hands the file in, gets the bill, pays through the fake
gateway, downloads the receipt, then (once the officers have signed) the permit; the treasurer's
page (desktop) shows the payment in the day's reconciliation. Officers' steps in between run
through the services (their pages have their own journey test). Set ``SATUPINTU_SHOTS=/some/dir``
to keep the screenshots.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from satupintu.applications import services
from satupintu.applications.models import Application, Status
from satupintu.applications.tests.conftest import all_sesuai, bap_for, upload_all
from satupintu.payments.models import Bill, BillStatus
from satupintu.payments.tests.conftest import IMTA, IMTA_DATA, RATE
from tests.browser.test_radiographer_journey import _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-sekali-123"


def _login(browser, live_server, username, *, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="id-ID", is_mobile=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna, surel, atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page


def test_an_applicant_sees_the_estimate_pays_the_bill_and_the_treasurer_sees_the_payment(
    browser, live_server, office, staff, applicant
):
    from satupintu.catalogue.loader import standard_load_file
    from satupintu.payments.gateway import fake_gateway
    from satupintu.payments.services import exchange_rate_record

    fake_gateway.reset()
    imta = standard_load_file(office=office, path=IMTA).service
    now = timezone.now()
    exchange_rate_record(
        office=office,
        actor=staff["bendahara_penerima"],
        currency="USD",
        date=timezone.localdate(now),
        rate=RATE,
        source="KMK (uji)",
        at=now,
    )
    application = services.application_create(office=office, service=imta, actor=applicant, data=IMTA_DATA)
    upload_all(application, applicant)

    page = _login(browser, live_server, applicant.username, phone=True)
    page.goto(f"{live_server.url}/kantor/{office.slug}/layanan/{imta.code}/")
    assert "US$ 100 per orang per bulan" in page.content()
    _shot(page, "pay-01-service-fee")
    page.goto(f"{live_server.url}/permohonan/{application.number}/periksa/")
    estimate = page.locator(".fee-estimate")
    assert "Perkiraan biaya" in estimate.inner_text() and "Rp 19.500.660" in estimate.inner_text()
    _shot(page, "pay-02-review-estimate")
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_load_state()

    application = Application.objects.get(pk=application.pk)
    application = services.step_complete(
        application=application,
        actor=staff["front_office"],
        step_number=2,
        outcome="complete",
        data=all_sesuai(application),
    )
    services.step_complete(
        application=application,
        actor=staff["tim_teknis"],
        step_number=3,
        outcome="recommend",
        data=bap_for(application, timezone.now()),
    )
    bill = Bill.objects.get(application=application)

    page.goto(f"{live_server.url}/permohonan/{application.number}/")
    assert bill.number in page.content() and bill.payment_code in page.content()
    _shot(page, "pay-03-bill")
    page.get_by_role("button", name="Bayar sekarang (gateway uji)").click()
    page.wait_for_load_state()
    assert "Pembayaran diterima" in page.content()
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert Application.objects.get(pk=application.pk).status == Status.IN_PROCESS
    assert page.get_by_role("link", name="Unduh tanda bukti pembayaran (PDF)").count() == 1
    _shot(page, "pay-04-paid")

    # The officers' steps after the payment (their pages have their own journey), on a worker thread:
    # the signature runs its own asyncio loop, which cannot start inside Playwright's.
    def finish() -> str:
        from django.db import connection

        try:
            app = Application.objects.get(pk=application.pk)
            app = services.step_complete(
                application=app, actor=staff["back_office"], step_number=5, outcome="drafted", note="Konsep sesuai."
            )
            app = services.step_complete(application=app, actor=staff["analis_madya"], step_number=6, outcome="approve")
            app = services.step_complete(application=app, actor=staff["kepala_dinas"], step_number=7, outcome="approve")
            return app.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(finish).result() == Status.READY

    # The applicant downloads the signed permit (the handover) and still has the receipt.
    page.goto(f"{live_server.url}/permohonan/{application.number}/")
    assert page.get_by_role("link", name="Unduh tanda bukti pembayaran (PDF)").count() == 1
    page.get_by_role("button", name="Unduh surat izin").click()
    page.wait_for_load_state()
    assert Application.objects.get(pk=application.pk).status == Status.COLLECTED

    treasurer = _login(browser, live_server, staff["bendahara_penerima"].username)
    treasurer.goto(f"{live_server.url}/petugas/{office.slug}/bendahara/")
    assert treasurer.get_by_test_id("rekonsiliasi-total").inner_text() == "Rp 19.500.660"
    assert bill.number in treasurer.content()
    _shot(treasurer, "pay-05-treasurer")
