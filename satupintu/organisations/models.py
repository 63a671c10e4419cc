"""
Organisations that apply for permits (a hospital for its radiographers, a company for its sign)
and the people in them.

A person is in an organisation only through their own account: the organisation's admin invites
an account, the account accepts. Until it does, nobody can put that person's identity on a file
(``selectors.holder_check``). Every change is an audit row (``services``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from satupintu.core.models import Office
from satupintu.organisations.validators import validate_nib, validate_npwp


class OrganisationKind(models.TextChoices):
    RUMAH_SAKIT = "rumah_sakit", "Rumah sakit"
    KLINIK = "klinik", "Klinik"
    PUSKESMAS = "puskesmas", "Puskesmas"
    PERUSAHAAN = "perusahaan", "Perusahaan (PT/CV)"
    YAYASAN = "yayasan", "Yayasan"
    KOPERASI = "koperasi", "Koperasi"
    LAINNYA = "lainnya", "Lainnya"


class Organisation(models.Model):
    """An applicant that is not a person: it applies through its admins for its people or itself."""

    name = models.CharField("nama organisasi", max_length=200)
    kind = models.CharField("jenis", max_length=20, choices=OrganisationKind.choices)
    nib = models.CharField("NIB", max_length=13, blank=True, validators=[validate_nib])
    npwp = models.CharField("NPWP", max_length=16, blank=True, validators=[validate_npwp])
    address = models.TextField("alamat")
    registered_at_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="didaftarkan di loket kantor",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisasi"
        verbose_name_plural = "organisasi"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nib"], condition=~Q(nib=""), name="organisation_nib_unique"),
            models.UniqueConstraint(fields=["npwp"], condition=~Q(npwp=""), name="organisation_npwp_unique"),
            models.CheckConstraint(condition=~Q(nib="") | ~Q(npwp=""), name="organisation_has_nib_or_npwp"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    ADMIN = "admin", "Admin organisasi"
    MEMBER = "member", "Anggota"


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Diundang (menunggu persetujuan)"
    ACTIVE = "active", "Aktif"
    DECLINED = "declined", "Menolak undangan"
    ENDED = "ended", "Tidak lagi anggota"


#: Statuses of a membership that is still open (one per person and organisation).
OPEN_STATUSES = (MemberStatus.INVITED, MemberStatus.ACTIVE)


class Membership(models.Model):
    """A person's place in an organisation: invited by an admin, active once their account accepts."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField("peran", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    position = models.CharField("jabatan/pekerjaan", max_length=200, blank=True)
    status = models.CharField("status", max_length=10, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField("diundang")
    accepted_at = models.DateTimeField("disetujui", null=True, blank=True)
    ended_at = models.DateTimeField("berakhir", null=True, blank=True)

    class Meta:
        verbose_name = "anggota organisasi"
        verbose_name_plural = "anggota organisasi"
        ordering = ["organisation", "-role", "invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status__in=["invited", "active"]),
                name="organisation_member_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.organisation} ({self.get_status_display()})"
