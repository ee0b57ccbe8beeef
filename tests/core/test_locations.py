import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.forms import LocationForm
from core.models import Location, LocationKind
from core.roles import DIRECTOR
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(property_a):
    building = LocationFactory(property=property_a, code="B1", name="1号楼")
    floor = LocationFactory(
        property=property_a, code="B1-F3", name="3F", kind="floor", parent=building
    )
    room = LocationFactory(
        property=property_a, code="B1-F3-301", name="301", kind="space", parent=floor
    )
    return building, floor, room


def test_paths_and_full_names_are_kept(tree):
    building, floor, room = tree
    room.refresh_from_db()
    assert room.path == f"/{building.pk:010d}/{floor.pk:010d}/{room.pk:010d}/"
    assert room.depth == 2
    assert room.full_name == "1号楼 / 3F / 301"
    assert str(room) == "1号楼 / 3F / 301"


def test_ancestors_and_descendants_cost_one_query_whatever_the_depth(tree):
    building, floor, room = tree
    deeper = room
    for level in range(5):
        deeper = LocationFactory(
            property=building.property, kind="space", parent=deeper, code=f"D{level}"
        )
    with CaptureQueriesContext(connection) as queries:
        assert list(deeper.ancestors())[:3] == [building, floor, room]
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert len(list(building.descendants())) == 7
    assert len(queries) == 1


def test_renaming_or_moving_rewrites_the_subtree(tree, property_a):
    building, floor, room = tree
    building.name = "A栋"
    building.save()
    room.refresh_from_db()
    assert room.full_name == "A栋 / 3F / 301"
    other = LocationFactory(property=property_a, code="B2", name="2号楼")
    floor.parent = other
    floor.save()
    room.refresh_from_db()
    assert room.path == f"/{other.pk:010d}/{floor.pk:010d}/{room.pk:010d}/"
    assert room.full_name == "2号楼 / 3F / 301"
    assert list(building.descendants()) == []


def test_the_database_refuses_a_floor_without_a_parent(property_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(property=property_a, code="X", name="X", kind="floor")


def test_the_database_refuses_a_duplicate_code(tree, property_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(property=property_a, code="B1", name="again", kind="building")


def test_clean_refuses_bad_trees(tree, property_b):
    building, floor, room = tree
    floor.parent = room  # under its own child
    with pytest.raises(ValidationError) as exc:
        floor.full_clean()
    assert "parent" in exc.value.message_dict
    stray = Location(property=property_b, code="S", name="S", kind="space", parent=floor)
    with pytest.raises(ValidationError, match="another property"):
        stray.full_clean()
    wrong_level = Location(
        property=building.property, code="F", name="F", kind="floor", parent=floor
    )
    with pytest.raises(ValidationError, match="cannot be placed"):
        wrong_level.full_clean()


def test_the_form_offers_only_the_users_properties_and_parents(tree, property_a, property_b):
    LocationFactory(property=property_b, code="THEIRS")
    user = UserFactory(properties=[property_a])
    form = LocationForm(user=user)
    assert list(form.fields["property"].queryset) == [property_a]
    assert {loc.property_id for loc in form.fields["parent"].queryset} == {property_a.pk}
    assert form.initial["property"] == property_a.pk
    bound = LocationForm(
        data={"property": property_b.pk, "kind": LocationKind.BUILDING, "code": "Z", "name": "Z"},
        user=user,
    )
    assert not bound.is_valid() and "property" in bound.errors


def test_the_form_reports_a_duplicate_code(tree, property_a):
    user = UserFactory(properties=[property_a])
    form = LocationForm(
        data={"property": property_a.pk, "kind": "building", "code": "B1", "name": "dup"},
        user=user,
    )
    assert not form.is_valid()
    assert "already has a location with this code" in str(form.errors)


def test_location_history_records_who_changed_what(client, tree, property_a):
    building, _floor, _room = tree
    user = UserFactory(
        properties=[property_a], perms=["core.view_location", "core.change_location"]
    )
    client.force_login(user)
    client.post(
        f"/locations/{building.pk}/edit/",
        {
            "property": property_a.pk,
            "kind": "building",
            "code": "B1",
            "name": "新名字",
            "note": "",
        },
    )
    response = client.get(f"/locations/{building.pk}/")
    entry = response.context["history"][0]
    assert entry["user"] == user
    assert (entry["changes"][0][0], entry["changes"][0][1], entry["changes"][0][2]) == (
        "name",
        "1号楼",
        "新名字",
    )


def test_parent_is_typed_and_offers_the_chosen_propertys_containers(
    client, tree, property_a, property_b
):
    building, floor, _room = tree
    theirs = LocationFactory(property=property_b, code="THEIRS")
    director = UserFactory(groups=["director"])
    html = str(LocationForm(user=director)["parent"])
    assert 'data-filter-by="property"' in html
    assert 'data-autocomplete-url="/autocomplete/core.location.container/"' in html
    assert "<option" in html and str(theirs) not in html  # no list of every location

    client.force_login(director)
    offered = client.get(
        "/autocomplete/core.location.container/", {"property": property_a.pk}
    ).json()["results"]
    # Buildings and floors of the chosen property; a room holds nothing.
    assert {r["id"] for r in offered} == {building.pk, floor.pk}


def test_changing_the_kind_must_suit_what_is_inside(client, tree, property_a):
    building, floor, _room = tree
    client.force_login(UserFactory(properties=[property_a], groups=["facilities_supervisor"]))
    other = LocationFactory(property=property_a, code="B2", name="2号楼")
    response = client.post(
        f"/locations/{building.pk}/edit/",
        {
            "property": property_a.pk,
            "kind": "floor",
            "parent": other.pk,
            "code": "B1",
            "name": "1号楼",
        },
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    response = client.post(
        f"/locations/{floor.pk}/edit/",
        {
            "property": property_a.pk,
            "kind": "space",
            "parent": building.pk,
            "code": "B1-F3",
            "name": "3F",
        },
    )
    assert "kind" in response.context["form"].errors
    building.refresh_from_db()
    floor.refresh_from_db()
    assert (building.kind, floor.kind) == ("building", "floor")


def test_save_itself_refuses_cycles_and_moves_between_properties(tree, property_b):
    building, floor, room = tree
    floor.parent = room  # bypassing clean(), as an import or a script would
    with pytest.raises(ValidationError):
        floor.save()
    building.refresh_from_db()
    building.property = property_b
    with pytest.raises(ValidationError):
        building.save()
    floor.refresh_from_db()
    assert floor.parent_id == building.pk


def test_codes_are_unique_whatever_the_case(tree, property_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(property=property_a, code="b1", name="again", kind="building")
    from core.forms import PropertyForm

    form = PropertyForm(
        data={"name": "x", "code": property_a.code.lower(), "kind": "office"},
        user=UserFactory(groups=[DIRECTOR]),
    )
    assert not form.is_valid()


def test_admin_import_cannot_break_the_tree(client, tree, property_a):
    import tablib
    from django.core.files.uploadedfile import SimpleUploadedFile

    building, floor, room = tree
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = tablib.Dataset(
        [floor.pk, property_a.pk, room.pk, "floor", floor.code, floor.name, ""],
        headers=["id", "property", "parent", "kind", "code", "name", "note"],
    )
    upload = SimpleUploadedFile("locations.csv", data.export("csv").encode(), "text/csv")
    response = client.post(
        "/admin/core/location/import/",
        {
            "import_file": upload,
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    floor.refresh_from_db()
    assert floor.parent_id == building.pk


def test_a_property_page_lists_its_buildings_with_what_they_hold(
    client, tree, property_a, monkeypatch
):
    from core.views import reference

    _building, _floor, _room = tree
    LocationFactory(property=property_a, code="B2", name="2号楼")
    LocationFactory(property=property_a, code="B3", name="3号楼")
    monkeypatch.setattr(reference, "TOP_LOCATIONS", 2)
    user = UserFactory(properties=[property_a], perms=["core.view_property", "core.view_location"])
    client.force_login(user)

    response = client.get(f"/properties/{property_a.pk}/", headers={"accept-language": "en"})

    html = response.content.decode()
    assert [loc.code for loc in response.context["locations"]] == ["B1", "B2"]
    assert response.context["locations"][0].inside == 1  # the floor; the room is inside it
    assert "3F" not in html and "3号楼" not in html  # floors and the rest are one click away
    assert "5 places" in html and "All 3 top-level places" in html
    assert f'href="/locations/?property={property_a.pk}"' in html
