"""The role codes of DESIGN §1: who does what in an office."""

from typing import Any

from django.db import models


class Role(models.TextChoices):
    PEMOHON = "pemohon", "Pemohon"
    FRONT_OFFICE = "front_office", "Petugas Front Office (loket)"
    BACK_OFFICE = "back_office", "Petugas Back Office"
    TIM_TEKNIS = "tim_teknis", "Tim Teknis"
    ANALIS_MUDA = "analis_muda", "JF Analis Kebijakan Ahli Muda"
    ANALIS_MADYA = "analis_madya", "JF Analis Kebijakan Ahli Madya"
    SEKRETARIS = "sekretaris", "Sekretaris"
    KEPALA_DINAS = "kepala_dinas", "Kepala Dinas"
    PENGELOLA_PENGADUAN = "pengelola_pengaduan", "Pejabat Fungsional Umum Sekretariat (pengelola pengaduan)"
    KEPALA_BIDANG = "kepala_bidang", "Kepala Bidang"
    KEPEGAWAIAN = "kepegawaian", "Subbagian Umum dan Kepegawaian"
    PENGELOLA_STANDAR = "pengelola_standar", "Pengelola Standar Pelayanan"
    BENDAHARA_PENERIMA = "bendahara_penerima", "Bendahara Penerima"
    ADMIN = "admin", "Admin"
    PEJABAT_PELINDUNGAN_DATA = "pejabat_pelindungan_data", "Pejabat Pelindungan Data Pribadi"


#: Roles held by office staff (everything but the applicant).
STAFF_ROLES: frozenset[str] = frozenset(r.value for r in Role if r is not Role.PEMOHON)

#: Built-in roles that may work an SOP step (the applicant submits and collects).
SOP_ROLES: frozenset[str] = frozenset(
    {
        Role.PEMOHON,
        Role.FRONT_OFFICE,
        Role.BACK_OFFICE,
        Role.TIM_TEKNIS,
        Role.ANALIS_MUDA,
        Role.ANALIS_MADYA,
        Role.SEKRETARIS,
        Role.KEPALA_DINAS,
        Role.BENDAHARA_PENERIMA,
    }
)


def office_roles(office: Any) -> dict[str, str]:
    """The office's own active roles: code → name (none without an office)."""
    if office is None or getattr(office, "pk", None) is None:
        return {}
    from satupintu.accounts.models import OfficeRole

    return dict(OfficeRole.objects.filter(office=office, active=True).values_list("code", "name"))


def office_role_codes(office: Any) -> frozenset[str]:
    """The role codes a standard loaded for ``office`` may name: the built-in SOP roles and the office's own."""
    return SOP_ROLES | frozenset(office_roles(office))


def role_name(code: str, office: Any = None) -> str:
    """The name of a role code: the built-in label, else the office's own name, else the code."""
    if code in Role.values:
        return str(Role(code).label)
    return office_roles(office).get(code, code)
