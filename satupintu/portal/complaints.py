"""
Public complaint pages (seed clause 6 a.2, "Website"): file a complaint, suggestion or input, get a
ticket and a code, and follow it to the answer. Anonymous and confidential complaints are allowed;
the status page never shows who complained or which officer acted.

Views parse the form, call ``complaints.services`` / ``selectors`` and render.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from satupintu.complaints import selectors, services
from satupintu.complaints.models import ComplaintChannel, Kind, Rating
from satupintu.core.errors import Conflict, InvalidData, NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get
from satupintu.core.throttle import Throttled
from satupintu.portal import display

#: Service errors (``complaint_register``) → form fields.
FIELDS = {
    "kind": "jenis",
    "category": "kategori",
    "description": "isi",
    "name": "nama",
    "email": "surel",
    "phone": "hp",
    "application": "nomor_permohonan",
    "attachment": "lampiran",
}
RECEIPT_KEY = "complaint_receipt"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks are the service's (``complaint_register``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(forms.Form):
    jenis = forms.ChoiceField(
        label=_("Apa yang ingin Anda sampaikan?"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih pengaduan, saran atau masukan.")},
    )
    kategori = forms.ChoiceField(label=_("Tentang apa?"), required=False)
    isi = forms.CharField(
        label=_("Isi pengaduan, saran atau masukan"),
        help_text=_("Ceritakan apa yang terjadi, kapan, dan di mana. Jangan menulis NIK atau kata sandi."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tuliskan isi pengaduan, saran atau masukan Anda.")},
    )
    nomor_permohonan = forms.CharField(
        label=_("Nomor registrasi permohonan"),
        required=False,
        max_length=40,
        help_text=_("Bila pengaduan ini tentang permohonan Anda, mis. PKU-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    lampiran = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        help_text=_(
            "Foto atau pindaian pendukung, mis. kuitansi atau surat: PDF, JPG atau PNG, paling banyak "
            "%(n)s berkas, masing-masing paling besar %(mb)s MB."
        )
        % {"n": services.ATTACHMENT_MAX_COUNT, "mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )
    nama = forms.CharField(
        label=_("Nama"),
        required=False,
        max_length=200,
        help_text=_("Wajib diisi, kecuali Anda memilih menyampaikan tanpa nama (anonim)."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    surel = forms.CharField(
        label=_("Surel (e-mail)"),
        required=False,
        max_length=254,
        help_text=_("Tanggapan dikirim ke alamat ini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    hp = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=20,
        help_text=_("Untuk pemberitahuan lewat SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    anonim = forms.BooleanField(label=_("Sampaikan tanpa nama (anonim)"), required=False)
    rahasia = forms.BooleanField(
        label=_("Rahasiakan identitas saya"),
        required=False,
        help_text=_("Identitas Anda hanya dibaca petugas pengelola pengaduan."),
    )

    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kategori"]).choices = [("", _("— pilih —"))] + [
            (c.code, c.name) for c in selectors.categories_for(office)
        ]


class StatusForm(forms.Form):
    tiket = forms.CharField(
        label=_("Nomor tiket"),
        max_length=40,
        error_messages={"required": _("Masukkan nomor tiket.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kode = forms.CharField(
        label=_("Kode pengaduan"),
        max_length=12,
        error_messages={"required": _("Masukkan kode pengaduan.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class RatingForm(forms.Form):
    """The complainant's word on the answer, posted with the ticket and the code."""

    tiket = forms.CharField(max_length=40, widget=forms.HiddenInput)
    kode = forms.CharField(max_length=12, widget=forms.HiddenInput)
    penilaian = forms.ChoiceField(
        label=_("Apakah tanggapan ini menyelesaikan pengaduan Anda?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih puas atau tidak puas.")},
    )
    alasan = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        help_text=_(
            "Wajib bila tidak puas: pengaduan Anda dibuka kembali dan ditangani pimpinan satu tingkat di atasnya."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _office(request: HttpRequest) -> Office:
    slug = request.GET.get("kantor") or request.POST.get("kantor")
    try:
        return office_get(slug) if slug else office_default()
    except NotFound as exc:
        raise Http404(exc.message) from None


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public form (seed a.2); on success the receipt page with the ticket and the code."""
    office = _office(request)
    form = ComplaintForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user if request.user.is_authenticated else None
        try:
            complaint = services.complaint_register(
                office=office,
                channel=ComplaintChannel.WEBSITE,
                kind=data["jenis"],
                category=data["kategori"],
                description=data["isi"],
                application_number=data["nomor_permohonan"],
                name=data["nama"],
                email=data["surel"],
                phone=data["hp"],
                anonymous=data["anonim"],
                confidential=data["rahasia"],
                source="formulir web",
                complainant_user=None if data["anonim"] else user,
                attachments=[(f.name, f) for f in data["lampiran"]],
            )
        except InvalidData as exc:
            for key, message in exc.errors.items():
                form.add_error(FIELDS.get(key) if FIELDS.get(key) in form.fields else None, message)
        else:
            request.session[RECEIPT_KEY] = {"ticket": complaint.ticket, "code": complaint.access_code}
            return redirect("complaints_public:receipt", ticket=complaint.ticket)
    views = {name: display.field_view(form[name], optional=not form.fields[name].required) for name in form.fields}
    views["jenis"].optional = views["nama"].optional = False
    return render(
        request,
        "portal/complaints/form.html",
        {
            "office": office,
            "form": form,
            "fields": views,
            "errors": display.error_summary(form, views=list(views.values())),
        },
    )


def complaint_receipt(request: HttpRequest, ticket: str) -> HttpResponse:
    """The confirmation: ticket and code, shown to the browser that filed the complaint."""
    receipt = request.session.get(RECEIPT_KEY) or {}
    if receipt.get("ticket") != ticket:
        raise Http404(_("Tanda terima tidak tersedia. Lihat status dengan nomor tiket dan kode Anda."))
    complaint = selectors.complaint_by_ticket(ticket)
    status_url = request.build_absolute_uri(reverse("complaints_public:status") + f"?tiket={ticket}")
    return render(
        request,
        "portal/complaints/receipt.html",
        {"office": complaint.office, "complaint": complaint, "code": receipt["code"], "status_url": status_url},
    )


def _status_page(
    request: HttpRequest, form: StatusForm, result: dict | None, rating: RatingForm | None = None, status: int = 200
) -> HttpResponse:
    views = [display.field_view(form["tiket"]), display.field_view(form["kode"])]
    rating_views = None
    if result and result.get("can_rate"):
        if rating is None:
            rating = RatingForm(initial={"tiket": result["ticket"], "kode": form.cleaned_data.get("kode", "")})
        rating_views = {
            "penilaian": display.field_view(rating["penilaian"]),
            "alasan": display.field_view(rating["alasan"]),
        }
    errors = display.error_summary(form, views=views)
    if rating is not None and rating_views:
        errors += display.error_summary(rating, views=list(rating_views.values()))
    return render(
        request,
        "portal/complaints/status.html",
        {
            "form": form,
            "fields": views,
            "result": result,
            "rating_form": rating,
            "rating_fields": rating_views,
            "errors": errors,
        },
        status=status,
    )


def _lookup(request: HttpRequest, form: StatusForm) -> Any:
    try:
        complaint = selectors.complaint_public(
            ticket=form.cleaned_data["tiket"],
            code=form.cleaned_data["kode"],
            client=request.META.get("REMOTE_ADDR", ""),
        )
    except Throttled as exc:
        form.add_error(None, exc.message)
        return None
    if complaint is None:
        form.add_error(None, _("Nomor tiket atau kode tidak cocok."))
    return complaint


@require_http_methods(["GET", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    """Follow a complaint by ticket and code: its status, its steps and the answer; nothing personal."""
    source = request.POST if request.method == "POST" else request.GET
    submitted = request.method == "POST" or ("tiket" in source and "kode" in source)
    form = StatusForm(source if submitted else None, initial={"tiket": source.get("tiket", "")[:40]})
    result = None
    if submitted and form.is_valid():
        complaint = _lookup(request, form)
        if complaint is not None:
            result = {**selectors.public_status(complaint), "office": complaint.office}
    return _status_page(request, form, result)


@require_http_methods(["POST"])
def complaint_rate(request: HttpRequest) -> HttpResponse:
    """The complainant rates the answer; "not satisfied" reopens the complaint one level up."""
    form = StatusForm(request.POST)
    rating: RatingForm | None = RatingForm(request.POST)
    if not form.is_valid():
        return _status_page(request, form, None, status=422)
    complaint = _lookup(request, form)
    if complaint is None:
        return _status_page(request, form, None, status=404)
    status = 200
    assert rating is not None
    if rating.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint, rating=rating.cleaned_data["penilaian"], reason=rating.cleaned_data["alasan"]
            )
        except InvalidData as exc:
            for key, message in exc.errors.items():
                rating.add_error({"rating": "penilaian", "reason": "alasan"}.get(key), message)
            status = 422
        except Conflict as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            messages.success(
                request,
                _("Terima kasih. Penilaian Anda dicatat.")
                if rating.cleaned_data["penilaian"] == Rating.SATISFIED
                else _("Penilaian Anda dicatat. Pengaduan dibuka kembali dan diteruskan kepada pimpinan."),
            )
            rating = None
    else:
        status = 422
    complaint = selectors.complaint_by_ticket(complaint.ticket)
    result = {**selectors.public_status(complaint), "office": complaint.office}
    return _status_page(request, form, result, rating=rating, status=status)
