"""
Staff pages of the office's catalogue: its services and the versions of their standards (copy a
template, prepare a draft, send it for review, approve it with the decree, publish it), the
difference between two versions clause by clause, and the office's own roles.

Views parse the request, call ``catalogue.services`` / ``accounts.services``, and render.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts import office_roles
from satupintu.accounts.permissions import Action, can, require
from satupintu.accounts.roles import office_role_codes, role_name
from satupintu.catalogue import selectors as catalogue
from satupintu.catalogue import services as catalogue_services
from satupintu.catalogue.diff import COMPONENTS, standard_diff
from satupintu.catalogue.importing import StandardImportError
from satupintu.catalogue.lifecycle import TRANSITIONS
from satupintu.catalogue.loader import StandardFileError
from satupintu.catalogue.models import Service
from satupintu.catalogue.step_kinds import KINDS
from satupintu.core.errors import Conflict, DomainError, InvalidData, NotFound
from satupintu.core.selectors import office_get
from satupintu.documents import letter_templates, printouts, standard_documents
from satupintu.documents.rendering import RenderError
from satupintu.staff.views import staff_view
from satupintu.workdays import WorkingDuration


def _may_see(user: Any, office: Any) -> None:
    catalogue_services.require_standards_access(user, office)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@staff_view
def standards(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The office's services with the state of their standards; copy a template (POST ``templat``)."""
    office = office_get(office_slug)
    _may_see(request.user, office)
    if request.method == "POST":
        try:
            version = catalogue_services.service_copy_from_template(
                office=office, template_code=request.POST.get("templat", ""), actor=request.user
            )
        except (Conflict, NotFound) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Layanan %(name)s disalin dari templat sebagai konsep versi %(n)s.")
                % {"name": version.service.name, "n": version.version},
            )
        return redirect("staff:standards", office_slug=office.slug)
    rows: list[dict[str, Any]] = []
    for service in catalogue.office_services(office=office):
        versions = list(catalogue.versions_of(service))
        try:
            in_force = catalogue.current_version_of(service)
        except NotFound:
            in_force = None
        reason = catalogue.closed_reason(service, catalogue.spec_of(in_force) if in_force else None)
        rows.append({"service": service, "versions": versions, "in_force": in_force, "closed_reason": reason})
    taken = {row["service"].code for row in rows}
    context = {
        "office": office,
        "rows": rows,
        "templates": [t for t in catalogue.templates_list() if t.code not in taken],
        "may_copy": can(request.user, Action.MANAGE_CATALOGUE, office),
        "may_prepare": can(request.user, Action.PREPARE_STANDARDS, office),
        "may_manage_roles": can(request.user, Action.MANAGE_ROLES, office),
    }
    return render(request, "staff/standards/list.html", context)


@staff_view
def version(request: HttpRequest, office_slug: str, code: str, number: int) -> HttpResponse:
    """One version: its approval record, the transitions the user may make, the standard with its notes."""
    office = office_get(office_slug)
    _may_see(request.user, office)
    the_version = catalogue.version_get(office=office, code=code, version=number)
    return _version_page(request, the_version, errors={})


def _version_page(request: HttpRequest, the_version: Any, *, errors: dict[str, str], status: int = 200) -> HttpResponse:
    spec = catalogue.spec_of(the_version)
    versions = list(catalogue.versions_of(the_version.service))
    previous = next((v for v in versions if v.version < the_version.version), None)
    context = {
        "office": the_version.office,
        "service": the_version.service,
        "version": the_version,
        "spec": spec,
        "versions": versions,
        "previous": previous,
        "transitions": catalogue_services.transitions_for(the_version, request.user),
        "closed_reason": catalogue.closed_reason(the_version.service, spec),
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
        "curation": _curation_notes(the_version.definition),
        "may_prepare": can(request.user, Action.PREPARE_STANDARDS, the_version.office),
        "review": _import_review(the_version, versions),
        "role_choices": _role_choices(the_version.office),
    }
    return render(request, "staff/standards/version.html", context, status=status)


def _role_choices(office: Any) -> list[tuple[str, str]]:
    return [(c, role_name(c, office)) for c in sorted(office_role_codes(office), key=lambda c: role_name(c, office))]


def _to_edit(request: HttpRequest, office_slug: str, code: str) -> tuple[Any, Service, Any]:
    """An editor page's office, service and newest version (the draft to start from); 404 when there is none."""
    office = office_get(office_slug)
    require(request.user, Action.PREPARE_STANDARDS, office)
    service = Service.objects.filter(office=office, code=code).first()
    newest = catalogue.versions_of(service).first() if service is not None else None
    if service is None or newest is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return office, service, newest


#: Which editor form changes a clause (the first part of its path); anything else: the YAML draft.
_EDITOR_OF = {
    "fee": "staff:standard_edit",
    "completion_time": "staff:standard_edit",
    "product": "staff:standard_edit",
    "numbering": "staff:standard_edit",
    "permit": "staff:standard_edit",
    "guarantees": "staff:standard_edit",
    "requirements": "staff:standard_requirements",
    "requirements_note": "staff:standard_requirements",
    "sop": "staff:standard_steps",
    "application_form": "staff:standard_form",
}
#: The field of the editor form a clause is changed at (the link's anchor).
_ANCHOR_OF = {
    "fee": "fee_amount",
    "completion_time": "completion_text",
    "product": "product_name",
    "numbering": "numbering_format",
    "permit": "permit_validity",
    "guarantees": "return_deadline",
}


#: A clause's name in the review list, for the parts the component labels do not say enough.
_CLAUSE_NAMES = {
    "short_code": _lazy("Singkatan layanan"),
    "application_form": _lazy("Formulir permohonan"),
    "numbering": _lazy("Format nomor surat izin"),
    "permit": _lazy("Surat izin: masa berlaku"),
    "sop": _lazy("Langkah SOP"),
}


def _clause_name(path: str) -> str:
    component = re.split(r"[.\[]", path, maxsplit=1)[0]
    if component in _CLAUSE_NAMES:
        name = str(_CLAUSE_NAMES[component])
    else:
        name = next((str(label) for fields, label in COMPONENTS if component in fields), component)
    rest = path[len(component) :].lstrip(".")
    return f"{name} ({rest})" if rest else name


def _editor_link(office: Any, code: str, path: str) -> str:
    component = re.split(r"[.\[]", path, maxsplit=1)[0]
    url = reverse(_EDITOR_OF.get(component, "staff:standard_draft"), args=[office.slug, code])
    anchor = _ANCHOR_OF.get(component)
    return f"{url}#{anchor}" if anchor else url


def _import_review(the_version: Any, versions: list[Any]) -> dict[str, Any] | None:
    """
    What the import left to review, beside the draft: the Pelaksana names still unmapped, the
    guessed step kinds, the lines not placed, and the clauses the import filled or could not take
    from the document (each linking to the editor form that changes it). None for a version that
    does not come from an import.
    """
    report = the_version.import_report
    if not report:
        return None
    office, code = the_version.office, the_version.service.code
    resolved = report.get("resolved_roles", {})
    flagged: list[dict[str, Any]] = []
    seen: set[str] = set()
    for note in _curation_notes(the_version.definition):
        if note["verified"] or note["path"] == "source":
            continue  # an office decision (verified) or the source's own note: nothing left to check
        seen.add(note["path"])
        flagged.append({**note, "name": _clause_name(note["path"]), "link": _editor_link(office, code, note["path"])})
    for filled in report.get("filled", []):
        path = filled["field"]
        component = re.split(r"[.\[]", path, maxsplit=1)[0]
        provenance = (
            (the_version.definition.get(component) or {})
            if isinstance(the_version.definition.get(component), dict)
            else {}
        )
        if path in seen or (provenance.get("provenance") or {}).get("verified", False):
            continue
        if "provenance" in provenance or any(f["path"].startswith(component) for f in flagged):
            continue  # listed above with its provenance
        written = report.get("filled_values", {})
        if component in written and written[component] != the_version.definition.get(component):
            continue  # the office has changed what the import filled in
        flagged.append(
            {
                "path": path,
                "name": _clause_name(path),
                "source": filled["value"],
                "note": filled["reason"],
                "verified": False,
                "link": _editor_link(office, code, path),
            }
        )
    spec = catalogue.spec_of(the_version)
    steps_now = {step.number: list(step.roles) for step in spec.sop.steps}
    # The steps (as the document numbers them) whose Pelaksana the office has mapped.
    mapped_steps = {
        where.removeprefix("langkah ")
        for entry in report.get("unmapped_roles", [])
        if entry["name"] in resolved
        for where in entry.get("where", [])
        if where.startswith("langkah ")
    }
    if not spec.fee.is_set and "fee" not in seen:
        flagged.insert(
            0,
            {
                "path": "fee",
                "name": _clause_name("fee"),
                "source": spec.fee.text,
                "note": _("Besaran biaya belum ditetapkan: layanan tidak menerima permohonan."),
                "verified": False,
                "link": _editor_link(office, code, "fee"),
            },
        )
    return {
        "source": report.get("source", ""),
        "form": report.get("form", ""),
        "container": report.get("container", ""),
        "total_lines": report.get("total_lines", 0),
        "placed_lines": report.get("placed_lines", 0),
        "components_missing": report.get("components_missing", []),
        "unmapped": [u for u in report.get("unmapped_roles", []) if u["name"] not in resolved],
        "resolved": [
            {"name": name, "roles": [role_name(c, office) for c in codes]} for name, codes in resolved.items()
        ],
        "guessed_kinds": [
            {
                **g,
                "kind_label": str(KINDS[g["kind"]].label) if g["kind"] in KINDS else g["kind"],
                # Who works the step in this draft (after any mapping), else what the import guessed.
                "role_names": [role_name(c, office) for c in steps_now.get(g["step"], g.get("roles", []))],
                "mapped": steps_now.get(g["step"], g.get("roles", [])) != g.get("roles", [])
                or str(g.get("label", "")) in mapped_steps,
            }
            for g in report.get("guessed_kinds", [])
        ],
        "unplaced": report.get("unplaced_lines", []),
        "notes": report.get("notes", []),
        "flagged": flagged,
        "is_newest": bool(versions) and versions[0].pk == the_version.pk,
    }


@require_http_methods(["GET", "POST"])
@staff_view
def import_document(request: HttpRequest, office_slug: str) -> HttpResponse:
    """
    Import a published Standar Pelayanan (PDF, DOCX, HTML, TXT) as a draft: of a new service, or
    the next draft of a chosen one; the draft page then shows the import report.
    """
    office = office_get(office_slug)
    require(request.user, Action.PREPARE_STANDARDS, office)
    services = list(catalogue.office_services(office=office))
    errors: dict[str, str] = {}
    chosen = ""
    if request.method == "POST":
        chosen = request.POST.get("layanan", "")
        upload = request.FILES.get("naskah")
        service = next((s for s in services if s.code == chosen), None) if chosen else None
        if chosen and service is None:
            errors["layanan"] = _("Pilih layanan kantor ini, atau layanan baru.")
        else:
            try:
                created = catalogue_services.standard_import_create(
                    office=office,
                    data=upload.read(catalogue_services.IMPORT_MAX_BYTES + 1) if upload else b"",
                    filename=(upload.name or "") if upload else "",
                    actor=request.user,
                    service=service,
                )
            except InvalidData as exc:
                errors = {"naskah" if k == "file" else k: v for k, v in exc.errors.items()}
            except StandardFileError as exc:
                errors["naskah"] = _("Draf hasil impor belum sah: %(problems)s") % {
                    "problems": "; ".join(f"{p}: {m}" if p else m for p, m in exc.problems)
                }
            except (Conflict, StandardImportError) as exc:
                errors["naskah"] = exc.message
            else:
                messages.success(
                    request,
                    _("Naskah %(file)s diimpor sebagai konsep versi %(n)s. Periksa laporan impor di bawah.")
                    % {"file": upload.name if upload else "", "n": created.version},
                )
                return redirect(
                    "staff:standard_version", office_slug=office.slug, code=created.service.code, number=created.version
                )
    context = {
        "office": office,
        "services": services,
        "chosen": chosen,
        "errors": errors,
        "max_mb": catalogue_services.IMPORT_MAX_BYTES // (1024 * 1024),
        "may_create": can(request.user, Action.MANAGE_CATALOGUE, office),
    }
    return render(request, "staff/standards/import.html", context, status=422 if errors else 200)


@require_POST
@staff_view
def role_map(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """Map a Pelaksana name the import left unmapped to a role (POST ``nama``, ``peran``): the next draft."""
    office = office_get(office_slug)
    require(request.user, Action.PREPARE_STANDARDS, office)
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    name = request.POST.get("nama", "")
    try:
        created = catalogue_services.standard_role_map(
            service=service, name=name, codes=request.POST.getlist("peran"), actor=request.user
        )
    except InvalidData as exc:
        messages.error(request, "; ".join(exc.errors.values()) or exc.message)
    except (Conflict, NotFound) as exc:
        messages.error(request, exc.message)
    except StandardFileError as exc:
        messages.error(request, "; ".join(f"{p}: {m}" if p else m for p, m in exc.problems))
    else:
        messages.success(
            request,
            _("%(name)s dipetakan ke %(roles)s: konsep versi %(n)s.")
            % {
                "name": name,
                "roles": ", ".join(role_name(c, office) for c in request.POST.getlist("peran")),
                "n": created.version,
            },
        )
        return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
    newest = catalogue.versions_of(service).first()
    return redirect(
        "staff:standard_version", office_slug=office.slug, code=code, number=newest.version if newest else 1
    )


def _curation_notes(value: Any, path: str = "") -> list[dict[str, Any]]:
    """Every clause marked as not from the source, with its source and the curator's note (staff only)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if (key == "provenance" or key.endswith("_provenance")) and isinstance(item, dict):
                if item.get("from_seed") is False:
                    found.append(
                        {
                            "path": path or key,
                            "source": item.get("source", ""),
                            "note": item.get("note", ""),
                            "verified": item.get("verified", True),
                        }
                    )
            elif key == "source" and isinstance(item, dict) and item.get("note"):
                found.append(
                    {"path": "source", "source": item.get("title", ""), "note": item["note"], "verified": True}
                )
            else:
                found.extend(_curation_notes(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_curation_notes(item, f"{path}[{index + 1}]"))
    return found


@require_POST
@staff_view
def version_act(request: HttpRequest, office_slug: str, code: str, number: int) -> HttpResponse:
    """Make one transition of the version's approval (POST ``transition`` and what it needs)."""
    office = office_get(office_slug)
    _may_see(request.user, office)
    the_version = catalogue.version_get(office=office, code=code, version=number)
    transition = request.POST.get("transition", "")
    try:
        catalogue_services.standard_transition(
            version=the_version,
            transition=transition,
            actor=request.user,
            note=request.POST.get("note", ""),
            decree_number=request.POST.get("decree_number", ""),
            decree_date=_date(request.POST.get("decree_date", "")),
            effective_from=_date(request.POST.get("effective_from", "")),
        )
    except InvalidData as exc:
        the_version.refresh_from_db()
        return _version_page(request, the_version, errors={**exc.errors, "transition": transition}, status=422)
    except DomainError as exc:
        if exc.http_status == 403:
            raise
        messages.error(request, exc.message)
    else:
        step = TRANSITIONS[transition]
        messages.success(request, _("%(action)s: selesai.") % {"action": step.label})
    return redirect("staff:standard_version", office_slug=office.slug, code=code, number=number)


@staff_view
def version_diff(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """The difference between two versions (``dari``, ``ke``), clause by clause."""
    office = office_get(office_slug)
    _may_see(request.user, office)
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    versions = list(catalogue.versions_of(service))
    try:
        newer = int(request.GET.get("ke") or versions[0].version)
        older = int(request.GET.get("dari") or (newer - 1))
    except (ValueError, IndexError):
        raise NotFound(_("Versi standar tidak ditemukan.")) from None
    old = catalogue.version_get(office=office, code=code, version=older)
    new = catalogue.version_get(office=office, code=code, version=newer)
    components = standard_diff(old.definition, new.definition)
    context = {
        "office": office,
        "service": service,
        "old": old,
        "new": new,
        "versions": versions,
        "components": components,
        "changed": sum(1 for c in components if c.changed),
    }
    return render(request, "staff/standards/diff.html", context)


@require_http_methods(["GET", "POST"])
@staff_view
def draft(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """
    Prepare a new draft from the newest version, as the YAML of the standard; the loader's
    messages are shown per field.
    """
    office = office_get(office_slug)
    require(request.user, Action.PREPARE_STANDARDS, office)  # before the form is shown, not only on save
    service = Service.objects.filter(office=office, code=code).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    newest = catalogue.versions_of(service).first()
    if request.method == "POST":
        text = request.POST.get("definition", "")
        try:
            created = catalogue_services.standard_draft_create(service=service, text=text, actor=request.user)
        except StandardFileError as exc:
            problems = exc.problems
        except Conflict as exc:
            problems = [("", exc.message)]
        else:
            messages.success(request, _("Konsep versi %(n)s disimpan.") % {"n": created.version})
            return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
        status = 422
    else:
        definition = newest.definition if newest else {}
        text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)
        problems, status = [], 200
    context = {"office": office, "service": service, "newest": newest, "text": text, "problems": problems}
    return render(request, "staff/standards/draft.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view
def roles(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The office's own roles: add one (code, name, what it may do) or switch one off."""
    office = office_get(office_slug)
    require(request.user, Action.MANAGE_ROLES, office)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("deactivate"):
                office_roles.office_role_deactivate(office=office, code=request.POST["deactivate"], actor=request.user)
                messages.success(request, _("Peran dinonaktifkan."))
            else:
                role = office_roles.office_role_save(
                    office=office,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    permissions=request.POST.getlist("permissions"),
                    actor=request.user,
                )
                messages.success(request, _("Peran %(name)s disimpan.") % {"name": role.name})
            return redirect("staff:office_roles", office_slug=office.slug)
        except InvalidData as exc:
            errors = exc.errors
        except NotFound as exc:
            messages.error(request, exc.message)
    context = {
        "office": office,
        "roles": office_roles.office_roles_list(office=office),
        "actions": office_roles.grantable_actions(),
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "staff/standards/roles.html", context, status=422 if errors else 200)


@staff_view
def version_pdf(request: HttpRequest, office_slug: str, code: str, number: int, kind: str) -> HttpResponseBase:
    """
    A version's documents: ``standar`` (the Standar Pelayanan), ``keputusan`` (the Keputusan Kepala
    Dinas with the standard as lampiran; KONSEP until the version is approved), ``maklumat`` (the
    Maklumat Pelayanan), ``sop`` (the SOP flow diagram) and ``surat-izin`` (the permit letter as
    KONSEP with sample data, in the service's template).
    """
    office = office_get(office_slug)
    _may_see(request.user, office)
    the_version = catalogue.version_get(office=office, code=code, version=number)
    if kind == "standar":
        content = printouts.standard_pdf(catalogue.spec_of(the_version), office)
    elif kind == "keputusan":
        content = standard_documents.decree_pdf(the_version)
    elif kind == "maklumat":
        content = standard_documents.pledge_pdf(the_version)
    elif kind == "sop":
        content = printouts.sop_pdf(catalogue.spec_of(the_version), office)
    elif kind == "surat-izin":
        content = letter_templates.permit_preview_pdf(the_version)
    else:
        raise NotFound(_("Jenis dokumen tidak dikenal."))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{code}-v{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


_EDIT_FIELDS = {
    "fee.amount": "fee_amount",
    "fee.text": "fee_text",
    "completion_time.text": "completion_text",
    "completion_time.duration": "completion_duration",
    "completion_time.condition": "completion_condition",
    "product.name": "product_name",
    "numbering.format": "numbering_format",
    "permit.title": "permit_title",
    "permit.validity": "permit_validity",
    "permit.years": "permit_years",
    "guarantees.uncollected_notice_after": "uncollected_after",
    "guarantees.return_deadline": "return_deadline",
}
#: How long a permit is valid (``PermitTerms.validity``), as the editor offers it.
_VALIDITY = (
    ("follows_str", "Mengikuti masa berlaku STR"),
    ("years", "Sejumlah tahun"),
    ("unlimited", "Tanpa batas waktu"),
)


@require_http_methods(["GET", "POST"])
@staff_view
def edit(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """
    Change the clauses an office must decide (the fee, the completion time, the product) into the
    next draft; the loader's messages are shown at their field.
    """
    office, service, newest = _to_edit(request, office_slug, code)
    definition = newest.definition
    values = {
        name: definition.get(path.split(".")[0], {}).get(path.split(".")[1]) for path, name in _EDIT_FIELDS.items()
    }
    values = {k: "" if v is None else str(v) for k, v in values.items()}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in _EDIT_FIELDS.values()}
        changes: dict[str, Any] = {path: values[name] for path, name in _EDIT_FIELDS.items()}
        amount = values["fee_amount"].replace(".", "")
        if amount and not amount.isdigit():
            errors["fee_amount"] = _(
                "Tulis besaran biaya dalam rupiah tanpa huruf, mis. 150000; kosongkan bila gratis."
            )
        changes["fee.amount"] = int(amount) if amount.isdigit() else None
        years = values["permit_years"]
        if years and not years.isdigit():
            errors["permit_years"] = _("Masa berlaku: bilangan bulat tahun, mis. 5.")
        changes["permit.years"] = int(years) if years.isdigit() else None
        # An empty return deadline: the office's own setting applies (Office.return_deadline_days).
        changes["guarantees.return_deadline"] = values["return_deadline"] or None
        changes["guarantees.uncollected_notice_after"] = values["uncollected_after"] or "1 bulan"
        if not errors:
            try:
                created = catalogue_services.standard_draft_edit(service=service, changes=changes, actor=request.user)
            except StandardFileError as exc:
                for path, problem in exc.problems:
                    errors[_EDIT_FIELDS.get(path, "") or "__all__"] = problem
            except Conflict as exc:
                errors["__all__"] = exc.message
            else:
                messages.success(request, _("Konsep versi %(n)s disimpan.") % {"n": created.version})
                return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
        status = 422
    context = {
        "office": office,
        "service": service,
        "newest": newest,
        "values": values,
        "errors": errors,
        "validity_choices": [(value, _(label)) for value, label in _VALIDITY],
    }
    return render(request, "staff/standards/edit.html", context, status=status)


@staff_view
def version_preview(request: HttpRequest, office_slug: str, code: str, number: int) -> HttpResponse:
    """The public page of a version as it will read once published (curation notes left out)."""
    office = office_get(office_slug)
    _may_see(request.user, office)
    the_version = catalogue.version_get(office=office, code=code, version=number)
    spec = catalogue.public_spec(catalogue.spec_of(the_version))
    context = {
        "office": office,
        "service": the_version.service,
        "version": the_version,
        "spec": spec,
        "steps": [{"step": step, "duration": WorkingDuration.parse(step.time)} for step in spec.sop.steps],
        "not_from_seed": catalogue.not_from_source_count(spec),
        "closed_reason": catalogue.closed_reason(the_version.service, spec),
        "preview": True,
    }
    return render(request, "portal/service_detail.html", context)


def _requirement_rows(post: Any, count: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows the form sent (existing ones and the new one), with errors per input."""
    rows, errors = [], {}
    for n in [*(str(i) for i in range(count)), "baru"]:
        label = post.get(f"label-{n}", "").strip()
        if n == "baru" and not label:
            continue
        quantity_text = post.get(f"quantity-{n}", "1").strip() or "1"
        order_text = post.get(f"order-{n}", "").strip()
        if not quantity_text.isdigit() or int(quantity_text) < 1:
            errors[f"quantity-{n}"] = _("Jumlah: bilangan bulat, paling sedikit 1.")
        if order_text and not order_text.isdigit():
            errors[f"order-{n}"] = _("Urutan: bilangan bulat.")
        if not label and not post.get(f"remove-{n}"):
            errors[f"label-{n}"] = _("Isi nama persyaratan, atau centang Hapus.")
        rows.append(
            {
                "n": n,
                "key": post.get(f"key-{n}", "") if n != "baru" else "",
                "label": label,
                "quantity": int(quantity_text) if quantity_text.isdigit() else 1,
                "renewal_only": bool(post.get(f"renewal-{n}")),
                "remove": bool(post.get(f"remove-{n}")),
                "order": int(order_text) if order_text.isdigit() else (count + 1 if n == "baru" else int(n) + 1),
            }
        )
    rows.sort(key=lambda r: (r["order"], r["n"] == "baru"))
    return rows, errors


@require_http_methods(["GET", "POST"])
@staff_view
def requirements_edit(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """Edit the requirement list (labels, quantity, renewal-only, order, add, remove) into the next draft."""
    office, service, newest = _to_edit(request, office_slug, code)
    current = newest.definition.get("requirements", [])
    errors: dict[str, str] = {}
    status = 200
    shown = [
        {
            "n": str(i),
            "key": r["key"],
            "label": r.get("label", ""),
            "quantity": r.get("quantity", 1),
            "renewal_only": r.get("renewal_only", False),
            "remove": False,
            "order": i + 1,
        }
        for i, r in enumerate(current)
    ]
    if request.method == "POST":
        rows, errors = _requirement_rows(request.POST, len(current))
        if not errors:
            try:
                created = catalogue_services.standard_requirements_edit(
                    service=service,
                    rows=[
                        catalogue_services.RequirementRow(
                            key=r["key"],
                            label=r["label"],
                            quantity=r["quantity"],
                            renewal_only=r["renewal_only"],
                            remove=r["remove"],
                        )
                        for r in rows
                    ],
                    actor=request.user,
                )
            except StandardFileError as exc:
                kept = [r for r in rows if not r["remove"]]
                for path, problem in exc.problems:
                    match = re.match(r"^requirements\[(\d+)\]\.(\w+)", path)
                    if match and int(match.group(1)) < len(kept):
                        errors[f"{match.group(2)}-{kept[int(match.group(1))]['n']}"] = problem
                    else:
                        errors["__all__"] = f"{path}: {problem}" if path else problem
            except Conflict as exc:
                errors["__all__"] = exc.message
            else:
                messages.success(request, _("Konsep versi %(n)s disimpan.") % {"n": created.version})
                return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
        shown = [r for r in rows if r["n"] != "baru"] or shown
        status = 422
    for row in shown:
        row["errors"] = {
            field: errors.get(f"{field}-{row['n']}", "") for field in ("label", "quantity", "order", "renewal_only")
        }
    new_errors = {field: errors.get(f"{field}-baru", "") for field in ("label", "quantity")}
    context = {
        "office": office,
        "service": service,
        "newest": newest,
        "rows": shown,
        "errors": errors,
        "new_errors": new_errors,
        "new_label": request.POST.get("label-baru", "") if request.method == "POST" else "",
    }
    return render(request, "staff/standards/requirements.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view
def steps_edit(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """Edit each SOP step's kind, acting roles, activity and time standard into the next draft."""
    office, service, newest = _to_edit(request, office_slug, code)
    steps = newest.definition["sop"]["steps"]
    role_choices = [
        (c, role_name(c, office)) for c in sorted(office_role_codes(office), key=lambda c: role_name(c, office))
    ]
    kinds = [(code_, str(kind.label)) for code_, kind in KINDS.items()]
    errors: dict[str, str] = {}
    status = 200
    shown = [
        {
            "number": s["number"],
            "label": s.get("label") or s["number"],
            "kind": s["kind"],
            "roles": s["roles"],
            "activity": s["activity"],
            "time": s["time"],
        }
        for s in steps
    ]
    if request.method == "POST":
        for row in shown:
            n = row["number"]
            selected = request.POST.getlist(f"roles-{n}")
            # The first role works the step: keep the order of the roles still chosen, new ones after.
            roles = [r for r in row["roles"] if r in selected] + [r for r in selected if r not in row["roles"]]
            row.update(
                kind=request.POST.get(f"kind-{n}", row["kind"]),
                roles=roles,
                activity=request.POST.get(f"activity-{n}", "").strip(),
                time=request.POST.get(f"time-{n}", "").strip(),
            )
        try:
            created = catalogue_services.standard_steps_edit(
                service=service,
                rows=[
                    catalogue_services.StepRow(
                        number=r["number"], kind=r["kind"], roles=r["roles"], activity=r["activity"], time=r["time"]
                    )
                    for r in shown
                ],
                actor=request.user,
            )
        except StandardFileError as exc:
            for path, problem in exc.problems:
                match = re.match(r"^sop\.steps\[(\d+)\]\.?(\w*)", path)
                if match and int(match.group(1)) < len(shown):
                    field = match.group(2) or "kind"
                    errors[f"{field}-{shown[int(match.group(1))]['number']}"] = problem
                else:
                    errors["__all__"] = f"{path}: {problem}" if path else problem
        except Conflict as exc:
            errors["__all__"] = exc.message
        else:
            messages.success(request, _("Konsep versi %(n)s disimpan.") % {"n": created.version})
            return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
        status = 422
    for row in shown:
        n = row["number"]
        row["errors"] = {f: errors.get(f"{f}-{n}", "") for f in ("kind", "roles", "activity", "time", "outcomes")}
    context = {
        "office": office,
        "service": service,
        "newest": newest,
        "rows": shown,
        "errors": errors,
        "role_choices": role_choices,
        "kinds": kinds,
    }
    return render(request, "staff/standards/steps.html", context, status=status)


#: Question types the form editor offers for a new question (a select with its choices).
_NEW_FIELD_TYPES = ("text", "textarea", "date", "number", "phone", "email", "checkbox", "select")


def _choices(text: str) -> tuple[str, ...]:
    """The choices of a select question, one a line, blank lines and repeats left out."""
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _form_error_key(path: str, sections: list[dict[str, Any]], shown: list[dict[str, Any]]) -> str:
    """The input a loader message about ``application_form[s].fields[f]…`` belongs at."""
    match = re.match(r"^application_form\[(\d+)\]\.fields\[(\d+)\]\.?(\w*)", path)
    if not match:
        return "__all__"
    s, f = int(match.group(1)), int(match.group(2))
    if s >= len(sections):
        return "__all__"
    fields = sections[s]["fields"]
    key = fields[f]["key"] if f < len(fields) else "baru"
    row = next((r for r in shown if r["key"] == key), None)
    is_select = (row["type"] if row else "select") == "select"
    part = match.group(3)
    if part in {"choices", ""} and is_select:
        return f"choices-{key}"
    return f"{part if part in {'label', 'help'} else 'label'}-{key}"


@require_http_methods(["GET", "POST"])
@staff_view
def form_edit(request: HttpRequest, office_slug: str, code: str) -> HttpResponse:
    """Edit the application form's questions (label, help, required) and add one, into the next draft."""
    office, service, newest = _to_edit(request, office_slug, code)
    sections = newest.definition["application_form"]
    shown = [
        {
            "section": section["title"],
            "key": f["key"],
            "label": f.get("label", ""),
            "help": f.get("help", ""),
            "required": f.get("required", True),
            "type": f.get("type", "text"),
            "choices": "\n".join(f.get("choices", [])),
            "identity": f.get("purpose") in {"applicant_name", "applicant_nik"},
        }
        for section in sections
        for f in section["fields"]
    ]
    errors: dict[str, str] = {}
    status = 200
    new: dict[str, Any] = {"label": "", "help": "", "type": "text", "required": False, "choices": ""}
    if request.method == "POST":
        for row in shown:
            key = row["key"]
            row.update(
                label=request.POST.get(f"label-{key}", "").strip(),
                help=request.POST.get(f"help-{key}", "").strip(),
                required=bool(request.POST.get(f"required-{key}")) or row["identity"],
            )
            if row["type"] == "select":
                row["choices"] = "\n".join(_choices(request.POST.get(f"choices-{key}", "")))
            if not row["label"]:
                errors[f"label-{key}"] = _("Isi pertanyaan formulir.")
        new = {
            "label": request.POST.get("label-baru", "").strip(),
            "help": request.POST.get("help-baru", "").strip(),
            "type": request.POST.get("type-baru", "text"),
            "required": bool(request.POST.get("required-baru")),
            "choices": "\n".join(_choices(request.POST.get("choices-baru", ""))),
        }
        if new["type"] not in _NEW_FIELD_TYPES:
            errors["type-baru"] = _("Pilih jenis isian.")
        elif new["label"] and new["type"] == "select" and not new["choices"]:
            errors["choices-baru"] = _("Tulis pilihan jawaban, satu per baris.")
        elif new["type"] != "select" and new["choices"]:
            errors["choices-baru"] = _("Pilihan jawaban hanya untuk jenis isian select.")
        if not errors:
            rows = [
                catalogue_services.FormFieldRow(
                    key=r["key"],
                    label=r["label"],
                    help=r["help"],
                    required=r["required"],
                    choices=_choices(r["choices"]) if r["type"] == "select" else None,
                )
                for r in shown
            ]
            if new["label"]:
                rows.append(
                    catalogue_services.FormFieldRow(
                        key="",
                        label=new["label"],
                        help=new["help"],
                        required=new["required"],
                        type=new["type"],
                        choices=_choices(new["choices"]) or None,
                    )
                )
            try:
                created = catalogue_services.standard_form_edit(service=service, rows=rows, actor=request.user)
            except StandardFileError as exc:
                for path, problem in exc.problems:
                    errors[_form_error_key(path, sections, shown)] = problem
            except Conflict as exc:
                errors["__all__"] = exc.message
            else:
                messages.success(request, _("Konsep versi %(n)s disimpan.") % {"n": created.version})
                return redirect("staff:standard_version", office_slug=office.slug, code=code, number=created.version)
        status = 422
    for row in shown:
        row["error"] = errors.get(f"label-{row['key']}", "")
        row["choices_error"] = errors.get(f"choices-{row['key']}", "")
    context = {
        "office": office,
        "service": service,
        "newest": newest,
        "rows": shown,
        "new": new,
        "types": _NEW_FIELD_TYPES,
        "new_choices_error": errors.get("choices-baru", ""),
        "errors": errors,
    }
    return render(request, "staff/standards/form.html", context, status=status)


_ORIGINS = {
    letter_templates.SOURCE_SERVICE: _lazy("templat layanan ini"),
    letter_templates.SOURCE_OFFICE: _lazy("templat kantor untuk semua layanan"),
    letter_templates.SOURCE_DEFAULT: _lazy("templat bawaan satupintu"),
}


@require_http_methods(["GET", "POST"])
@staff_view
def letter_edit(request: HttpRequest, office_slug: str, code: str) -> HttpResponseBase:
    """
    The permit letter's Typst source for this service: preview it as KONSEP with the newest
    version's sample data (POST ``pratinjau``), save it (``simpan``: refused at the field when it
    does not compile), or go back to the office's or the shipped template (``kembalikan``).
    """
    office, service, newest = _to_edit(request, office_slug, code)
    current = letter_templates.permit_template_of(office, code)
    source = current.source
    errors: dict[str, str] = {}
    if request.method == "POST":
        source = request.POST.get("source", "")
        try:
            if "kembalikan" in request.POST:
                letter_templates.permit_template_reset(version=newest, actor=request.user)
                messages.success(request, _("Templat surat izin layanan ini dikembalikan ke templat kantor/bawaan."))
                return redirect("staff:standard_letter", office_slug=office.slug, code=code)
            if "pratinjau" in request.POST:
                pdf = letter_templates.permit_preview_pdf(newest, source=source.replace("\r\n", "\n"))
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="surat-izin-{code}-konsep.pdf"'
                response["Cache-Control"] = "private, no-store"
                return response
            letter_templates.permit_template_save(version=newest, source=source, actor=request.user)
        except InvalidData as exc:
            errors = dict(exc.errors)
        except RenderError as exc:
            errors = {"source": exc.message}
        else:
            messages.success(request, _("Templat surat izin layanan ini disimpan."))
            return redirect("staff:standard_letter", office_slug=office.slug, code=code)
    context = {
        "office": office,
        "service": service,
        "newest": newest,
        "source": source,
        "origin": str(_ORIGINS[current.origin]),
        "has_own": current.origin == letter_templates.SOURCE_SERVICE,
        "errors": errors,
    }
    return render(request, "staff/standards/letter.html", context, status=422 if errors else 200)
