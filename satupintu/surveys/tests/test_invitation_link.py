"""The survey invitation in the handover notice opens the questionnaire (notifications ↔ surveys)."""

import datetime as dt

import pytest

from satupintu.notifications import services as notice_services
from satupintu.surveys import invitations


def test_the_notice_link_token_is_the_survey_token():
    assert notice_services.SURVEY_TOKEN_SALT == invitations.TOKEN_SALT


@pytest.mark.django_db
def test_the_link_in_the_notice_opens_the_questionnaire(client, services_loaded, staff, applicant, settings):
    from satupintu.applications import services
    from satupintu.applications.tests.conftest import FORM_DATA, WIB, Clock, upload_all
    from satupintu.applications.tests.test_lifecycle import _walk

    settings.SATUPINTU_PUBLIC_URL = "http://testserver"
    clock = Clock(dt.datetime(2026, 6, 2, 8, 30, tzinfo=WIB))
    service = services_loaded["izin-reklame-kecil"]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[service.code], at=clock.now
    )
    upload_all(app, applicant)
    app = services.application_submit(application=app, actor=applicant, at=clock.tick(minutes=1))
    app = _walk(app, staff, applicant, clock)
    link = notice_services.survey_link(app)
    assert link.startswith("http://testserver/survei/isi/")
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "U1" in response.content.decode() or "Persyaratan" in response.content.decode()
