"""
The documents that set a service standard: the Keputusan Kepala Dinas with the Standar Pelayanan
as its lampiran, and the Maklumat Pelayanan (PermenPANRB 15/2014), in the Tata Naskah Dinas
layout through the one renderer. A version not yet approved prints as KONSEP.
"""

from __future__ import annotations

from typing import Any

from satupintu.catalogue.models import ServiceStandardVersion, VersionStatus
from satupintu.catalogue.selectors import spec_of
from satupintu.documents import context as ctx
from satupintu.documents.models import DocumentKind
from satupintu.documents.rendering import render_pdf

#: The pledge's wording as PermenPANRB 15/2014 gives it.
PLEDGE = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
    "perundang-undangan yang berlaku."
)


def _signature(version: ServiceStandardVersion) -> dict[str, Any]:
    office = version.office
    block = ctx.signature_block(office, None)
    approver = version.approved_by
    name = (approver.full_name or approver.display_name) if approver is not None else block.name
    return {
        "place": ctx._place(office),
        "date": ctx.tanggal(version.decree_date, tz=office.time_zone) if version.decree_date else "",
        "title_lines": [f"KEPALA {office.name.upper()},"],
        "name": name,
        "rank": (approver.rank if approver is not None else "") or block.rank,
        "nip": ctx.format_nip(approver.nip) if approver is not None and approver.nip else block.nip,
    }


def _approved(version: ServiceStandardVersion) -> bool:
    return version.status in {VersionStatus.APPROVED, VersionStatus.PUBLISHED}


def decree_context(version: ServiceStandardVersion) -> dict[str, Any]:
    """The Keputusan Kepala Dinas that sets the version, with the standard as its lampiran."""
    spec = spec_of(version)
    office = version.office
    data = ctx.standard_context(spec, office)
    title = f"Keputusan Kepala {office.name} tentang Standar Pelayanan {spec.name}"
    data.update(ctx._base(office, title=title, draft=not _approved(version)))
    data.update(
        {
            "head_title": f"Kepala {office.name}",
            "service_name": spec.name,
            "decree_number": version.decree_number or "…",
            "decree_date": ctx.tanggal(version.decree_date, tz=office.time_zone) if version.decree_date else "…",
            "effective_from": (
                ctx.tanggal(version.effective_from, tz=office.time_zone) if version.effective_from else "ditetapkan"
            ),
            "legal_basis": ctx._clause_texts(spec.legal_basis),
            "signature": _signature(version),
            "title": f"STANDAR PELAYANAN {spec.name.upper()}",
        }
    )
    return data


def pledge_context(version: ServiceStandardVersion) -> dict[str, Any]:
    """The Maklumat Pelayanan the office displays with the standard."""
    spec = spec_of(version)
    office = version.office
    data = ctx._base(office, title=f"Maklumat Pelayanan {spec.name}", draft=not _approved(version))
    data.update({"service_name": spec.name, "pledge": PLEDGE, "signature": _signature(version)})
    return data


def decree_pdf(version: ServiceStandardVersion) -> bytes:
    return render_pdf(
        DocumentKind.STANDARD_DECREE,
        decree_context(version),
        office_id=version.office_id,
        service_code=version.service.code,
    )


def pledge_pdf(version: ServiceStandardVersion) -> bytes:
    return render_pdf(
        DocumentKind.PLEDGE, pledge_context(version), office_id=version.office_id, service_code=version.service.code
    )
