"""
Load service standard files into versioned rows.

Loading is idempotent: a file whose validated content equals the service's current version
changes nothing; any change makes a new version. An invalid file is refused with a message
naming the file, the field and the problem, in Indonesian.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from satupintu.accounts.permissions import office_today
from satupintu.accounts.roles import office_role_codes
from satupintu.catalogue.models import Service, ServiceStandardVersion, VersionStatus
from satupintu.catalogue.schema import ServiceStandardSpec
from satupintu.catalogue.selectors import spec_cache_clear
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError
from satupintu.core.models import Office


class StandardFileError(DomainError):
    """A standard file is not valid; ``problems`` lists (field, problem) pairs."""

    code = "invalid_standard"

    def __init__(self, path: str, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}: {field}: {problem}" if field else f"{path}: {problem}" for field, problem in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class LoadResult:
    service: Service
    version: ServiceStandardVersion
    created: bool


_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal (periksa ejaan nama kolom)",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "list_type": "harus berupa daftar",
    "model_type": "harus berupa pemetaan (kolom: nilai)",
    "dict_type": "harus berupa pemetaan (kolom: nilai)",
    "model_attributes_type": "harus berupa pemetaan (kolom: nilai)",
    "string_pattern_mismatch": "format tidak sesuai (huruf kecil, angka dan garis bawah)",
}


def _field_path(loc: Iterable[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _problem(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        return f"harus salah satu dari: {ctx.get('expected', '')}"
    if kind == "too_short":
        return f"minimal {ctx.get('min_length')} butir"
    if kind == "greater_than_equal":
        return f"minimal {ctx.get('ge')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def parse_standard(text: str, *, path: str = "<teks>", office: Office | None = None) -> ServiceStandardSpec:
    """
    Parse and validate the YAML text of a standard; raise StandardFileError on any problem.

    Step roles must be built-in role codes or, when ``office`` is given, that office's own roles.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        raise StandardFileError(path, [("", f"bukan YAML yang sah: {where}{getattr(exc, 'problem', exc)}")]) from None
    if not isinstance(data, dict):
        raise StandardFileError(path, [("", "isi berkas harus berupa pemetaan (kolom: nilai) di tingkat teratas")])
    try:
        return ServiceStandardSpec.model_validate(data, context={"roles": office_role_codes(office)})
    except ValidationError as exc:
        problems = [(_field_path(err["loc"]), _problem(err)) for err in exc.errors()]
        raise StandardFileError(path, problems) from None


def canonical_json(spec: ServiceStandardSpec) -> tuple[dict[str, Any], str]:
    """Return the definition as JSON-ready data and its SHA-256 over a canonical serialisation."""
    definition = spec.model_dump(mode="json")
    blob = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return definition, hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _strings(value: Any) -> Iterator[str]:
    """Every text of a standard a citizen would search, leaving out where clauses came from."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in {"provenance", "source"} and not key.endswith("_provenance"):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def version_create(
    *,
    service: Service,
    spec: ServiceStandardSpec,
    source_path: str,
    actor: Any,
    import_report: dict[str, Any] | None = None,
) -> ServiceStandardVersion | None:
    """
    Store ``spec`` as the service's next version, a draft; None when it equals the newest version.
    ``import_report`` is the importer's report, when the draft comes from an imported document.

    Call inside a transaction holding the service row.
    """
    definition, checksum = canonical_json(spec)
    newest = service.versions.order_by("-version").first()
    if newest is not None and newest.checksum == checksum:
        return None
    version = ServiceStandardVersion.objects.create(
        office=service.office,
        service=service,
        version=(newest.version + 1) if newest else 1,
        checksum=checksum,
        definition=definition,
        search_text=" ".join(_strings(definition)).lower(),
        source_path=source_path[:300],
        loaded_by=actor if getattr(actor, "pk", None) else None,
        status=VersionStatus.DRAFT,
        import_report=import_report,
    )
    spec_cache_clear()
    return version


@transaction.atomic
def standard_load(*, office: Office, text: str, path: str = "<teks>", loaded_by: Any = None) -> LoadResult:
    """
    Validate ``text`` and store it as the service's next version unless it equals the newest one.

    Create the service on first load. A file loaded this way (``load_standards``: the shipped
    seeds, an office's own files under version control) is published at once, effective today,
    without the approval of ``catalogue.services.standard_transition``; the audit records the load
    and the direct publication.
    """
    spec = parse_standard(text, path=path, office=office)
    service, _ = Service.objects.select_for_update().get_or_create(
        office=office, code=spec.code, defaults={"name": spec.name, "short_code": spec.short_code}
    )
    version = version_create(service=service, spec=spec, source_path=path, actor=loaded_by)
    if version is None:
        newest = service.versions.order_by("-version").first()
        assert newest is not None
        return LoadResult(service=service, version=newest, created=False)
    if (service.name, service.short_code) != (spec.name, spec.short_code):
        service.name, service.short_code = spec.name, spec.short_code
        service.save(update_fields=["name", "short_code"])
    audit_record(
        action="standard.load",
        office=office,
        actor=loaded_by,
        target=f"service:{service.code}",
        version=version.version,
        checksum=version.checksum,
        source=path,
    )
    now = timezone.now()
    version.status = VersionStatus.PUBLISHED
    version.published_at, version.effective_from = now, office_today(office, now)
    version.published_by = loaded_by if getattr(loaded_by, "pk", None) else None
    version.save(update_fields=["status", "published_at", "effective_from", "published_by"])
    audit_record(
        action="standard.publish",
        office=office,
        actor=loaded_by,
        target=f"service:{service.code}",
        version=version.version,
        direct=True,
        reason="dimuat dari berkas tanpa persetujuan (load_standards)",
        effective_from=version.effective_from.isoformat(),
    )
    return LoadResult(service=service, version=version, created=True)


def standard_load_file(*, office: Office, path: Path, loaded_by: Any = None, base: Path | None = None) -> LoadResult:
    """Load one standard file (see ``standard_load``); the stored path is relative to ``base``."""
    shown = str(path.relative_to(base)) if base and path.is_relative_to(base) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardFileError(shown, [("", f"berkas tidak dapat dibaca: {exc}")]) from None
    return standard_load(office=office, text=text, path=shown, loaded_by=loaded_by)


def standard_files(directory: Path) -> list[Path]:
    """The standard files in a directory, in name order."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
