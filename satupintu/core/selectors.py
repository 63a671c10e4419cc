"""Reads of offices."""

from django.conf import settings
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.core.models import Office


def office_get(slug: str) -> Office:
    """The office with this slug; NotFound (Indonesian message) otherwise."""
    office = Office.objects.filter(slug=slug).first()
    if office is None:
        raise NotFound(_("Kantor '%(slug)s' tidak ditemukan.") % {"slug": slug})
    return office


def office_default() -> Office:
    """
    The office public pages show when a request names none: the configured one, else the only one.
    """
    office = Office.objects.filter(slug=settings.SATUPINTU_DEFAULT_OFFICE).first()
    if office is not None:
        return office
    offices = list(Office.objects.order_by("pk")[:2])
    if len(offices) == 1:
        return offices[0]
    raise NotFound(_("Kantor belum ditentukan."))
