"""
REST API v1 (DESIGN §12). Endpoints parse input, call selectors and services, and shape output.

Errors are ``{"detail": "…", "code": "…"}`` with the domain error's HTTP status; a 422 about form
data adds ``"errors"``: Indonesian messages per field. Authenticated endpoints take
``Authorization: Bearer <token>`` from ``POST /auth/token``; the catalogue and tracking are public.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from satupintu.api import (
    applications,
    auth,
    catalogue,
    complaints,
    documents,
    memberships,
    organisations,
    payments,
    privacy,
    signatures,
    surveys,
)
from satupintu.api.openapi import SatupintuAPI
from satupintu.core.errors import DomainError

api = SatupintuAPI(
    title="satupintu API",
    version="1",
    description=(
        "API pelayanan perizinan satu pintu (DPMPTSP). Semua waktu dalam UTC (ISO 8601); "
        'galat berbentuk {"detail": "…", "code": "…"}. Minta token di POST /auth/token, lalu kirim '
        "header Authorization: Bearer <token>."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message, "code": exc.code}
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict):
        body["errors"] = {str(k): str(v) for k, v in errors.items()}
    response = api.create_response(request, body, status=exc.http_status)
    if exc.http_status == 401:
        response["WWW-Authenticate"] = "Bearer"
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "detail": _("Token akses tidak ada, kedaluwarsa atau sudah dicabut. Minta token baru di POST /auth/token."),
        "code": "unauthorized",
    }
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = "; ".join(f"{'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg', '')}" for err in exc.errors)
    errors = {".".join(str(p) for p in err.get("loc", [])): str(err.get("msg", "")) for err in exc.errors}
    return api.create_response(
        request, {"detail": f"Data tidak sah: {problems}", "code": "invalid", "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "http_error"}, status=exc.status_code)


api.add_router("", catalogue.router)
api.add_router("", catalogue.standards_router)
api.add_router("", auth.router)
api.add_router("", memberships.router)
api.add_router("", organisations.router)
api.add_router("", organisations.proxy_router)
api.add_router("", applications.router)
api.add_router("", applications.queue_router)
api.add_router("", applications.public_router)
api.add_router("", complaints.router)
api.add_router("", documents.router)
api.add_router("", documents.public_router)
api.add_router("", signatures.router)
api.add_router("", payments.router)
api.add_router("", payments.callback_router)
api.add_router("", surveys.router)
api.add_router("", surveys.performance_router)
api.add_router("", privacy.router)
