"""
Issue 11 item 2 in the browser and the API: a published Standar Pelayanan uploaded becomes a draft
version with the import report beside it; an unknown Pelaksana is mapped to a role, which
rewrites the draft; a flagged clause links to the editor form that changes it.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.catalogue import selectors
from satupintu.catalogue.importing import StandardImportError
from satupintu.catalogue.models import Service
from satupintu.catalogue.services import (
    IMPORT_MAX_BYTES,
    standard_draft_edit,
    standard_import_create,
    standard_role_map,
)
from satupintu.core.errors import Conflict, InvalidData, NotFound, PermissionDenied
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).parent / "documents"
SWALAYAN = DOCUMENTS / "izin-usaha-toko-swalayan.txt"
REKLAME = DOCUMENTS / "izin-reklame.pdf"


@pytest.fixture
def people(office, make_user):
    return {
        "admin": make_user("admin-impor", office=office, roles=["admin"]),
        "keeper": make_user("pengelola-impor", office=office, roles=["pengelola_standar"]),
        "clerk": make_user("loket-impor", office=office, roles=["front_office"]),
    }


def _import(office, actor, path=SWALAYAN, **kwargs):
    return standard_import_create(office=office, data=path.read_bytes(), filename=path.name, actor=actor, **kwargs)


def test_an_uploaded_document_becomes_a_draft_of_a_new_service_with_its_report(office, people):
    version = _import(office, people["admin"])
    assert version.status == "draft" and version.version == 1
    assert version.service.code == "izin-usaha-toko-swalayan" and version.service.name == "Izin Usaha Toko Swalayan"
    assert version.source_path == "impor:izin-usaha-toko-swalayan.txt"
    report = version.import_report
    assert [u["name"] for u in report["unmapped_roles"]] == [
        "Petugas Tata Usaha",
        "Kasubid Pelayanan",
        "Kepala Bidang Perizinan",
    ]
    assert report["total_lines"] == report["placed_lines"] == 29 and report["resolved_roles"] == {}
    event = AuditEvent.objects.get(action="standard.import")
    assert event.actor == people["admin"] and event.data["filename"] == "izin-usaha-toko-swalayan.txt"
    assert event.data["unmapped_roles"] == ["Petugas Tata Usaha", "Kasubid Pelayanan", "Kepala Bidang Perizinan"]
    # A draft is not in force: the service takes no applications yet.
    with pytest.raises(NotFound):
        selectors.current_version_of(version.service)


def test_the_office_roles_are_its_role_map(office, people):
    from satupintu.accounts.office_roles import office_role_save

    office_role_save(office=office, code="kasubid", name="Kasubid Pelayanan", permissions=[], actor=people["admin"])
    version = _import(office, people["admin"])
    assert "Kasubid Pelayanan" not in [u["name"] for u in version.import_report["unmapped_roles"]]
    step4 = version.definition["sop"]["steps"][3]
    assert step4["roles"] == ["kasubid"]


def test_a_file_too_large_of_another_type_empty_or_unreadable_is_refused_in_indonesian(office, people):
    def refused(data, name):
        with pytest.raises((InvalidData, StandardImportError)) as caught:
            standard_import_create(office=office, data=data, filename=name, actor=people["admin"])
        return caught.value

    assert "terlalu besar" in refused(b"x" * (IMPORT_MAX_BYTES + 1), "besar.txt").errors["file"]
    assert "PDF, DOCX, HTML atau TXT" in refused(b"NO\tKOMPONEN", "naskah.xlsx").errors["file"]
    assert "Pilih berkas" in refused(b"", "kosong.pdf").errors["file"]
    # The file is parsed as what its name says, not trusted: a text named .pdf is not a PDF.
    assert "PDF tidak dapat dibaca" in refused(SWALAYAN.read_bytes(), "naskah.pdf").message
    assert "tidak memuat komponen" in refused(REKLAME.read_bytes(), "naskah.txt").message  # a PDF named .txt
    assert "tidak memuat komponen" in refused(b"Surat biasa.\nTidak ada komponen.", "surat.txt").message
    assert not Service.objects.filter(office=office).exists()
    assert not AuditEvent.objects.filter(action="standard.import").exists()


def test_only_who_prepares_standards_imports_and_a_second_import_goes_to_the_chosen_service(office, people):
    with pytest.raises(PermissionDenied):
        _import(office, people["clerk"])
    first = _import(office, people["keeper"])
    with pytest.raises(Conflict):
        _import(office, people["keeper"])
    second = _import(office, people["keeper"], path=REKLAME, service=first.service)
    assert (second.service, second.version) == (first.service, 2)
    assert second.definition["code"] == "izin-usaha-toko-swalayan"
    assert second.import_report["container"] == "pdf"


def test_mapping_an_unknown_role_rewrites_the_draft_and_the_report(office, people):
    first = _import(office, people["keeper"])
    mapped = standard_role_map(
        service=first.service, name="Kepala Bidang Perizinan", codes=["analis_madya"], actor=people["keeper"]
    )
    assert mapped.version == 2 and mapped.status == "draft"
    step5 = mapped.definition["sop"]["steps"][4]
    assert step5["roles"] == ["analis_madya"]
    assert "belum dipetakan" not in step5.get("note", "")
    assert mapped.import_report["resolved_roles"] == {"Kepala Bidang Perizinan": ["analis_madya"]}
    event = AuditEvent.objects.get(action="standard.role_map")
    assert event.data == {"version": 2, "name": "Kepala Bidang Perizinan", "roles": ["analis_madya"]}
    again = standard_role_map(
        service=first.service, name="Petugas Tata Usaha", codes=["back_office"], actor=people["keeper"]
    )
    assert [g["roles"] for g in again.definition["competence"] if g["group"] == "Petugas Tata Usaha"] == [
        ["back_office"]
    ]
    with pytest.raises(NotFound):
        standard_role_map(
            service=first.service, name="Petugas Tata Usaha", codes=["back_office"], actor=people["keeper"]
        )
    with pytest.raises(InvalidData) as caught:
        standard_role_map(
            service=first.service, name="Kasubid Pelayanan", codes=["bukan_peran"], actor=people["keeper"]
        )
    assert "tidak dikenal" in caught.value.errors["codes"]
    # Later edits keep the report beside the draft.
    edited = standard_draft_edit(
        service=first.service, changes={"permit.years": 3, "permit.validity": "years"}, actor=people["keeper"]
    )
    assert edited.import_report["resolved_roles"].keys() == {"Kepala Bidang Perizinan", "Petugas Tata Usaha"}


def test_the_staff_page_imports_and_the_draft_page_shows_the_report_with_links_to_the_editor(client, office, people):
    client.force_login(people["admin"])
    url = reverse("staff:standard_import", args=[office.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Impor naskah Standar Pelayanan" in page.content.decode()
    refused = client.post(url, {"naskah": SimpleUploadedFile("naskah.odt", b"x")})
    assert refused.status_code == 422 and "PDF, DOCX, HTML atau TXT" in refused.content.decode()
    done = client.post(url, {"naskah": SimpleUploadedFile(SWALAYAN.name, SWALAYAN.read_bytes()), "layanan": ""})
    assert done.status_code == 302
    draft = client.get(done["Location"]).content.decode()
    assert "Laporan impor" in draft and "Kepala Bidang Perizinan" in draft
    edit = reverse("staff:standard_edit", args=[office.slug, "izin-usaha-toko-swalayan"])
    assert f'href="{edit}#permit_validity"' in draft  # the permit's validity is the importer's default
    assert "Jenis langkah yang ditebak" in draft and "Semua baris naskah ditempatkan." in draft
    assert f'href="{edit}#numbering_format"' in draft  # the numbering format is the importer's default
    mapped = client.post(
        reverse("staff:standard_role_map", args=[office.slug, "izin-usaha-toko-swalayan"]),
        {"nama": "Kepala Bidang Perizinan", "peran": "analis_madya"},
    )
    assert mapped.status_code == 302 and mapped["Location"].endswith("/v2/")
    after = client.get(mapped["Location"]).content.decode()
    assert "Kepala Bidang Perizinan → JF Analis Kebijakan Ahli Madya" in after
    assert after.count("(dipetakan kantor)") == 1  # step 5
    # Setting the numbering format takes it off the list.
    version = Service.objects.get(office=office, code="izin-usaha-toko-swalayan").versions.order_by("-version")[0]
    standard_draft_edit(
        service=version.service,
        changes={"numbering.format": "503/{seq:04d}/SIUTS/DPMPTSP-KPR/{roman_month}/{year}"},
        actor=people["admin"],
    )
    changed = client.get(mapped["Location"].replace("/v2/", "/v3/")).content.decode()
    assert f'href="{edit}#numbering_format"' not in changed and f'href="{edit}#permit_validity"' in changed
    none_chosen = client.post(
        reverse("staff:standard_role_map", args=[office.slug, "izin-usaha-toko-swalayan"]),
        {"nama": "Kasubid Pelayanan", "peran": ""},
    )
    assert "Pilih peran untuk Kasubid Pelayanan." in client.get(none_chosen["Location"]).content.decode()


def test_the_api_imports_a_document_and_maps_a_role(client, office, people):
    from satupintu.api.tests.conftest import ApiClient

    keeper = ApiClient(client, people["admin"])
    created = client.post(
        "/api/v1/standards/import",
        {"office": office.slug, "file": SimpleUploadedFile(REKLAME.name, REKLAME.read_bytes())},
        **keeper.headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["service"] == "izin-penyelenggaraan-reklame" and body["status"] == "draft"
    assert body["report"]["container"] == "pdf" and body["transitions"] == ["send_for_review", "withdraw"]
    bad = client.post(
        "/api/v1/standards/import",
        {"office": office.slug, "file": SimpleUploadedFile("x.exe", b"MZ")},
        **keeper.headers,
    )
    assert bad.status_code == 422 and "PDF, DOCX, HTML atau TXT" in bad.json()["errors"]["file"]
    clerk = ApiClient(client, people["clerk"])
    denied = client.post(
        "/api/v1/standards/import",
        {"office": office.slug, "file": SimpleUploadedFile(REKLAME.name, REKLAME.read_bytes())},
        **clerk.headers,
    )
    assert denied.status_code == 403
    swalayan = client.post(
        "/api/v1/standards/import",
        {"office": office.slug, "file": SimpleUploadedFile(SWALAYAN.name, SWALAYAN.read_bytes())},
        **keeper.headers,
    ).json()
    mapped = keeper.post(
        f"/standards/{swalayan['service']}/role-map",
        {"office": office.slug, "name": "Kasubid Pelayanan", "roles": ["analis_muda"]},
    )
    assert mapped.status_code == 201 and mapped.json()["report"]["resolved_roles"] == {
        "Kasubid Pelayanan": ["analis_muda"]
    }
