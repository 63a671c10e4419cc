"""
The public permit verification page, ``/verifikasi/<code>/`` (DESIGN §7, §12): the page the QR on
every permit opens. Shows whether the permit is authentic, its status and its key facts only;
a PDF uploaded here is checked against the files this office issued.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from satupintu.core.errors import NotFound, PermissionDenied
from satupintu.documents import printouts
from satupintu.documents.selectors import (
    UPLOAD_MAX_BYTES,
    application_for_documents,
    permit_file_for,
    permit_verify,
    read_file,
    uploaded_pdf_check,
)


class VerifyUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas PDF surat izin"),
        help_text=_(
            "Unggah berkas PDF yang Anda terima untuk memastikan berkas itu asli dan tidak diubah (maks. 10 MB)."
        ),
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the permit's authenticity, status and key facts; POST checks an uploaded PDF."""
    verification = permit_verify(code)
    if verification is None:
        raise Http404(_("Kode verifikasi tidak dikenal."))
    verdict = None
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        if upload.size > UPLOAD_MAX_BYTES:
            form.add_error("berkas", _("Berkas terlalu besar (maksimal 10 MB)."))
        else:
            verdict = uploaded_pdf_check(upload, office_id=verification.permit.office_id)
            if verdict.genuine and verdict.verification and verdict.verification.permit.pk != verification.permit.pk:
                verdict.genuine = False
                verdict.message = str(
                    _("Berkas ini asli, tetapi untuk surat izin lain — bukan surat izin pada halaman ini.")
                )
    response = render(
        request,
        "portal/verify.html",
        {"v": verification, "permit": verification.permit, "form": form, "verdict": verdict},
    )
    response["Cache-Control"] = "no-store"  # the status can change (revocation)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the applicant's own documents --------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def permit_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant downloads their signed permit (once ready); another user gets 404."""
    try:
        document = permit_file_for(number=number, user=request.user)
    except (NotFound, PermissionDenied) as exc:
        raise Http404(exc.message) from None
    return _pdf(read_file(document), f"surat-izin-{number}.pdf")


@login_required
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's tanda terima as a PDF; another user gets 404."""
    try:
        application, _is_officer = application_for_documents(number=number, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return _pdf(printouts.receipt_pdf(application), f"tanda-terima-{number}.pdf")
