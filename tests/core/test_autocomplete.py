"""Choices over tables that grow are typed, not listed: the endpoint is scoped and checks
permissions; list filters and model forms hold only the chosen option; validation still
uses the whole scoped queryset."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.autocomplete import PAGE_SIZE, AutocompleteSelect, source_for, valid_ids
from core.roles import DIRECTOR, FACILITIES_SUPERVISOR, TECHNICIAN
from facilities.models import Equipment
from staff.models import Employee
from tests.facilities.factories import EquipmentFactory, WorkOrderFactory
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory


def _json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.json()


@pytest.fixture
def supervisor(property_a):
    return UserFactory(groups=[FACILITIES_SUPERVISOR], properties=[property_a])


def test_endpoint_offers_only_the_users_properties(client, supervisor, property_a, property_b):
    mine = EquipmentFactory(property=property_a, asset_code="PUMP-A", name="Pump")
    EquipmentFactory(property=property_b, asset_code="PUMP-B", name="Pump")
    client.force_login(supervisor)

    data = _json(client, "/autocomplete/facilities.equipment/", q="pump")

    assert data == {"results": [{"id": mine.pk, "text": str(mine)}], "more": False}


def test_every_word_must_match_and_property_narrows(client, property_a, property_b):
    director = UserFactory(groups=[DIRECTOR])
    lift = EquipmentFactory(property=property_a, asset_code="DT-01", name="Passenger lift")
    EquipmentFactory(property=property_a, asset_code="DT-02", name="Goods lift")
    other = EquipmentFactory(property=property_b, asset_code="DT-03", name="Passenger lift")
    client.force_login(director)

    both = _json(client, "/autocomplete/facilities.equipment/", q="passenger LIFT")
    assert {r["id"] for r in both["results"]} == {lift.pk, other.pk}

    one = _json(
        client,
        "/autocomplete/facilities.equipment/",
        q="passenger lift",
        property=str(property_b.pk),
    )
    assert [r["id"] for r in one["results"]] == [other.pk]


def test_pages_of_results(client, supervisor, property_a):
    EquipmentFactory.create_batch(PAGE_SIZE + 3, property=property_a)
    client.force_login(supervisor)

    first = _json(client, "/autocomplete/facilities.equipment/")
    second = _json(client, "/autocomplete/facilities.equipment/", page="2")

    assert len(first["results"]) == PAGE_SIZE and first["more"] is True
    assert len(second["results"]) == 3 and second["more"] is False
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_permission_and_unknown_source(client, property_a):
    # A guard may not look up equipment or items, but may name colleagues.
    nobody = UserFactory(properties=[property_a])
    EmployeeFactory(property=property_a, name="王五")
    client.force_login(nobody)

    assert client.get("/autocomplete/facilities.equipment/").status_code == 403
    assert client.get("/autocomplete/procurement.item/").status_code == 403
    assert client.get("/autocomplete/nothing.here/").status_code == 404
    names = _json(client, "/autocomplete/staff.employee/", q="王")
    assert [r["text"].split(" ")[0] for r in names["results"]] == ["王五"]


def test_technician_may_look_up_parts_to_issue(client, property_a):
    from tests.procurement.factories import ItemFactory

    item = ItemFactory(code="WZ9001", name="LED tube")
    technician = UserFactory(groups=[TECHNICIAN], properties=[property_a])
    client.force_login(technician)

    data = _json(client, "/autocomplete/procurement.item/", q="wz9001")

    assert [r["id"] for r in data["results"]] == [item.pk]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/autocomplete/facilities.equipment/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-4"},
        {"page": "99999999999999999999"},
        {"property": "abc"},
        {"property": "99999999999999999999999"},
        {"property": "²"},
        {"q": "x" * 5000},
        {"q": "\x00"},
    ],
)
def test_malformed_queries_never_fail(client, supervisor, params):
    client.force_login(supervisor)
    response = client.get("/autocomplete/facilities.equipment/", params)
    assert response.status_code == 200
    assert "results" in response.json()


def test_valid_ids_drops_what_cannot_be_an_id():
    assert valid_ids(["1", " 22 ", "abc", "²", "", str(2**63), str(2**63 - 1)]) == [
        1,
        22,
        2**63 - 1,
    ]


def _select(html, name):
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select named {name}"
    return match[0]


def test_list_filter_holds_only_the_chosen_option(client, supervisor, property_a):
    chosen, *_others = EquipmentFactory.create_batch(12, property=property_a)
    client.force_login(supervisor)

    html = client.get("/facilities/work-orders/", {"equipment": chosen.pk}).content.decode()

    select = _select(html, "equipment")
    assert 'data-autocomplete-url="/autocomplete/facilities.equipment/"' in select
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values == ["", str(chosen.pk)]
    assert "selected" in select.split(f'value="{chosen.pk}"')[1].split(">")[0]


def test_list_filter_with_a_mangled_id_shows_no_option_and_no_error_page(client, supervisor):
    client.force_login(supervisor)
    for value in ("abc", "99999999999999999999999", "-1"):
        response = client.get("/facilities/work-orders/", {"equipment": value})
        assert response.status_code == 200
        select = _select(response.content.decode(), "equipment")
        assert re.findall(r'<option value="([^"]*)"', select) == [""]


def test_list_query_count_does_not_grow_with_the_filtered_table(client, supervisor, property_a):
    WorkOrderFactory.create_batch(3, property=property_a)
    client.force_login(supervisor)
    client.get("/facilities/work-orders/")
    with CaptureQueriesContext(connection) as few:
        html_few = client.get("/facilities/work-orders/").content
    EquipmentFactory.create_batch(40, property=property_a)
    EmployeeFactory.create_batch(20, property=property_a)
    with CaptureQueriesContext(connection) as many:
        html_many = client.get("/facilities/work-orders/").content

    assert len(many) == len(few)
    assert abs(len(html_many) - len(html_few)) < 200  # no option per row of either table


def test_model_forms_use_the_widget_and_still_validate(supervisor, property_a, property_b):
    from facilities.forms import WorkOrderForm

    mine = EquipmentFactory(property=property_a)
    theirs = EquipmentFactory(property=property_b)
    form = WorkOrderForm(user=supervisor)
    assert isinstance(form.fields["equipment"].widget, AutocompleteSelect)
    assert str(theirs.pk) not in str(form["equipment"])

    bound = WorkOrderForm(
        data={"property": property_a.pk, "equipment": theirs.pk, "title": "x"}, user=supervisor
    )
    assert not bound.is_valid()
    assert "equipment" in bound.errors
    rendered = str(WorkOrderForm(initial={"equipment": mine.pk}, user=supervisor)["equipment"])
    assert re.findall(r'<option value="([^"]*)"', rendered) == ["", str(mine.pk)]


def test_sources_declared_for_the_tables_that_grow():
    for model in (Equipment, Employee):
        assert source_for(model) is not None
    from core.models import Location
    from procurement.models import Item, Supplier

    for model in (Location, Item, Supplier):
        assert source_for(model) is not None
