"""
Reads the staff pages need that ``applications.selectors`` does not offer yet.

Kept here, small and read-only, until they move to ``satupintu.applications.selectors`` (see the
staff issue's report): a document by its id for an officer, and the counter's unsubmitted drafts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can
from satupintu.applications.models import Application, Channel, Document, Status
from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.core.models import Office


def document_for_staff(*, pk: int, user: Any) -> Document:
    """
    The uploaded file, if the user may see personal data in its office now.

    NotFound for an unknown id; PermissionDenied for anyone who is not an officer of the
    document's office, or whose roles there do not cover personal data (as
    ``application_for_staff`` does for the application itself).
    """
    document = Document.objects.select_related("office", "application").filter(pk=pk).first()
    if document is None:
        raise NotFound(_("Berkas tidak ditemukan."))
    if not can(user, Action.VIEW_STAFF_PAGES, document.office):
        raise PermissionDenied(_("Anda bukan petugas kantor yang menangani berkas ini."))
    if not can(user, Action.VIEW_PERSONAL_DATA, document.office):
        raise PermissionDenied(_("Peran Anda tidak berwenang membuka berkas pemohon (data pribadi)."))
    return document


def counter_drafts(*, office: Office) -> QuerySet[Application]:
    """Files registered at the office's counter and not handed in yet, newest first."""
    return (
        Application.objects.filter(office=office, channel=Channel.COUNTER, status=Status.DRAFT)
        .select_related("service", "registered_by")
        .order_by("-created_at")
    )
