"""Template filters of the public pages: role names, rupiah, office-time dates, phone numbers."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone

from satupintu.accounts.roles import role_name
from satupintu.catalogue.fees import money
from satupintu.core.models import Office
from satupintu.core.validators import display_phone

register = template.Library()


@register.filter
def role_label(code: str, office: Any = None) -> str:
    """
    The Indonesian name of a role code (``front_office`` → ``Petugas Front Office (loket)``);
    ``{{ role|role_label:office }}`` names the office's own roles too.
    """
    return role_name(code, office)


@register.filter
def rupiah(amount: int | None) -> str:
    """Format an amount in rupiah the Indonesian way: ``Rp 150.000``; 0 is ``GRATIS``."""
    if amount is None:
        return "—"
    if amount == 0:
        return "GRATIS"
    return money(amount)


def _in_office_zone(value: dt.datetime, office: Office | None) -> dt.datetime:
    zone = ZoneInfo(office.time_zone) if office is not None else timezone.get_current_timezone()
    return timezone.localtime(value, zone)


@register.filter
def office_datetime(value: dt.datetime | None, office: Office | None = None) -> str:
    """A moment in the office's zone, the Indonesian way: ``12 Maret 2026 10.20 WIB``."""
    if value is None:
        return ""
    local = _in_office_zone(value, office)
    return f"{dateformat.format(local, 'j F Y H.i')} {local.tzname()}"


@register.filter
def office_date(value: dt.datetime | dt.date | None, office: Office | None = None) -> str:
    """A day in the office's zone: ``12 Maret 2026``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _in_office_zone(value, office)
    return dateformat.format(value, "j F Y")


@register.filter
def phone(value: str) -> str:
    """An E.164 number shown the national way (``0812-3456-7890``)."""
    return display_phone(value) if value else ""
