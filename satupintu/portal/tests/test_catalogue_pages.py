import pytest
from django.urls import reverse

from satupintu.catalogue.loader import standard_load
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(office):
    return standard_load(office=office, text=as_yaml(MINIMAL))


def test_the_home_page_lists_the_services_of_the_default_office(client, loaded, office):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Izin Contoh" in body and office.name in body
    assert reverse("portal:office_service", args=[office.slug, "izin-contoh"]) in body


def test_search_finds_services_by_any_word_of_their_standard(client, loaded):
    assert "Izin Contoh" in client.get(reverse("portal:services"), {"q": "ktp"}).content.decode()
    body = client.get(reverse("portal:services"), {"q": "radiografer"}).content.decode()
    assert "Izin Contoh</a>" not in body
    assert "Tidak ada layanan yang cocok" in body


def test_the_service_page_shows_the_whole_standard(client, loaded, office):
    response = client.get(reverse("portal:service", args=["izin-contoh"]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Foto copy KTP",  # persyaratan
        "1 hari kerja",  # jangka waktu
        "GRATIS",  # biaya
        "Surat Izin Contoh",  # produk
        "Periksa berkas",  # SOP activity
        "10 menit",  # SOP time
        "Petugas Front Office (loket)",  # SOP role
        "Di loket pengaduan.",  # complaint channel
        "Undang-Undang Nomor 25 tahun 2009",  # dasar hukum
        "Kartu kendali.",  # pengawasan internal
        "CCTV.",  # jaminan keamanan
    ]:
        assert text in body, text


def test_an_unknown_service_or_office_is_404_in_indonesian(client, loaded):
    response = client.get(reverse("portal:service", args=["izin-tidak-ada"]))
    assert response.status_code == 404
    assert client.get(reverse("portal:office_services", args=["kantor-tidak-ada"])).status_code == 404


def test_an_inactive_service_is_not_public(client, loaded):
    loaded.service.active = False
    loaded.service.save()
    assert client.get(reverse("portal:service", args=["izin-contoh"])).status_code == 404
    assert "Izin Contoh</a>" not in client.get(reverse("portal:home")).content.decode()


def test_a_clause_not_from_the_seed_is_marked_on_the_page(client, office):
    data = as_yaml(
        {
            **MINIMAL,
            "fee": {
                "amount": None,
                "text": "Belum ditetapkan",
                "provenance": {"from_seed": False, "source": "Permentan 3/2019", "verified": False},
            },
        }
    )
    standard_load(office=office, text=data)
    body = client.get(reverse("portal:service", args=["izin-contoh"])).content.decode()
    assert "Tidak berasal dari naskah Standar Pelayanan." in body
    assert "Belum diverifikasi terhadap naskah resmi." in body
