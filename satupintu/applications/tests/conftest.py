"""Fixtures for the lifecycle: an office with the seed services, one officer per role, an applicant."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings

from satupintu.accounts.roles import Role
from satupintu.applications import services
from satupintu.applications.models import Application
from satupintu.catalogue.loader import standard_files, standard_load_file

DATA = Path(__file__).parent / "data"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WIB = dt.timezone(dt.timedelta(hours=7))

RADIOGRAFER_DATA = {
    "nama_lengkap": "Rina Marlina, A.Md.Rad.",
    "nik": "1471015503900002",
    "tempat_lahir": "Pekanbaru",
    "tanggal_lahir": "1990-03-15",
    "jenis_kelamin": "Perempuan",
    "alamat": "Jalan Sudirman No. 1, Pekanbaru",
    "no_hp": "081234567890",
    "surel": "rina@example.com",
    "nomor_str": "RG00001234567890",
    "str_seumur_hidup": False,
    "str_berlaku_sampai": "2029-12-31",
    "tempat_kerja": "RSUD Arifin Achmad",
    "alamat_tempat_kerja": "Jalan Diponegoro No. 2, Pekanbaru",
}
PARAMEDIK_DATA = {
    **{
        k: RADIOGRAFER_DATA[k]
        for k in ("nama_lengkap", "nik", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "no_hp")
    },
    "nama_lengkap": "Agus Salim, A.Md.Pt.",
    "nik": "1471011001850003",
    "jenis_kelamin": "Laki-laki",
    "nomor_sertifikat_kompetensi": "ATR-2024-0099",
    "dokter_hewan_penyelia": "drh. Siti Aminah",
    "tempat_praktik": "Pos IB Rumbai",
    "alamat_tempat_praktik": "Jalan Yos Sudarso, Rumbai",
}
REKLAME_DATA = {"nama": "Toko Maju", "nik": "1471011001850003", "lokasi": "Jalan Riau No. 5", "ukuran": "2"}
FORM_DATA = {
    "izin-kerja-radiografer": RADIOGRAFER_DATA,
    "izin-praktik-paramedik-asisten-teknik-reproduksi": PARAMEDIK_DATA,
    "izin-reklame-kecil": REKLAME_DATA,
}


@pytest.fixture
def services_loaded(office):
    """Both seed services and the YAML-only third service, loaded into the office."""
    loaded = {}
    for path in [*standard_files(Path(settings.SATUPINTU_STANDARDS_DIR)), DATA / "izin-reklame-kecil.yaml"]:
        result = standard_load_file(office=office, path=path)
        loaded[result.service.code] = result.service
    return loaded


@pytest.fixture
def staff(office, make_user):
    """One officer per staff role in the office, named by role."""
    return {
        role.value: make_user(f"{role.value}-1", office=office, roles=[role.value])
        for role in Role
        if role is not Role.PEMOHON
    }


@pytest.fixture
def applicant(make_user):
    user = make_user("pemohon-1")
    user.full_name = "Rina Marlina"
    user.save()
    return user


def upload_all(application: Application, actor, *, skip=()):
    for requirement in services.spec_for(application).requirements_for(renewal=application.renewal):
        if requirement.key not in skip:
            services.document_attach(
                application=application,
                actor=actor,
                requirement_key=requirement.key,
                stream=io.BytesIO(PDF),
                filename=f"{requirement.key}.pdf",
            )


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


class Clock:
    """A test clock in office time (WIB) that only moves forward."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def tick(self, **delta) -> dt.datetime:
        self.now = self.now + dt.timedelta(**delta)
        return self.now
