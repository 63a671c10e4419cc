"""
Issue 11 item 5: catalogues per office. The seeds are templates an office copies; the public sees
only an office's published services; a service not published, or whose fee is not set, takes no
applications (page and API alike); curation notes stay in the staff area.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from satupintu.applications import services as applications
from satupintu.applications.models import Application
from satupintu.applications.tests.conftest import FORM_DATA
from satupintu.catalogue import selectors
from satupintu.catalogue.loader import standard_load, standard_load_file
from satupintu.catalogue.models import Service
from satupintu.catalogue.schema import Fee
from satupintu.catalogue.services import service_copy_from_template
from satupintu.catalogue.tests.conftest import MINIMAL, as_yaml
from satupintu.core.errors import Conflict
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PARAMEDIK = "izin-praktik-paramedik-asisten-teknik-reproduksi"
RADIOGRAFER = "izin-kerja-radiografer"


@pytest.fixture
def paramedik_as_shipped(office):
    """The paramedik seed loaded as shipped: its fee is not set (``amount: null``)."""
    return standard_load_file(office=office, path=Path(settings.SATUPINTU_STANDARDS_DIR) / f"{PARAMEDIK}.yaml")


def test_both_seeds_are_templates_any_office_can_list():
    """Every shipped standard is a template: the two seeds and the charged IMTA extension."""
    codes = [t.code for t in selectors.templates_list()]
    assert sorted(codes) == sorted([RADIOGRAFER, PARAMEDIK, "perpanjangan-imta"])


def test_a_new_office_gets_a_service_by_copying_a_template_as_a_draft_that_is_not_public(
    client, make_office, make_user
):
    """Defect: an office added in the admin had “Belum ada layanan” and no way to get one."""
    new = make_office(slug="dpmptsp-kota-dumai", name="DPMPTSP Kota Dumai")
    admin = make_user(office=new, roles=["admin"])
    version = service_copy_from_template(office=new, template_code=RADIOGRAFER, actor=admin)
    assert version.service.office == new and version.service.template == RADIOGRAFER
    assert version.status == "draft" and version.version == 1
    assert AuditEvent.objects.filter(action="service.copy_from_template", office=new).exists()
    # Not published: not in the public catalogue, its page 404, and no application.
    assert list(selectors.services_list(office=new)) == []
    assert client.get(reverse("portal:office_service", args=[new.slug, RADIOGRAFER])).status_code == 404
    with pytest.raises(Conflict):
        service_copy_from_template(office=new, template_code=RADIOGRAFER, actor=admin)


def test_a_copy_is_made_through_the_staff_page_only_by_who_manages_the_catalogue(client, make_office, make_user):
    new = make_office(slug="dpmptsp-kab-siak")
    clerk = make_user(office=new, roles=["front_office"])
    client.force_login(clerk)
    url = reverse("staff:standards", args=[new.slug])
    assert client.post(url, {"templat": RADIOGRAFER}).status_code == 403
    keeper = make_user(office=new, roles=["pengelola_standar"])
    client.force_login(keeper)
    response = client.post(url, {"templat": RADIOGRAFER})
    assert response.status_code == 302
    assert Service.objects.get(office=new).code == RADIOGRAFER
    assert "Izin Kerja Radiografer" in client.get(url).content.decode()


def test_a_fee_is_set_by_an_amount_or_by_words_saying_gratis_or_a_tax():
    assert Fee(amount=0, text="GRATIS").is_set
    assert Fee(amount=150000, text="Rp 150.000").is_set
    assert Fee(amount=None, text="Tidak dipungut biaya (gratis)").is_set
    assert Fee(amount=None, text="Sesuai Perda tentang Pajak Reklame").is_set
    assert not Fee(amount=None, text="Tidak tercantum pada naskah sumber; kantor wajib menetapkan").is_set


def test_the_paramedik_service_takes_no_application_while_its_fee_is_not_set(client, paramedik_as_shipped, applicant):
    """Defect: the paramedik public page took applications although its fee is not set."""
    service = paramedik_as_shipped.service
    body = client.get(reverse("portal:service", args=[PARAMEDIK])).content.decode()
    assert "Layanan ini belum menerima permohonan." in body
    assert "Biaya/tarif layanan ini belum ditetapkan kantor" in body
    assert reverse("portal:office_apply", args=[service.office.slug, PARAMEDIK]) not in body
    client.force_login(applicant)
    assert client.get(reverse("portal:apply", args=[PARAMEDIK]), {"jenis": "baru"}).status_code == 409
    with pytest.raises(selectors.ServiceClosed):
        applications.application_create(
            office=service.office, service=service, actor=applicant, data=FORM_DATA[PARAMEDIK]
        )
    assert not Application.objects.exists()


def test_the_api_refuses_an_application_to_a_service_whose_fee_is_not_set(client, paramedik_as_shipped, applicant):
    from satupintu.api.tests.conftest import ApiClient

    summary = ApiClient(client).get(f"/services/{PARAMEDIK}").json()
    assert summary["accepts_applications"] is False and "Biaya/tarif" in summary["closed_reason"]
    response = ApiClient(client, applicant).post("/applications", {"service": PARAMEDIK, "data": FORM_DATA[PARAMEDIK]})
    assert response.status_code == 409
    assert response.json()["code"] == "service_closed"


def test_the_paramedik_public_page_and_api_leave_out_the_curation_notes_and_mark_clauses_briefly(
    client, paramedik_as_shipped
):
    """Defect: the public page of the paramedik service showed internal curation notes."""
    body = client.get(reverse("portal:service", args=[PARAMEDIK])).content.decode()
    for note in ["ringkasan sekunder", "wajib diverifikasi", "provenance from_seed", "Komponen 4 terpotong"]:
        assert note not in body, note
    assert "Tidak berasal dari naskah Standar Pelayanan." in body
    assert "Belum diverifikasi terhadap naskah resmi." in body
    assert "Naskah sumber standar ini tidak lengkap." in body
    standard = client.get(f"/api/v1/services/{PARAMEDIK}").json()["standard"]
    assert standard["requirements"][0]["provenance"]["from_seed"] is False
    assert standard["requirements"][0]["provenance"]["note"] == ""
    assert standard["source"]["note"] == ""


def test_the_staff_page_of_a_version_keeps_the_curation_notes(client, paramedik_as_shipped, staff):
    client.force_login(staff["pengelola_standar"])
    version = paramedik_as_shipped.version
    url = reverse("staff:standard_version", args=[version.office.slug, PARAMEDIK, version.version])
    body = client.get(url).content.decode()
    assert "ringkasan sekunder" in body and "Komponen 4 terpotong" in body


def test_the_public_catalogue_of_an_office_lists_only_its_own_published_services(client, office, make_office):
    other = make_office(slug="dpmptsp-kota-dumai", name="DPMPTSP Kota Dumai")
    standard_load(office=office, text=as_yaml(MINIMAL))
    body = client.get(reverse("portal:office_services", args=[other.slug])).content.decode()
    assert "Izin Contoh" not in body
    assert "Izin Contoh" in client.get(reverse("portal:office_services", args=[office.slug])).content.decode()


def test_an_officer_without_the_catalogue_right_cannot_copy_through_the_api(client, make_office, make_user):
    from satupintu.api.tests.conftest import ApiClient

    new = make_office(slug="dpmptsp-kota-dumai")
    clerk = make_user(office=new, roles=["front_office"])
    response = ApiClient(client, clerk).post("/standards/copy", {"office": new.slug, "template": RADIOGRAFER})
    assert response.status_code == 403
    keeper = make_user(office=new, roles=["pengelola_standar"])
    response = ApiClient(client, keeper).post("/standards/copy", {"office": new.slug, "template": RADIOGRAFER})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"


def test_an_office_added_in_the_admin_gets_a_service_by_copying_a_template_there(client, make_office, make_user):
    """Defect: the admin showed no services at all, and a new office had no way to get one."""
    new = make_office(slug="dpmptsp-kab-kampar", name="DPMPTSP Kabupaten Kampar")
    superuser = make_user("super")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    add = reverse("admin:catalogue_service_add")
    assert "Salin dari templat" in client.get(add).content.decode()
    response = client.post(add, {"office": new.pk, "template": PARAMEDIK})
    assert response.status_code == 302
    service = Service.objects.get(office=new)
    assert service.template == PARAMEDIK and service.versions.get().status == "draft"
    assert AuditEvent.objects.get(action="service.copy_from_template", office=new).data["door"] == "admin"
    assert "DPMPTSP Kabupaten Kampar" in client.get(reverse("admin:catalogue_service_changelist")).content.decode()


def test_an_office_sets_the_open_fee_of_a_copied_template_in_a_new_draft_marked_as_its_decision(
    client, make_office, make_user
):
    """The paramedik template leaves its fee open; the office sets it, and the page shows errors at the field."""
    new = make_office(slug="dpmptsp-kota-dumai")
    keeper = make_user(office=new, roles=["pengelola_standar"])
    first = service_copy_from_template(office=new, template_code=PARAMEDIK, actor=keeper)
    client.force_login(keeper)
    url = reverse("staff:standard_edit", args=[new.slug, PARAMEDIK])
    page = client.get(url).content.decode()
    assert "kantor wajib menetapkan" in page  # today's fee text, to be replaced
    form = {
        "fee_amount": "",
        "fee_text": "Tidak dipungut biaya (gratis)",
        "completion_text": "2 hari kerja",
        "completion_duration": "dua hari",
        "completion_condition": "",
        "product_name": "Surat Izin Praktik Paramedik Asisten Teknik Reproduksi",
        "permit_title": "SURAT IZIN PRAKTIK PARAMEDIK ASISTEN TEKNIK REPRODUKSI",
        "numbering_format": "503/{seq:04d}/SIP-ATR/{roman_month}/{year}",
        "permit_validity": "years",
        "permit_years": "3",
    }
    refused = client.post(url, {**form, "numbering_format": "503/SIP-ATR/{year}"})
    assert refused.status_code == 422
    assert 'id="completion_duration-error"' in refused.content.decode()
    assert 'id="numbering_format-error"' in refused.content.decode()
    response = client.post(url, {**form, "completion_duration": "2 hari"})
    assert response.status_code == 302
    second = first.service.versions.get(version=2)
    assert second.status == "draft"
    fee = second.definition["fee"]
    assert fee["amount"] is None and fee["text"] == "Tidak dipungut biaya (gratis)"
    assert fee["provenance"] == {"from_seed": False, "source": "Ditetapkan kantor", "verified": True, "note": ""}
    assert second.definition["numbering"] == {"format": "503/{seq:04d}/SIP-ATR/{roman_month}/{year}"}
    assert (second.definition["permit"]["validity"], second.definition["permit"]["years"]) == ("years", 3)
    assert selectors.closed_reason(first.service, selectors.spec_of(second)) == ""
    assert selectors.closed_reason(first.service, selectors.spec_of(first)) != ""


def test_the_guarantee_periods_are_edited_at_their_field_into_a_new_draft(client, make_office, make_user):
    """Issue 11 item 6 through the editor: the "1 bulan" notice period and the return deadline."""
    new = make_office(slug="dpmptsp-kota-dumai")
    keeper = make_user(office=new, roles=["pengelola_standar"])
    first = service_copy_from_template(office=new, template_code=RADIOGRAFER, actor=keeper)
    client.force_login(keeper)
    url = reverse("staff:standard_edit", args=[new.slug, RADIOGRAFER])
    page = client.get(url).content.decode()
    assert 'value="1 bulan"' in page  # the standard's period, shown to change
    form = {
        "fee_amount": "0",
        "fee_text": "GRATIS",
        "completion_text": "2 hari kerja (dengan persyaratan lengkap)",
        "completion_duration": "2 hari",
        "completion_condition": "dengan persyaratan lengkap",
        "product_name": "Surat Izin Kerja Radiografer",
        "permit_title": "SURAT IZIN KERJA RADIOGRAFER",
        "numbering_format": first.definition["numbering"]["format"],
        "permit_validity": first.definition["permit"]["validity"],
        "permit_years": "",
        "uncollected_after": "2 bulan",
        "return_deadline": "30 menit",
    }
    refused = client.post(url, form)
    assert refused.status_code == 422 and 'id="return_deadline-error"' in refused.content.decode()
    assert client.post(url, {**form, "return_deadline": "10 hari"}).status_code == 302
    guarantees = first.service.versions.get(version=2).definition["guarantees"]
    assert (guarantees["uncollected_notice_after"], guarantees["return_deadline"]) == ("2 bulan", "10 hari")


def test_the_requirement_list_is_edited_reordered_extended_and_shortened_into_a_new_draft(client, office, staff):
    """Editor: add, reorder, renewal-only and remove; a bad quantity is reported at its row."""
    from satupintu.catalogue.loader import standard_load

    first = standard_load(office=office, text=as_yaml(MINIMAL)).version  # surat_permohonan, ktp
    client.force_login(staff["pengelola_standar"])
    url = reverse("staff:standard_requirements", args=[office.slug, "izin-contoh"])
    assert "Foto copy KTP" in client.get(url).content.decode()
    form = {
        "key-0": "surat_permohonan",
        "label-0": "Surat Permohonan",
        "quantity-0": "1",
        "order-0": "2",
        "key-1": "ktp",
        "label-1": "Foto copy KTP",
        "quantity-1": "nol",
        "order-1": "1",
        "label-baru": "Surat izin lama (asli)",
        "quantity-baru": "1",
        "renewal-baru": "1",
    }
    refused = client.post(url, form)
    assert refused.status_code == 422 and 'href="#quantity-1"' in refused.content.decode()
    response = client.post(url, {**form, "quantity-1": "2"})
    assert response.status_code == 302
    second = first.service.versions.get(version=2)
    requirements = second.definition["requirements"]
    assert [r["key"] for r in requirements] == ["ktp", "surat_permohonan", "surat_izin_lama_asli"]
    assert requirements[0]["quantity"] == 2 and requirements[0]["photocopy"] is True
    assert requirements[2]["renewal_only"] is True and requirements[2]["provenance"]["from_seed"] is False
    assert requirements[1].get("provenance", {}).get("from_seed", True) is True  # unchanged stays from the source
    third = client.post(
        url,
        {
            "key-0": "ktp",
            "label-0": "Foto copy KTP",
            "quantity-0": "2",
            "remove-1": "1",
            "key-1": "surat_permohonan",
            "label-1": "Surat Permohonan",
            "key-2": "surat_izin_lama_asli",
            "label-2": "Surat izin lama (asli)",
            "renewal-2": "1",
        },
    )
    assert third.status_code == 302
    assert [r["key"] for r in first.service.versions.get(version=3).definition["requirements"]] == [
        "ktp",
        "surat_izin_lama_asli",
    ]


def test_the_application_form_editor_relabels_a_question_and_adds_one_into_a_new_draft(client, office, staff):
    from satupintu.catalogue.loader import standard_load

    first = standard_load(office=office, text=as_yaml(MINIMAL)).version
    client.force_login(staff["pengelola_standar"])
    url = reverse("staff:standard_form", args=[office.slug, "izin-contoh"])
    assert "Nomor izin lama" in client.get(url).content.decode()
    fields = [f for s in first.definition["application_form"] for f in s["fields"]]
    form = {f"label-{f['key']}": f["label"] for f in fields}
    form.update({f"required-{f['key']}": "1" for f in fields if f.get("required", True)})
    form["label-no_hp"] = ""
    refused = client.post(url, form)
    assert refused.status_code == 422 and 'id="label-no_hp-error"' in refused.content.decode()
    form.update({"label-no_hp": "Nomor HP yang aktif", "label-baru": "Nama usaha", "type-baru": "text"})
    assert client.post(url, form).status_code == 302
    second = [f for s in first.service.versions.get(version=2).definition["application_form"] for f in s["fields"]]
    by_key = {f["key"]: f for f in second}
    assert by_key["no_hp"]["label"] == "Nomor HP yang aktif" and by_key["no_hp"]["purpose"] == "applicant_phone"
    assert by_key["nama_usaha"]["required"] is False and by_key["nik"]["required"] is True


def test_the_form_editor_adds_a_select_question_with_its_choices_and_edits_them_with_errors_at_the_field(
    client, office, staff
):
    from satupintu.catalogue.loader import standard_load

    first = standard_load(office=office, text=as_yaml(MINIMAL)).version
    client.force_login(staff["pengelola_standar"])
    url = reverse("staff:standard_form", args=[office.slug, "izin-contoh"])
    fields = [f for s in first.definition["application_form"] for f in s["fields"]]
    form = {f"label-{f['key']}": f["label"] for f in fields}
    form.update({f"required-{f['key']}": "1" for f in fields if f.get("required", True)})
    form.update({"label-baru": "Jenis usaha", "type-baru": "select", "choices-baru": ""})
    refused = client.post(url, form)
    assert refused.status_code == 422 and 'id="choices-baru-error"' in refused.content.decode()
    form["choices-baru"] = "Minimarket\n\nSupermarket\nMinimarket\n"
    assert client.post(url, form).status_code == 302
    second = first.service.versions.get(version=2)
    by_key = {f["key"]: f for s in second.definition["application_form"] for f in s["fields"]}
    assert by_key["jenis_usaha"]["type"] == "select" and by_key["jenis_usaha"]["choices"] == [
        "Minimarket",
        "Supermarket",
    ]
    page = client.get(url).content.decode()
    assert 'id="choices-jenis_usaha"' in page and "Supermarket" in page
    form = {k: v for k, v in form.items() if not k.endswith("-baru")}
    form.update({"label-jenis_usaha": "Jenis usaha", "choices-jenis_usaha": ""})
    emptied = client.post(url, form)
    # The loader's message (a select must have choices) is shown at the choices of that question.
    assert emptied.status_code == 422 and 'id="choices-jenis_usaha-error"' in emptied.content.decode()
    form["choices-jenis_usaha"] = "Minimarket\nSupermarket\nHypermarket"
    assert client.post(url, form).status_code == 302
    third = first.service.versions.get(version=3)
    by_key = {f["key"]: f for s in third.definition["application_form"] for f in s["fields"]}
    assert by_key["jenis_usaha"]["choices"] == ["Minimarket", "Supermarket", "Hypermarket"]
