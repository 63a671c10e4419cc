"""The role codes of DESIGN §1: who does what in an office."""

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
    BENDAHARA_PENERIMA = "bendahara_penerima", "Bendahara Penerima"
    ADMIN = "admin", "Admin"


#: Roles held by office staff (everything but the applicant).
STAFF_ROLES: frozenset[str] = frozenset(r.value for r in Role if r is not Role.PEMOHON)
