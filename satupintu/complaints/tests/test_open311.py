"""
Open311 GeoReport v2 at /open311/v2/: every answer checked against the specification's field lists
(http://wiki.open311.org/GeoReport_v2), in JSON and in XML; datetimes UTC with Z.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from satupintu.complaints import services
from satupintu.complaints.models import Complaint
from satupintu.complaints.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db

# GeoReport v2 field lists, as the specification names them.
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION_FIELDS = {"service_code", "attributes"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
POST_RESPONSE_FIELDS = {"service_request_id", "token", "service_notice", "account_id"}
TOKEN_FIELDS = {"service_request_id", "token"}
ERROR_FIELDS = {"code", "description"}
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def api_key(office):
    key, _row = services.open311_key_issue(office=office, name="Aplikasi Kota")
    return key


@pytest.fixture
def filed(client, office, officers, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "waktu-penyelesaian",
            "description": "Izin saya belum selesai padahal sudah 5 hari.",
            "first_name": "Dewi",
            "last_name": "Lestari",
            "email": "dewi@example.com",
            "lat": "0.507068",
            "long": "101.447777",
            "attribute[jenis]": "pengaduan",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()[0]


def _xml(response, root):
    assert response["Content-Type"].startswith("text/xml")
    tree = ET.fromstring(response.content)
    assert tree.tag == root
    return tree


def test_discovery(client, office):
    body = client.get("/open311/v2/discovery.json").json()
    assert set(body) == DISCOVERY_FIELDS
    endpoint = body["endpoints"][0]
    assert set(endpoint) == ENDPOINT_FIELDS and endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and set(endpoint["formats"]) == {"text/xml", "application/json"}
    tree = _xml(client.get("/open311/v2/discovery.xml"), "discovery")
    assert {c.tag for c in tree} == DISCOVERY_FIELDS
    assert {c.tag for c in tree.find("endpoints/endpoint")} == ENDPOINT_FIELDS
    assert [f.text for f in tree.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_services_are_the_complaint_categories(client, office):
    services_ = client.get("/open311/v2/services.json").json()
    assert "persyaratan" in [s["service_code"] for s in services_]
    for service in services_:
        assert set(service) == SERVICE_FIELDS and service["type"] in {"realtime", "batch", "blackbox"}
    tree = _xml(client.get("/open311/v2/services.xml"), "services")
    assert all({c.tag for c in s} == SERVICE_FIELDS for s in tree.findall("service"))
    assert tree.find("service/metadata").text == "true"


def test_service_definition(client, office):
    body = client.get("/open311/v2/services/biaya.json").json()
    assert set(body) == DEFINITION_FIELDS and body["service_code"] == "biaya"
    for attribute in body["attributes"]:
        assert set(attribute) == ATTRIBUTE_FIELDS and attribute["datatype"] in DATATYPES
    assert {"key", "name"} == set(body["attributes"][0]["values"][0])
    tree = _xml(client.get("/open311/v2/services/biaya.xml"), "service_definition")
    assert {c.tag for c in tree.find("attributes/attribute")} == ATTRIBUTE_FIELDS
    assert {c.tag for c in tree.find("attributes/attribute/values/value")} == {"key", "name"}
    missing = client.get("/open311/v2/services/tidak-ada.json")
    assert missing.status_code == 404 and set(missing.json()[0]) == ERROR_FIELDS


def test_post_needs_a_valid_key_and_answers_with_the_request_id_and_token(client, office, filed, api_key):
    assert set(filed) == POST_RESPONSE_FIELDS and filed["service_request_id"].startswith("PKU-PGD-")
    refused = client.post(
        "/open311/v2/requests.xml",
        {"api_key": "salah", "service_code": "biaya", "description": "Pungutan liar di loket."},
    )
    assert refused.status_code == 403
    tree = _xml(refused, "errors")
    assert {c.tag for c in tree.find("error")} == ERROR_FIELDS
    invalid = client.post(
        "/open311/v2/requests.json", {"api_key": api_key, "service_code": "biaya", "description": "x"}
    )
    assert invalid.status_code == 400 and "description" in invalid.json()[0]["description"]
    xml = client.post(
        "/open311/v2/requests.xml",
        {"api_key": api_key, "service_code": "biaya", "description": "Diminta uang di loket 3."},
    )
    assert xml.status_code == 201
    assert {c.tag for c in _xml(xml, "service_requests").find("request")} == POST_RESPONSE_FIELDS


def test_get_requests_with_filters_and_by_id_in_utc(client, office, officers, filed):
    other = services.complaint_register(
        office=office,
        channel="letter",
        name="Rudi",
        description="Toilet rusak di lantai 1.",
        actor=officers["pengelola_pengaduan"],
        category="sarana-prasarana",
    )
    services.complaint_triage(complaint=other, actor=officers["pengelola_pengaduan"], weight="ringan")
    services.complaint_reply(
        complaint=other, actor=officers["pengelola_pengaduan"], method="letter", text="Sudah diperbaiki."
    )
    rows = client.get("/open311/v2/requests.json").json()
    assert len(rows) == 2
    for row in rows:
        assert set(row) == REQUEST_FIELDS
        assert UTC_Z.match(row["requested_datetime"]) and UTC_Z.match(row["updated_datetime"])
    mine = next(r for r in rows if r["service_request_id"] == filed["service_request_id"])
    assert mine["status"] == "open" and mine["lat"] is None and mine["description"] == ""  # not reviewed yet
    services.complaint_publication_review(
        complaint=Complaint.objects.get(ticket=filed["service_request_id"]),
        actor=officers["pengelola_pengaduan"],
        text="Izin belum selesai padahal sudah 5 hari.",
    )
    mine = client.get(f"/open311/v2/requests/{filed['service_request_id']}.json").json()[0]
    assert mine["lat"] == 0.507068 and mine["description"] == "Izin belum selesai padahal sudah 5 hari."
    letter = next(r for r in rows if r["service_request_id"] == other.ticket)
    assert letter["status"] == "closed" and letter["description"] == ""  # a letter is not published
    assert [r["service_request_id"] for r in client.get("/open311/v2/requests.json", {"status": "closed"}).json()] == [
        other.ticket
    ]
    assert [
        r["service_code"]
        for r in client.get("/open311/v2/requests.json", {"service_code": "waktu-penyelesaian"}).json()
    ] == ["waktu-penyelesaian"]
    assert client.get("/open311/v2/requests.json", {"start_date": "2099-01-01T00:00:00Z"}).json() == []
    assert client.get("/open311/v2/requests.json", {"end_date": MONDAY.isoformat()}).json() == []
    assert client.get("/open311/v2/requests.json", {"start_date": "kemarin"}).status_code == 400
    one = client.get(f"/open311/v2/requests/{other.ticket}.json").json()
    assert len(one) == 1 and set(one[0]) == REQUEST_FIELDS
    tree = _xml(client.get(f"/open311/v2/requests/{other.ticket}.xml"), "service_requests")
    assert {c.tag for c in tree.find("request")} == REQUEST_FIELDS
    assert UTC_Z.match(tree.find("request/requested_datetime").text)
    assert client.get("/open311/v2/requests/TIDAK-ADA.json").status_code == 404
    text = client.get("/open311/v2/requests.json").content.decode()
    for secret in ("Dewi", "dewi@example.com", "Rudi"):
        assert secret not in text


def test_tokens(client, office, filed):
    body = client.get(f"/open311/v2/tokens/{filed['token']}.json").json()
    assert body == [{"service_request_id": filed["service_request_id"], "token": filed["token"]}]
    tree = _xml(client.get(f"/open311/v2/tokens/{filed['token']}.xml"), "service_requests")
    assert {c.tag for c in tree.find("request")} == TOKEN_FIELDS
    assert client.get("/open311/v2/tokens/abc.json").status_code == 404
