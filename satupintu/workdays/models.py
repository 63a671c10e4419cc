"""
The editable parts of the working calendar.

National holidays come from the ``holidays`` package and cuti bersama from the data file shipped
in ``data/``; these tables hold what an admin changes on top of them: national days the package
or file got wrong or does not know yet (``CalendarDay``), one office's closed or extra days
(``OfficeDayOverride``) and an office's opening hours (``OfficeHours``). The arithmetic lives in
``calendar.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Office


class CalendarDay(models.Model):
    """A national calendar correction valid for every office."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("libur nasional tambahan")
        CUTI_BERSAMA = "cuti_bersama", _("cuti bersama")
        NOT_HOLIDAY = "not_holiday", _("bukan hari libur (pembatalan)")

    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("nama"), max_length=200, help_text=_("Misalnya: Cuti Bersama Hari Raya Idul Fitri 1448 H")
    )
    reference = models.CharField(
        _("dasar hukum"),
        max_length=300,
        blank=True,
        help_text=_("Keputusan yang menetapkan, mis. SKB 3 Menteri Nomor … Tahun …"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("koreksi kalender nasional")
        verbose_name_plural = _("koreksi kalender nasional")
        ordering = ["date", "kind"]
        constraints = [models.UniqueConstraint(fields=["date", "kind"], name="workdays_calendarday_date_kind")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.name}"


class OfficeDayOverride(models.Model):
    """One office is closed on a day it would work, or works on a day it would not."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("kantor tutup")
        OPEN = "open", _("hari kerja tambahan")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="day_overrides", verbose_name=_("kantor"))
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("alasan"), max_length=200)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pengecualian hari kantor")
        verbose_name_plural = _("pengecualian hari kantor")
        ordering = ["office", "date"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date"], name="workdays_officedayoverride_office_date")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class OfficeHours(models.Model):
    """
    One opening period of an office on a weekday.

    Several rows on one weekday make a break between them (e.g. 08:00–12:00 and 13:00–16:00).
    An office without any row keeps the default schedule of ``calendar.DEFAULT_HOURS``.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="hours", verbose_name=_("kantor"))
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens_at = models.TimeField(_("buka"))
    closes_at = models.TimeField(_("tutup"))

    class Meta:
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        ordering = ["office", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="workdays_officehours_ordered"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="workdays_officehours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
