"""End-to-end checks of the login flow in a real browser (Playwright driving Debian's Chromium;
see support.py)."""

import re

from .support import AREA_TILES, PHONE, log_in


def _switch_language(page, code):
    with page.expect_navigation():
        page.click(f"#language-switcher button[name=language][value={code}]")


def test_director_logs_in_and_switches_language(live_server, demo_data, desktop_page):
    from playwright.sync_api import expect

    from core.models import User

    page = desktop_page
    log_in(page, live_server.url, "director", "demo")
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
    log_in(page, live_server.url, "guard", "demo")
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
    log_in(page, live_server.url, "director", "not-the-password")

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("director")
    expect(page.locator("#id_password")).to_be_visible()
    error = page.locator(".alert-danger, .invalid-feedback, .errorlist")
    expect(error.first).to_be_visible()
    expect(error.first).to_contain_text("correct username and password")
