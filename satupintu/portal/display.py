"""
What the applicant's pages show, shaped for the templates: fields with their hints and errors,
the error summary, answers by section, the current step in plain words, a permit's validity.

Presentation only: nothing here decides what is allowed or valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext as _

from satupintu.accounts.roles import Role
from satupintu.applications.models import Application, Document, Permit, Status
from satupintu.catalogue.schema import IDENTITY_PURPOSES, FormField, Requirement, ServiceStandardSpec
from satupintu.catalogue.step_kinds import KINDS
from satupintu.core.validators import display_phone


@dataclass
class FieldView:
    """One question as the template draws it (GOV.UK: label, hint, error, input)."""

    name: str
    id: str
    label: str
    kind: str  # "input", "radios", "checkbox", "file"
    html: str = ""
    hint: str = ""
    errors: list[str] = field(default_factory=list)
    optional: bool = False
    radios: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.id}_0" if self.kind == "radios" else self.id


def field_view(bound: forms.BoundField, *, optional: bool = False, hint: str = "") -> FieldView:
    """Draw a bound field with ``aria-describedby`` pointing at its hint and its error."""
    widget = bound.field.widget
    input_id = bound.auto_id or f"id_{bound.name}"
    hint = hint or str(bound.help_text or "")
    errors = [str(e) for e in bound.errors]
    described = " ".join(
        part for part, present in ((f"{input_id}-hint", hint), (f"{input_id}-error", errors)) if present
    )
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = described
    if errors:
        attrs["aria-invalid"] = "true"
    if isinstance(widget, forms.RadioSelect):
        current = str(bound.value() or "")
        radios = [
            {"id": f"{input_id}_{i}", "value": str(value), "label": str(label), "checked": str(value) == current}
            for i, (value, label) in enumerate(widget.choices)
        ]
        return FieldView(bound.name, input_id, str(bound.label), "radios", "", hint, errors, optional, radios)
    kind = "checkbox" if isinstance(widget, forms.CheckboxInput) else "input"
    if isinstance(widget, forms.FileInput):
        kind = "file"
    return FieldView(bound.name, input_id, str(bound.label), kind, bound.as_widget(attrs=attrs), hint, errors, optional)


def error_summary(form: forms.Form | None = None, *, views: list[FieldView] | None = None) -> list[dict[str, str]]:
    """The errors for the summary at the top: each message, linked to its field when it has one."""
    rows: list[dict[str, str]] = []
    if form is not None:
        rows += [{"message": str(e), "anchor": ""} for e in form.non_field_errors()]
    for view in views or []:
        rows += [{"message": e, "anchor": view.anchor} for e in view.errors]
    # One problem about two fields (e.g. "e-mail or phone") is listed once, linked to the first.
    unique: dict[str, dict[str, str]] = {}
    for row in rows:
        unique.setdefault(row["message"], row)
    return list(unique.values())


def form_field_hint(spec_field: FormField, spec: ServiceStandardSpec) -> str:
    """The field's help text, plus when it stops being required (``required_unless``)."""
    if spec_field.purpose in IDENTITY_PURPOSES:
        return _("Diambil dari akun Anda dan tidak dapat diubah pada permohonan.")
    hint = spec_field.help
    if spec_field.required_unless:
        other = next((f for f in spec.form_fields() if f.key == spec_field.required_unless), None)
        if other is not None:
            unless = _("Tidak perlu diisi bila “%(label)s” dicentang.") % {"label": other.label}
            hint = f"{hint} {unless}".strip()
    return hint


def application_field_views(form: Any) -> list[dict[str, Any]]:
    """The application form's sections with their questions drawn."""
    sections = []
    for section in form.section_fields():
        views = []
        for item in section["fields"]:
            spec_field: FormField = item["spec"]
            optional = not spec_field.required and spec_field.type != "checkbox"
            views.append(field_view(item["bound"], optional=optional, hint=form_field_hint(spec_field, form.spec)))
        sections.append({"title": section["title"], "fields": views})
    return sections


def answer_text(spec_field: FormField, value: Any) -> str:
    """An answer as the applicant reads it back on “check your answers”."""
    if spec_field.type == "checkbox":
        return _("Ya") if value else _("Tidak")
    if value in (None, ""):
        return ""
    if spec_field.type == "date":
        try:
            return dateformat.format(dt.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if spec_field.type == "phone":
        return display_phone(str(value))
    return str(value)


def answers_by_section(spec: ServiceStandardSpec, application: Application) -> list[dict[str, Any]]:
    """The application's data by section of the form, the way the applicant typed it in."""
    sections = []
    for section in spec.application_form:
        rows = [
            {
                "key": f.key,
                "label": f.label,
                "value": answer_text(f, application.data.get(f.key)),
                "from_account": f.purpose in IDENTITY_PURPOSES,
            }
            for f in section.fields
            if application.renewal or not f.renewal_only
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})
    return sections


def requirement_hints(requirement: Requirement) -> list[str]:
    """Short tags for a requirement: how many, a legalised copy, the original."""
    hints = []
    if requirement.quantity > 1:
        hints.append(_("%(n)s lembar") % {"n": requirement.quantity})
    if requirement.legalised:
        hints.append(_("fotokopi dilegalisir basah"))
    elif requirement.photocopy:
        hints.append(_("fotokopi"))
    if requirement.original:
        hints.append(_("asli"))
    if requirement.renewal_only:
        hints.append(_("khusus perpanjangan"))
    return hints


def requirement_rows(
    spec: ServiceStandardSpec, application: Application, documents: list[Document]
) -> list[dict[str, Any]]:
    """Each applicable requirement with its active upload, if any."""
    by_key = {d.requirement_key: d for d in documents}
    return [
        {"requirement": r, "hints": requirement_hints(r), "document": by_key.get(r.key)}
        for r in spec.requirements_for(renewal=application.renewal)
    ]


def originals_to_bring(spec: ServiceStandardSpec, application: Application) -> list[dict[str, Any]]:
    """
    The papers the applicant brings to the counter besides the uploads: the originals and the
    wet-legalised copies the standard names (``original`` / ``legalised``), for this application
    (new or renewal), each with what exactly to bring.
    """
    rows = []
    for requirement in spec.requirements_for(renewal=application.renewal):
        if not (requirement.original or requirement.legalised):
            continue
        if requirement.original:
            what = _("dokumen asli")
        else:
            what = _("fotokopi dilegalisir basah, %(n)s lembar") % {"n": requirement.quantity}
        rows.append({"requirement": requirement, "what": what})
    return rows


def role_text(role: str) -> str:
    """Who holds the file, in the applicant's words."""
    if role == Role.PEMOHON:
        return _("Anda (pemohon)")
    return str(Role(role).label) if role in Role.values else role


def current_step(spec: ServiceStandardSpec, application: Application) -> dict[str, str] | None:
    """The step the file is at: its number as the standard prints it, what happens there, who does it."""
    if application.current_step is None:
        return None
    step = spec.step(application.current_step)
    if KINDS[step.kind].waiting_status == Status.RETURNED:
        # The seed's row 1 describes asking for information; here the file waits for the applicant.
        activity = (
            _("Pemohon melengkapi berkas lalu mengajukan kembali.")
            if application.submitted_at
            else _("Pemohon mengisi formulir, mengunggah berkas, lalu mengajukan permohonan.")
        )
    else:
        activity = step.activity.strip().splitlines()[0].lstrip("-–• ").strip()
    return {
        "label": step.label or str(step.number),
        "activity": activity,
        "role": role_text(application.current_role),
    }


def permit_validity(spec: ServiceStandardSpec, permit: Permit) -> str:
    """Until when the permit is valid, in words."""
    if permit.valid_until is not None:
        return dateformat.format(permit.valid_until, "j F Y")
    if spec.permit.validity == "follows_str":
        return _("Mengikuti masa berlaku STR (STR berlaku seumur hidup)")
    return _("Seumur hidup")
