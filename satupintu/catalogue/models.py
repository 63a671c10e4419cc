"""
Services and the versions of their standards.

A service standard is data (``standards/*.yaml``). Loading a file whose content changed makes a
new version; applications keep the version they started on, so a later change to the standard
never rewrites the rules of a file already in progress.
"""

from django.conf import settings
from django.db import models

from satupintu.core.models import OfficeOwned


class Service(OfficeOwned):
    """A service (jenis pelayanan) an office offers; its rules live in its standard versions."""

    code = models.SlugField("kode layanan", max_length=120)
    name = models.CharField("nama layanan", max_length=200)
    short_code = models.CharField("singkatan", max_length=30, blank=True)
    active = models.BooleanField("aktif", default=True)
    template = models.CharField(
        "disalin dari templat", max_length=120, blank=True, help_text="kode templat asal, bila layanan disalin"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "layanan"
        verbose_name_plural = "layanan"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="service_code_unique_per_office")]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    """Where a version stands in its approval (the transitions are the table in ``lifecycle.py``)."""

    DRAFT = "draft", "Konsep"
    IN_REVIEW = "in_review", "Diajukan untuk persetujuan"
    APPROVED = "approved", "Disetujui Kepala Dinas"
    PUBLISHED = "published", "Diumumkan"
    WITHDRAWN = "withdrawn", "Ditarik"


class ServiceStandardVersion(OfficeOwned):
    """
    One version of a service's standard: the whole definition as validated JSON.

    A version is prepared as a draft, sent for review, approved by the Kepala Dinas with the
    decree (Keputusan Kepala Dinas) that sets it, and published effective from a date. The
    definition of a version never changes; a change is a new version.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions", verbose_name="layanan")
    version = models.PositiveIntegerField("versi")
    checksum = models.CharField("sidik SHA-256 isi", max_length=64)
    definition = models.JSONField("definisi")
    search_text = models.TextField("teks pencarian", blank=True)
    source_path = models.CharField("berkas sumber", max_length=300, blank=True)
    loaded_at = models.DateTimeField("dimuat pada", auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField("status", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    sent_for_review_at = models.DateTimeField("diajukan pada", null=True, blank=True)
    sent_for_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("disetujui pada", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decree_number = models.CharField("nomor Keputusan Kepala Dinas", max_length=120, blank=True)
    decree_date = models.DateField("tanggal Keputusan", null=True, blank=True)
    published_at = models.DateTimeField("diumumkan pada", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_from = models.DateField("berlaku mulai", null=True, blank=True)
    review_note = models.TextField("catatan pemeriksaan", blank=True)
    import_report = models.JSONField(
        "laporan impor",
        null=True,
        blank=True,
        help_text="laporan pengimpor naskah (catalogue.importing), bila konsep ini berasal dari impor",
    )

    class Meta:
        verbose_name = "versi standar pelayanan"
        verbose_name_plural = "versi standar pelayanan"
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="standard_version_unique"),
        ]
        indexes = [models.Index(fields=["service", "status", "effective_from"], name="standard_version_current")]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"
