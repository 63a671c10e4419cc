"""
Applications (permohonan), their documents (berkas), permits and number series.

Status and step fields are written only by ``workflow.py`` (through ``services.py``), each change
with its control-card entry in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce

from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.core.models import Office, OfficeOwned
from satupintu.organisations.models import Organisation


class Status(models.TextChoices):
    DRAFT = "draft", "Draf (belum diajukan)"
    SUBMITTED = "submitted", "Menunggu pemeriksaan berkas"
    RETURNED = "returned", "Dikembalikan kepada pemohon untuk dilengkapi"
    IN_PROCESS = "in_process", "Sedang diproses"
    READY = "ready", "Selesai, siap diambil atau diunduh"
    COLLECTED = "collected", "Sudah diterima pemohon"
    REJECTED = "rejected", "Ditolak"
    WITHDRAWN = "withdrawn", "Dibatalkan oleh pemohon"
    LAPSED = "lapsed", "Ditutup: berkas tidak dilengkapi dalam batas waktu"
    AWAITING_PAYMENT = "awaiting_payment", "Menunggu pembayaran retribusi"
    UNPAID = "unpaid", "Ditutup: retribusi tidak dibayar dalam batas waktu"


FINAL_STATUSES = frozenset({Status.COLLECTED, Status.REJECTED, Status.WITHDRAWN, Status.LAPSED, Status.UNPAID})
#: A file in some office queue: neither a draft nor finished. The queues, the backlog and the
#: open-files index read these, so a status added to the lifecycle joins all of them at once.
OPEN_STATUSES = tuple(s for s in Status.values if s not in FINAL_STATUSES and s != Status.DRAFT)


class Channel(models.TextChoices):
    ONLINE = "online", "Daring (oleh pemohon)"
    COUNTER = "counter", "Loket (didaftarkan petugas)"


class Application(OfficeOwned):
    # Every step rewrites this row and its indexes: only those the queries need are kept
    # (docs/scale.md). The foreign keys below without an index are served by the indexes in Meta
    # that start with them (office, applicant) or read only by a PROTECT check when a user,
    # service or standard version is deleted (an admin's rare action).
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name="kantor", db_index=False
    )
    number = models.CharField("nomor registrasi", max_length=40, unique=True)
    tracking_code = models.CharField("kode pelacakan", max_length=12)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="applications", verbose_name="layanan", db_index=False
    )
    standard_version = models.ForeignKey(
        ServiceStandardVersion,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="versi standar",
        db_index=False,
    )
    channel = models.CharField("jalur", max_length=10, choices=Channel.choices)
    renewal = models.BooleanField("perpanjangan", default=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="akun pemohon",
        db_index=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Applying on behalf of an organisation: ``applicant`` is its admin who applied, ``holder`` the
    # member the permit names (their identity is the file's), or none with ``holder_is_organisation``.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="atas nama organisasi",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_applications",
        verbose_name="akun pemegang izin (bila bukan pemohon)",
    )
    holder_is_organisation = models.BooleanField("izin atas nama organisasi", default=False)
    # Brought to the counter by a proxy with a power of attorney (surat kuasa) to apply.
    proxy_name = models.CharField("nama kuasa yang mengajukan", max_length=200, blank=True)
    proxy_id_number = models.CharField("nomor identitas kuasa yang mengajukan", max_length=40, blank=True)
    applicant_name = models.CharField("nama pemohon", max_length=200)
    applicant_nik = models.CharField("NIK pemohon", max_length=16)
    applicant_phone = models.CharField("HP pemohon (E.164)", max_length=20, blank=True)
    applicant_email = models.EmailField("surel pemohon", blank=True)
    applicant_address = models.TextField("alamat pemohon", blank=True)
    data = models.JSONField("data permohonan", default=dict)

    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    current_step = models.PositiveSmallIntegerField("langkah saat ini", null=True, blank=True)
    current_role = models.CharField("peran langkah saat ini", max_length=40, blank=True)
    step_received_at = models.DateTimeField("langkah diterima", null=True, blank=True)
    step_due_at = models.DateTimeField("batas waktu langkah", null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    submitted_at = models.DateTimeField("pertama diajukan", null=True, blank=True)
    clock_started_at = models.DateTimeField("waktu layanan mulai (berkas lengkap)", null=True, blank=True)
    clock_paused_at = models.DateTimeField("waktu layanan berhenti", null=True, blank=True)
    due_at = models.DateTimeField("target selesai", null=True, blank=True)
    completed_at = models.DateTimeField("produk selesai", null=True, blank=True)
    closed_at = models.DateTimeField("ditutup", null=True, blank=True)

    return_reasons = models.JSONField("alasan pengembalian terakhir", default=list, blank=True)
    revision_note = models.TextField("catatan perbaikan terakhir", blank=True)
    rejection_reason = models.TextField("alasan penolakan", blank=True)
    withdrawal_reason = models.TextField("alasan pembatalan", blank=True)
    return_due_at = models.DateTimeField(
        "batas waktu melengkapi berkas",
        null=True,
        blank=True,
        help_text="Saat berkas dikembalikan: sampai kapan pemohon dapat melengkapinya sebelum permohonan ditutup.",
    )
    bap = models.JSONField("BAP tim teknis", default=dict, blank=True)

    card_seq = models.PositiveIntegerField("jumlah entri kartu kendali", default=0)
    card_head_hash = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "permohonan"
        verbose_name_plural = "permohonan"
        ordering = ["-created_at"]
        indexes = [
            # The queues (staff page, API, counts, backlog): open files of one office and role in
            # due order, read by keyset; only open files are in it, so finished ones cost nothing.
            models.Index(
                fields=["office", "current_role", "step_due_at", "step_received_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="application_queue_open",
            ),
            # An office's files by status and closing time (SKM population, counter drafts, reports).
            models.Index(fields=["office", "status", "closed_at"], name="application_office_status"),
            # When a file with a service clock finished (ready, else closed): the SLA report's
            # days not yet in the rollup (reports.selectors.sla_by_service_raw).
            models.Index(
                F("office"),
                Coalesce("completed_at", "closed_at"),
                condition=models.Q(due_at__isnull=False),
                name="application_finished",
            ),
            # The daily scan of returned files by their deadline (reminders, then closing).
            models.Index(
                fields=["return_due_at"],
                condition=models.Q(status=Status.RETURNED),
                name="application_return_due",
            ),
            # An applicant's own files, newest first.
            models.Index(fields=["applicant", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.service})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


def document_path(instance: "Document", filename: str) -> str:
    # The stored name carries no personal data; the original name is kept in a column.
    return (
        f"berkas/{instance.office_id}/{instance.application.number}/{instance.requirement_key}-{instance.sha256[:16]}"
    )


class Document(OfficeOwned):
    """One uploaded file for one requirement. A replacement keeps the old file (active=False)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    requirement_key = models.CharField("persyaratan", max_length=60)
    file = models.FileField("berkas", upload_to=document_path, max_length=300)
    original_name = models.CharField("nama berkas asli", max_length=200)
    content_type = models.CharField("jenis isi", max_length=60)
    size = models.PositiveIntegerField("ukuran (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField("berlaku", default=True)

    class Meta:
        verbose_name = "berkas"
        verbose_name_plural = "berkas"
        ordering = ["application", "requirement_key", "-uploaded_at"]
        indexes = [models.Index(fields=["application", "requirement_key", "active"])]

    def __str__(self) -> str:
        return f"{self.application.number} {self.requirement_key} {self.original_name}"


class PermitStatus(models.TextChoices):
    VALID = "valid", "Berlaku"
    REVOKED = "revoked", "Dicabut"
    REPLACED = "replaced", "Diganti (perpanjangan)"


class Permit(OfficeOwned):
    """The product: the permit letter's record, created when the number step assigns its number."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="permit")
    number = models.CharField("nomor surat izin", max_length=80)
    year = models.PositiveSmallIntegerField("tahun")
    seq = models.PositiveIntegerField("nomor urut")
    title = models.CharField("judul surat", max_length=200)
    holder_name = models.CharField("nama pemegang izin", max_length=200)
    issued_at = models.DateTimeField("diterbitkan")
    valid_until = models.DateField(
        "berlaku sampai", null=True, blank=True, help_text="Kosong: seumur hidup/tanpa batas."
    )
    verification_code = models.CharField("kode verifikasi", max_length=40, unique=True)
    status = models.CharField("status", max_length=10, choices=PermitStatus.choices, default=PermitStatus.VALID)
    holder_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permits",
        verbose_name="organisasi pemegang izin",
    )
    # Collected by a proxy with a power of attorney (surat kuasa): the record names both.
    proxy_name = models.CharField("nama kuasa yang mengambil", max_length=200, blank=True)
    proxy_id_number = models.CharField("nomor identitas kuasa", max_length=40, blank=True)

    class Meta:
        verbose_name = "surat izin"
        verbose_name_plural = "surat izin"
        # Numbers are unique per office: offices on one deployment share formats (issue 12).
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="permit_number_per_office")]

    def __str__(self) -> str:
        return self.number


class NumberSeries(OfficeOwned):
    """A gap-free counter per office, series and year (registration numbers, permit numbers)."""

    key = models.CharField("seri", max_length=120)
    year = models.PositiveSmallIntegerField("tahun")
    last_value = models.PositiveIntegerField("nomor terakhir", default=0)

    class Meta:
        verbose_name = "seri penomoran"
        verbose_name_plural = "seri penomoran"
        constraints = [models.UniqueConstraint(fields=["office", "key", "year"], name="number_series_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last_value}"


class SignatureState(models.TextChoices):
    PENDING = "pending", "Menunggu tanda tangan"
    SIGNING = "signing", "Sedang ditandatangani"
    SIGNED = "signed", "Ditandatangani"
    FAILED = "failed", "Gagal ditandatangani"


#: States of a signature request that still hold the sign step (the number is reserved).
SIGNATURE_OPEN = frozenset({SignatureState.PENDING, SignatureState.SIGNING, SignatureState.FAILED})


class SignatureRequest(OfficeOwned):
    """
    The Kepala Dinas's (or Plh's) approval at a sign step, waiting for its signed file (ADR 0009).

    Written with the permit's number in a short transaction; the worker renders and signs outside
    any lock and closes the step (card entry, events) only in the transaction that stores the
    signed file. ``file_name`` is written before the file is: a crash between writing the file and
    committing leaves a name the sweep can find and remove. A batch (one action of the Kepala
    Dinas, one BSrE credential entry) shares ``batch``; a single signature is a batch of one.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="signature_requests")
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="signature_requests")
    batch = models.CharField("kelompok tanda tangan", max_length=32, db_index=True)
    step_number = models.PositiveSmallIntegerField("langkah")
    outcome = models.CharField("hasil", max_length=40)
    role = models.CharField("peran", max_length=40)
    note = models.TextField("catatan", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField("diminta")
    state = models.CharField("keadaan", max_length=10, choices=SignatureState.choices, default=SignatureState.PENDING)
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    claim = models.CharField("tanda klaim pekerja", max_length=32, blank=True)
    started_at = models.DateTimeField("mulai ditandatangani", null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    file_name = models.CharField("nama berkas yang sedang ditulis", max_length=300, blank=True)
    error = models.TextField("galat terakhir", blank=True)

    class Meta:
        verbose_name = "permintaan tanda tangan"
        verbose_name_plural = "permintaan tanda tangan"
        ordering = ["requested_at", "id"]
        constraints = [
            # At most one open request per file: the number is reserved once, and retried, never re-taken.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state__in=["pending", "signing", "failed"]),
                name="signature_request_one_open",
            )
        ]
        indexes = [models.Index(fields=["state", "started_at"], name="signature_request_state")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.state}"


class IdempotencyRecord(models.Model):
    """
    The first answer to a step request sent with an ``Idempotency-Key`` (header or hidden field),
    kept until ``expires_at`` so that a retry after a lost answer gets it again instead of a 409.
    Written in the step's own transaction: the step and its remembered answer commit together.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("kunci", max_length=100)
    scope = models.CharField("permintaan", max_length=200)
    fingerprint = models.CharField("sidik isi permintaan", max_length=64)
    status = models.PositiveSmallIntegerField("kode jawaban", default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField("isi jawaban", blank=True, default=b"")
    location = models.CharField(max_length=500, blank=True)
    message = models.TextField("pesan halaman", blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "kunci idempotensi"
        verbose_name_plural = "kunci idempotensi"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
