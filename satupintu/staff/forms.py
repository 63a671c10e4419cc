"""
Forms of the staff pages.

The counter's registration form is generated from the service definition's ``application_form``
(one Django field per ``FormField``, grouped by section). It only shapes the input: every field is
optional here and the values go to ``services.application_create`` unchanged, whose
``formdata.application_data_clean`` is the one validation (required fields, NIK, phone, dates,
choices) for the portal, the counter and the API; its errors come back per field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _

from satupintu.catalogue.schema import FormField, ServiceStandardSpec

NEW, RENEWAL = "baru", "perpanjangan"
#: The name of the new/renewal radio; no form field key of a standard starts with an underscore.
KIND_FIELD = "jenis_permohonan_"


def _widget(field: FormField) -> forms.Widget:
    attrs: dict[str, Any] = {}
    if field.type in {"text", "nik", "phone", "email", "number"}:
        attrs["maxlength"] = field.max_length
    if field.type == "textarea":
        return forms.Textarea(attrs={"rows": 3, "maxlength": field.max_length})
    if field.type == "date":
        return forms.TextInput(attrs={"type": "date"})
    if field.type == "nik":
        return forms.TextInput(attrs={**attrs, "inputmode": "numeric", "autocomplete": "off", "maxlength": 16})
    if field.type == "phone":
        return forms.TextInput(attrs={**attrs, "type": "tel", "autocomplete": "off"})
    if field.type == "email":
        return forms.TextInput(attrs={**attrs, "type": "email", "autocomplete": "off", "spellcheck": "false"})
    if field.type == "number":
        return forms.TextInput(attrs={**attrs, "inputmode": "numeric"})
    if field.type == "select":
        return forms.Select(choices=[("", _("— Pilih —")), *((c, c) for c in field.choices)])
    return forms.TextInput(attrs=attrs)


def field_for(field: FormField) -> forms.Field:
    """The Django field that asks one question of the application form."""
    optional = not field.required and field.type != "checkbox"
    label = _("%(label)s (tidak wajib)") % {"label": field.label} if optional else field.label
    hints = [field.help] if field.help else []
    if field.renewal_only:
        hints.append(_("Diisi hanya untuk perpanjangan."))
    help_text = " ".join(hints)
    django_field: forms.Field
    if field.type == "checkbox":
        django_field = forms.BooleanField(label=label, required=False, help_text=help_text)
    else:
        django_field = forms.CharField(label=label, required=False, help_text=help_text, widget=_widget(field))
    if help_text:
        django_field.widget.attrs["aria-describedby"] = f"id_{field.key}-hint"
    return django_field


class CounterApplicationForm(forms.Form):
    """The application form of one service, as the front office fills it in at the counter."""

    def __init__(self, *args: Any, spec: ServiceStandardSpec, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields[KIND_FIELD] = forms.ChoiceField(
            label=_("Jenis permohonan"),
            choices=[(NEW, _("Permohonan baru")), (RENEWAL, _("Perpanjangan"))],
            initial=NEW,
            widget=forms.RadioSelect,
        )
        self.section_keys: list[tuple[str, list[str]]] = []
        for section in spec.application_form:
            keys = []
            for form_field in section.fields:
                self.fields[form_field.key] = field_for(form_field)
                keys.append(form_field.key)
            self.section_keys.append((section.title, keys))

    def sections(self) -> list[tuple[str, list[BoundField]]]:
        """The form's questions grouped as the service definition groups them."""
        return [(title, [self[key] for key in keys]) for title, keys in self.section_keys]

    @property
    def renewal(self) -> bool:
        return self.cleaned_data.get(KIND_FIELD) == RENEWAL

    def application_data(self) -> dict[str, Any]:
        """The answers keyed as the service definition names them."""
        return {key: value for key, value in self.cleaned_data.items() if key != KIND_FIELD}

    def add_domain_errors(self, errors: dict[str, str]) -> None:
        """Show the domain's validation errors next to their questions."""
        for key, message in errors.items():
            self.add_error(key if key in self.fields else None, message)
