"""
Who read a person's data (UU 27/2022 Pelindungan Data Pribadi): the access log.

Every door that shows a person's data to someone else — the officer's application page, the API
detail, an uploaded file, the signed permit and its KONSEP, the admin's user page, an export,
search results found by NIK, a complaint's identity — calls ``personal_read`` once per request,
with the people whose data it shows. It appends one ``PersonalDataAccess`` row per person: who
(the user, their name and roles then), what (the door, the object, which fields), when, why (the
purpose the door states) and from where (the client address and the path, taken from the request
being served). A person reading their own data is not recorded: the log is of reads by others.

The office's data protection officer (``pejabat_pelindungan_data``) searches and exports the log
(``access_search``, ``access_csv``, ``access_xlsx``); a person sees the reads of their own data
(``accesses_of_person``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.models import AccessKind, Office, PersonalDataAccess

#: Why each door reads personal data, unless the caller names a more precise purpose.
PURPOSES: dict[str, Any] = {
    AccessKind.APPLICATION_PAGE: gettext_lazy("Memproses atau memeriksa permohonan"),
    AccessKind.API_DETAIL: gettext_lazy("Memproses atau memeriksa permohonan (API)"),
    AccessKind.DOCUMENT: gettext_lazy("Memeriksa berkas persyaratan"),
    AccessKind.PERMIT: gettext_lazy("Membuka surat izin yang terbit"),
    AccessKind.PERMIT_DRAFT: gettext_lazy("Memeriksa KONSEP surat izin"),
    AccessKind.ADMIN_USER: gettext_lazy("Administrasi akun pengguna"),
    AccessKind.EXPORT: gettext_lazy("Ekspor data"),
    AccessKind.SEARCH: gettext_lazy("Mencari permohonan dengan NIK"),
    AccessKind.COMPLAINT: gettext_lazy("Menangani pengaduan"),
}


@dataclass(frozen=True)
class Subject:
    """A person whose data is read: their account (if any), NIK and name as the door shows them."""

    user_id: int | None = None
    nik: str = ""
    name: str = ""

    @classmethod
    def of_user(cls, user: Any) -> Subject:
        return cls(user_id=user.pk, nik=getattr(user, "nik", "") or "", name=getattr(user, "display_name", "") or "")


@dataclass(frozen=True)
class _Origin:
    ip: str | None
    path: str


_origin: ContextVar[_Origin | None] = ContextVar("satupintu_access_origin", default=None)

#: ``roles(user, office) -> iterable of role codes``; set by the accounts app when it is ready
#: (core sits below accounts and cannot import it).
roles_provider: Callable[[Any, Office], Iterable[str]] | None = None


class AccessOriginMiddleware:
    """Remember the client address and path of the request being served, for ``personal_read``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


def origin_of(request: HttpRequest) -> _Origin:
    address = (request.META.get("REMOTE_ADDR") or "").strip()[:45] or None
    return _Origin(ip=address, path=request.path[:300])


def personal_read(
    *,
    actor: Any,
    kind: str,
    office: Office | None,
    subjects: Iterable[Subject],
    target: str = "",
    fields: Iterable[str] = (),
    purpose: str = "",
    request: HttpRequest | None = None,
) -> list[PersonalDataAccess]:
    """
    Record that ``actor`` read the data of each of ``subjects`` through the door ``kind``.

    Call it where the data is handed out, once per request. A subject who is the actor (a person
    reading their own file) is skipped, and so is a repeated subject. The address and path come from
    ``request`` or the request being served (``AccessOriginMiddleware``); outside a request they
    are empty. Returns the rows written.
    """
    if kind not in AccessKind.values:
        raise ValueError(f"unknown access kind {kind!r}")
    origin = origin_of(request) if request is not None else _origin.get()
    actor_id = getattr(actor, "pk", None)
    roles: list[str] = []
    if actor_id is not None and office is not None and roles_provider is not None:
        roles = sorted(roles_provider(actor, office))
    seen: set[tuple[int | None, str, str]] = set()
    rows = []
    for subject in subjects:
        key = (subject.user_id, subject.nik, subject.name)
        if key in seen or (actor_id is not None and subject.user_id == actor_id):
            continue
        seen.add(key)
        rows.append(
            PersonalDataAccess(
                office=office,
                actor=actor if actor_id is not None else None,
                actor_name=str(getattr(actor, "display_name", "") or "")[:200] if actor_id else _("Sistem"),
                roles=",".join(roles)[:300],
                kind=kind,
                target=target[:200],
                fields=sorted(set(fields)),
                purpose=str(purpose or PURPOSES[kind])[:300],
                subject_id=subject.user_id,
                subject_nik=subject.nik[:16],
                subject_name=subject.name[:200],
                ip_address=origin.ip if origin else None,
                path=origin.path if origin else "",
            )
        )
    return PersonalDataAccess.objects.bulk_create(rows)


# --- reading the log ---------------------------------------------------------------------------------


def _day_start(office: Office, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(office.time_zone))


def access_search(
    *,
    office: Office,
    person: str = "",
    official: str = "",
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    kind: str = "",
) -> QuerySet[PersonalDataAccess]:
    """
    The office's access log (and the admin's reads, which belong to no office), newest first.
    ``person`` matches the subject's NIK (16 digits, exact) or any part of their name;
    ``official`` any part of the reader's name, or their username; the period is in office
    dates, inclusive; ``kind`` one door. The caller checks the viewer may read it.
    """
    # Reads through the admin belong to no office (the admin serves the whole deployment): every
    # office's officer sees them.
    rows = PersonalDataAccess.objects.filter(Q(office=office) | Q(office__isnull=True)).select_related("actor")
    person = " ".join(person.split())
    if person:
        rows = rows.filter(subject_nik=person) if person.isdigit() else rows.filter(subject_name__icontains=person)
    official = " ".join(official.split())
    if official:
        rows = rows.filter(Q(actor_name__icontains=official) | Q(actor__username__iexact=official))
    if period_from is not None:
        rows = rows.filter(at__gte=_day_start(office, period_from))
    if period_to is not None:
        rows = rows.filter(at__lt=_day_start(office, period_to + dt.timedelta(days=1)))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-at", "-pk")


def accesses_of_person(user: Any) -> QuerySet[PersonalDataAccess]:
    """The reads of ``user``'s data by others, newest first (the person's own right of access)."""
    match = Q(subject=user)
    if getattr(user, "nik", ""):
        match |= Q(subject__isnull=True, subject_nik=user.nik)
    return PersonalDataAccess.objects.filter(match).select_related("office").order_by("-at", "-pk")


def person_entries(user: Any, *, role_label: Callable[[str], str] = str, limit: int = 500) -> list[dict[str, Any]]:
    """
    What a person is shown of the reads of their data (page and API alike): when, which office,
    who (name and roles then), through which door, which object and fields, and why. The
    reader's address and path are for the data protection officer, not shown here.
    """
    return [
        {
            "at": row.at,
            "office": row.office.name if row.office else "",
            "office_slug": row.office.slug if row.office else "",
            "time_zone": row.office.time_zone if row.office else "Asia/Jakarta",
            "reader": row.actor_name,
            "roles": [role_label(code) for code in row.roles.split(",") if code],
            "kind": row.kind,
            "kind_text": kind_label(row.kind),
            "target": row.target,
            "target_text": target_text(row.target),
            "fields": list(row.fields),
            "purpose": row.purpose,
        }
        for row in accesses_of_person(user)[:limit]
    ]


#: How a person reads the object of an access (``application:PKU-2026-000001`` → "Permohonan PKU-…").
TARGETS: dict[str, Any] = {
    "application": gettext_lazy("Permohonan %(id)s"),
    "permit": gettext_lazy("Surat izin %(id)s"),
    "document": gettext_lazy("Berkas persyaratan (unggahan)"),
    "complaint": gettext_lazy("Pengaduan %(id)s"),
    "complaint_attachment": gettext_lazy("Lampiran pengaduan"),
    "complaint_report": gettext_lazy("Laporan pengaduan bulanan"),
    "search": gettext_lazy("Hasil pencarian"),
    "access_log": gettext_lazy("Catatan akses data pribadi"),
    "accounts.user": gettext_lazy("Akun Anda"),
}


def target_text(target: str) -> str:
    kind, _sep, rest = target.partition(":")
    template = TARGETS.get(kind)
    return str(template) % {"id": rest.split(":")[0]} if template is not None else target


def kind_label(kind: str) -> str:
    return str(AccessKind(kind).label) if kind in AccessKind.values else kind


COLUMNS = [
    gettext_lazy("Waktu"),
    gettext_lazy("Pembaca"),
    gettext_lazy("Peran"),
    gettext_lazy("Jenis akses"),
    gettext_lazy("Objek"),
    gettext_lazy("Data"),
    gettext_lazy("Tujuan"),
    gettext_lazy("NIK pemilik data"),
    gettext_lazy("Nama pemilik data"),
    gettext_lazy("Alamat IP"),
    gettext_lazy("Halaman"),
]


def _rows(rows: Iterable[PersonalDataAccess], office: Office) -> Iterator[list[str]]:
    zone = ZoneInfo(office.time_zone)
    for row in rows:
        yield [
            timezone.localtime(row.at, zone).strftime("%Y-%m-%d %H:%M:%S"),
            row.actor_name,
            row.roles,
            kind_label(row.kind),
            row.target,
            ", ".join(row.fields),
            row.purpose,
            row.subject_nik,
            row.subject_name,
            row.ip_address or "",
            row.path,
        ]


def _safe(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV/XLSX injection)."""
    return "'" + cell if cell[:1] in {"=", "+", "-", "@", "\t", "\r"} else cell


def access_csv(rows: Iterable[PersonalDataAccess], office: Office) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c) for c in COLUMNS])
    for line in _rows(rows, office):
        writer.writerow([_safe(cell) for cell in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def access_xlsx(rows: Iterable[PersonalDataAccess], office: Office) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Akses data pribadi")[:31]
    sheet.append([str(c) for c in COLUMNS])
    for line in _rows(rows, office):
        sheet.append([_safe(cell) for cell in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class PersonalReadAdminMixin:
    """
    For a ModelAdmin whose change page shows a person's data: each time the page is shown, one
    access row (kind ``admin_user`` unless ``access_kind`` says otherwise) for the person
    ``access_subject(obj)`` names, with ``access_fields`` as what was read.
    """

    access_kind: str = AccessKind.ADMIN_USER
    access_fields: tuple[str, ...] = ()

    def access_subject(self, obj: Any) -> Subject:
        return Subject.of_user(obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        obj = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if obj is not None:
            personal_read(
                actor=request.user,
                kind=self.access_kind,
                office=None,
                subjects=[self.access_subject(obj)],
                target=f"{obj._meta.label_lower}:{obj.pk}",
                fields=self.access_fields,
                request=request,
            )
        return response
