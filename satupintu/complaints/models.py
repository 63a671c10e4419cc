"""
Complaints, suggestions and input (*pengaduan, saran, dan masukan*): the *Buku Pengaduan*, its
hash-chained history, the categories (the Open311 services), the monthly report and its review.

Seed clause 6 j: complaints from every channel "akan dicatat dan dipilah oleh pejabat fungsional
umum pada Sekretariat ... dicatat dalam Buku Pengaduan yang terdiri dari tanggal pengaduan,
identitas pengadu, jenis pengaduan, dan bobot pengaduan". Status fields are written only by
``services.py``, each change with its ``ComplaintEvent`` in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Office, OfficeOwned


class Kind(models.TextChoices):
    """Jenis: what the person brings (the seed clause's title)."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    SUGGESTION = "saran", _("Saran")
    INPUT = "masukan", _("Masukan")


class Weight(models.TextChoices):
    """Bobot (seed b–e); the routing and deadline of each live in data/rules.yaml."""

    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class ComplaintChannel(models.TextChoices):
    """Seed a.1–a.4; the groups and the reply methods of each live in data/rules.yaml."""

    LETTER = "letter", _("Surat / tertulis")
    EMAIL = "email", _("Surel (e-mail)")
    WEBSITE = "website", _("Situs web")
    PHONE = "phone", _("Telepon")
    FAX = "fax", _("Faks")
    SMS = "sms", _("SMS")
    IN_PERSON = "in_person", _("Langsung / tatap muka")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima, menunggu dipilah")
    HANDLING = "handling", _("Ditangani petugas")
    COORDINATION = "coordination", _("Dalam koordinasi pimpinan")
    DECIDED = "decided", _("Keputusan dicatat, menunggu disampaikan")
    ANSWERED = "answered", _("Sudah ditanggapi")


class Rating(models.TextChoices):
    """The complainant's word on the answer (issue 14: "not satisfied" reopens it one level up)."""

    SATISFIED = "satisfied", _("Puas")
    NOT_SATISFIED = "not_satisfied", _("Tidak puas")


class ReplyMethod(models.TextChoices):
    LETTER = "letter", _("Surat balasan")
    PHONE = "phone", _("Telepon")
    FAX = "fax", _("Faks")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Surel (e-mail)")
    WEB = "web", _("Halaman status di situs web")
    IN_PERSON = "in_person", _("Langsung / tatap muka")


class ComplaintCategory(models.Model):
    """A subject of complaints; also an Open311 service (``code`` = ``service_code``)."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kantor",
        help_text="Kosong: kategori bawaan untuk semua kantor.",
    )
    code = models.SlugField("kode (service_code Open311)", max_length=60)
    name = models.CharField("nama", max_length=120)
    group = models.CharField("kelompok", max_length=60, blank=True)
    description = models.CharField("uraian", max_length=300, blank=True)
    keywords = models.JSONField("kata kunci", default=list, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "kategori pengaduan"
        verbose_name_plural = "kategori pengaduan"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code"], condition=Q(office__isnull=False), name="complaint_category_office"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(office__isnull=True), name="complaint_category_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: "ComplaintAttachment", filename: str) -> str:
    # No personal data in the stored name.
    return f"pengaduan/{instance.office_id}/{instance.complaint.ticket}/{instance.sha256[:16]}"


class Complaint(OfficeOwned):
    """One entry of the Buku Pengaduan."""

    ticket = models.CharField("nomor tiket", max_length=40, unique=True)
    access_code = models.CharField("kode akses", max_length=12)
    channel = models.CharField("media", max_length=12, choices=ComplaintChannel.choices)
    source = models.CharField(
        "sumber",
        max_length=200,
        blank=True,
        help_text="Mis. kotak saran, pos, formulir web, Open311, Message-ID surel.",
    )
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="kategori"
    )
    weight = models.CharField("bobot", max_length=10, choices=Weight.choices, blank=True)
    status = models.CharField(
        "status", max_length=15, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED, db_index=True
    )
    subject = models.CharField("perihal", max_length=200, blank=True)
    description = models.TextField("isi pengaduan")
    unit = models.CharField("bidang terkait", max_length=120, blank=True)

    anonymous = models.BooleanField("anonim", default=False)
    confidential = models.BooleanField(
        "dirahasiakan", default=False, help_text="Identitas hanya untuk petugas pengaduan."
    )
    complainant_name = models.CharField("nama pengadu", max_length=200, blank=True)
    complainant_phone = models.CharField("telepon pengadu (E.164)", max_length=20, blank=True)
    complainant_email = models.EmailField("surel pengadu", blank=True)
    complainant_address = models.TextField("alamat pengadu", blank=True)
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name="permohonan terkait",
    )
    application_number = models.CharField("nomor permohonan yang disebut", max_length=40, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField("lokasi", max_length=300, blank=True)
    open311_token = models.CharField(max_length=40, unique=True, null=True, blank=True)

    received_at = models.DateTimeField("tanggal pengaduan", db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField("dipilah", null=True, blank=True)
    due_at = models.DateTimeField("batas waktu tanggapan", null=True, blank=True)
    decided_at = models.DateTimeField("keputusan", null=True, blank=True)
    decision = models.TextField("keputusan / hasil koordinasi", blank=True)
    answered_at = models.DateTimeField("ditanggapi", null=True, blank=True)
    reply_method = models.CharField("cara menanggapi", max_length=10, choices=ReplyMethod.choices, blank=True)
    reply_text = models.TextField("tanggapan", blank=True)
    overdue_notified_at = models.DateTimeField("peringatan keterlambatan", null=True, blank=True)
    rating = models.CharField("penilaian pengadu", max_length=15, choices=Rating.choices, blank=True)
    rating_reason = models.TextField("alasan penilaian", blank=True)
    rated_at = models.DateTimeField("dinilai", null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField("dibuka kembali", default=0)
    # Publication (Open311, issue 13): nothing of the complaint's text is public until an officer
    # has reviewed it and written the public text, with personal data removed.
    public_text = models.TextField("teks publik (ditinjau)", blank=True)
    published_at = models.DateTimeField("dipublikasikan", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    event_seq = models.PositiveIntegerField("jumlah riwayat", default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengaduan"
        verbose_name_plural = "Buku Pengaduan"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "due_at"]),
            models.Index(fields=["office", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def identity_hidden(self) -> bool:
        """Whether the complainant's identity is withheld outside the complaint officers."""
        return self.anonymous or self.confidential


class ComplaintAttachment(OfficeOwned):
    """A scan of a letter or a file the complainant sent (checked by content on upload)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("berkas", upload_to=attachment_path, max_length=300)
    original_name = models.CharField("nama berkas asli", max_length=200)
    content_type = models.CharField("jenis isi", max_length=60)
    size = models.PositiveIntegerField("ukuran (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lampiran pengaduan"
        verbose_name_plural = "lampiran pengaduan"

    def __str__(self) -> str:
        return f"{self.complaint.ticket} {self.original_name}"


class AppendOnlyError(Exception):
    """A complaint history row was about to be changed or deleted."""


class ComplaintEvent(OfficeOwned):
    """
    One step in a complaint's history; append-only and hash-chained like the control card.

    The database refuses UPDATE and DELETE (migration 0002); ``hash`` covers the facts and the
    previous row's hash, so an altered, removed or reordered row is detectable.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("urutan")
    action = models.CharField("tindakan", max_length=30)
    from_status = models.CharField("dari status", max_length=15, blank=True)
    to_status = models.CharField("ke status", max_length=15)
    at = models.DateTimeField("waktu")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("pelaku", max_length=200)
    role = models.CharField("peran", max_length=40, blank=True)
    acting_for_name = models.CharField("atas nama (Plh.)", max_length=200, blank=True)
    note = models.TextField("catatan", blank=True)
    data = models.JSONField("rincian", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "riwayat pengaduan"
        verbose_name_plural = "riwayat pengaduan"
        ordering = ["complaint", "seq"]
        constraints = [models.UniqueConstraint(fields=["complaint", "seq"], name="complaint_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        # Integrity guard, not a business rule: history rows are written once.
        if not self._state.adding:
            raise AppendOnlyError("Riwayat pengaduan tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Riwayat pengaduan tidak boleh dihapus.")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Konsep (disusun pengelola pengaduan)")
    IN_REVIEW = "in_review", _("Diperiksa Sekretaris")
    RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
    APPROVED = "approved", _("Disetujui Sekretaris")
    SUBMITTED = "submitted", _("Diserahkan kepada Kepala Dinas")


class ComplaintReport(OfficeOwned):
    """The monthly *Laporan Pengaduan Pelayanan Publik* (seed j–k)."""

    year = models.PositiveSmallIntegerField("tahun")
    month = models.PositiveSmallIntegerField("bulan")
    status = models.CharField("status", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    revision = models.PositiveSmallIntegerField("perbaikan ke-", default=0)
    figures = models.JSONField("angka", default=dict)
    summary = models.TextField("uraian / analisis", blank=True)
    review_note = models.TextField("catatan pemeriksaan terakhir", blank=True)
    drafted_at = models.DateTimeField("disusun")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("disetujui", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField("diserahkan kepada Kepala Dinas", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "laporan pengaduan bulanan"
        verbose_name_plural = "laporan pengaduan bulanan"
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["office", "year", "month"], name="complaint_report_month")]

    def __str__(self) -> str:
        return f"Laporan pengaduan {self.month:02d}/{self.year}"


class ComplaintReportStep(models.Model):
    """One step of the report's review (drafted, sent for review, returned with notes, approved, submitted)."""

    report = models.ForeignKey(ComplaintReport, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("tindakan", max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    revision = models.PositiveSmallIntegerField("perbaikan ke-")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("pelaku", max_length=200)
    role = models.CharField("peran", max_length=40, blank=True)
    note = models.TextField("catatan", blank=True)
    at = models.DateTimeField("waktu")

    class Meta:
        verbose_name = "langkah pemeriksaan laporan"
        verbose_name_plural = "langkah pemeriksaan laporan"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Langkah pemeriksaan laporan tidak boleh diubah.")
        super().save(*args, **kwargs)


class Open311Key(OfficeOwned):
    """An Open311 client's ``api_key`` (only its SHA-256 is stored), needed to POST requests."""

    name = models.CharField("nama aplikasi klien", max_length=120)
    key_hash = models.CharField("SHA-256 kunci", max_length=64, unique=True)
    active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kunci API Open311"
        verbose_name_plural = "kunci API Open311"

    def __str__(self) -> str:
        return self.name
