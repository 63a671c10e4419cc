"""
Public pages of the satisfaction survey: the questionnaire reached from the invitation link (or
its QR code) — anonymous, one respondent per invitation — and the published IKM results.

The permit download never depends on answering (DOMAIN: do not gate the permit on the survey).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from satupintu.catalogue.models import Service
from satupintu.core.errors import Conflict, InvalidData, NotFound, PermissionDenied
from satupintu.core.selectors import office_default, office_get
from satupintu.portal.caching import public_page
from satupintu.surveys import selectors, services
from satupintu.surveys.ikm import GRADES
from satupintu.surveys.invitations import invitation_application, invitation_used
from satupintu.surveys.models import AgeBand, Education, Occupation, Sex
from satupintu.surveys.periods import PeriodInvalid, period_parse

PROFILE_FIELDS = [
    ("sex", gettext_lazy("Jenis kelamin"), Sex.choices),
    ("age_band", gettext_lazy("Usia"), AgeBand.choices),
    ("education", gettext_lazy("Pendidikan terakhir"), Education.choices),
    ("occupation", gettext_lazy("Pekerjaan utama"), Occupation.choices),
]


def _context(errors: dict[str, str], values: dict[str, str]) -> dict[str, Any]:
    return {
        "questions": [
            {"element": e, "error": errors.get(code, ""), "value": values.get(code, "")}
            for code, e in selectors.elements_of().items()
        ],
        "profile_fields": [
            {"name": name, "label": label, "choices": choices, "value": values.get(name, ""), "error": errors.get(name)}
            for name, label, choices in PROFILE_FIELDS
        ],
        "errors": errors,
        "suggestion": values.get("saran", ""),
    }


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire of one invitation: nine questions and an optional profile, then thanks."""
    try:
        application = invitation_application(token)
    except NotFound as exc:
        return render(request, "portal/surveys/invalid.html", {"message": exc.message}, status=404)
    if invitation_used(application):
        # Say so before the form (issue 14: a used link showed the whole form and refused only after).
        return render(
            request,
            "portal/surveys/invalid.html",
            {
                "message": _("Survei untuk permohonan ini sudah diisi. Terima kasih atas partisipasi Anda."),
                "answered": True,
            },
            status=409,
        )
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in request.POST if k != "csrfmiddlewaretoken"}
        try:
            services.response_submit_online(
                token=token,
                answers={code: values.get(code, "") for code in selectors.elements_of()},
                profile={name: values.get(name, "") for name, _label, _c in PROFILE_FIELDS},
                suggestion=values.get("saran", ""),
                actor=request.user,
            )
        except PermissionDenied as exc:
            return render(request, "portal/surveys/invalid.html", {"message": exc.message}, status=403)
        except InvalidData as exc:
            errors, status = {str(k): str(v) for k, v in exc.errors.items()}, 422
        except Conflict as exc:
            return render(
                request, "portal/surveys/invalid.html", {"message": exc.message, "answered": True}, status=409
            )
        else:
            return redirect("surveys_public:thanks")
    return render(
        request,
        "portal/surveys/questionnaire.html",
        {"office": application.office, "service": application.service, **_context(errors, values)},
        status=status,
    )


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/surveys/thanks.html")


@public_page
def published(request: HttpRequest, office_slug: str | None = None) -> HttpResponse:
    """The published IKM of an office for a period (default: last year and this year), per service."""
    try:
        office = office_get(office_slug) if office_slug else office_default()
    except NotFound as exc:
        raise Http404(exc.message) from None
    year = timezone.localtime(timezone.now(), ZoneInfo(office.time_zone)).year
    text = request.GET.get("periode", "").strip() or str(year)
    error = ""
    try:
        period = period_parse(text)
    except PeriodInvalid as exc:
        error, period = str(exc), period_parse(str(year))
    service = None
    code = request.GET.get("layanan", "").strip()
    if code:
        service = Service.objects.filter(office=office, code=code).first()
    summary = selectors.survey_summary(office=office, period=period, service=service, public=True)
    return render(
        request,
        "portal/surveys/published.html",
        {
            "office": office,
            "period": period,
            "error": error,
            "summary": summary,
            "grades": GRADES,
            "years": [year - 1, year],
        },
    )
