"""axe-core on the key pages, at desktop and phone width, in both languages: no serious or
critical violation (colour contrast, names of buttons and landmarks …)."""

import pytest

from .support import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    axe_violations,
    describe_violations,
    log_in,
    with_axe,
)

PROBE = "() => document.body.insertAdjacentHTML('beforeend', '<button type=button></button>')"
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}
VIEWPORTS = {"desktop": (DESKTOP, {}), "phone": (PHONE, {"is_mobile": True, "has_touch": True})}


def key_pages():
    from facilities.models import WorkOrder
    from procurement.models import PurchaseOrder
    from staff.models import Employee

    return {
        "dashboard": "/",
        "my work": "/my-work/",
        "work orders": "/facilities/work-orders/",
        "work order": WorkOrder.objects.order_by("pk").first().get_absolute_url(),
        "equipment": "/facilities/equipment/",
        "purchase orders": "/procurement/orders/",
        "purchase order": PurchaseOrder.objects.order_by("pk").first().get_absolute_url(),
        "employees": "/staff/employees/",
        "employee": Employee.objects.order_by("pk").first().get_absolute_url(),
        "roster": "/staff/roster/",
        "stock on hand": "/procurement/stock/",
    }


def test_key_pages_have_no_serious_accessibility_violation(live_server, demo_data, browser):
    from core.models import User

    pages = key_pages()
    found = []
    checked = 0
    for language, locale in LANGUAGES.items():
        User.objects.filter(username="director").update(language=language)
        for size, (viewport, options) in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale=locale, **options)
            context.set_default_timeout(TIMEOUT_MS)
            with_axe(context)
            page = context.new_page()
            try:
                page.goto(f"{live_server.url}/accounts/login/")
                found += describe_violations(f"login ({size}, {language})", axe_violations(page))
                log_in(page, live_server.url, "director", "demo")
                for name, path in pages.items():
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, path
                    assert page.locator("html").get_attribute("lang") == language, path
                    where = f"{name} {path} ({size}, {language})"
                    found += describe_violations(where, axe_violations(page))
                    checked += 1
                # axe-core is loaded and what it finds reaches this test: a button with no
                # name, added to the last page, is reported.
                page.evaluate(PROBE)
                assert "button-name" in {v["id"] for v in axe_violations(page)}
            finally:
                context.close()
    assert checked == 4 * len(pages)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


# Pages that are not a page to look at: actions (POST only), redirects, the health check.
NOT_PAGES = {
    "logout",
    "set_language",
    "healthz",
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "core:calendar_feed_issue",
    "core:calendar_feed_revoke",
    "core:export_create",
}


def _answers_get(match):
    view_class = getattr(match.func, "view_class", None)
    return view_class is None or hasattr(view_class, "get")


def _page_path(url, match):
    """``url`` as a page to visit: as it is without a parameter; a record's page (detail,
    edit, delete) with the id of the first record of its model; None for any other."""
    if not match.captured_kwargs:
        return url
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    if set(match.captured_kwargs) != {"pk"} or model is None:
        return None
    record = model._default_manager.order_by("pk").first()
    return url.replace("/1/", f"/{record.pk}/", 1) if record is not None else None


@pytest.mark.slow
def test_every_page_has_no_serious_violation(live_server, demo_data, browser):
    """Each list, form, report, index and record page the URL walk finds (no Django admin),
    at desktop width in English, as the director: a page added later is checked without
    anyone listing it."""
    from core.models import User
    from core.urlwalk import all_urls

    User.objects.filter(username="director").update(language="en")
    paths = [
        _page_path(url, match)
        for url, match in all_urls()
        if "admin" not in match.namespaces
        and match.view_name not in NOT_PAGES
        and match.url_name not in NOT_PAGES
        and _answers_get(match)
    ]
    paths = [path for path in paths if path is not None]
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    with_axe(context)
    page = context.new_page()
    found, checked = [], 0
    try:
        log_in(page, live_server.url, "director", "demo")
        for path in paths:
            response = page.goto(live_server.url + path)
            if response.status != 200 or "text/html" not in response.headers["content-type"]:
                continue  # a page the director may not open, or a download
            found += describe_violations(path, axe_violations(page))
            checked += 1
    finally:
        context.close()
    assert checked > 200, checked
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
