"""End-to-end checks of the login flow in a real browser (Playwright driving Debian's Chromium).

Playwright cannot download its own browser here, so the tests launch the system Chromium. When
it is missing the tests are skipped, unless ``HOUQIN_REQUIRE_BROWSER`` is set (CI sets it): then
a missing browser is a failure.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM (the database flush of
# the transactional tests, the seeding) would otherwise refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TIMEOUT_MS = 5_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AREA_TILES = {
    "tile-staff",
    "tile-procurement",
    "tile-facilities",
    "tile-cleaning",
    "tile-safety",
    "tile-liaison",
}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _skip_or_fail(reason):
    if os.environ.get("HOUQIN_REQUIRE_BROWSER"):
        pytest.fail(f"HOUQIN_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


def _chromium_path():
    found = shutil.which("chromium")
    if found:
        return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium_path()
    if executable is None:
        _skip_or_fail(
            "no Chromium executable: Debian's chromium package is not installed "
            "(apt-get install chromium); Playwright's own browser download is not used"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright Python package is not installed (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def demo_data(transactional_db):
    """The demo logins (password ``demo``); the roles come back with post_migrate after a flush."""
    call_command("seed_demo", force=True, stdout=io.StringIO())


def _new_page(browser, **context_options):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(locale="en-US", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def desktop_page(browser):
    context, page = _new_page(browser, viewport=DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


def _log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The login page also holds the language switcher's submit buttons: pick the login form's.
    with page.expect_navigation():
        page.locator("form:has(#id_username) button[type=submit]").click()


def _switch_language(page, code):
    with page.expect_navigation():
        page.click(f"#language-switcher button[name=language][value={code}]")


def test_director_logs_in_and_switches_language(live_server, demo_data, desktop_page):
    from playwright.sync_api import expect

    from core.models import User

    page = desktop_page
    _log_in(page, live_server.url, "director", "demo")
    page.wait_for_url(f"{live_server.url}/")

    # The dashboard: one tile per duty area (plus the reference-data tile).
    expect(page.locator("#tiles .houqin-tile").first).to_be_visible()
    tile_ids = set(page.locator("#tiles .houqin-tile").evaluate_all("els => els.map(e => e.id)"))
    assert tile_ids - {"tile-reference"} == AREA_TILES
    for tile_id in AREA_TILES:
        expect(page.locator(f"#tiles #{tile_id}")).to_be_visible()

    # The director prefers Chinese, so the page starts in Chinese.
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")

    _switch_language(page, "en")
    page.wait_for_url(f"{live_server.url}/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(".breadcrumb")).to_contain_text("Dashboard")
    expect(page).to_have_title(re.compile(r"^Dashboard"))
    assert User.objects.get(username="director").language == "en"

    _switch_language(page, "zh-hans")
    page.wait_for_url(f"{live_server.url}/")
    expect(html).to_have_attribute("lang", "zh-hans")

    # The choice persists: on reload, and as the user's stored preference.
    page.reload()
    expect(html).to_have_attribute("lang", "zh-hans")
    assert User.objects.get(username="director").language == "zh-hans"

    # Last, as it depends on the compiled zh_Hans catalogue: "Dashboard" is translated.
    expect(page.locator(".breadcrumb")).to_contain_text("工作台")


def test_guard_dashboard_fits_a_phone(live_server, demo_data, phone_page):
    from playwright.sync_api import expect

    page = phone_page
    _log_in(page, live_server.url, "guard", "demo")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("#tiles .houqin-tile").first).to_be_visible()

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal overflow: scrollWidth {scroll_width}px"

    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    page.click('button[data-bs-toggle="offcanvas"][data-bs-target="#sidebar"]')
    expect(sidebar).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(sidebar).to_be_visible()
    expect(sidebar.locator('a[href="/safety/"]')).to_be_visible()


def test_wrong_password_shows_the_form_again(live_server, demo_data, desktop_page):
    from playwright.sync_api import expect

    page = desktop_page
    _log_in(page, live_server.url, "director", "not-the-password")

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("director")
    expect(page.locator("#id_password")).to_be_visible()
    error = page.locator(".alert-danger, .invalid-feedback, .errorlist")
    expect(error.first).to_be_visible()
    expect(error.first).to_contain_text("correct username and password")
