"""Admin pages for the editable calendar; every save and delete goes through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from satupintu.workdays.models import CalendarDay, OfficeDayOverride, OfficeHours
from satupintu.workdays.services import calendar_row_delete, calendar_row_save

_WEEKDAYS = dict(OfficeHours.Weekday.choices)


class YearListFilter(admin.SimpleListFilter):
    title = _("tahun")
    parameter_name = "tahun"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class _ThroughServices(admin.ModelAdmin):
    """Save and delete through the calendar services so each change is validated and audited."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        calendar_row_save(row=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        calendar_row_delete(row=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for row in queryset:
            calendar_row_delete(row=row, actor=request.user)


@admin.display(description=_("hari"))
def weekday_name(obj: Model) -> str:
    return str(_WEEKDAYS[obj.date.weekday()])  # type: ignore[attr-defined]


@admin.register(CalendarDay)
class CalendarDayAdmin(_ThroughServices):
    list_display = ("date", weekday_name, "kind", "name", "reference", "created_by")
    list_filter = (YearListFilter, "kind")
    search_fields = ("name", "reference")
    date_hierarchy = "date"
    readonly_fields = ("created_by", "created_at", "updated_at")
    fields = ("date", "kind", "name", "reference", "created_by", "created_at", "updated_at")


@admin.register(OfficeDayOverride)
class OfficeDayOverrideAdmin(_ThroughServices):
    list_display = ("date", weekday_name, "office", "kind", "reason")
    list_filter = (YearListFilter, "kind", "office")
    search_fields = ("reason", "office__name")
    date_hierarchy = "date"
    list_select_related = ("office",)


@admin.register(OfficeHours)
class OfficeHoursAdmin(_ThroughServices):
    list_display = ("office", "weekday", "opens_at", "closes_at")
    list_filter = ("office", "weekday")
    list_select_related = ("office",)
