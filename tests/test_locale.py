"""The English catalogue (satupintu/locale/en): served when chosen, complete in its placeholders, compiled."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "satupintu" / "locale" / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

# %(name)s / %(n)d as Python and {% blocktranslate %} write them, bare %s / %d, and {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")


@pytest.fixture(autouse=True)
def _restore_language():
    """The middleware activates the chosen language for the thread; leave it as it was for the next test."""
    before = translation.get_language()
    yield
    translation.activate(before)


def _parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a dict of index to text) and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        field = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
                continue
            if not line or line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                keyword, index, text = match.groups()
                field = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, None)
            else:
                assert line.startswith('"'), f"unreadable line in {path.name}: {line!r}"
                text = line
            value = ast.literal_eval(text)
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
            else:
                entry[name] = (entry[name] or "") + value
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


def _messages() -> list[dict]:
    """The catalogue's messages, without the header."""
    return [e for e in _parse_po(PO) if e["msgid"]]


# --- the catalogue served -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_english_when_chosen(client, office):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Permit services</h1>" in html
    assert "Layanan perizinan" not in html
    for item in ("Services", "Track an application", "Sign in", "Register"):
        assert f">{item}</a>" in html, item
    assert "Skip to main content" in html
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_home_page_stays_indonesian_without_the_cookie(client, office):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
    assert "<h1>Layanan perizinan</h1>" in html
    for item in ("Layanan", "Lacak permohonan", "Masuk", "Daftar"):
        assert f">{item}</a>" in html, item
    assert "Permit services" not in html


@pytest.mark.django_db
def test_login_page_is_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/akun/masuk/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Username, e-mail or mobile number" in html
    assert "Password" in html
    assert "Register as an applicant" in html
    assert "Masuk dengan akun Anda" not in html


@pytest.mark.django_db
def test_language_switcher_sets_english(client, office):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Permit services</h1>" in client.get("/").content.decode()


# --- the catalogue as written ---------------------------------------------------------------------------


def test_catalogue_has_the_ui_strings():
    messages = _messages()
    assert len(messages) > 300
    assert {"Layanan perizinan", "Masuk", "Kartu kendali"} <= {m["msgid"] for m in messages}


def test_no_entry_is_fuzzy():
    """msgfmt leaves fuzzy entries out of the .mo, so they would silently show Indonesian: review them."""
    assert [m["msgid"] for m in _messages() if "fuzzy" in m["flags"]] == []


def test_translations_keep_the_placeholders():
    """A translation must use the same placeholders as its msgid (else formatting fails or drops data)."""
    broken = []
    for m in _messages():
        sources = [m["msgid"]] + ([m["msgid_plural"]] if m["msgid_plural"] else [])
        for index, text in m["msgstr"].items():
            if not text:
                continue  # untranslated: the Indonesian shows
            source = sources[min(index, len(sources) - 1)]
            expected = sorted(PLACEHOLDER.findall(source))
            if sorted(PLACEHOLDER.findall(text)) != expected:
                broken.append((m["msgid"], index, text))
    assert broken == []


def test_plural_entries_fill_both_forms():
    for m in _messages():
        if m["msgid_plural"] and any(m["msgstr"].values()):
            assert set(m["msgstr"]) == {0, 1}, m["msgid"]
            assert all(m["msgstr"].values()), m["msgid"]


# --- the compiled catalogue -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_po_passes_msgfmt_check():
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(PO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_mo_loads_and_matches_the_po():
    """The committed .mo holds every translation of the .po: recompile after editing the .po."""
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    assert compiled.info()["language"] == "en"
    stale = []
    for m in _messages():
        if "fuzzy" in m["flags"] or not all(m["msgstr"].values()):
            continue
        if m["msgid_plural"]:
            got = {0: compiled.ngettext(m["msgid"], m["msgid_plural"], 1)}
            got[1] = compiled.ngettext(m["msgid"], m["msgid_plural"], 2)
        elif m["msgctxt"] is not None:
            got = {0: compiled.pgettext(m["msgctxt"], m["msgid"])}
        else:
            got = {0: compiled.gettext(m["msgid"])}
        if got != m["msgstr"]:
            stale.append(m["msgid"])
    assert stale == [], "django.mo is out of date; run: manage.py compilemessages -l en --ignore=.venv"
