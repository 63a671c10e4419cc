"""
The pages work under the Content-Security-Policy (issue 13 part 7): no violation is reported in
a real browser, and the print buttons (portal/print.js, no inline handler) still print.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_load_without_csp_violations_and_print_buttons_work(live_server, browser, office):
    """Chromium reports no blocked script, style or image on the public, sign-in and admin pages."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    for path in ["/", "/daftar/", "/akun/masuk/", "/lacak/", "/pengaduan/", "/admin/login/", "/api/v1/docs"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state()
    assert violations == []
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            window.__printed = 0;
            window.print = () => { window.__printed += 1; };
            const button = document.createElement("button");
            button.type = "button";
            button.dataset.print = "";
            button.textContent = "Cetak";
            document.querySelector("main").appendChild(button);
        }"""
    )
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.__printed") == 1
    context.close()
