"""
The kartu kendali: one immutable, hash-chained entry per completed SOP step.

Seed, Pengawasan internal c: "Setiap petugas wajib melakukan paraf dan tanggal penyerahan dan
penerimaan sesuai dengan alurnya. Dengan demikian akan dapat diketahui dimana letak kesalahan jika
terjadi keterlambatan". Each entry records who received the file when, who handed it on when
(the paraf), the outcome, and the working time taken against the step's time standard. Entries
are never updated or deleted (the database refuses it); each stores the hash of the previous
entry of the same application, so an altered history is detectable.
"""

from django.conf import settings
from django.db import models

from satupintu.core.models import OfficeOwned


class AppendOnlyError(Exception):
    """A control-card entry was about to be changed or deleted."""


class ControlCardEntry(OfficeOwned):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="card_entries", verbose_name="permohonan"
    )
    seq = models.PositiveIntegerField("urutan")
    step_number = models.PositiveSmallIntegerField("langkah")
    step_label = models.CharField("nomor langkah pada SOP", max_length=10)
    step_kind = models.CharField("jenis langkah", max_length=30)
    role = models.CharField("pelaksana", max_length=40)
    activity = models.CharField("kegiatan", max_length=300)
    received_at = models.DateTimeField("diterima")
    due_at = models.DateTimeField("batas waktu", null=True, blank=True)
    completed_at = models.DateTimeField("diserahkan")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="paraf",
    )
    actor_name = models.CharField("nama pemaraf", max_length=200)
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acting_for_name = models.CharField("atas nama (Plh.)", max_length=200, blank=True)
    outcome = models.CharField("hasil", max_length=30)
    note = models.TextField("catatan", blank=True)
    data = models.JSONField("rincian", default=dict, blank=True)
    time_standard = models.CharField("standar waktu", max_length=30)
    worked_seconds = models.PositiveIntegerField("waktu kerja terpakai (detik)")
    standard_seconds = models.PositiveIntegerField("standar waktu (detik kerja)", null=True, blank=True)
    late = models.BooleanField("terlambat", default=False)
    office_time = models.BooleanField(
        "dihitung sebagai waktu kantor", default=True, help_text="Salah bila berkas berada di tangan pemohon."
    )
    chain_version = models.PositiveSmallIntegerField(
        "versi rantai", null=True, blank=True, help_text="Kosong: entri lama (SHA-256 tanpa kunci)."
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "entri kartu kendali"
        verbose_name_plural = "kartu kendali"
        ordering = ["application", "seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="card_entry_seq_unique")]
        indexes = [
            models.Index(fields=["office", "completed_at"]),
            models.Index(fields=["actor", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} langkah {self.step_label} {self.outcome}"

    def save(self, *args, **kwargs):
        # Integrity guard, not a business rule: entries are written once.
        if not self._state.adding:
            raise AppendOnlyError("Entri kartu kendali tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Entri kartu kendali tidak boleh dihapus.")


class CardAnchor(OfficeOwned):
    """
    One daily anchor of an office's control cards: the heads (application, seq, hash) of every
    card that changed since the previous anchor, written to a file in the storage (outside the
    database) and signed with the office's anchor key.

    The file is the record; this row indexes it. Each anchor names the previous one's digest, so
    a removed anchor breaks the sequence. A card rewritten after it was anchored no longer holds
    the anchored hash at the anchored position, even when its chain was recomputed with the key.
    """

    seq = models.PositiveIntegerField("urutan")
    made_at = models.DateTimeField("dibuat")
    day = models.DateField("tanggal")
    last_entry_id = models.BigIntegerField("entri terakhir yang dicakup")
    heads = models.PositiveIntegerField("jumlah kartu")
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField("SHA-256 berkas", max_length=64, unique=True)
    signature = models.CharField("HMAC-SHA256 berkas", max_length=64)
    file_name = models.CharField("berkas", max_length=300)

    class Meta:
        verbose_name = "jangkar kartu kendali"
        verbose_name_plural = "jangkar kartu kendali"
        ordering = ["office", "seq"]
        constraints = [models.UniqueConstraint(fields=["office", "seq"], name="card_anchor_seq_unique")]

    def __str__(self) -> str:
        return f"{self.office_id} jangkar {self.seq} ({self.day})"

    def save(self, *args, **kwargs):
        # Integrity guard, not a business rule: anchors are written once.
        if not self._state.adding:
            raise AppendOnlyError("Jangkar kartu kendali tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Jangkar kartu kendali tidak boleh dihapus.")
