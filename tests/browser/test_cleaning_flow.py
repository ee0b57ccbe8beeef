"""A cleaning inspection on a 390 px phone (issue 13): the cleaning supervisor opens an area,
starts an inspection, scores it with one item failed (its photo taken with the phone's file
input, a note, and what it needs), submits it, and the failed inspection opens a rectification
(整改, ZG-number) with its responsible person and deadline; the area's cleaner, on their own
phone, finds it in My work and marks it done; the re-inspection of that rectification, every
item at full marks, closes it. Every page fits the phone's width and its
main buttons show without a hover.

With ``HOUQIN_SCREENSHOTS=<dir>`` the test also saves each page it passes through, in both
languages, for a person to look at."""

import os
import re

import pytest

from .support import PHONE, log_in

SHOTS = os.environ.get("HOUQIN_SCREENSHOTS")
INSPECTOR = "cleaning"  # the cleaning supervisor (E0002), never an area's own cleaner
CLEANER = "cleaner"  # the cleaner of JLG's first area in the demo
WHAT_IS_WRONG = "地面有水渍和纸屑"


@pytest.fixture
def media_root(settings, tmp_path):
    """Listed before ``demo_data``: the demo's and the test's photos go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url}: horizontal overflow, {width}px"


def _shows_without_hover(button, *, thumb=False):
    """Displayed as the page is (no hover), and wholly within the phone's width; with
    ``thumb``, a large target that spans the screen."""
    from playwright.sync_api import expect

    expect(button).to_be_visible()
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    if thumb:
        assert box["height"] >= 44 and box["width"] >= PHONE["width"] / 2, box


def _look(page, name, username=INSPECTOR):
    """The page fits the phone; with HOUQIN_SCREENSHOTS set it is saved in both languages
    (the user's preferred language wins over the browser's, so it is switched and the page
    reloaded, then put back)."""
    _fits_the_phone(page)
    if not SHOTS:
        return
    from core.models import User

    os.makedirs(SHOTS, exist_ok=True)
    user = User.objects.get(username=username)
    for language in ("zh-hans", "en"):
        User.objects.filter(pk=user.pk).update(language=language)
        page.reload()
        _fits_the_phone(page)
        page.screenshot(path=os.path.join(SHOTS, f"cleaning-{name}-{language}.png"), full_page=True)
    User.objects.filter(pk=user.pk).update(language=user.language)
    page.reload()


def _submit(page, button, *, thumb=False):
    _shows_without_hover(button, thumb=thumb)
    with page.expect_navigation() as navigation:
        button.click()
    assert navigation.value.ok, f"{page.url}: {navigation.value.status}"


def _start(page, start_link):
    """From a record's page, the button that opens the new inspection's form; the form comes
    filled in (the area, the signed-in inspector, now): save it."""
    _shows_without_hover(start_link)
    with page.expect_navigation():
        start_link.click()
    page.wait_for_url(re.compile(r"/cleaning/inspections/new/"))
    _look(page, "start-" + ("reinspection" if "reinspects" in page.url else "inspection"))
    _submit(page, page.locator("main form[method=post] button[type=submit]"))
    page.wait_for_url(re.compile(r"/cleaning/inspections/\d+/$"))
    return int(re.search(r"/inspections/(\d+)/$", page.url).group(1))


def _shown(value):
    """A choice's label or a time as the inspector's pages show it (in their preferred
    language, local time)."""
    from django.utils import formats, timezone, translation

    from core.models import User

    with translation.override(User.objects.get(username=INSPECTOR).language):
        if hasattr(value, "tzinfo"):
            return formats.localize(timezone.localtime(value))
        return str(value)


def _score(page, inspection, failing=None, save_first=True):
    """Full marks on every item but ``failing``, which gets none, with its photo and note;
    saved first (``save_first``) or submitted straight from what was typed."""
    from django.utils.translation import pgettext_lazy
    from playwright.sync_api import expect

    from tests.uploads import png_bytes

    answers = list(inspection.answers.order_by("position"))
    assert answers, "the inspection copies its standard's items"
    # The points field is labelled as a score, not as a patrol round's checkpoints (巡检点).
    expect(page.locator(f"label[for=id_r{answers[0].pk}]")).to_have_text(
        _shown(pgettext_lazy("points given to an inspection item", "Points"))
    )
    expect(page.locator("#scores")).not_to_contain_text("巡检点")
    for answer in answers:
        field = page.locator(f"#id_r{answer.pk}")
        field.scroll_into_view_if_needed()
        if answer == failing:
            field.fill("0")
            page.fill(f"#id_n{answer.pk}", WHAT_IS_WRONG)
            page.select_option(f"#id_f{answer.pk}", "rectify")
            page.set_input_files(
                f"#id_p{answer.pk}",
                {"name": "floor.png", "mimeType": "image/png", "buffer": png_bytes()},
            )
        else:
            field.fill(f"{answer.weight}")
    if save_first:
        _submit(page, page.locator("#scores button[type=submit]:not([name])"), thumb=True)
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page.locator(".alert-danger, .alert-warning")).to_have_count(0)
        _look(page, "scored-" + ("failing" if failing else "passing"))
    # "Submit" sits on the scoring form: what was typed is saved with it.
    _submit(page, page.locator("#submit-inspection"), thumb=True)
    expect(page.locator(".alert-danger")).to_have_count(0)
    # A failed inspection is told as a warning, a passed one as a success.
    expect(page.locator(".alert-warning" if failing else ".alert-success").first).to_be_visible()


def test_an_inspector_fails_an_area_on_a_phone_and_the_reinspection_closes_it(
    media_root, live_server, demo_data, browser, phone_page
):
    from playwright.sync_api import expect

    from cleaning.models import (
        CleaningArea,
        CleaningInspection,
        InspectionStatus,
        Rectification,
        RectificationStatus,
    )
    from cleaning.services import standard_for
    from staff.models import Employee

    inspector = Employee.objects.get(user__username=INSPECTOR)
    area = CleaningArea.objects.filter(cleaner__user__username=CLEANER).order_by("pk").first()
    assert area is not None and standard_for(area) is not None and area.cleaner != inspector
    rectifications_before = set(Rectification.objects.values_list("pk", flat=True))
    page = phone_page
    log_in(page, live_server.url, INSPECTOR, "demo")

    # The area's page: its Inspect button starts the inspection.
    page.goto(f"{live_server.url}{area.get_absolute_url()}")
    _look(page, "area")
    inspection = CleaningInspection.objects.get(
        pk=_start(page, page.locator(f"a[href$='/cleaning/inspections/new/?area={area.pk}']"))
    )
    assert (inspection.area, inspection.inspector) == (area, inspector)
    assert inspection.status == InspectionStatus.OPEN and inspection.reinspects is None
    _look(page, "inspection-to-score")

    # One item fails: no points, a note, a photo from the phone, a rectification it needs.
    failing = inspection.answers.order_by("position").first()
    _score(page, inspection, failing=failing)
    expect(page.locator("#result")).to_contain_text(_shown(InspectionStatus.FAILED.label))
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FAILED
    assert inspection.total == 100 - failing.weight < inspection.pass_mark
    failing.refresh_from_db()
    assert failing.passed is False and failing.photo and failing.note == WHAT_IS_WRONG

    # The rectification it opened: in the database and on the page, with who and by when.
    rectification = Rectification.objects.exclude(pk__in=rectifications_before).get()
    assert rectification.inspection == inspection
    assert rectification.status == RectificationStatus.OPEN
    assert rectification.responsible == area.cleaner
    assert rectification.deadline > inspection.submitted_at
    assert re.fullmatch(r"ZG-\d{6}", rectification.number)
    link = page.locator("#result a", has_text=rectification.number)
    expect(link).to_be_visible()
    expect(page.locator("#result")).to_contain_text(_shown(RectificationStatus.OPEN.label))
    _look(page, "inspection-failed")
    with page.expect_navigation():
        link.click()
    page.wait_for_url(re.compile(rf"/cleaning/rectifications/{rectification.pk}/$"))
    expect(page.locator("h1")).to_contain_text(rectification.number)
    fields = page.locator("#fields")
    expect(fields).to_contain_text(area.cleaner.name)
    expect(fields).to_contain_text(_shown(rectification.deadline))
    expect(page.locator("#failed-items")).to_contain_text(failing.text)
    expect(page.locator("#failed-items")).to_contain_text(WHAT_IS_WRONG)
    _look(page, "rectification-open")

    # The cleaner, on their own phone, finds it in My work and says it is done.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    try:
        cleaner_page = context.new_page()
        log_in(cleaner_page, live_server.url, CLEANER, "demo")
        cleaner_page.goto(f"{live_server.url}/my-work/")
        _fits_the_phone(cleaner_page)
        with cleaner_page.expect_navigation():
            cleaner_page.locator(
                f"#area-cleaning a[href$='/cleaning/rectifications/{rectification.pk}/']"
            ).click()
        _look(cleaner_page, "rectification-to-do", CLEANER)
        cleaner_page.fill("input[name=note]", "已重新拖地并清理纸屑")
        _submit(
            cleaner_page,
            cleaner_page.locator(
                f"form[action$='/rectifications/{rectification.pk}/done/'] button"
            ),
            thumb=True,
        )
        expect(cleaner_page.locator(".alert-danger")).to_have_count(0)
        expect(cleaner_page.locator("#fields")).to_contain_text("已重新拖地并清理纸屑")
        _look(cleaner_page, "rectification-done", CLEANER)
    finally:
        context.close()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE

    # The re-inspection, from the rectification's page, with every item at full marks.
    page.reload()
    reinspection = CleaningInspection.objects.get(
        pk=_start(
            page,
            page.locator(f"a[href$='/cleaning/inspections/new/?reinspects={rectification.pk}']"),
        )
    )
    assert reinspection.reinspects == rectification and reinspection.area == area
    _score(page, reinspection, save_first=False)
    expect(page.locator("#result")).to_contain_text(_shown(InspectionStatus.PASSED.label))
    reinspection.refresh_from_db()
    assert reinspection.status == InspectionStatus.PASSED and reinspection.total == 100
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert rectification.closed_at is not None and rectification.escalations == 0

    # The rectification's page says it is closed, and lists the re-inspection that closed it.
    page.goto(f"{live_server.url}{rectification.get_absolute_url()}")
    expect(page.locator("#fields")).to_contain_text(_shown(RectificationStatus.CLOSED.label))
    expect(page.locator("#reinspections")).to_contain_text(str(reinspection))
    expect(page.locator("a[href*='?reinspects=']")).to_have_count(0)
    _look(page, "rectification-closed")
