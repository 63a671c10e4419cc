"""
Officers' document pages: the permit PDF (a KONSEP preview until it is signed, then the signed
file), the revocation form of the Kepala Dinas, the printable control card and receipt as PDF,
the refusal and return letters, the notice letter of a front-office task, and the Standar
Pelayanan and SOP diagram of a service.

Rules live in ``documents.services`` / ``selectors``; these views parse, call and render.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import Action, grant_for, require, roles_in
from satupintu.accounts.roles import Role
from satupintu.applications import selectors
from satupintu.applications.models import Permit
from satupintu.catalogue.selectors import service_get
from satupintu.core.errors import Conflict, InvalidData
from satupintu.core.models import AccessKind
from satupintu.core.selectors import office_get
from satupintu.documents import printouts
from satupintu.documents import selectors as documents
from satupintu.documents.services import permit_download, permit_pdf_render, permit_revoke
from satupintu.notifications.models import OfficeTask
from satupintu.staff.views import staff_view


def _pdf(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def permit_pdf(request: HttpRequest, number: str) -> HttpResponseBase:
    """
    The signed permit once issued; before that a KONSEP preview without number or QR. Both follow
    the one masking rule: a role without the right to personal data gets the KONSEP masked and no
    signed file (it carries the holder's NIK, birth date and photo); every read is recorded.
    """
    app = selectors.application_for_staff(number=number, user=request.user)
    view = selectors.application_view(app, request.user)
    permit = Permit.objects.filter(application=app).first()
    document = documents.latest_permit_document(permit) if permit is not None else None
    if document is not None and request.GET.get("konsep") != "1":
        signed = permit_download(number=app.number, user=request.user)
        return _pdf(
            documents.read_file(signed),
            f"surat-izin-{app.number}-v{signed.version}.pdf",
            download=request.GET.get("unduh") == "1",
        )
    if app.status in {"rejected", "withdrawn", "lapsed"}:
        raise Http404(_("Permohonan ini tidak menghasilkan surat izin."))
    if view.may_see_personal:
        selectors.application_read(app, request.user, kind=AccessKind.PERMIT_DRAFT)
    pdf = permit_pdf_render(app, None, draft=True, may_see_personal=view.may_see_personal)
    return _pdf(pdf, f"konsep-surat-izin-{app.number}.pdf")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pencabutan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Alasan ini dicatat pada kartu kendali dan catatan audit."),
    )


@staff_view
def permit_revoke_view(request: HttpRequest, number: str) -> HttpResponseBase:
    """The Kepala Dinas (or Plh) revokes the permit with a reason."""
    app = selectors.application_for_staff(number=number, user=request.user)
    permit = get_object_or_404(Permit, application=app)
    if grant_for(request.user, app.office, Role.KEPALA_DINAS) is None:
        return render(
            request,
            "staff/refused.html",
            {"message": _("Hanya Kepala Dinas (atau Plh-nya) yang dapat mencabut surat izin.")},
            status=403,
        )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            permit_revoke(permit=permit, actor=request.user, reason=form.cleaned_data["reason"])
        except (Conflict, InvalidData) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Surat izin %(number)s telah dicabut.") % {"number": permit.number})
            return redirect("staff:application", number=app.number)
    return render(
        request,
        "staff/documents/revoke.html",
        {"app": app, "permit": permit, "form": form, "status": documents.permit_status(permit)},
        status=422 if form.errors else 200,
    )


@staff_view
def card_pdf(request: HttpRequest, number: str) -> HttpResponseBase:
    app = selectors.application_for_staff(number=number, user=request.user)
    return _pdf(printouts.card_pdf(app), f"kartu-kendali-{app.number}.pdf")


@staff_view
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponseBase:
    app = selectors.application_for_staff(number=number, user=request.user)
    return _pdf(printouts.receipt_pdf(app), f"tanda-terima-{app.number}.pdf")


@staff_view
def letter_pdf(request: HttpRequest, number: str, kind: str) -> HttpResponseBase:
    """``penolakan`` (refusal) or ``pengembalian`` (return for completion)."""
    app = selectors.application_for_staff(number=number, user=request.user)
    render_letter = {"penolakan": printouts.refusal_letter_pdf, "pengembalian": printouts.return_letter_pdf}.get(kind)
    if render_letter is None:
        raise Http404(_("Jenis surat tidak dikenal."))
    try:
        data = render_letter(app)
    except Conflict as exc:
        raise Http404(exc.message) from None
    return _pdf(data, f"surat-{kind}-{app.number}.pdf")


@staff_view
def bap_pdf(request: HttpRequest, number: str) -> HttpResponseBase:
    """The Berita Acara Pemeriksaan of the Tim Teknis (from the BAP recorded at the inspection step)."""
    app = selectors.application_for_staff(number=number, user=request.user)
    try:
        data = printouts.bap_pdf(app)
    except Conflict as exc:
        raise Http404(exc.message) from None
    return _pdf(data, f"bap-{app.number}.pdf")


@staff_view
def revocation_letter_pdf(request: HttpRequest, number: str) -> HttpResponseBase:
    """The stored letter that revoked the permit."""
    app = selectors.application_for_staff(number=number, user=request.user)
    letter = documents.revocation_letter_of(app)
    if letter is None:
        raise Http404(_("Surat izin permohonan ini tidak dicabut."))
    return _pdf(documents.read_file(letter), f"surat-pencabutan-{app.number}.pdf")


@staff_view
def notice_letter_pdf(request: HttpRequest, office_slug: str, pk: int) -> HttpResponseBase:
    """The *surat pemberitahuan* of a front-office task, as a printable PDF letter."""
    office = office_get(office_slug)
    task = get_object_or_404(OfficeTask.objects.select_related("notice", "application"), pk=pk, office=office)
    if task.role not in roles_in(request.user, office):
        require(request.user, Action.MANAGE_NOTICES, office)
    if task.application is None or task.notice is None:
        raise Http404(_("Tugas ini tidak memiliki surat."))
    data = printouts.notice_letter_pdf(task.application, body=task.notice.text, at=task.notice.created_at)
    return _pdf(data, f"surat-pemberitahuan-{task.application.number}.pdf")


@staff_view
def standard_pdf(request: HttpRequest, office_slug: str, code: str, kind: str) -> HttpResponseBase:
    """``standar`` (the Standar Pelayanan) or ``sop`` (the SOP diagram) of one of the office's services."""
    office = office_get(office_slug)
    require(request.user, Action.VIEW_STAFF_PAGES, office)
    _service, _version, spec = service_get(office=office, code=code)
    if kind == "standar":
        return _pdf(printouts.standard_pdf(spec, office), f"standar-pelayanan-{code}.pdf")
    if kind == "sop":
        return _pdf(printouts.sop_pdf(spec, office), f"sop-{code}.pdf")
    raise Http404(_("Jenis dokumen tidak dikenal."))
