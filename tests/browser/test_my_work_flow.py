"""My work on a phone: the technician opens it on a 390 × 844 screen, sees their items as
cards (no sideways scrolling), follows one to its work order, and takes a new one from the
list with one tap."""

import re

from .support import PHONE, log_in


def test_the_technician_follows_an_item_from_my_work_on_a_phone(live_server, demo_data, phone_page):
    from playwright.sync_api import expect

    from facilities.models import WorkOrder, WorkOrderStatus

    page = phone_page
    log_in(page, live_server.url, "technician", "demo")
    page.goto(f"{live_server.url}/my-work/")
    cards = page.locator("#area-facilities .hq-work-item")
    expect(cards.first).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"horizontal overflow: {scroll_width}px"
    box = cards.first.bounding_box()
    assert box["width"] <= PHONE["width"], box  # cards, not a wide table

    # Follow an assigned order to its page.
    mine = WorkOrder.objects.filter(
        assignee__user__username="technician", status__in=["assigned", "in_progress"]
    ).first()
    link = page.locator(f"#area-facilities a[href$='/work-orders/{mine.pk}/']")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    page.wait_for_url(re.compile(rf"/facilities/work-orders/{mine.pk}/$"))
    expect(page.locator("body")).to_contain_text(mine.number)

    # Back on My work, take a new order nobody has with its button: it is started and theirs.
    page.goto(f"{live_server.url}/my-work/?area=facilities&group=work_orders")
    untaken = WorkOrder.objects.filter(
        property__code="JLG", status="new", assignee__isnull=True, contractor__isnull=True
    ).first()
    with page.expect_navigation():
        page.locator(f"form[action$='/work-orders/{untaken.pk}/start/'] button").click()
    page.wait_for_url(re.compile(rf"/facilities/work-orders/{untaken.pk}/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    untaken.refresh_from_db()
    assert untaken.status == WorkOrderStatus.IN_PROGRESS
    assert untaken.assignee.user.username == "technician"
