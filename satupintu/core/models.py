"""
The office (tenant) and the base every office-owned row extends.

One deployment serves many offices; every domain row belongs to exactly one office, so every
query that serves a user is filtered by an office the user has a role in.
"""

from django.db import models

from satupintu.core.validators import validate_nip, validate_phone


class Office(models.Model):
    """A DPMPTSP office: the tenant of every domain row."""

    slug = models.SlugField("kode kantor", max_length=60, unique=True)
    name = models.CharField("nama kantor", max_length=200)
    region = models.CharField("kabupaten/kota", max_length=120, help_text="Misalnya: Kota Pekanbaru")
    region_code = models.CharField("kode wilayah", max_length=10, blank=True, help_text="Kode Kemendagri, mis. 14.71")
    address = models.CharField("alamat", max_length=300)
    postal_code = models.CharField("kode pos", max_length=10, blank=True)
    phone = models.CharField("telepon", max_length=40, blank=True, help_text="Sebagaimana dicetak, mis. (0761) 28262")
    fax = models.CharField("faks", max_length=40, blank=True)
    sms = models.CharField("nomor SMS", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("surel", blank=True)
    website = models.CharField("situs web", max_length=200, blank=True)
    letterhead_lines = models.JSONField(
        "baris kop surat",
        default=list,
        blank=True,
        help_text="Baris-baris kop surat dari atas ke bawah, mis. PEMERINTAH KOTA PEKANBARU, nama dinas, alamat.",
    )
    time_zone = models.CharField("zona waktu", max_length=60, default="Asia/Jakarta")
    registration_prefix = models.CharField(
        "awalan nomor registrasi",
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text="Huruf besar, unik antarkantor, mis. PKU → PKU-2026-000123. Kosong: kode kantor.",
    )
    head_name = models.CharField("nama kepala dinas", max_length=200, blank=True)
    head_rank = models.CharField("pangkat/golongan kepala dinas", max_length=120, blank=True)
    head_nip = models.CharField("NIP kepala dinas", max_length=21, blank=True, validators=[validate_nip])
    cuti_bersama_is_working = models.BooleanField(
        "cuti bersama dihitung hari kerja",
        default=False,
        help_text="Kantor yang melayani publik langsung boleh tetap buka pada hari cuti bersama.",
    )
    return_deadline_days = models.PositiveSmallIntegerField(
        "batas waktu melengkapi berkas (hari kerja)",
        null=True,
        blank=True,
        help_text=(
            "Berkas yang dikembalikan kepada pemohon ditutup bila tidak diajukan kembali dalam sekian hari kerja. "
            "Kosong: tanpa batas waktu. Standar pelayanan suatu layanan dapat menetapkan batasnya sendiri."
        ),
    )
    return_reminder_days = models.PositiveSmallIntegerField(
        "pengingat sebelum batas waktu (hari kerja)",
        default=3,
        help_text="Pemohon diingatkan sekian hari kerja sebelum batas waktu melengkapi berkas; 0: tanpa pengingat.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kantor"
        verbose_name_plural = "kantor"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeOwned(models.Model):
    """Abstract base for every domain row: it belongs to one office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kantor")

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """
    One administrative change, written in the same transaction as the change itself.

    Workflow steps have their own trail (the control card); this records the rest: roles granted,
    Plh appointed, standards loaded, calendar edited. Append-only.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="pelaku"
    )
    action = models.CharField("tindakan", max_length=80)
    target = models.CharField("objek", max_length=200, blank=True)
    data = models.JSONField("rincian", default=dict, blank=True)
    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class AccessKind(models.TextChoices):
    """Which door a person's data was read through (the access log's "what")."""

    APPLICATION_PAGE = "application_page", "Halaman permohonan (petugas)"
    API_DETAIL = "api_detail", "Rincian permohonan melalui API"
    DOCUMENT = "document", "Berkas unggahan"
    PERMIT = "permit", "Surat izin bertanda tangan"
    PERMIT_DRAFT = "permit_draft", "KONSEP surat izin"
    ADMIN_USER = "admin_user", "Halaman admin: akun pengguna"
    EXPORT = "export", "Ekspor (XLSX/CSV)"
    SEARCH = "search", "Hasil pencarian dengan NIK"
    COMPLAINT = "complaint", "Rincian pengaduan"


class PersonalDataAccess(models.Model):
    """
    One read of one person's data by someone else (UU 27/2022): who, what, when, why, from where.

    Written by ``satupintu.core.privacy.personal_read`` at every door that shows personal data; the
    office's data protection officer searches and exports it, and the person sees the reads of
    their own data. Append-only.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="pembaca"
    )
    actor_name = models.CharField("nama pembaca", max_length=200, blank=True)
    roles = models.CharField("peran pembaca saat itu", max_length=300, blank=True)
    kind = models.CharField("jenis akses", max_length=20, choices=AccessKind.choices)
    target = models.CharField("objek", max_length=200, blank=True)
    fields = models.JSONField("data yang terbaca", default=list, blank=True)
    purpose = models.CharField("tujuan", max_length=300, blank=True)
    subject = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="pemilik data"
    )
    subject_nik = models.CharField("NIK pemilik data", max_length=16, blank=True, db_index=True)
    subject_name = models.CharField("nama pemilik data", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    path = models.CharField("alamat halaman", max_length=300, blank=True)

    class Meta:
        verbose_name = "akses data pribadi"
        verbose_name_plural = "akses data pribadi"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "at"]), models.Index(fields=["office", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.kind} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Catatan akses data pribadi tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Catatan akses data pribadi tidak boleh dihapus.")
