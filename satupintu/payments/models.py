"""
Bills (SKRD), payments, refunds and the day's exchange rates (docs/payments.md, ADR 0011).

A bill is issued once per application when the file reaches its payment step; its number is
taken from the office's ``skrd`` series inside that step's transaction (gap-free). A payment is
one receipt of money against a bill — through the gateway (its callback) or at the treasurer's
counter (with proof); ``(channel, reference)`` is unique, so a callback delivered twice records
one payment. A payment whose amount differs from the bill is kept, flagged, and pays nothing.
"""

from django.conf import settings
from django.db import models

from satupintu.applications.models import Application
from satupintu.core.models import OfficeOwned


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", "Belum dibayar"
    PAID = "paid", "Lunas"
    EXPIRED = "expired", "Kedaluwarsa (permohonan ditutup)"
    REFUNDED = "refunded", "Dikembalikan (restitusi)"


class PaymentChannel(models.TextChoices):
    GATEWAY = "gateway", "Bank / QRIS (gateway)"
    COUNTER = "counter", "Tunai di Bendahara Penerima"


class ExchangeRate(OfficeOwned):
    """The rupiah rate of a currency for one day, as the standard's conversion rule names it (KMK, BI)."""

    currency = models.CharField("mata uang", max_length=3)
    date = models.DateField("tanggal berlaku")
    rate = models.DecimalField("kurs (rupiah per satuan)", max_digits=14, decimal_places=2)
    source = models.CharField("sumber kurs", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField("dicatat")

    class Meta:
        verbose_name = "kurs harian"
        verbose_name_plural = "kurs harian"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["office", "currency", "date"], name="exchange_rate_unique")]


class Bill(OfficeOwned):
    """The SKRD of one application: number, amount, due date, legal basis and payment code."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="bill")
    number = models.CharField("nomor SKRD", max_length=80, unique=True)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    amount = models.PositiveBigIntegerField("jumlah (rupiah)")
    explanation = models.TextField("perhitungan")
    quote = models.JSONField("rincian perhitungan", default=dict)
    legal_basis = models.TextField("dasar hukum")
    payment_code = models.CharField("kode bayar / nomor virtual account", max_length=40, unique=True)
    qris = models.TextField("muatan QRIS", blank=True)
    gateway_reference = models.CharField("rujukan gateway", max_length=100, blank=True)
    issued_at = models.DateTimeField("diterbitkan")
    due_at = models.DateTimeField("jatuh tempo")
    reminded_at = models.DateTimeField("surat teguran", null=True, blank=True)
    closes_at = models.DateTimeField("batas setelah teguran", null=True, blank=True)
    status = models.CharField(max_length=10, choices=BillStatus.choices, default=BillStatus.UNPAID, db_index=True)
    paid_at = models.DateTimeField("dibayar", null=True, blank=True)

    class Meta:
        verbose_name = "SKRD"
        verbose_name_plural = "SKRD"
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["office", "year", "seq"], name="bill_number_unique")]

    def __str__(self) -> str:
        return self.number


def proof_path(instance: "Payment", filename: str) -> str:
    return f"bukti-bayar/{instance.office_id}/{instance.bill_id}-{instance.proof_sha256[:16]}.{instance.proof_type}"


class Payment(OfficeOwned):
    """Money received against a bill: from the gateway's callback or at the treasurer's counter."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(max_length=10, choices=PaymentChannel.choices)
    reference = models.CharField("rujukan transaksi", max_length=100)
    amount = models.PositiveBigIntegerField("jumlah (rupiah)")
    paid_at = models.DateTimeField("waktu bayar")
    recorded_at = models.DateTimeField("dicatat")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: False when the payment does not settle the bill (amount differs): kept for the treasurer.
    accepted = models.BooleanField("diterima", default=True)
    problem = models.CharField("masalah rekonsiliasi", max_length=300, blank=True)
    receipt_number = models.CharField("nomor tanda bukti pembayaran", max_length=80, blank=True)
    proof = models.FileField("bukti pembayaran", upload_to=proof_path, blank=True, max_length=300)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    proof_type = models.CharField(max_length=4, blank=True)
    payload = models.JSONField("isi callback", default=dict, blank=True)

    class Meta:
        verbose_name = "pembayaran"
        verbose_name_plural = "pembayaran"
        ordering = ["-paid_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "reference"], name="payment_reference_unique")]


class Refund(OfficeOwned):
    """Money paid back for a refused application (restitusi), recorded by the treasurer."""

    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, related_name="refund")
    amount = models.PositiveBigIntegerField("jumlah (rupiah)")
    reason = models.TextField("alasan")
    reference = models.CharField("rujukan (nomor SP2D / bukti transfer)", max_length=100)
    refunded_at = models.DateTimeField("dikembalikan")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "pengembalian retribusi"
        verbose_name_plural = "pengembalian retribusi"
