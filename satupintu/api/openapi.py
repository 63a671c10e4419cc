"""
The API object, with the errors every operation can answer written into its OpenAPI document.

Endpoints declare the errors of their own rules (401, 403, 404, 409, 422, 429). Some answers
come from the layers in front of every endpoint and would otherwise be missing from the
document: a body that cannot be parsed or is malformed multipart (400, from
``core.security.RequestLimitMiddleware`` or the parser), a body too large (413) or sent without
a length (411), a NUL character in the path, query or body (400), and invalid parameters (422,
from the validation of path and query). They are added here, all with the one error shape
``{"detail": "…", "code": "…"}``.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

ERROR_REF = {"$ref": "#/components/schemas/Error"}
BODY_ERRORS = {
    "400": "Isi permintaan tidak dapat dibaca (JSON rusak, multipart rusak); `code` menyebut sebabnya.",
    "411": "Isi dikirim tanpa Content-Length (pengiriman bertahap tidak diterima).",
    "413": "Isi permintaan melebihi batas ukuran.",
    "422": "Data tidak sah; `errors` memuat pesan per isian bila ada.",
}
PARAMETER_ERRORS = {
    "400": "Path atau query memuat karakter yang tidak diterima (NUL).",
    "422": "Parameter path atau query tidak sah.",
}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


class SatupintuAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the 400/411/413/422 answers of the request guards."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                present = {str(code) for code in responses}
                added = {}
                if method in ("post", "put", "patch", "delete") and ("requestBody" in operation or method == "post"):
                    added.update(BODY_ERRORS)
                if operation.get("parameters"):
                    added.update({k: v for k, v in PARAMETER_ERRORS.items() if k not in added})
                for code, description in added.items():
                    if code not in present:
                        responses[int(code)] = _error_response(description)
        return schema
