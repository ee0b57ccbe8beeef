"""Search (/search/?q=): codes, numbers and names across the apps, each type only for who may
view it, within their properties; Chinese substrings match; ID-card numbers are never
searched; junk never gives a 500."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.registry import SEARCH, registered
from core.search import PER_TYPE, parse
from staff.access import sees_all_staff_records
from tests.facilities.factories import EquipmentFactory, WorkOrderFactory

from .world import ID_NUMBER, ROLES, build_world

pytestmark = pytest.mark.django_db
URL = "/search/"


@pytest.fixture
def world():
    return build_world()


def search(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == HTTPStatus.OK
    return response


def found(response):
    """{type label: [titles]}"""
    return {
        str(group["label"]): [str(r.title) for r in group["results"]]
        for group in response.context["groups"]
    }


def titles(response):
    return [title for group in found(response).values() for title in group]


def test_a_chinese_substring_finds_equipment_and_work_orders(client, world):
    client.force_login(world.user("technician"))
    response = search(client, "配电")
    groups = found(response)
    assert groups["Equipment"] == ["PD-HOME-01 低压配电柜HOME"]
    orders = groups["Work orders"]
    assert any(title.endswith("配电柜异响HOME") for title in orders)
    assert not any("OTHR" in title for title in titles(response))
    # Three characters: what the trigram index serves on PostgreSQL.
    assert found(search(client, "配电柜"))["Equipment"] == ["PD-HOME-01 低压配电柜HOME"]


def test_codes_and_numbers(client, world):
    client.force_login(world.user("facilities"))
    order = world.home["untaken"]
    response = search(client, order.number.lower())
    assert found(response)["Work orders"][0] == f"{order.number} · {order.title}"
    assert found(search(client, "pd-home"))["Equipment"] == ["PD-HOME-01 低压配电柜HOME"]
    theirs = world.other["untaken"]
    assert "Work orders" not in found(search(client, theirs.number))


@pytest.mark.parametrize(
    ("record", "number"),
    [
        ("order", "PO-{pk:06d}"),
        ("order", "po{pk}"),
        ("small", "REQ-{pk:06d}"),
        ("count", "ST {pk}"),
    ],
)
def test_documents_by_number_within_the_users_properties(client, world, record, number):
    mine, theirs = world.home[record], world.other[record]

    def documents(query):
        # Only these two documents count: "ST 3" may also find a person (a "st" in a name,
        # a "3" in a staff number), which is search doing its job.
        return [t for t in titles(search(client, query)) if t in (str(mine), str(theirs))]

    client.force_login(world.user("stores"))
    assert documents(number.format(pk=mine.pk)) == [str(mine)]
    assert documents(number.format(pk=theirs.pk)) == []
    client.force_login(world.user("director"))
    assert documents(number.format(pk=theirs.pk)) == [str(theirs)]


def test_people_by_name_or_staff_number_never_by_id_card_number(client, world):
    client.force_login(world.user("hr"))
    probation = world.home["probation"]
    assert found(search(client, "试用员工"))["Employees"] == [str(probation)]
    assert found(search(client, "sy-home"))["Employees"] == [str(probation)]
    for part in (ID_NUMBER, ID_NUMBER[:10], ID_NUMBER[-8:], "19491231"):
        response = search(client, part)
        assert "Employees" not in found(response), part
        assert probation.name not in response.content.decode()
    assert found(search(client, "应聘者"))["Candidates"] == ["应聘者HOME"]


@pytest.mark.parametrize("username", ROLES)
def test_each_type_only_for_who_may_view_it(client, world, username):
    user = world.user(username)
    client.force_login(user)
    types = set()
    for q in ("配电", "试用员工", "应聘者", "明亮电气", "水泵房"):
        types |= set(found(search(client, q)))
    may = {
        "Equipment": user.has_perm("facilities.view_equipment"),
        "Work orders": user.has_perm("facilities.view_workorder"),
        # People's records on need to know: HR and the director (the supervisors here lead
        # none of these people's departments).
        "Employees": user.has_perm("staff.view_employee") and sees_all_staff_records(user),
        # … and an interviewer the candidate they interview (security, on the home panel).
        "Candidates": user.has_perm("staff.view_candidate")
        and (sees_all_staff_records(user) or username == "security"),
        "Suppliers": user.has_perm("procurement.view_supplier"),
        "Locations": user.has_perm("core.view_location"),
    }
    assert types == {label for label, allowed in may.items() if allowed}
    if username != "director":
        for q in ("OTHR", "配电柜异响OTHR", "应聘者OTHR", "试用员工OTHR"):
            for label, shown in found(search(client, q)).items():
                # Suppliers are shared by the properties; everything else is scoped.
                assert label == "Suppliers" or not any("OTHR" in t for t in shown), (q, label)


def test_too_short_too_long_and_junk(client, world):
    client.force_login(world.user("director"))
    assert search(client, "a").context["too_short"]
    assert search(client, "   ").context["query"] is None
    assert not search(client, "泵").context["too_short"]  # one Chinese character is enough
    huge = search(client, "配电" * 5000)
    assert len(huge.context["query"].text) == 100
    for junk in ("%", "%%", "_", "\\", "'; drop table x", "<script>", "\x00", "WO-%"):
        response = client.get(URL, {"q": junk})
        assert response.status_code == HTTPStatus.OK
        assert titles(response) == [] or junk in ("<script>",), junk
    assert parse("ab cd ef gh ij kl").words == ("ab", "cd", "ef", "gh", "ij")
    assert parse("a") is None and parse("a 泵").words == ("a", "泵")


def test_results_are_limited_per_type_with_a_link_to_the_list(client, world):
    for n in range(PER_TYPE + 4):
        EquipmentFactory(property=world.home.property, name=f"配电箱{n}", asset_code=f"PX-{n:02d}")
    client.force_login(world.user("facilities"))
    response = search(client, "配电")
    [group] = [g for g in response.context["groups"] if g["label"] == "Equipment"]
    assert len(group["results"]) == PER_TYPE
    assert group["more_url"] == "/facilities/equipment/?q=%E9%85%8D%E7%94%B5"


def test_the_query_count_does_not_grow_with_the_matches(client, world):
    client.force_login(world.user("director"))
    search(client, "配电")
    with CaptureQueriesContext(connection) as few:
        search(client, "配电")
    for n in range(30):
        EquipmentFactory(property=world.home.property, name=f"配电箱{n}")
        WorkOrderFactory(property=world.home.property, title=f"配电检修{n}")
    with CaptureQueriesContext(connection) as many:
        search(client, "配电")
    assert len(many) == len(few)


def test_a_broken_provider_is_left_out(client, world, caplog):
    def broken(user, query):
        raise RuntimeError("search bug")

    client.force_login(world.user("technician"))
    with registered(SEARCH, broken, app_label="tests"):
        response = search(client, "配电")
    assert found(response)["Equipment"]
    assert "search bug" in caplog.text


@pytest.mark.parametrize("username", ROLES)
def test_the_page_and_the_top_bar_in_chinese(client, world, username):
    user = world.user(username)
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    client.force_login(user)
    response = search(client, "配电")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert 'id="topbar-search"' in client.get("/").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
        )
        indexes = dict(cursor.fetchall())
    expected = {
        "facilities_wo_number_trgm": "upper((number)::text) gin_trgm_ops",
        "facilities_wo_title_trgm": "upper((title)::text) gin_trgm_ops",
        "facilities_eq_code_trgm": "upper((asset_code)::text) gin_trgm_ops",
        "facilities_eq_name_trgm": "upper((name)::text) gin_trgm_ops",
        "procurement_item_code_trgm": "upper((code)::text) gin_trgm_ops",
        "procurement_item_name_trgm": "upper((name)::text) gin_trgm_ops",
        "procurement_supplier_name_trgm": "upper((name)::text) gin_trgm_ops",
        "staff_employee_name_trgm": "upper((name)::text) gin_trgm_ops",
        "staff_employee_no_trgm": "upper((staff_no)::text) gin_trgm_ops",
        "staff_candidate_name_trgm": "upper((name)::text) gin_trgm_ops",
        "core_location_name_trgm": "upper((full_name)::text) gin_trgm_ops",
        "core_location_code_trgm": "upper((code)::text) gin_trgm_ops",
        "cleaning_cpoint_name_trgm": "upper((name)::text) gin_trgm_ops",
        "cleaning_gzone_name_trgm": "upper((name)::text) gin_trgm_ops",
        "safety_visitor_name_trgm": "upper((name)::text) gin_trgm_ops",
        "safety_visitor_plate_trgm": "upper((plate)::text) gin_trgm_ops",
        "safety_card_number_trgm": "upper((number)::text) gin_trgm_ops",
        "safety_checkpoint_name_trgm": "upper((name)::text) gin_trgm_ops",
    }
    for name, expression in expected.items():
        assert name in indexes, name
        assert "USING gin" in indexes[name] and expression in indexes[name], indexes[name]
