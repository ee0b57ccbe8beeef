"""The Content-Security-Policy in a real browser: the main pages, the admin pages that use
scripts (autocomplete, export, periodic tasks) and the behaviours moved out of inline
handlers (print, a select that sends its form) work, and the browser reports no violation."""

from .support import log_in

# Registered before any page script runs, so every violation of the page is caught.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = (
    "/",
    "/facilities/equipment/?status=in_service&criticality=high",
    "/staff/employees/?compliance=problem",
    "/facilities/calendar/",
    "/facilities/figures/",
    "/facilities/equipment/labels/",
    "/procurement/reports/spend/",
    "/admin/",
    "/admin/staff/employee/add/",
    "/admin/django_celery_beat/periodictask/add/",
)


def test_pages_and_admin_run_under_the_policy(live_server, demo_data, desktop_page):
    from playwright.sync_api import expect

    from facilities.models import WorkOrder
    from procurement.models import PurchaseOrder, StockCount

    page = desktop_page
    page.add_init_script(COLLECT_VIOLATIONS)
    console = []
    page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))
    log_in(page, live_server.url, "admin", "demo")
    violations = {}

    def visit(path):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";", path
        violations[path] = page.evaluate("window.__csp")

    pages = [
        *PAGES,
        WorkOrder.objects.order_by("pk").first().get_absolute_url(),
        StockCount.objects.order_by("pk").first().get_absolute_url(),
    ]
    for path in pages:
        visit(path)

    # The roster's property select sends its form when changed (data-autosubmit).
    visit("/staff/roster/")
    choices = page.locator("select[name=property] option").evaluate_all("o => o.map(e => e.value)")
    with page.expect_navigation():
        page.select_option("select[name=property]", choices[-1])
    assert f"property={choices[-1]}" in page.url
    violations["roster, changed"] = page.evaluate("window.__csp")

    # A print button (data-print) prints: the purchase order's printable document.
    visit(PurchaseOrder.objects.order_by("pk").first().get_absolute_url() + "print/")
    page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
    page.click("[data-print]")
    assert page.evaluate("window.__printed") == 1

    # Houqin's autocomplete (Tom Select): typed words fetch matching equipment, the chosen
    # one filters the list; on a form, the property chosen narrows the locations offered.
    from facilities.models import Equipment

    pump = Equipment.objects.filter(asset_code__startswith="SB-").order_by("asset_code").first()
    visit("/facilities/work-orders/")
    page.click("#div_id_equipment .ts-control")
    page.keyboard.type(pump.asset_code)
    option = page.locator("#div_id_equipment .ts-dropdown .option").first
    expect(option).to_contain_text(pump.asset_code)
    option.click()
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    assert f"equipment={pump.pk}" in page.url
    expect(page.locator("#div_id_equipment .ts-control .item")).to_contain_text(pump.asset_code)
    expect(page.locator("table tbody tr").first).to_contain_text(pump.asset_code)
    violations["work orders, autocomplete"] = page.evaluate("window.__csp")

    visit("/facilities/work-orders/new/")
    hmc = page.locator("#id_property option", has_text="华贸中心").get_attribute("value")
    page.select_option("#id_property", hmc)
    page.click("#div_id_location .ts-control")
    page.keyboard.type("1F")
    expect(page.locator("#div_id_location .ts-dropdown .option").first).to_contain_text("HMC")
    expect(page.locator("#div_id_location .ts-dropdown .option", has_text="JLG")).to_have_count(0)
    violations["work order form, autocomplete"] = page.evaluate("window.__csp")

    # Admin autocomplete (select2) still searches.
    visit("/admin/core/location/add/")
    page.click(".field-parent .select2-selection")
    page.keyboard.type("A")
    expect(page.locator(".select2-results__option").first).to_be_visible()

    # django-import-export's "select all" toggle, bound from a static file.
    visit("/admin/core/location/export/")
    page.locator("input.select-toggle").uncheck()
    checked = page.locator('.selectable-field-export-row input[type="checkbox"]:checked')
    expect(checked).to_have_count(0)
    violations["export, toggled"] = page.evaluate("window.__csp")

    assert {path: found for path, found in violations.items() if found} == {}
    assert console == []
