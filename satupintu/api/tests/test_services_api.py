import pytest

from satupintu.catalogue.loader import standard_load
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(office):
    return standard_load(office=office, text=as_yaml(MINIMAL))


def test_services_lists_the_default_office(client, loaded):
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    [service] = response.json()
    assert service["code"] == "izin-contoh"
    assert service["fee_amount"] == 0
    assert service["office"]["slug"] == "dpmptsp-kota-pekanbaru"
    assert service["url"].endswith("/kantor/dpmptsp-kota-pekanbaru/layanan/izin-contoh/")


def test_services_can_be_searched_and_scoped_to_an_office(client, loaded, make_office):
    assert [s["code"] for s in client.get("/api/v1/services", {"q": "ktp"}).json()] == ["izin-contoh"]
    assert client.get("/api/v1/services", {"q": "radiografer"}).json() == []
    other = make_office()
    assert client.get("/api/v1/services", {"office": other.slug}).json() == []


def test_a_service_returns_its_whole_standard_with_sop_steps(client, loaded):
    response = client.get("/api/v1/services/izin-contoh")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1 and len(body["checksum"]) == 64
    standard = body["standard"]
    assert [s["kind"] for s in standard["sop"]["steps"]] == ["submit", "completeness_check", "sign", "handover"]
    assert standard["sop"]["steps"][1]["time"] == "10 menit"
    assert standard["requirements"][1]["photocopy"] is True
    for component in [
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "product",
        "complaints",
        "legal_basis",
        "facilities",
        "competence",
        "internal_supervision",
        "staff_count",
        "service_guarantees",
        "safety_guarantees",
        "performance_evaluation",
    ]:
        assert component in standard, component


def test_errors_have_detail_and_code(client, loaded):
    response = client.get("/api/v1/services/izin-tidak-ada")
    assert response.status_code == 404
    assert response.json() == {"detail": "Layanan 'izin-tidak-ada' tidak ditemukan.", "code": "not_found"}
    assert client.get("/api/v1/services", {"office": "tidak-ada"}).json()["code"] == "not_found"


def test_openapi_document_describes_the_service_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "satupintu API"
    assert "/api/v1/services" in doc["paths"] and "/api/v1/services/{code}" in doc["paths"]
    assert "ServiceStandardSpec" in doc["components"]["schemas"]


def test_browsable_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body and "unpkg.com" not in body
