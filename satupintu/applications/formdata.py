"""
Validate the application form's data against the service definition (its ``application_form``).

The same rules serve the applicant's form, the counter's form and the API: field types, required
fields (renewal-only ones only for a renewal; ``required_unless`` a checkbox is ticked), and
Indonesian messages per field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.catalogue.schema import FormField, ServiceStandardSpec
from satupintu.core.validators import normalise_phone, parse_nik

FieldErrors = dict[str, str]
#: The Application columns that copy the applicant's identity from the form (by a field's ``purpose``).
APPLICANT_COLUMNS = ("applicant_name", "applicant_nik", "applicant_phone", "applicant_email", "applicant_address")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "ya", "yes"}
    return bool(value)


def _clean(field: FormField, value: Any, today: dt.date | None = None) -> Any:
    """Return the cleaned value or raise ValidationError (Indonesian)."""
    if field.type == "checkbox":
        return _truthy(value)
    if not isinstance(value, str | int | float):
        raise ValidationError(_("Isian tidak sah."))
    text = str(value).strip()
    if len(text) > field.max_length:
        raise ValidationError(_("Paling banyak %(n)s karakter.") % {"n": field.max_length})
    if field.type == "nik":
        return parse_nik(text).nik
    if field.type == "phone":
        return normalise_phone(text)
    if field.type == "email":
        validate_email(text)
        return text.lower()
    if field.type == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("Tanggal tidak sah; gunakan format TTTT-BB-HH.")) from None
        _check_date_rule(field, day, today or timezone.localdate())
        return day.isoformat()
    if field.type == "number":
        try:
            return int(text)
        except ValueError:
            raise ValidationError(_("Harus berupa angka.")) from None
    if field.type == "select" and text not in field.choices:
        raise ValidationError(_("Pilih salah satu: %(choices)s.") % {"choices": ", ".join(field.choices)})
    return text


def _check_date_rule(field: FormField, day: dt.date, today: dt.date) -> None:
    """A birth date lies in the past; a validity date (STR berlaku sampai) must not have passed."""
    rule = field.date_rule or ("past" if field.purpose == "applicant_birth_date" else "")
    if rule == "past" and day >= today:
        raise ValidationError(_("%(label)s harus tanggal yang sudah lewat.") % {"label": field.label})
    if rule == "future" and day < today:
        raise ValidationError(
            _("%(label)s sudah lewat (%(date)s); masa berlakunya habis.") % {"label": field.label, "date": day}
        )


def field_clean(field: FormField, value: Any) -> Any:
    """Clean one value as the form does; raise ValueError with the Indonesian message."""
    if _is_blank(value) and field.type != "checkbox":
        if field.required:
            raise ValueError(_("%(label)s wajib diisi.") % {"label": field.label})
        return ""
    try:
        return _clean(field, value)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


def application_data_clean(
    spec: ServiceStandardSpec, data: dict[str, Any], *, renewal: bool, today: dt.date | None = None
) -> tuple[dict, FieldErrors]:
    """
    Return (clean data, errors by field key). Unknown keys are dropped. ``today`` (the office's
    date) bounds dates that must be past or future.
    """
    fields = spec.form_fields()
    clean: dict[str, Any] = {}
    errors: FieldErrors = {}
    for field in fields:
        if field.renewal_only and not renewal:
            continue
        value = data.get(field.key)
        if _is_blank(value) and field.type != "checkbox":
            exempt = field.required_unless and _truthy(data.get(field.required_unless))
            if field.required and not exempt:
                errors[field.key] = _("%(label)s wajib diisi.") % {"label": field.label}
            continue
        try:
            clean[field.key] = _clean(field, value, today)
        except ValidationError as exc:
            errors[field.key] = " ".join(exc.messages)
    return clean, errors


def applicant_columns(spec: ServiceStandardSpec, clean: dict[str, Any]) -> dict[str, str]:
    """The applicant identity the form's ``purpose`` fields carry, as Application column values."""
    columns = dict.fromkeys(APPLICANT_COLUMNS, "")
    for field in spec.form_fields():
        if field.purpose in columns and field.key in clean:
            columns[field.purpose] = str(clean[field.key])
    return columns
