"""
The permit letter's Typst source per service, as the standards editor sets it, and its KONSEP
preview with sample data.

The office's template for one service is a ``DocumentTemplate`` row (kind ``permit``, the
service's code), the same rows the admin edits and ``rendering.template_source`` reads: for the
service, else for all the office's services, else the shipped ``typst/permit.typ``. A source is
saved only when it compiles with the sample data of the version it is previewed on, so a broken
template is refused at the field, not at signing time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, require
from satupintu.catalogue.models import ServiceStandardVersion
from satupintu.catalogue.schema import FormField, ServiceStandardSpec
from satupintu.catalogue.selectors import spec_of
from satupintu.core.audit import audit_record
from satupintu.core.errors import InvalidData
from satupintu.core.models import Office
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind, DocumentTemplate
from satupintu.documents.rendering import EMBLEM_FILE, RenderError, compile_pdf, default_source, office_emblem

#: Where the source in use comes from.
SOURCE_SERVICE, SOURCE_OFFICE, SOURCE_DEFAULT = "service", "office", "default"
#: The largest template source accepted (the shipped permit template is about 2 kB).
MAX_SOURCE = 100_000

_SAMPLE_BY_TYPE = {
    "date": "1990-05-15",
    "number": "1",
    "phone": "+6281234567890",
    "email": "pemohon@contoh.id",
    "nik": "1471015503900002",
    "textarea": "Jalan Contoh No. 1, Kelurahan Contoh",
    "checkbox": True,
}
_SAMPLE_BY_PURPOSE = {"applicant_name": "Nama Pemohon Contoh", "applicant_nik": "1471015503900002"}


@dataclass(frozen=True)
class PermitTemplate:
    source: str
    origin: str  # SOURCE_SERVICE, SOURCE_OFFICE or SOURCE_DEFAULT


def _sample_value(field: FormField) -> Any:
    if field.purpose in _SAMPLE_BY_PURPOSE:
        return _SAMPLE_BY_PURPOSE[field.purpose]
    if field.type == "select":
        return field.choices[0] if field.choices else ""
    return _SAMPLE_BY_TYPE.get(field.type, f"({field.label})")


def sample_data(spec: ServiceStandardSpec) -> dict[str, Any]:
    """Sample answers to the application form (not renewal-only questions), for the preview."""
    return {f.key: _sample_value(f) for f in spec.form_fields() if not f.renewal_only}


def permit_template_of(office: Office, service_code: str) -> PermitTemplate:
    """The permit letter's source in use for the service, and where it comes from."""
    rows = {
        row.service_code: row.source
        for row in DocumentTemplate.objects.filter(
            office=office, kind=DocumentKind.PERMIT, service_code__in={"", service_code}, active=True
        )
    }
    if service_code in rows:
        return PermitTemplate(rows[service_code], SOURCE_SERVICE)
    if "" in rows:
        return PermitTemplate(rows[""], SOURCE_OFFICE)
    return PermitTemplate(default_source(DocumentKind.PERMIT), SOURCE_DEFAULT)


def permit_preview_context(version: ServiceStandardVersion) -> dict[str, Any]:
    """The permit letter's data for a version with sample answers: no number, no QR, KONSEP."""
    spec = spec_of(version)
    office = version.office
    holder = SimpleNamespace(data=sample_data(spec), renewal=False)
    block = ctx.signature_block(office, None)
    data = ctx._base(office, title=spec.permit.title, draft=True)
    data.update(
        {
            "title": spec.permit.title,
            "number": "",
            "considerations": ctx._clause_texts(spec.legal_basis),
            "identity": ctx.identity_rows(spec, holder),  # type: ignore[arg-type]  # only data and renewal are read
            "service_name": spec.name,
            "product_name": spec.product.name,
            "grant_text": (
                f"sebagai bukti tertulis pemberian {spec.product.name} kepada yang bersangkutan untuk menjalankan "
                "pekerjaan/praktik pada tempat sebagaimana tersebut di atas."
            ),
            "validity_text": _validity_text(spec),
            "signature": {
                "place": ctx._place(office),
                "date": "",
                "title_lines": block.title_lines,
                "name": block.name,
                "rank": block.rank,
                "nip": block.nip,
                "note": "Ditandatangani secara elektronik",
            },
            "tembusan": ctx._tembusan(office, spec.code),
            "photo": {"file": "", "label": ctx.PHOTO_LABEL} if spec.permit.photo_requirement else None,
            "qr_svg": "",
            "verify_url": "",
            "esign_note": "",
        }
    )
    return data


def _validity_text(spec: ServiceStandardSpec) -> str:
    terms = spec.permit
    if terms.validity == "years" and terms.years:
        today = timezone.localdate()
        try:
            until = today.replace(year=today.year + terms.years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            until = today.replace(year=today.year + terms.years, day=28)
        return f"sampai dengan tanggal {ctx.tanggal(until)}"
    if terms.validity == "follows_str":
        return "sesuai masa berlaku STR pemegang izin"
    return "tanpa batas waktu"


def permit_preview_pdf(version: ServiceStandardVersion, *, source: str | None = None) -> bytes:
    """
    The permit letter of a version as KONSEP with sample data, with ``source`` or the template in
    use for the service. Raise RenderError when the source does not compile.
    """
    text = source if source is not None else permit_template_of(version.office, version.service.code).source
    data = permit_preview_context(version)
    emblem = office_emblem(version.office_id)
    data["emblem"] = f"/{EMBLEM_FILE}" if emblem else ""
    return compile_pdf(text, data, files={EMBLEM_FILE: emblem} if emblem else None)


def _checked(source: str, version: ServiceStandardVersion) -> str:
    source = source.replace("\r\n", "\n")
    if not source.strip():
        raise InvalidData(_("Periksa kembali templat."), {"source": _("Isi sumber Typst templat surat izin.")})
    if len(source) > MAX_SOURCE:
        raise InvalidData(_("Periksa kembali templat."), {"source": _("Templat terlalu panjang.")})
    if "data()" not in source:
        raise InvalidData(
            _("Periksa kembali templat."), {"source": _("Templat harus membaca data surat dengan data().")}
        )
    try:
        permit_preview_pdf(version, source=source)
    except RenderError as exc:
        raise InvalidData(_("Periksa kembali templat."), {"source": exc.message}) from None
    return source


@transaction.atomic
def permit_template_save(*, version: ServiceStandardVersion, source: str, actor: Any) -> DocumentTemplate:
    """
    Set the permit letter's Typst source for the version's service (the office's template for that
    service). Refused (InvalidData at ``source``) when it does not read data() or does not compile
    with the version's sample data. Audited with the previous and the new length.
    """
    office, code = version.office, version.service.code
    require(actor, Action.PREPARE_STANDARDS, office)
    source = _checked(source, version)
    row = (
        DocumentTemplate.objects.select_for_update()
        .filter(office=office, kind=DocumentKind.PERMIT, service_code=code)
        .first()
    )
    before = row.source if row is not None and row.active else ""
    if row is None:
        row = DocumentTemplate(office=office, kind=DocumentKind.PERMIT, service_code=code)
    row.source, row.active, row.updated_by = source, True, actor
    row.save()
    audit_record(
        action="document_template.save",
        office=office,
        actor=actor,
        target=f"service:{code}",
        kind=DocumentKind.PERMIT,
        previous_length=len(before),
        length=len(source),
        door="standards_editor",
    )
    return row


@transaction.atomic
def permit_template_reset(*, version: ServiceStandardVersion, actor: Any) -> None:
    """Switch off the service's own permit template: the office's (or the shipped) one applies again."""
    office, code = version.office, version.service.code
    require(actor, Action.PREPARE_STANDARDS, office)
    changed = DocumentTemplate.objects.filter(
        office=office, kind=DocumentKind.PERMIT, service_code=code, active=True
    ).update(active=False)
    if changed:
        audit_record(
            action="document_template.reset",
            office=office,
            actor=actor,
            target=f"service:{code}",
            kind=DocumentKind.PERMIT,
            door="standards_editor",
        )
