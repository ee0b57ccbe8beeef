"""Procurement in a real browser: today's stock count on a phone, and the director approving a
requisition above the supervisors' limit (Playwright driving Debian's Chromium)."""

import re
from decimal import Decimal

from .support import PHONE, log_in


def plain(quantity):
    """A quantity as a person types it: 10, not 1E+1 (``Decimal.normalize`` of 10.000)."""
    return format(quantity.normalize(), "f")


def test_storekeeper_counts_todays_sheet_on_a_phone(live_server, demo_data, phone_page):
    from playwright.sync_api import expect

    from procurement.models import CountStatus, StockCount

    count = StockCount.objects.get(status=CountStatus.OPEN, storeroom__property__code="JLG")
    lines = list(count.lines.order_by("item__code"))
    page = phone_page
    log_in(page, live_server.url, "stores", "demo")
    page.goto(f"{live_server.url}/procurement/counts/{count.pk}/count/")
    expect(page.locator(f"#id_counted_{lines[0].pk}")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"horizontal overflow: {scroll_width}px"

    # Everything found as the book says, but one line short by one, with its reason.
    for line in lines:
        page.fill(f"#id_counted_{line.pk}", plain(line.book_quantity))
    short = next(line for line in lines if line.book_quantity >= 1)
    page.fill(f"#id_counted_{short.pk}", plain(short.book_quantity - 1))
    page.fill(f"#id_reason_{short.pk}", "破损报废")
    with page.expect_navigation():
        page.click("button[name=submit]")
    page.wait_for_url(re.compile(rf"/procurement/counts/{count.pk}/$"))

    count.refresh_from_db()
    assert count.status == CountStatus.POSTED  # one unit is within the approval limit
    assert (count.lines_counted, count.lines_matching) == (len(lines), len(lines) - 1)
    movement = count.lines.get(pk=short.pk).movement
    assert movement.quantity == Decimal(-1) and movement.note == "破损报废"
    expect(page.locator(".alert-success")).to_be_visible()


def test_director_approves_a_requisition_above_the_limit(live_server, demo_data, desktop_page):
    from playwright.sync_api import expect

    from procurement.models import Requisition, RequisitionStatus

    large = Requisition.objects.get(status=RequisitionStatus.SUBMITTED, amount__gt=Decimal(5000))
    page = desktop_page
    # The storekeeper may approve up to the limit only: no button for this one.
    log_in(page, live_server.url, "stores", "demo")
    page.goto(f"{live_server.url}/procurement/requisitions/{large.pk}/")
    expect(page.locator("#budget")).to_be_visible()
    expect(page.locator(f"form[action$='/requisitions/{large.pk}/approve/']")).to_have_count(0)
    page.context.clear_cookies()

    log_in(page, live_server.url, "director", "demo")
    page.goto(f"{live_server.url}/procurement/requisitions/{large.pk}/")
    with page.expect_navigation():
        page.locator(f"form[action$='/requisitions/{large.pk}/approve/'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    large.refresh_from_db()
    assert large.status == RequisitionStatus.APPROVED
    assert large.approved_by.username == "director"
