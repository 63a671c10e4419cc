"""
The notice outbox, its editable templates, and the office's to-do list of manual follow-ups.

Every notice is a row written in the same transaction as the event that caused it (a step, a
scan); a worker sends it later with retries. The row's ``idempotency_key`` is unique, so one
event for one application can never queue the same notice twice, and a sent notice is never sent
again. Status changes are made only by ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from satupintu.core.models import Office, OfficeOwned


class NoticeChannel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Surel"
    WHATSAPP = "whatsapp", "WhatsApp"
    LETTER = "letter", "Surat (dikirim lewat pos oleh petugas)"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "Menunggu dikirim"
    SENDING = "sending", "Sedang dikirim"
    SENT = "sent", "Terkirim"
    FAILED = "failed", "Gagal"
    CANCELLED = "cancelled", "Dibatalkan"


class Notice(OfficeOwned):
    """One message to one recipient on one channel, and the story of its delivery."""

    channel = models.CharField("saluran", max_length=10, choices=NoticeChannel.choices)
    recipient = models.CharField(
        "penerima", max_length=500, help_text="Nomor HP (E.164), alamat surel, atau alamat pos untuk surat."
    )
    recipient_name = models.CharField("nama penerima", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pengguna penerima",
    )
    event = models.CharField("peristiwa", max_length=60, db_index=True)
    template_key = models.CharField("templat", max_length=60)
    subject = models.CharField("judul", max_length=200, blank=True)
    text = models.TextField("isi")
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name="permohonan",
    )
    related_kind = models.CharField("jenis objek terkait", max_length=30, blank=True)
    related_id = models.CharField("id objek terkait", max_length=40, blank=True)

    status = models.CharField(
        "status", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    max_attempts = models.PositiveSmallIntegerField("percobaan maksimum", default=6)
    next_attempt_at = models.DateTimeField("percobaan berikutnya", null=True, blank=True)
    claimed_at = models.DateTimeField("mulai dikirim", null=True, blank=True)
    last_error = models.TextField("galat terakhir", blank=True)
    sent_at = models.DateTimeField("terkirim", null=True, blank=True)
    provider_message_id = models.CharField("id pesan penyedia", max_length=200, blank=True)
    idempotency_key = models.CharField("kunci idempoten", max_length=200, unique=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pemberitahuan"
        verbose_name_plural = "pemberitahuan (kotak keluar)"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notice_due"),
            models.Index(fields=["office", "-created_at"], name="notice_office_recent"),
        ]

    def __str__(self) -> str:
        # No recipient here: lists and logs show a notice without the person's number or address.
        return f"{self.get_channel_display()} {self.event} #{self.pk} ({self.get_status_display()})"


class NoticeTemplate(models.Model):
    """
    The words of one notice on one channel; ``office`` empty = the default for every office.

    ``subject`` and ``body`` take ``{placeholders}`` (``templates.PLACEHOLDERS`` lists them).
    """

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kantor",
        help_text="Kosong: templat bawaan untuk semua kantor.",
    )
    key = models.CharField("peristiwa", max_length=60)
    channel = models.CharField("saluran", max_length=10, choices=NoticeChannel.choices)
    subject = models.CharField("judul", max_length=200, blank=True)
    body = models.TextField("isi")
    active = models.BooleanField("aktif", default=True, help_text="Nonaktif: pemberitahuan ini tidak dikirim.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "templat pemberitahuan"
        verbose_name_plural = "templat pemberitahuan"
        ordering = ["key", "channel", "office"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "key", "channel"], condition=Q(office__isnull=False), name="notice_template_office"
            ),
            models.UniqueConstraint(
                fields=["key", "channel"], condition=Q(office__isnull=True), name="notice_template_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_channel_display()}{', ' + str(self.office) if self.office_id else ''})"


class OfficeTask(OfficeOwned):
    """
    A manual follow-up in a role's queue that the system cannot do itself (post a letter).

    ``key`` makes creation idempotent (a scan run twice adds one task).
    """

    role = models.CharField("peran", max_length=40)
    kind = models.CharField("jenis", max_length=40)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_tasks",
        verbose_name="permohonan",
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name="pemberitahuan"
    )
    title = models.CharField("tugas", max_length=200)
    detail = models.TextField("rincian", blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    due_at = models.DateTimeField("batas waktu", null=True, blank=True)
    done_at = models.DateTimeField("selesai", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diselesaikan oleh",
    )

    class Meta:
        verbose_name = "tugas kantor"
        verbose_name_plural = "tugas kantor"
        ordering = ["done_at", "due_at", "created_at"]
        indexes = [models.Index(fields=["office", "role", "done_at"], name="office_task_queue")]

    def __str__(self) -> str:
        return self.title
