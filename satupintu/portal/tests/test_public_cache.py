"""
The public pages from the shared cache (issue 12): the catalogue, the service page and the IKM
page are rendered once for anonymous visitors, forgotten when what they show changes, keep a
working CSRF token in the language form, and are never cached for a signed-in user; tracking is
never cached.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.catalogue.loader import standard_load
from satupintu.catalogue.models import Service
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def loaded(office):
    return standard_load(office=office, text=as_yaml(MINIMAL))


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url",
    [reverse("portal:home"), reverse("portal:service", args=["izin-contoh"]), reverse("surveys_public:published")],
)
def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(loaded, url):
    first, page = queries(Client(), url)
    again, cached = queries(Client(), url)
    assert first > 0 and again < first
    # Same page, but each visitor gets their own CSRF token for the language form, and it works.
    assert TOKEN.sub("", cached.content.decode()) == TOKEN.sub("", page.content.decode())
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(url).content.decode()
    token = TOKEN.search(body).group(1)
    assert token != TOKEN.search(page.content.decode()).group(1)
    switched = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token, "next": url})
    assert switched.status_code == 302


def test_a_change_to_the_catalogue_is_seen_at_once(loaded, office):
    client = Client()
    assert "Izin Contoh" in client.get(reverse("portal:home")).content.decode()
    service = Service.objects.get(office=office, code="izin-contoh")
    service.active = False  # the office stops offering it
    service.save()
    assert "Izin Contoh" not in client.get(reverse("portal:home")).content.decode()
    office.name = "DPMPTSP Kota Pekanbaru (baru)"
    office.save()
    assert "DPMPTSP Kota Pekanbaru (baru)" in client.get(reverse("portal:home")).content.decode()


def test_a_signed_in_visitor_and_a_search_are_never_served_from_the_cache(loaded, applicant, client):
    Client().get(reverse("portal:home"))  # cached for anonymous visitors
    client.force_login(applicant)
    count, response = queries(client, reverse("portal:home"))
    assert count > 0 and applicant.display_name in response.content.decode()
    assert queries(Client(), reverse("portal:services") + "?q=ktp")[0] > 0
    assert queries(Client(), reverse("portal:services") + "?q=ktp")[0] > 0


def test_tracking_is_not_cached(loaded):
    assert queries(Client(), reverse("portal:track"))[0] == queries(Client(), reverse("portal:track"))[0]
