"""
Forms of the applicant's pages. They parse what the browser sent; the rules live in the services.

The application form is built from the service definition's ``application_form``. Its fields are
all optional at the form level: which fields are required (renewal-only ones, ``required_unless``)
is decided by ``formdata.application_data_clean`` behind ``application_create`` and
``application_update_data``, whose errors per field the page shows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.applications.search import number_normalise
from satupintu.catalogue.schema import IDENTITY_PURPOSES, FormField, ServiceStandardSpec

#: The two kinds of application the first question asks about (URL value → renewal flag).
KINDS = {"baru": False, "perpanjangan": True}
#: A select with at most this many choices is shown as radios (GOV.UK: radios for a few options).
MAX_RADIOS = 5
#: What the browser's file picker offers per upload type of the standard.
ACCEPT = {"pdf": ".pdf", "jpg": ".jpg,.jpeg", "png": ".png"}


class KindForm(forms.Form):
    """The first question: a new application or a renewal."""

    jenis = forms.ChoiceField(
        label=_("Permohonan baru atau perpanjangan?"),
        choices=[("baru", _("Permohonan baru")), ("perpanjangan", _("Perpanjangan izin"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih permohonan baru atau perpanjangan.")},
    )


class SignupForm(forms.Form):
    """Sign-up: what the person typed. ``applicant_register`` validates and refuses duplicates."""

    full_name = forms.CharField(
        label=_("Nama lengkap (dengan gelar)"),
        max_length=200,
        help_text=_("Tulis seperti pada ijazah atau KTP, termasuk gelar, mis. “Rina Marlina, A.Md.Rad.”"),
        error_messages={"required": _("Nama lengkap wajib diisi.")},
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 angka, sesuai KTP."),
        error_messages={"required": _("NIK wajib diisi.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.CharField(
        label=_("Surel (e-mail)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=24,
        help_text=_("Mis. 081234567890. Pemberitahuan permohonan dikirim lewat SMS ke nomor ini."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Paling sedikit 10 karakter; jangan hanya angka dan jangan yang mudah ditebak."),
        error_messages={"required": _("Kata sandi wajib diisi.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        error_messages={"required": _("Ulangi kata sandi Anda.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama. Ketik ulang keduanya."))
        return cleaned


def _form_field(spec_field: FormField) -> forms.Field:
    """The Django field for one question; always optional here (the service decides)."""
    label = spec_field.label
    common: dict[str, Any] = {"label": label, "required": False, "help_text": spec_field.help}
    attrs: dict[str, Any] = {}
    if spec_field.type == "checkbox":
        return forms.BooleanField(**common)
    if spec_field.type == "select":
        choices = [(c, c) for c in spec_field.choices]
        if len(choices) <= MAX_RADIOS:
            return forms.CharField(widget=forms.RadioSelect(choices=choices), **common)
        return forms.CharField(widget=forms.Select(choices=[("", _("— Pilih —")), *choices]), **common)
    if spec_field.type == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "maxlength": spec_field.max_length}), **common)
    if spec_field.type == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if spec_field.type == "nik":
        attrs = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
    elif spec_field.type == "phone":
        attrs = {"type": "tel", "autocomplete": "tel"}
    elif spec_field.type == "email":
        attrs = {"type": "email", "autocomplete": "email", "spellcheck": "false"}
    elif spec_field.type == "number":
        # GOV.UK: a text input with a numeric keyboard, not type=number (which alters what was typed).
        attrs = {"inputmode": "numeric"}
    attrs["maxlength"] = spec_field.max_length
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


class ApplicationDataForm(forms.Form):
    """The application form of one service, for a new application or a renewal."""

    def __init__(self, *args: Any, spec: ServiceStandardSpec, renewal: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.renewal = renewal
        self.sections: list[dict[str, Any]] = []
        for section in spec.application_form:
            keys = [f.key for f in section.fields if renewal or not f.renewal_only]
            for spec_field in section.fields:
                if spec_field.key in keys:
                    self.fields[spec_field.key] = _form_field(spec_field)
                    if spec_field.purpose in IDENTITY_PURPOSES:
                        # NIK and name come from the account (issue 10): shown, not typed.
                        self.fields[spec_field.key].disabled = True
                        self.fields[spec_field.key].help_text = _(
                            "Diambil dari akun Anda dan tidak dapat diubah pada permohonan."
                        )
            if keys:
                self.sections.append({"title": section.title, "keys": keys})
        self.spec_fields = {f.key: f for f in spec.form_fields()}

    def section_fields(self) -> list[dict[str, Any]]:
        """The sections with their bound fields and the definition of each, for the template."""
        return [
            {
                "title": s["title"],
                "fields": [{"bound": self[key], "spec": self.spec_fields[key]} for key in s["keys"]],
            }
            for s in self.sections
        ]

    def data_for_service(self) -> dict[str, Any]:
        """What the applicant typed, for ``application_create``/``application_update_data`` to validate."""
        return {key: value for key, value in self.cleaned_data.items()}


class UploadForm(forms.Form):
    """One file per applicable requirement; only the chosen ones are sent to ``document_attach``."""

    def __init__(self, *args: Any, requirement_keys: list[str], accept: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in requirement_keys:
            self.fields[f"berkas_{key}"] = forms.FileField(
                required=False, widget=forms.FileInput(attrs={"accept": accept})
            )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackForm(forms.Form):
    """Public tracking: the registration number and the short code printed on the receipt."""

    nomor = forms.CharField(
        label=_("Nomor registrasi"),
        max_length=40,
        help_text=_("Tertulis pada tanda terima."),
        error_messages={"required": _("Tulis nomor registrasi.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    kode = forms.CharField(
        label=_("Kode pelacakan"),
        max_length=12,
        help_text=_("6 huruf/angka pada tanda terima."),
        error_messages={"required": _("Tulis kode pelacakan.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, example: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if example:
            self.fields["nomor"].help_text = _("Tertulis pada tanda terima, mis. %(example)s.") % {"example": example}

    def clean_nomor(self) -> str:
        # People type what they read in whatever case their keyboard gives: "pku-2026-000123 ".
        return number_normalise(self.cleaned_data["nomor"])

    def clean_kode(self) -> str:
        return number_normalise(self.cleaned_data["kode"])


def accept_for(spec: ServiceStandardSpec) -> str:
    """The ``accept`` attribute of the file inputs: the types the standard allows."""
    return ",".join(ACCEPT[t] for t in spec.uploads.types)
