"""
Documents: office-editable templates, letter settings, issued (signed) permit files, revocations.

An issued file is immutable: the row is never updated and the stored file never overwritten; a
re-issue is a new version. Receipts, control cards and letters are rendered on request from the
current data and not stored.
"""

from django.conf import settings
from django.db import models

from satupintu.applications.models import Application, Permit
from satupintu.core.models import OfficeOwned


class DocumentKind(models.TextChoices):
    PERMIT = "permit", "Surat izin"
    RECEIPT = "receipt", "Tanda terima berkas"
    CARD = "card", "Kartu kendali"
    COMPLAINT_REPORT = "complaint_report", "Laporan pengaduan bulanan"
    SKM_REPORT = "skm_report", "Laporan survei kepuasan masyarakat"
    REFUSAL = "refusal", "Surat penolakan"
    RETURN = "return", "Surat pengembalian berkas"
    NOTICE = "notice", "Surat pemberitahuan"
    STANDARD = "standard", "Standar Pelayanan"
    SOP = "sop", "Diagram SOP"
    BAP = "bap", "Berita Acara Pemeriksaan"
    REVOCATION = "revocation", "Surat pencabutan izin"
    STANDARD_DECREE = "standard_decree", "Keputusan penetapan Standar Pelayanan"
    PLEDGE = "pledge", "Maklumat Pelayanan"
    SKRD = "skrd", "Surat Ketetapan Retribusi Daerah (SKRD)"
    PAYMENT_RECEIPT = "payment_receipt", "Tanda bukti pembayaran retribusi"
    REVENUE_REPORT = "revenue_report", "Laporan penerimaan retribusi"


class DocumentTemplate(OfficeOwned):
    """An office's own Typst source for a document kind (for all its services, or for one)."""

    kind = models.CharField("jenis dokumen", max_length=20, choices=DocumentKind.choices)
    service_code = models.CharField(
        "kode layanan", max_length=80, blank=True, help_text="Kosong: berlaku untuk semua layanan kantor."
    )
    source = models.TextField("templat (Typst)", help_text="Sumber Typst; data tersedia melalui data().")
    active = models.BooleanField("aktif", default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "templat dokumen"
        verbose_name_plural = "templat dokumen"
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "service_code"], name="document_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.service_code or '(semua layanan)'}"


class LetterSettings(OfficeOwned):
    """What an office's letters say around the body: emblem, place, signer's title, tembusan."""

    emblem_png = models.BinaryField(
        "lambang daerah (PNG)",
        blank=True,
        default=b"",
        help_text="Lambang daerah untuk kop surat: unggahan PNG/JPEG yang diperiksa lalu disimpan ulang sebagai PNG.",
    )
    place = models.CharField("tempat penetapan", max_length=80, blank=True, help_text="Mis. Pekanbaru")
    head_title = models.CharField(
        "jabatan penanda tangan",
        max_length=300,
        blank=True,
        help_text="Mis. KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KOTA PEKANBARU",
    )
    on_behalf_of = models.CharField(
        "atas nama (a.n.)",
        max_length=120,
        blank=True,
        help_text="Mis. WALI KOTA PEKANBARU, bila kewenangan dilimpahkan",
    )
    tembusan = models.JSONField("tembusan surat izin", default=list, blank=True)
    public_url = models.URLField(
        "alamat publik portal",
        blank=True,
        help_text="Awal alamat halaman verifikasi pada kode QR, mis. https://izin.pekanbaru.go.id",
    )

    class Meta:
        verbose_name = "pengaturan naskah dinas"
        verbose_name_plural = "pengaturan naskah dinas"
        constraints = [models.UniqueConstraint(fields=["office"], name="letter_settings_one_per_office")]

    def __str__(self) -> str:
        return f"Pengaturan naskah {self.office_id}"


def issued_path(instance: "IssuedDocument", filename: str) -> str:
    # No personal data in the stored name; the version and hash make every name new.
    name = f"{instance.application_id}-v{instance.version}-{instance.sha256[:16]}.pdf"
    return f"terbit/{instance.office_id}/{instance.kind}/{name}"


class IssuedDocument(OfficeOwned):
    """One issued, signed file (a permit version). Never updated; a re-issue adds a version."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="issued_documents")
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_documents")
    kind = models.CharField("jenis dokumen", max_length=20, choices=DocumentKind.choices)
    version = models.PositiveIntegerField("versi", default=1)
    file = models.FileField("berkas", upload_to=issued_path, max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField("ukuran (byte)")
    signed = models.BooleanField("bertanda tangan elektronik", default=False)
    signer_name = models.CharField("penanda tangan", max_length=200, blank=True)
    acting_for_name = models.CharField("atas nama pejabat", max_length=200, blank=True)
    issuer_text = models.CharField("penerbit sertifikat", max_length=300, blank=True)
    created_at = models.DateTimeField("diterbitkan")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "dokumen terbit"
        verbose_name_plural = "dokumen terbit"
        ordering = ["application", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "version"], name="issued_document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.application_id})"

    def save(self, *args, **kwargs):
        # An issued document is evidence: it is written once. A change is a new version.
        if self.pk is not None:
            raise ValueError("dokumen terbit tidak dapat diubah; terbitkan versi baru")
        super().save(*args, **kwargs)


class PermitRevocation(OfficeOwned):
    """The Kepala Dinas revoked a permit, with the reason (the permit's status becomes ``revoked``)."""

    permit = models.OneToOneField(Permit, on_delete=models.PROTECT, related_name="revocation")
    reason = models.TextField("alasan pencabutan")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField("dicabut pada")

    class Meta:
        verbose_name = "pencabutan izin"
        verbose_name_plural = "pencabutan izin"

    def __str__(self) -> str:
        return f"Pencabutan {self.permit_id}"


class PermitReplacement(OfficeOwned):
    """A renewal's permit replaced an earlier one (whose status becomes ``replaced``)."""

    old = models.OneToOneField(Permit, on_delete=models.PROTECT, related_name="replacement")
    new = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="replaces")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "penggantian izin"
        verbose_name_plural = "penggantian izin"

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"
