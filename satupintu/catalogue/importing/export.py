"""
Export a loaded standard as YAML that loads back unchanged (the same canonical checksum).

Offices share standards and keep them in version control this way: export, edit or copy, and
``load_standards`` (or the importer's browser upload) reads the file back.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from satupintu.catalogue.importing.serialise import spec_yaml
from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.selectors import spec_of
from satupintu.core.errors import NotFound
from satupintu.core.models import Office


def version_for_export(*, office: Office, code: str, version: int | None = None) -> ServiceStandardVersion:
    """The service's version ``version`` (the newest when None) in the office; NotFound otherwise."""
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan '%(code)s' tidak ditemukan.") % {"code": code})
    versions = service.versions.order_by("-version")
    found = versions.filter(version=version).first() if version is not None else versions.first()
    if found is None:
        raise NotFound(
            _("Layanan %(code)s tidak memiliki versi %(version)s.") % {"code": code, "version": version or "apa pun"}
        )
    return found


def export_standard(version: ServiceStandardVersion) -> str:
    """The version's standard as YAML that loads back to the same checksum."""
    spec = spec_of(version)
    header = [
        f"Standar Pelayanan {spec.name} — {version.office} — versi {version.version}",
        f"Diekspor dari satupintu; sidik SHA-256 isi: {version.checksum}",
    ]
    return spec_yaml(spec, header=header)
