"""
Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Skipped when chromium is missing, unless SATUPINTU_REQUIRE_BROWSER is set (CI sets it, so a
missing browser fails there instead of passing silently).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("SATUPINTU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SATUPINTU_REQUIRE_BROWSER"):
            pytest.fail(f"chromium not found at {CHROMIUM}; run `make browser-deps`")
        pytest.skip("chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page the size of a common Android phone, in Indonesian."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="id-ID", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
