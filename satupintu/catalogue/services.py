"""
Writes of the catalogue: copy a template into an office, make a draft version, and move a version
through its approval (the table in ``lifecycle.py``). Each write records an audit event in its
transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import Action, can, office_today, require
from satupintu.accounts.roles import office_role_codes, office_roles
from satupintu.catalogue.lifecycle import TRANSITIONS, Transition
from satupintu.catalogue.loader import parse_standard, version_create
from satupintu.catalogue.models import Service, ServiceStandardVersion
from satupintu.catalogue.selectors import template_get
from satupintu.catalogue.step_kinds import KINDS
from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound
from satupintu.core.models import Office


@transaction.atomic
def service_copy_from_template(
    *, office: Office, template_code: str, actor: Any, django_admin: bool = False
) -> ServiceStandardVersion:
    """
    Copy a shipped standard (a template) into the office as a new service with a draft version.

    The office then adapts the draft (its fee, its officials, its numbering), sends it for review
    and has it approved and published; until then the service takes no applications. Raise
    Conflict when the office already has a service with that code. The actor must manage the
    office's catalogue, unless the copy is made in the Django admin (``django_admin``: its own
    permissions apply, as when the office itself is added there).
    """
    if not django_admin:
        require(actor, Action.MANAGE_CATALOGUE, office)
    template = template_get(template_code)
    if Service.objects.filter(office=office, code=template.code).exists():
        raise Conflict(
            _("Kantor ini sudah memiliki layanan %(code)s; ubah layanan itu, jangan disalin lagi.")
            % {"code": template.code}
        )
    spec = parse_standard(template.path.read_text(encoding="utf-8"), path=template.path.name, office=office)
    service = Service.objects.create(
        office=office, code=spec.code, name=spec.name, short_code=spec.short_code, template=template.code
    )
    version = version_create(service=service, spec=spec, source_path=f"templat:{template.code}", actor=actor)
    assert version is not None  # a new service has no version to be equal to
    audit_record(
        action="service.copy_from_template",
        office=office,
        actor=actor,
        target=f"service:{service.code}",
        template=template.code,
        version=version.version,
        door="admin" if django_admin else "staff",
    )
    return version


@transaction.atomic
def standard_draft_create(
    *, service: Service, text: str, actor: Any, import_report: dict[str, Any] | None = None
) -> ServiceStandardVersion:
    """
    Validate the YAML text of a changed standard and store it as the service's next draft version.

    The new draft keeps the import report of the version it was made from (or takes
    ``import_report``), so what the import left to review stays beside the draft until it is done.
    Raise StandardFileError with the loader's messages when the text is not valid, and Conflict
    when it changes nothing against the newest version or names another service.
    """
    require(actor, Action.PREPARE_STANDARDS, service.office)
    spec = parse_standard(text, path=_("konsep"), office=service.office)
    if spec.code != service.code:
        raise Conflict(_("Kode layanan pada konsep (%(code)s) tidak boleh diubah.") % {"code": spec.code})
    service = Service.objects.select_for_update().get(pk=service.pk)
    if import_report is None:
        newest = service.versions.order_by("-version").first()
        import_report = newest.import_report if newest is not None else None
    version = version_create(service=service, spec=spec, source_path="konsep", actor=actor, import_report=import_report)
    if version is None:
        raise Conflict(_("Konsep sama dengan versi terakhir; tidak ada yang berubah."))
    audit_record(
        action="standard.draft",
        office=service.office,
        actor=actor,
        target=f"service:{service.code}",
        version=version.version,
        checksum=version.checksum,
    )
    return version


#: The largest document the importer accepts (a Standar Pelayanan is a few pages).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
#: The file types the importer reads; the content is then parsed as that type, never trusted.
IMPORT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt")


def office_role_map(office: Office) -> dict[str, str | list[str]]:
    """The office's own names of officials → role codes (its office roles), tried before the built-in names."""
    return {name: code for code, name in office_roles(office).items()}


@transaction.atomic
def standard_import_create(
    *, office: Office, data: bytes, filename: str, actor: Any, service: Service | None = None
) -> ServiceStandardVersion:
    """
    Import a published Standar Pelayanan (PDF, DOCX, HTML or text) as a draft version: of a new
    service named by the document, or the next draft of ``service``. The importer's report is
    stored with the draft (``import_report``) for the office to review.

    Raise InvalidData (field ``file``) for a missing, empty, too large or unsupported file,
    StandardImportError when it cannot be read or holds no standard, Conflict when the office
    already has the document's service (import into that service instead).
    """
    require(actor, Action.PREPARE_STANDARDS if service is not None else Action.MANAGE_CATALOGUE, office)
    if service is not None and service.office_id != office.pk:
        raise NotFound(_("Layanan tidak ditemukan."))
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not data:
        raise InvalidData(_("Periksa kembali berkas."), {"file": _("Pilih berkas naskah Standar Pelayanan.")})
    if len(data) > IMPORT_MAX_BYTES:
        raise InvalidData(
            _("Periksa kembali berkas."),
            {"file": _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}},
        )
    if not name.lower().endswith(IMPORT_SUFFIXES):
        raise InvalidData(
            _("Periksa kembali berkas."),
            {"file": _("Jenis berkas tidak dapat diimpor: gunakan PDF, DOCX, HTML atau TXT.")},
        )
    from satupintu.catalogue.importing import import_standard  # the importer pulls in pypdf and python-docx

    result = import_standard(data, name, role_map=office_role_map(office), publisher=office.name, office=office)
    definition = result.definition.model_dump(mode="json")
    report = {
        **result.report.as_dict(),
        "resolved_roles": {},
        # What the import wrote for each clause it filled: one the office has changed since is done.
        "filled_values": {f.field.split(".")[0]: definition.get(f.field.split(".")[0]) for f in result.report.filled},
    }
    if service is not None:
        definition["code"] = service.code
    spec = parse_standard(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), path=name, office=office)
    if service is None:
        if Service.objects.filter(office=office, code=spec.code).exists():
            raise Conflict(
                _("Kantor ini sudah memiliki layanan %(code)s; pilih layanan itu untuk mengimpor konsep barunya.")
                % {"code": spec.code}
            )
        service = Service.objects.create(office=office, code=spec.code, name=spec.name, short_code=spec.short_code)
    else:
        service = Service.objects.select_for_update().get(pk=service.pk)
    version = version_create(service=service, spec=spec, source_path=f"impor:{name}", actor=actor, import_report=report)
    if version is None:
        raise Conflict(_("Naskah yang diimpor sama dengan versi terakhir; tidak ada yang berubah."))
    audit_record(
        action="standard.import",
        office=office,
        actor=actor,
        target=f"service:{service.code}",
        version=version.version,
        checksum=version.checksum,
        filename=name,
        size=len(data),
        form=result.report.form,
        container=result.report.container,
        unmapped_roles=[u.name for u in result.report.unmapped_roles],
        unplaced_lines=len(result.report.unplaced_lines),
    )
    return version


@transaction.atomic
def standard_role_map(*, service: Service, name: str, codes: list[str], actor: Any) -> ServiceStandardVersion:
    """
    Map a Pelaksana name the import could not map to role codes (built-in or the office's own),
    as the next draft: the steps that named it are worked by those roles (the roles the importer
    put in its place are dropped), the competence group of that name covers them, the step's
    remark "belum dipetakan" goes, and the import report records the mapping.

    Raise InvalidData when no role is chosen or a role is unknown, NotFound when the name is not
    one the import left unmapped, StandardFileError as the loader does. Audited as
    ``standard.role_map`` (beside the ``standard.draft`` of the new version).
    """
    newest = service.versions.order_by("-version").first()
    report: dict[str, Any] = copy.deepcopy(newest.import_report) if newest is not None and newest.import_report else {}
    report.setdefault("resolved_roles", {})
    entry = next(
        (u for u in report.get("unmapped_roles", []) if u["name"] == name and name not in report["resolved_roles"]),
        None,
    )
    if newest is None or entry is None:
        raise NotFound(_("Nama pelaksana “%(name)s” tidak ada di antara peran yang belum dipetakan.") % {"name": name})
    allowed = office_role_codes(service.office)
    codes = [c for c in dict.fromkeys(codes) if c]
    if not codes:
        raise InvalidData(_("Periksa kembali isian."), {"codes": _("Pilih peran untuk %(name)s.") % {"name": name}})
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise InvalidData(
            _("Periksa kembali isian."), {"codes": _("Peran tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    definition = copy.deepcopy(newest.definition)
    remark = re.compile(r"Pelaksana pada naskah: (?P<names>.*?) \(belum dipetakan ke peran\)")
    for step in definition["sop"]["steps"]:
        note = step.get("note") or ""
        found = remark.search(note)
        if not found or name not in [n.strip() for n in found.group("names").split(",")]:
            continue
        instead = set(entry.get("used_instead") or [])
        step["roles"] = codes + [r for r in step["roles"] if r not in codes and r not in instead]
        rest = [n.strip() for n in found.group("names").split(",") if n.strip() != name]
        replacement = ("Pelaksana pada naskah: " + ", ".join(rest) + " (belum dipetakan ke peran)") if rest else ""
        note = (note[: found.start()] + replacement + note[found.end() :]).strip().strip(";").strip()
        if note:
            step["note"] = note
        else:
            step.pop("note", None)
    for group in definition.get("competence", []):
        if group.get("group") == name and not group.get("roles"):
            group["roles"] = list(codes)
    report["resolved_roles"][name] = codes
    report.setdefault("mapped_roles", {})[name] = codes
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    version = standard_draft_create(service=service, text=text, actor=actor, import_report=report)
    audit_record(
        action="standard.role_map",
        office=service.office,
        actor=actor,
        target=f"service:{service.code}",
        version=version.version,
        name=name,
        roles=codes,
    )
    return version


def require_standards_access(user: Any, office: Office) -> None:
    """
    Raise PermissionDenied unless the user manages the catalogue, prepares standards or approves
    them in the office (the staff pages and the API of standards ask the same question).
    """
    if not any(
        can(user, action, office)
        for action in (Action.MANAGE_CATALOGUE, Action.PREPARE_STANDARDS, Action.APPROVE_STANDARDS)
    ):
        require(user, Action.MANAGE_CATALOGUE, office)


def transitions_for(version: ServiceStandardVersion, user: Any) -> list[Transition]:
    """The transitions the user may make on the version now (for buttons and the API)."""
    return [
        t
        for t in TRANSITIONS.values()
        if version.status in t.sources
        and can(user, t.action, version.office)
        and not (t.not_by_sender and version.sent_for_review_by_id == getattr(user, "pk", None))
    ]


@transaction.atomic
def standard_transition(
    *,
    version: ServiceStandardVersion,
    transition: str,
    actor: Any,
    note: str = "",
    decree_number: str = "",
    decree_date: dt.date | None = None,
    effective_from: dt.date | None = None,
    at: dt.datetime | None = None,
) -> ServiceStandardVersion:
    """
    Move a version along its approval: send it for review, return it, approve it with the decree
    (Keputusan Kepala Dinas number and date), publish it effective from a date, or withdraw a draft.

    Raise PermissionDenied when the actor may not, Conflict when the version is no longer where
    the transition starts (someone else moved it), InvalidData when what the transition needs is
    missing.
    """
    now = at or timezone.now()
    step = TRANSITIONS.get(transition)
    if step is None:
        raise DomainError(_("Tindakan tidak dikenal: %(code)s.") % {"code": transition}, code="unknown_transition")
    version = ServiceStandardVersion.objects.select_for_update().select_related("office", "service").get(pk=version.pk)
    office = version.office
    require(actor, step.action, office, at=now)
    if version.status not in step.sources:
        raise Conflict(
            _("Versi %(n)s berstatus %(status)s; tindakan ini tidak dapat dilakukan.")
            % {"n": version.version, "status": version.get_status_display()}
        )
    if step.not_by_sender and version.sent_for_review_by_id == getattr(actor, "pk", None):
        raise DomainError(_("Yang mengajukan standar tidak dapat menyetujuinya sendiri."), code="four_eyes") from None
    errors: dict[str, str] = {}
    note = note.strip()
    decree_number = decree_number.strip()
    if "note" in step.needs and not note:
        errors["note"] = _("Tuliskan apa yang harus diperbaiki.")
    if "decree" in step.needs:
        if not decree_number:
            errors["decree_number"] = _("Isi nomor Keputusan Kepala Dinas.")
        if decree_date is None:
            errors["decree_date"] = _("Isi tanggal Keputusan Kepala Dinas.")
        elif decree_date > office_today(office, now):
            errors["decree_date"] = _("Tanggal Keputusan tidak boleh setelah hari ini.")
    if "effective_from" in step.needs:
        if effective_from is None:
            errors["effective_from"] = _("Isi tanggal mulai berlaku.")
        elif version.decree_date and effective_from < version.decree_date:
            errors["effective_from"] = _("Tanggal mulai berlaku tidak boleh sebelum tanggal Keputusan.")
    if errors:
        raise InvalidData(_("Periksa kembali isian."), errors)
    source = version.status
    version.status = step.target
    fields = ["status"]
    if transition == "send_for_review":
        version.sent_for_review_at, version.sent_for_review_by = now, actor
        version.review_note = ""
        fields += ["sent_for_review_at", "sent_for_review_by", "review_note"]
    elif transition == "return":
        version.review_note = note
        fields += ["review_note"]
    elif transition == "approve":
        version.approved_at, version.approved_by = now, actor
        version.decree_number, version.decree_date = decree_number, decree_date
        fields += ["approved_at", "approved_by", "decree_number", "decree_date"]
    elif transition == "publish":
        version.published_at, version.published_by, version.effective_from = now, actor, effective_from
        fields += ["published_at", "published_by", "effective_from"]
    version.save(update_fields=fields)
    audit_record(
        action=f"standard.{transition}",
        office=office,
        actor=actor,
        target=f"service:{version.service.code}",
        version=version.version,
        source=source,
        target_status=version.status,
        note=note,
        decree_number=decree_number,
        decree_date=decree_date.isoformat() if decree_date else "",
        effective_from=effective_from.isoformat() if effective_from else "",
    )
    return version


#: Components the structured editor changes, each a dotted path in the definition.
EDITABLE_FIELDS = (
    "fee.amount",
    "fee.text",
    "completion_time.text",
    "completion_time.duration",
    "completion_time.condition",
    "product.name",
    "numbering.format",
    "permit.title",
    "permit.validity",
    "permit.years",
    "guarantees.uncollected_notice_after",
    "guarantees.return_deadline",
)
#: Components whose clauses say where they come from (``provenance``); numbering is configuration.
_WITH_PROVENANCE = frozenset({"fee", "completion_time", "product", "permit"})
_OFFICE_DECISION = {"from_seed": False, "source": "Ditetapkan kantor", "verified": True}


def standard_draft_edit(*, service: Service, changes: dict[str, Any], actor: Any) -> ServiceStandardVersion:
    """
    Make the next draft from the newest version with some clauses changed by the office (the
    fee, the completion time, the product, the permit number's format and the letter's title):
    ``changes`` maps a path of ``EDITABLE_FIELDS`` to its new value. A changed clause is marked as
    the office's decision, not the source's. Raise StandardFileError (field, problem) as the
    loader does, Conflict when nothing changed.
    """
    newest = service.versions.order_by("-version").first()
    if newest is None:
        raise Conflict(_("Layanan ini belum memiliki standar untuk diubah."))
    definition = copy.deepcopy(newest.definition)
    touched: set[str] = set()
    for path, value in changes.items():
        if path not in EDITABLE_FIELDS:
            raise DomainError(_("Bagian %(path)s tidak dapat diubah di sini.") % {"path": path}, code="not_editable")
        component, key = path.split(".")
        if definition.get(component, {}).get(key) != value:
            definition.setdefault(component, {})[key] = value
            touched.add(component)
    for component in touched & _WITH_PROVENANCE:
        definition[component]["provenance"] = dict(_OFFICE_DECISION)
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    return standard_draft_create(service=service, text=text, actor=actor)


@dataclass(frozen=True)
class RequirementRow:
    """One row of the requirement list as the editor sends it, in the new order (``key`` "" = new)."""

    key: str
    label: str
    quantity: int = 1
    renewal_only: bool = False
    remove: bool = False


def _new_key(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "persyaratan"
    if not base[0].isalpha():
        base = f"p_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def standard_requirements_edit(*, service: Service, rows: list[RequirementRow], actor: Any) -> ServiceStandardVersion:
    """
    Make the next draft with the requirement list as the editor sends it: labels, quantities,
    renewal-only, the order, removed and added items. Every other field of a kept requirement
    stays; a changed or added requirement is marked as the office's decision. Raise
    StandardFileError (paths ``requirements[i]…`` index the kept rows in order), Conflict when
    nothing changed.
    """
    newest = service.versions.order_by("-version").first()
    if newest is None:
        raise Conflict(_("Layanan ini belum memiliki standar untuk diubah."))
    definition = copy.deepcopy(newest.definition)
    before = {r["key"]: r for r in definition.get("requirements", [])}
    taken = set(before)
    kept: list[dict[str, Any]] = []
    for row in rows:
        if row.remove:
            continue
        if row.key and row.key in before:
            item = dict(before[row.key])
            changed = (item.get("label"), item.get("quantity", 1), item.get("renewal_only", False)) != (
                row.label,
                row.quantity,
                row.renewal_only,
            )
            item.update(label=row.label, quantity=row.quantity, renewal_only=row.renewal_only)
        else:
            key = _new_key(row.label, taken)
            taken.add(key)
            item = {"key": key, "label": row.label, "quantity": row.quantity, "renewal_only": row.renewal_only}
            changed = True
        if changed:
            item["provenance"] = dict(_OFFICE_DECISION)
        kept.append(item)
    definition["requirements"] = kept
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    return standard_draft_create(service=service, text=text, actor=actor)


@dataclass(frozen=True)
class StepRow:
    """One SOP step as the editor sends it: who works it, what it is, how long it may take."""

    number: int
    kind: str
    roles: list[str]
    activity: str
    time: str


def standard_steps_edit(*, service: Service, rows: list[StepRow], actor: Any) -> ServiceStandardVersion:
    """
    Make the next draft with the SOP steps' kind, acting roles (built-in or the office's own),
    activity and time standard as the editor sends them. A step whose kind changes allows every
    outcome of its new kind. A changed step is marked as the office's decision. Raise
    StandardFileError (paths ``sop.steps[i]…``), Conflict when nothing changed.
    """
    newest = service.versions.order_by("-version").first()
    if newest is None:
        raise Conflict(_("Layanan ini belum memiliki standar untuk diubah."))
    definition = copy.deepcopy(newest.definition)
    steps = definition["sop"]["steps"]
    by_number = {row.number: row for row in rows}
    for step in steps:
        row = by_number.get(step["number"])
        if row is None:
            continue
        changed = False
        if row.kind != step["kind"]:
            step["kind"] = row.kind
            kind = KINDS.get(row.kind)
            step["outcomes"] = sorted(kind.codes) if kind is not None else []
            changed = True
        for field in ("roles", "activity", "time"):
            value = getattr(row, field)
            if value != step.get(field):
                step[field] = value
                changed = True
        if changed and step.get("provenance", {}).get("from_seed", True):
            step["provenance"] = dict(_OFFICE_DECISION)
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    return standard_draft_create(service=service, text=text, actor=actor)


@dataclass(frozen=True)
class FormFieldRow:
    """One question of the application form as the editor sends it (``key`` "" = a new question)."""

    key: str
    label: str
    help: str = ""
    required: bool = True
    type: str = "text"
    #: The choices of a select question, in order; None keeps them as they are.
    choices: tuple[str, ...] | None = None


def standard_form_edit(*, service: Service, rows: list[FormFieldRow], actor: Any) -> ServiceStandardVersion:
    """
    Make the next draft with the application form's questions relabelled, their help, whether
    they are required and the choices of a select question changed, and new questions (a select
    with its choices) added to the last section (their key made from the label). Every other
    property of a question stays. Raise StandardFileError (paths ``application_form[s].fields[f]…``),
    Conflict when nothing changed.
    """
    newest = service.versions.order_by("-version").first()
    if newest is None:
        raise Conflict(_("Layanan ini belum memiliki standar untuk diubah."))
    definition = copy.deepcopy(newest.definition)
    sections = definition["application_form"]
    fields = {f["key"]: f for section in sections for f in section["fields"]}
    taken = set(fields)
    for row in rows:
        if row.key and row.key in fields:
            fields[row.key].update(label=row.label, help=row.help, required=row.required)
            if row.choices is not None:
                fields[row.key]["choices"] = list(row.choices)
        elif not row.key and row.label:
            key = _new_key(row.label, taken)
            taken.add(key)
            added = {"key": key, "label": row.label, "help": row.help, "required": row.required, "type": row.type}
            if row.choices:
                added["choices"] = list(row.choices)
            sections[-1]["fields"].append(added)
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    return standard_draft_create(service=service, text=text, actor=actor)
