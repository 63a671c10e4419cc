"""
Issue 13, item 2: the signed permit carries the holder's NIK, birth date and photo; every officer's
read of it — from the staff page or the API — writes an access row, and it is served ``no-store``.
"""

import pytest
from django.urls import reverse

from satupintu.api.tokens import token_issue
from satupintu.core.models import AccessKind, PersonalDataAccess
from satupintu.documents.tests.conftest import RADIOGRAFER

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)[1]}"}


def test_access_log_signed_permit_from_the_staff_page_and_the_api(client, issue, staff, applicant):
    app = issue(RADIOGRAFER)
    client.force_login(staff["sekretaris"])
    page = client.get(reverse("staff:permit_pdf", args=[app.number]))
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
    assert "no-store" in page["Cache-Control"]
    client.logout()
    api = client.get(f"/api/v1/applications/{app.number}/permit.pdf", **_bearer(staff["front_office"]))
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    rows = list(PersonalDataAccess.objects.filter(kind=AccessKind.PERMIT).order_by("pk"))
    assert [r.actor for r in rows] == [staff["sekretaris"], staff["front_office"]]
    assert {r.subject for r in rows} == {applicant}
    assert rows[0].path == reverse("staff:permit_pdf", args=[app.number])
    assert rows[1].path == f"/api/v1/applications/{app.number}/permit.pdf"
    assert all(r.target.startswith("permit:") for r in rows)


def test_access_log_no_row_when_the_permit_is_refused_or_read_by_its_holder(client, issue, staff, applicant):
    app = issue(RADIOGRAFER)
    url = f"/api/v1/applications/{app.number}/permit.pdf"
    assert client.get(url, **_bearer(staff["kepegawaian"])).status_code == 403
    assert client.get(url, **_bearer(applicant)).status_code == 200
    assert not PersonalDataAccess.objects.filter(kind=AccessKind.PERMIT).exists()
