"""
Import a published Standar Pelayanan as a draft standard, and export a standard as YAML.

``import_standard`` reads the document (the seeds' web-page text, a numbered list, an HTML table
export, or the text of a PDF or DOCX in any of these forms), writes a draft in the schema of
``standards/*.yaml`` and reports every role name it could not map, every step kind it guessed,
every line it could not place and every clause it had to fill. ``export_standard`` writes a
loaded version back as YAML that loads to the same checksum.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from satupintu.accounts.roles import office_role_codes
from satupintu.catalogue.importing.draft import build_definition
from satupintu.catalogue.importing.export import export_standard, version_for_export
from satupintu.catalogue.importing.extract import StandardImportError, document_lines
from satupintu.catalogue.importing.reader import read_document
from satupintu.catalogue.importing.report import ImportReport
from satupintu.catalogue.importing.serialise import spec_yaml
from satupintu.catalogue.loader import StandardFileError, parse_standard
from satupintu.catalogue.schema import ServiceStandardSpec

__all__ = [
    "ImportReport",
    "ImportResult",
    "StandardImportError",
    "export_standard",
    "import_standard",
    "role_map_parse",
    "version_for_export",
]


@dataclass(frozen=True)
class ImportResult:
    """The draft as YAML text, as validated data, and the report of what the import did."""

    yaml_text: str
    definition: ServiceStandardSpec
    report: ImportReport


def role_map_parse(text: str) -> dict[str, str | list[str]]:
    """
    Read an office's role-name mapping (YAML: ``Nama jabatan: kode`` or ``Nama: [kode, kode]``).

    Raise StandardImportError for anything else.
    """
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise StandardImportError(_("Peta peran bukan YAML yang sah: %(error)s") % {"error": exc}) from None
    if not isinstance(data, dict):
        raise StandardImportError(_("Peta peran harus berupa pemetaan nama jabatan ke kode peran."))
    result: dict[str, str | list[str]] = {}
    for name, codes in data.items():
        if isinstance(codes, str):
            result[str(name)] = codes
        elif isinstance(codes, list) and codes and all(isinstance(c, str) for c in codes):
            result[str(name)] = list(codes)
        else:
            raise StandardImportError(
                _("Peta peran: nilai untuk “%(name)s” harus kode peran atau daftar kode peran.") % {"name": name}
            )
    return result


def import_standard(
    data: bytes,
    filename: str,
    *,
    role_map: dict[str, str | list[str]] | None = None,
    publisher: str = "",
    implied_time: str = "1 hari",
    office: Any = None,
) -> ImportResult:
    """
    Read a published Standar Pelayanan and return a draft standard that the loader accepts.

    ``role_map`` maps the office's own names of officials to role codes (it is tried before the
    built-in names). ``publisher`` is used when the document does not name the office.
    ``implied_time`` is the time standard of a step the document implies but does not list
    (the radiographer seed's inspection). ``office``: the draft may name that office's own roles
    (the codes ``role_map`` maps to). Raise StandardImportError (in Indonesian) when the file cannot
    be read or holds no Standar Pelayanan.
    """
    lines, container = document_lines(data, filename)
    name = Path(filename).name
    report = ImportReport(source=name, form="", container=container)
    document = read_document(lines, report)
    report.form = document.form
    if not document.components and not document.orphans and not document.sop_rows:
        raise StandardImportError(
            _("Berkas %(name)s tidak memuat komponen Standar Pelayanan yang dikenali.") % {"name": name},
            code="not_a_standard",
        )
    definition = build_definition(
        document, filename=name, report=report, role_map=role_map, publisher=publisher, implied_time=implied_time
    )
    try:
        spec = ServiceStandardSpec.model_validate(definition, context={"roles": office_role_codes(office)})
    except ValidationError as exc:
        # Report it with the loader's messages (file: field: problem), in Indonesian.
        text = _yaml_unchecked(definition)
        try:
            parse_standard(text, path=name, office=office)
        except StandardFileError as error:
            raise StandardImportError(
                _("Draf hasil impor belum sah:\n%(problems)s") % {"problems": error.message}, code="invalid_draft"
            ) from None
        raise StandardImportError(str(exc), code="invalid_draft") from None
    header = [
        f"Draf hasil impor dari {name} ({document.form}, {container}) oleh pengimpor standar satupintu.",
        "Periksa laporan impor: peran yang belum dipetakan, jenis langkah yang ditebak, baris yang tidak",
        "ditempatkan, dan klausul yang diisi (provenance from_seed: false) sebelum standar ini dipakai.",
    ]
    return ImportResult(yaml_text=spec_yaml(spec, header=header), definition=spec, report=report)


def _yaml_unchecked(definition: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
