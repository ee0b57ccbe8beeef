"""Floor work on a phone, through the client: a work order shows what, where, by when and its
next step before the checklist, parts and photos, and no rows of empty fields; lists fold their
filters behind one button that counts the set ones; the scanner's typed code opens the
equipment (another property's is not found)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from facilities import services
from facilities.models import ChecklistKind, WorkOrderSource
from tests.factories import LocationFactory, PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import ChecklistItemFactory, EquipmentFactory, MaintenancePlanFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "zh-hans")


@pytest.fixture
def home(db):
    return PropertyFactory()


@pytest.fixture
def tech(home):
    user = UserFactory(groups=["technician"], properties=[home])
    EmployeeFactory(property=home, user=user)
    return user


@pytest.fixture
def pump(home):
    return EquipmentFactory(
        property=home, asset_code="PU-7", location=LocationFactory(property=home, name="泵房")
    )


@pytest.fixture
def preventive(tech, pump):
    plan = MaintenancePlanFactory(equipment=pump)
    ChecklistItemFactory(plan=plan, position=1, text="无异响", kind=ChecklistKind.CHECK)
    return services.open_work_order(
        title="水泵月度保养",
        by=None,
        equipment=pump,
        kind="preventive",
        source=WorkOrderSource.PLAN,
        plan=plan,
        due_on=plan.next_due,
        assignee=tech.employee,
    )


def field_rows(html):
    """(label, value) of the page's field list."""
    block = re.search(r'<div class="card[^"]*" id="fields">(.*?)</dl>', html, re.S)
    assert block, "no field list"
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block[1], re.S)
    return [(label.strip(), re.sub(r"<[^>]+>", "", value).strip()) for label, value in pairs]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_work_order_shows_its_next_step_first_and_no_empty_rows(
    client, tech, preventive, language
):
    client.force_login(tech)
    html = client.get(preventive.get_absolute_url(), headers={"accept-language": language})
    html = html.content.decode()

    rows = field_rows(html)
    assert rows, "the page lists the fields that hold something"
    for label, value in rows:
        assert value and value != "—", (label, value)
    labels = {label for label, _value in rows}
    # Empty ones (no contractor, no hold or cancel reason) are not listed at all.
    assert not labels & {"Contractor", "Reason on hold", "承包商"}
    # What, where, by when and the next step come first; the other fields after.
    order = [html.index(f'id="{part}"') for part in ("summary", "next-step", "checklist")]
    order += [html.index(f'id="{part}"') for part in ("costs", "photos", "fields")]
    assert order == sorted(order)
    summary = html[html.index('id="summary"') : html.index('id="checklist"')]
    assert "水泵月度保养" in summary and "PU-7" in summary and "泵房" in summary
    start = reverse("facilities:workorder_start", args=[preventive.pk])
    assert re.search(rf'<form method="post" action="{start}">.*?btn-lg', summary, re.S)


def test_once_started_the_next_step_leads_to_the_completion_form(client, tech, preventive):
    services.start(preventive, by=tech)
    client.force_login(tech)
    html = client.get(preventive.get_absolute_url(), headers={"accept-language": "en"})
    html = html.content.decode()

    assert re.search(r'<a class="btn btn-lg[^"]*" href="#complete" data-step="complete">', html)
    assert html.index('id="next-step"') < html.index('id="checklist"') < html.index('id="complete"')


def test_icon_buttons_have_a_name(client, tech, preventive):
    services.start(preventive, by=tech)
    client.force_login(tech)
    html = client.get(preventive.get_absolute_url(), headers={"accept-language": "en"})
    html = html.content.decode()

    assert re.search(r'id="issue-part">.*?Issue from stock</button>', html, re.S)
    assert re.search(r'id="add-photo">.*?Add photo</button>', html, re.S)
    menu = re.search(r'<button [^>]*id="user-menu"[^>]*>', html)[0]
    assert 'aria-label="Account menu of' in menu


def test_the_generic_detail_page_leaves_empty_fields_out(client, home):
    equipment = EquipmentFactory(property=home, model_number="", serial_number="")
    client.force_login(UserFactory(groups=["director"]))
    html = client.get(equipment.get_absolute_url(), headers={"accept-language": "en"})
    rows = field_rows(html.content.decode())
    assert all(value and value != "—" for _label, value in rows), rows
    assert "Serial number" not in {label for label, _value in rows}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_folds_its_filters_and_counts_the_set_ones(client, tech, preventive, language):
    client.force_login(tech)
    url = reverse("facilities:workorder_list")

    plain = client.get(url, headers={"accept-language": language}).content.decode()
    assert 'id="filters-toggle"' in plain and 'aria-expanded="false"' in plain
    assert 'id="filters-count"' not in plain
    assert re.search(r'<form method="get" class="[^"]*collapse hq-filters" id="filters">', plain)

    narrowed = client.get(
        url,
        {"status": "assigned", "priority": "normal", "q": "", "page": "1"},
        headers={"accept-language": language},
    ).content.decode()
    assert re.search(r'id="filters-count" aria-hidden="true">2</span>', narrowed)
    assert re.search(r'class="[^"]*collapse hq-filters show" id="filters"', narrowed)
    assert "水泵月度保养" in narrowed


def test_a_typed_code_opens_the_equipment(client, tech, pump):
    client.force_login(tech)
    response = client.get(reverse("core:scan"), {"code": " pu-7 "})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == pump.get_absolute_url()


def test_a_code_of_another_property_or_of_nothing_is_not_found(client, tech, pump):
    elsewhere = EquipmentFactory(property=PropertyFactory(), asset_code="XX-1")
    client.force_login(tech)
    for code in (elsewhere.asset_code, "NOPE", "<script>"):
        response = client.get(reverse("core:scan"), {"code": code})
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert 'id="scan-nothing"' in html and elsewhere.get_absolute_url() not in html
        assert "<script>”" not in html


def test_my_work_and_the_equipment_list_offer_the_scanner(client, tech):
    client.force_login(tech)
    for url in (reverse("core:my_work"), reverse("facilities:equipment_list")):
        html = client.get(url).content.decode()
        assert "data-scanner " in html or "data-scanner\n" in html, url
        assert "/static/js/scanner.js" in html and 'name="code"' in html
        assert 'action="/scan/"' in html
