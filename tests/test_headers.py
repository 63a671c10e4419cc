"""
Security headers on every page (issue 13 part 7): Django's own Content-Security-Policy (this
site's files only, no inline script), and the headers that go with it.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent / "satupintu"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=\s*[\"']", re.I), "inline event handler"),
    (re.compile(r"<[^>]*\sstyle\s*=\s*[\"']", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/akun/masuk/", "/daftar/", "/lacak/", "/pengaduan/", "/admin/login/"])
def test_pages_carry_a_strict_csp(client, url, office):
    """Every page: default-src 'self', scripts only from this site (a nonce only where a page uses one), no framing."""
    response = client.get(url)
    assert response.status_code == 200, url
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_admin_login_uses_the_nonce_of_its_policy(client):
    """The admin's own stylesheet links carry the nonce of the page's policy."""
    response = client.get(reverse("admin:login"))
    nonce = next(s for s in _policy(response)["style-src"] if s.startswith("'nonce-"))[7:-1]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_no_template_has_inline_script_or_style():
    """The policy forbids inline code, so no template may rely on it (print buttons use portal/print.js)."""
    found = []
    for template in ROOT.glob("**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text[: match.start()].count("\n") + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)
