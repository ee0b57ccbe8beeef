"""Floor work on a 390 px phone: the technician logs in and lands on My work, opens a preventive
work order, starts it with the large button at the top, answers its checklist and completes it,
and no field of the order is shown empty on the way; the scanner's typed-code fallback (the
camera cannot be used in this browser) opens an equipment's page.

With ``HOUQIN_SCREENSHOTS=<dir>`` the tests also save the pages they pass through, at phone and
desktop width, in both languages, for a person to look at."""

import os
import re

from .support import DESKTOP, PHONE, log_in

SHOTS = os.environ.get("HOUQIN_SCREENSHOTS")


def _no_horizontal_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"horizontal overflow: {width}px"


def _no_empty_fields(page):
    values = page.locator("#fields dd").all_inner_texts()
    assert values, "the order lists its fields"
    assert all(value.strip() and value.strip() != "—" for value in values), values


def _answer(page, result):
    from tests.uploads import png_bytes

    field = f"#id_r{result.pk}"
    if result.kind == "check":
        page.select_option(field, "yes")
    elif result.kind == "number":
        low, high = result.minimum, result.maximum
        value = (low + high) / 2 if low is not None and high is not None else (low or high or 1)
        page.fill(field, f"{value:.1f}")
    elif result.kind == "score":
        page.fill(field, str(result.weight or 0))
    elif result.kind == "text":
        page.fill(field, "正常")
    else:
        page.set_input_files(
            field, {"name": "p.png", "mimeType": "image/png", "buffer": png_bytes()}
        )


def test_the_technician_completes_a_preventive_order_on_a_phone(live_server, demo_data, phone_page):
    from playwright.sync_api import expect

    from facilities.models import WorkOrder, WorkOrderStatus

    order = (
        WorkOrder.objects.filter(
            assignee__user__username="technician",
            kind="preventive",
            status="assigned",
            results__isnull=False,
        )
        .distinct()
        .first()
    )
    assert order is not None, "the demo gives the technician a preventive order to do"
    page = phone_page
    log_in(page, live_server.url, "technician", "demo")
    page.wait_for_url(re.compile(r"/my-work/$"))  # their home, not the dashboard

    link = page.locator(f"#area-facilities a[href$='/work-orders/{order.pk}/']")
    with page.expect_navigation():
        link.click()
    _no_horizontal_overflow(page)
    _no_empty_fields(page)
    # What, where, by when and the next step fill the first screen.
    expect(page.locator("#summary-title")).to_contain_text(order.title)
    start = page.locator("#next-step button[data-step=start]")
    expect(start).to_be_visible()
    assert start.bounding_box()["y"] + start.bounding_box()["height"] <= PHONE["height"]
    assert start.bounding_box()["height"] >= 44  # a large target for a thumb
    with page.expect_navigation():
        start.click()

    # Started: the next step leads to the completion form; the checklist comes first.
    expect(page.locator("#next-step [data-step=complete]")).to_be_visible()
    _no_empty_fields(page)
    results = list(order.results.order_by("position"))
    for result in results:
        _answer(page, result)
    with page.expect_navigation():
        page.locator("#checklist button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("#next-step [data-step=complete]").click()
    page.fill("#id_resolution", "按计划完成保养，运行正常")
    page.fill("#id_labour_hours", "1.5")
    with page.expect_navigation():
        page.locator("#complete button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    _no_empty_fields(page)
    _no_horizontal_overflow(page)

    order.refresh_from_db()
    assert order.status == WorkOrderStatus.COMPLETED
    assert all(result.answered for result in order.results.all())


def test_a_typed_code_reaches_the_equipment_when_the_camera_cannot_be_used(
    live_server, demo_data, phone_page
):
    from playwright.sync_api import expect

    from facilities.models import Equipment

    pump = Equipment.objects.filter(property__code="JLG").order_by("asset_code").first()
    page = phone_page
    log_in(page, live_server.url, "technician", "demo")
    page.wait_for_url(re.compile(r"/my-work/$"))
    page.locator("#scanner [data-scanner-start]").click()
    # This browser has no camera: the scanner says so and leaves the typed code.
    expect(page.locator("#scanner [data-scanner-status]")).to_have_text(
        re.compile("code printed on the label|标签上印的编码")
    )
    page.fill("#scanner-code", pump.asset_code.lower())
    with page.expect_navigation():
        page.locator("#scanner-code-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/facilities/equipment/{pump.pk}/$"))
    expect(page.locator("h1")).to_contain_text(pump.asset_code)


def test_the_scanner_opens_only_links_of_this_site(live_server, demo_data, phone_page):
    page = phone_page
    log_in(page, live_server.url, "technician", "demo")
    page.wait_for_url(re.compile(r"/my-work/$"))
    site_path = page.evaluate(
        "u => window.houqinScanner.sitePath(u, [])", f"{live_server.url}/facilities/equipment/3/"
    )
    assert site_path == "/facilities/equipment/3/"
    for foreign in (
        "https://evil.example/facilities/equipment/3/",
        "javascript:alert(1)",
        "JG-001",
    ):
        assert page.evaluate("u => window.houqinScanner.sitePath(u, [])", foreign) is None
    # The address printed labels carry (SITE_URL) opens the same page here.
    printed = page.evaluate(
        "u => window.houqinScanner.sitePath(u, ['https://houqin.example'])",
        "https://houqin.example/facilities/equipment/3/",
    )
    assert printed == "/facilities/equipment/3/"
    # A path that starts with two slashes (or a backslash) would leave the site when opened:
    # it is cut to one.
    for sneaky in ("//evil.example/x", "/\\evil.example/x", "/%2F/evil.example/x"):
        path = page.evaluate("u => window.houqinScanner.sitePath(u, [])", live_server.url + sneaky)
        assert path.startswith("/") and not path.startswith("//"), (sneaky, path)
        assert not path.startswith("/\\"), (sneaky, path)


def test_screens_at_phone_and_desktop_width(live_server, demo_data, browser):
    """Saves screenshots when HOUQIN_SCREENSHOTS is set; checks each page fits the phone."""
    from core.models import User
    from facilities.models import WorkOrder

    order = WorkOrder.objects.filter(
        assignee__user__username="technician", kind="preventive", results__isnull=False
    ).first()
    pages = {
        "my-work": "/my-work/",
        "work-orders": "/facilities/work-orders/",
        "work-order": order.get_absolute_url(),
    }
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        for language in ("en", "zh-hans"):
            User.objects.filter(username="technician").update(language=language)
            context = browser.new_context(
                viewport=viewport,
                is_mobile=width_name == "phone",
                has_touch=width_name == "phone",
            )
            page = context.new_page()
            try:
                log_in(page, live_server.url, "technician", "demo")
                for name, path in pages.items():
                    page.goto(f"{live_server.url}{path}")
                    if width_name == "phone":
                        _no_horizontal_overflow(page)
                    if SHOTS:
                        os.makedirs(SHOTS, exist_ok=True)
                        page.screenshot(
                            path=os.path.join(SHOTS, f"{name}-{width_name}-{language}.png"),
                            full_page=True,
                        )
            finally:
                context.close()
