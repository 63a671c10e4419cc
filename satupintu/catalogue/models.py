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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "layanan"
        verbose_name_plural = "layanan"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="service_code_unique_per_office")]

    def __str__(self) -> str:
        return self.name


class ServiceStandardVersion(OfficeOwned):
    """One loaded version of a service's standard: the whole definition as validated JSON."""

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

    class Meta:
        verbose_name = "versi standar pelayanan"
        verbose_name_plural = "versi standar pelayanan"
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="standard_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"
