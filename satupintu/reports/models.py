"""
The performance rollup: the control card summed per office, day, service, step and officer.

Derived data only, rebuilt from the card at any time (``rollup.py``); nothing else writes it and
no rule reads it but the report selectors. The card stays the record.
"""

from django.conf import settings
from django.db import models

from satupintu.catalogue.models import Service
from satupintu.core.models import Office


class CardDay(models.Model):
    """The office-time card entries completed on one office day, for one service, step and officer."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField("tanggal (waktu kantor)")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", db_index=False)
    step_label = models.CharField(max_length=10)
    step_kind = models.CharField(max_length=30)
    role = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    actor_name = models.CharField(max_length=200)
    handled = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    worked_sum = models.BigIntegerField()
    excess_sum = models.BigIntegerField(help_text="Waktu kerja melebihi standar pada entri terlambat (detik).")
    standard_seconds = models.PositiveIntegerField(null=True)
    #: Worked seconds as {bucket: count} (``rollup.bucket_of``): the percentiles' input.
    histogram = models.JSONField(default=dict)

    class Meta:
        verbose_name = "rekap kartu kendali harian"
        verbose_name_plural = "rekap kartu kendali harian"
        indexes = [models.Index(fields=["office", "day"], name="card_day_office_day")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} {self.step_label} {self.actor_name}: {self.handled}"


class SlaDay(models.Model):
    """Files of one service whose service clock ended on one office day, and how many by their due time."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField("tanggal (waktu kantor)")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", db_index=False)
    finished = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()

    class Meta:
        verbose_name = "rekap SLA harian"
        verbose_name_plural = "rekap SLA harian"
        indexes = [models.Index(fields=["office", "day"], name="sla_day_office_day")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} {self.service_id}: {self.on_time}/{self.finished}"


class RollupState(models.Model):
    """How far an office's rollup reaches: every day up to ``complete_through`` is summed."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="+", primary_key=True)
    complete_through = models.DateField("lengkap sampai dengan")
    last_entry_id = models.BigIntegerField("entri kartu terakhir yang terbaca")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "status rekap"
        verbose_name_plural = "status rekap"

    def __str__(self) -> str:
        return f"{self.office_id} ≤ {self.complete_through}"
