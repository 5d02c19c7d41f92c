"""Browser journeys: Debian's Chromium driven by Playwright, axe-core on every page visited.

Playwright's own browser download is never used (`playwright install` cannot run here); the
launch points at /usr/bin/chromium instead.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in the same test are safe
# because nothing else uses the connection meanwhile.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SPR_CHROMIUM", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: axe rules switched off, each with its reason. Empty: none is excluded.
AXE_DISABLED_RULES: dict[str, str] = {}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.spr_csp_violations = []
    page.on(
        "console",
        lambda msg: page.spr_csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return context, page


@pytest.fixture
def page(browser, transactional_db):
    context, page = _new_page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, transactional_db):
    context, page = _new_page(browser, javascript=False)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it stands, and the page broke no
    Content-Security-Policy rule (no inline script or style)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": False} for rule in AXE_DISABLED_RULES},
        "resultTypes": ["violations"],
    }
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert not page.spr_csp_violations, page.spr_csp_violations


def sign_in(page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()  # a signed-in person is sent away from the sign-in page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
