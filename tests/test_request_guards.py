"""
Request-size cap before the body is read, malformed multipart as 400, personal answers never
cached, stored uploads served inert (issue 13 parts 3 and 7).
"""

import io

import pytest
from django.test import RequestFactory

from satupintu.api.tokens import token_issue
from satupintu.applications import services
from satupintu.applications.models import Document
from satupintu.applications.tests.conftest import FORM_DATA, PDF, PNG
from satupintu.core.security import RequestLimitMiddleware

pytestmark = pytest.mark.django_db
RADIOGRAFER = "izin-kerja-radiografer"


class UnreadableBody(io.RawIOBase):
    """A request body that records whether anything tried to read it."""

    def __init__(self):
        self.read_calls = 0

    def readable(self):
        return True

    def read(self, size=-1):
        self.read_calls += 1
        return b"x" * (size if size and size > 0 else 1024)

    def readline(self, size=-1):
        return self.read(size)


@pytest.mark.parametrize("path", ["/pengaduan/baru/", "/api/v1/complaints", "/akun/masuk/"])
def test_no_request_size_cap_before_reading_anonymous_200mb_post_refused(client, path):
    """Finding "an anonymous 200 MB POST is read whole": it is refused with 413 and not one byte is read."""
    body = UnreadableBody()
    response = client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_calls == 0
    text = response.content.decode()
    assert "terlalu besar" in text and "12 MB" in text
    if path.startswith("/api/"):
        assert response.json()["code"] == "too_large"


def test_request_size_cap_larger_for_a_signed_in_user(rf: RequestFactory, make_user):
    """A signed-in user (or an API client) may send a whole form of uploads; an anonymous caller less."""
    middleware = RequestLimitMiddleware(lambda request: None)
    request = rf.post("/petugas/", content_type="multipart/form-data; boundary=zz")
    request.user = make_user()
    assert middleware.limit(request, multipart=True) == 64 * 1024 * 1024
    anonymous = rf.post("/pengaduan/baru/", content_type="multipart/form-data; boundary=zz")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    assert middleware.limit(anonymous, multipart=True) == 12 * 1024 * 1024
    assert middleware.limit(anonymous, multipart=False) == 2621440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE


def test_chunked_body_without_length_refused_411(client):
    """A body sent in chunks without Content-Length (which Django would read as empty) is refused, not guessed."""
    response = client.generic(
        "POST", "/api/v1/complaints", b"", CONTENT_TYPE="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert response.json()["code"] == "length_required"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=", b"--zz\r\nx"),
        ("multipart/form-data", b"garbage"),
        ("multipart/form-data; boundary=" + "a" * 80, b"x"),
    ],
)
def test_malformed_multipart_500_is_a_400_with_detail_and_code(client, make_user, content_type, body):
    """Finding "the malformed-multipart 500": a broken multipart body is 400 {"detail","code"} in Indonesian."""
    _row, token = token_issue(user=make_user())
    response = client.generic(
        "POST", "/api/v1/surveys/import", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi formulir (multipart) rusak atau tidak lengkap. Kirim ulang formulirnya.",
        "code": "bad_multipart",
    }


def test_malformed_multipart_on_a_page_is_an_indonesian_400_page(client):
    """The same broken body on an HTML form is a 400 page in Indonesian, not a server error."""
    response = client.generic("POST", "/akun/masuk/", b"garbage", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()


def _application_with_upload(services_loaded, applicant, content, key, filename):
    service = services_loaded[RADIOGRAFER]
    app = services.application_create(
        office=service.office, service=service, actor=applicant, data=FORM_DATA[RADIOGRAFER]
    )
    services.document_attach(
        application=app, actor=applicant, requirement_key=key, stream=io.BytesIO(content), filename=filename
    )
    return app


def test_api_answers_with_a_nik_carry_no_store(client, services_loaded, applicant, settings, tmp_path):
    """Finding "API answers with a NIK carry no Cache-Control: no-store": they now do."""
    settings.MEDIA_ROOT = tmp_path
    app = _application_with_upload(services_loaded, applicant, PDF, "ktp", "ktp.pdf")
    _row, token = token_issue(user=applicant)
    response = client.get(f"/api/v1/applications/{app.number}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert FORM_DATA[RADIOGRAFER]["nik"] in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pages_for_a_signed_in_user_are_not_stored(client, make_user):
    """A page shown to a signed-in user (their name, their files) is not kept by caches or the back button."""
    client.force_login(make_user())
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("content", "key", "filename", "disposition", "content_type"),
    [
        (PDF, "ktp", "ktp.pdf", "attachment", "application/pdf"),
        (PNG, "pas_foto", "foto.png", "inline", "image/png"),
    ],
)
def test_served_uploads_are_attachments_or_sandboxed(
    client, services_loaded, applicant, staff, settings, tmp_path, content, key, filename, disposition, content_type
):
    """A stored upload is a download (PDF) or a sandboxed inline image, never a page of this origin."""
    settings.MEDIA_ROOT = tmp_path
    _application_with_upload(services_loaded, applicant, content, key, filename)
    document = Document.objects.get(requirement_key=key)
    client.force_login(staff["front_office"])
    response = client.get(f"/petugas/berkas/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_openapi_documents_400_and_422_for_every_body(client):
    """Finding "4 server errors in 16,551 schemathesis cases": every POST documents its 400, 413 and 422."""
    schema = client.get("/api/v1/openapi.json").json()
    posts = [(path, ops["post"]) for path, ops in schema["paths"].items() if "post" in ops]
    assert posts
    for path, operation in posts:
        assert {"400", "413", "422"} <= set(operation["responses"]), path
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
