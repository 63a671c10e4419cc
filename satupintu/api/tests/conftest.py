"""Helpers for API tests: bearer headers for a user, JSON posts and uploads through the test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.api.tokens import token_issue
from satupintu.applications.tests.conftest import PDF

RADIOGRAFER = "izin-kerja-radiografer"


class ApiClient:
    """The Django test client speaking to /api/v1/ as one user (or anonymously)."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            _row, token = token_issue(user=user)
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, **self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", **self.headers)

    def upload(self, number, requirement, content=PDF, name=None):
        file = SimpleUploadedFile(name or f"{requirement}.pdf", content, content_type="application/pdf")
        return self.client.post(
            f"/api/v1/applications/{number}/documents", {"requirement": requirement, "file": file}, **self.headers
        )


@pytest.fixture
def api(client):
    """``api(user)`` — a client authenticated as ``user``; ``api()`` — anonymous."""

    def make(user=None):
        return ApiClient(client, user)

    return make


def requirement_keys(anonymous: ApiClient, code: str, *, renewal: bool = False) -> list[str]:
    """The requirements a new application (or renewal) must upload, read from the public standard."""
    standard = anonymous.get(f"/services/{code}").json()["standard"]
    return [
        r["key"]
        for r in standard["requirements"]
        if not (r.get("renewal_only") and not renewal) and not (r.get("new_only") and renewal)
    ]
