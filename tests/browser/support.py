"""What the browser tests share: Debian's Chromium under Playwright, demo data, desktop and
phone pages, logging in.

Playwright cannot download its own browser here, so the tests launch the system Chromium. When
it is missing the tests are skipped, unless ``HOUQIN_REQUIRE_BROWSER`` is set (CI sets it): then
a missing browser is a failure.
"""

import io
import os
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


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The login page also holds the language switcher's submit buttons: pick the login form's.
    with page.expect_navigation():
        page.locator("form:has(#id_username) button[type=submit]").click()


# --- accessibility (axe-core, vendored under vendor/axe-core with its licence) --------------

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# axe.run over the whole document; only the violations, each with the elements it found.
RUN_AXE = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(" "),
        summary: (n.failureSummary || "").split("\\n").slice(1).join(" ").trim(),
      })),
    }));
}"""


def with_axe(context):
    """Load axe-core into every page of ``context`` before the page's own scripts. An init
    script comes in through the browser's debugging protocol, so the page's
    Content-Security-Policy neither blocks it nor has to be bypassed."""
    context.add_init_script(path=str(AXE_JS))


def axe_violations(page):
    """The serious and critical violations axe-core finds on the page as it is now."""
    return page.evaluate(RUN_AXE, list(BLOCKING_IMPACTS))


def describe_violations(where, violations):
    """Violations as lines a person can act on: the rule, then each element and why."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    {node['target']}  — {node['summary']}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return lines
