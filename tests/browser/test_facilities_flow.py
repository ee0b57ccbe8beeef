"""Facilities in a real browser, on a phone: the cleaning supervisor reports a fault from an
equipment's page (what its QR label opens), and the technician finds it on My work, starts it
and completes it."""

import re

from .support import PHONE, log_in


def test_fault_reported_on_a_phone_is_repaired_by_the_technician(
    live_server, demo_data, phone_page
):
    from playwright.sync_api import expect

    from facilities.models import Equipment, EquipmentStatus, WorkOrder, WorkOrderStatus

    chiller = Equipment.objects.filter(property__code="JLG", asset_code__startswith="JG-").first()
    page = phone_page
    log_in(page, live_server.url, "cleaning", "demo")
    page.goto(f"{live_server.url}{chiller.get_absolute_url()}")
    with page.expect_navigation():
        page.click("#report-fault")
    expect(page.locator("text=" + chiller.asset_code).first).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"horizontal overflow: {scroll_width}px"
    page.fill("#id_description", "景观水池循环泵振动大，有异响")
    page.select_option("#id_priority", "high")
    page.check("#id_out_of_service")
    with page.expect_navigation():
        page.click("#report-submit")
    expect(page.locator(".alert-success")).to_be_visible()

    order = WorkOrder.objects.get(equipment=chiller, source="fault_report", status="new")
    chiller.refresh_from_db()
    assert chiller.status == EquipmentStatus.FAULTY
    assert order.reported_by.username == "cleaning"
    page.context.clear_cookies()

    # Nobody has taken it yet: the technician finds it among the new orders on My work (the
    # old "my work orders" address leads there) and takes it.
    log_in(page, live_server.url, "technician", "demo")
    page.goto(f"{live_server.url}/facilities/work-orders/mine/")
    page.wait_for_url(re.compile(r"/my-work/\?area=facilities$"))
    with page.expect_navigation():
        page.locator(f"#area-facilities a[href$='/work-orders/{order.pk}/']").click()
    with page.expect_navigation():
        page.locator(f"form[action$='/work-orders/{order.pk}/start/'] button").click()
    page.fill("#id_resolution", "更换轴承，试运行正常")
    page.fill("#id_labour_hours", "2.5")
    with page.expect_navigation():
        page.locator(f"form[action$='/work-orders/{order.pk}/complete/'] button").click()
    page.wait_for_url(re.compile(rf"/work-orders/{order.pk}/$"))
    expect(page.locator(".alert-success")).to_be_visible()

    order.refresh_from_db()
    chiller.refresh_from_db()
    assert order.status == WorkOrderStatus.COMPLETED
    assert order.assignee.user.username == "technician"
    assert order.labour_hours == 2.5
    assert chiller.status == EquipmentStatus.IN_SERVICE
    assert not chiller.downtimes.filter(ended_at__isnull=True).exists()
