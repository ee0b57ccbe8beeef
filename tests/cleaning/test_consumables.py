"""Cleaning consumables: issued from the stores to an area or a team (stock goes down, all
lines or none), and their cost per m² of cleaned area, a team's issues shared among its
areas by size; the pages, the cleaning page's figures and the month's report figures."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cleaning import period, services
from cleaning.models import CleaningArea, ConsumableIssue
from procurement.models import StockBalance, StockMovement
from procurement.services import post_movement
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory
from tests.staff.factories import EmployeeFactory, PostFactory

from .factories import CleaningAreaFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def stocked(property_, quantity="20", cost="12.50", name="垃圾袋"):
    room = StoreroomFactory(property=property_)
    item = ItemFactory(name=name, unit="卷")
    post_movement(
        item, room, Decimal(quantity), "opening", by=UserFactory(), unit_cost=Decimal(cost)
    )
    return room, item


def issue(area=None, team=None, quantity="2", **kwargs):
    property_ = (area or team).property
    room, item = stocked(property_)
    return services.issue_consumables(
        room, {item: Decimal(quantity)}, by=UserFactory(), area=area, team=team, **kwargs
    )


# --- the service --------------------------------------------------------------------------------


def test_an_issue_lowers_stock_and_keeps_its_cost():
    area = CleaningAreaFactory()
    room, bags = stocked(area.property)
    _room, soap = stocked(area.property, quantity="5", cost="28.00", name="消毒液")
    StockBalance.objects.filter(storeroom=_room).update(storeroom=room)  # one storeroom
    StockMovement.objects.filter(storeroom=_room).update(storeroom=room)
    receiver = EmployeeFactory(property=area.property)
    issued = services.issue_consumables(
        room,
        {bags: Decimal(3), soap: Decimal("1.5")},
        by=UserFactory(),
        area=area,
        received_by=receiver,
        note="每周领用",
    )
    assert issued.property == area.property and issued.area == area
    assert StockBalance.objects.get(storeroom=room, item=bags).quantity == Decimal(17)
    assert StockBalance.objects.get(storeroom=room, item=soap).quantity == Decimal("3.5")
    lines = {line.item: line for line in issued.lines.all()}
    assert lines[bags].quantity == Decimal(3) and lines[bags].value == Decimal("37.50")
    assert lines[soap].value == Decimal("42.00")
    assert issued.value == Decimal("79.50")
    movement = lines[bags].movement
    assert movement.kind == "issue" and movement.employee == receiver
    assert movement.reference == str(area)


def test_an_item_short_refuses_the_whole_issue():
    area = CleaningAreaFactory()
    room, bags = stocked(area.property, quantity="10")
    _other, soap = stocked(area.property, quantity="1", name="消毒液")
    with pytest.raises(ValidationError):
        services.issue_consumables(
            room, {bags: Decimal(2), soap: Decimal(5)}, by=UserFactory(), area=area
        )
    assert not ConsumableIssue.objects.exists()
    assert StockBalance.objects.get(storeroom=room, item=bags).quantity == Decimal(10)


def test_an_issue_goes_to_an_area_or_a_team_of_the_storerooms_property():
    area = CleaningAreaFactory()
    room, item = stocked(PropertyFactory())
    with pytest.raises(ValidationError) as raised:
        services.issue_consumables(room, {item: Decimal(1)}, by=UserFactory(), area=area)
    assert "area" in raised.value.message_dict
    home_room, home_item = stocked(area.property)
    with pytest.raises(ValidationError):
        services.issue_consumables(home_room, {home_item: Decimal(1)}, by=UserFactory())
    with pytest.raises(ValidationError):
        services.issue_consumables(home_room, {}, by=UserFactory(), area=area)
    assert not ConsumableIssue.objects.exists()
    assert StockBalance.objects.get(storeroom=home_room).quantity == Decimal(20)


def test_the_database_refuses_an_issue_to_nobody():
    room = StoreroomFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsumableIssue.objects.create(property=room.property, storeroom=room)


def test_cost_per_m2_shares_a_teams_issues_among_its_areas_by_size():
    property_ = PropertyFactory()
    team = PostFactory(property=property_)
    big = CleaningAreaFactory(property=property_, team=team, size_m2=Decimal(300))
    small = CleaningAreaFactory(property=property_, team=team, size_m2=Decimal(100))
    alone = CleaningAreaFactory(property=property_, size_m2=Decimal(100))
    issue(team=team, quantity="8")  # ¥100: ¥75 to the big area, ¥25 to the small one
    issue(area=small, quantity="2")  # ¥25
    issue(area=alone, quantity="4")  # ¥50
    issues = ConsumableIssue.objects.all()
    areas = CleaningArea.objects.filter(property=property_)
    total = services.consumables_cost(issues, areas)
    assert total == {"cost": Decimal("175.00"), "size_m2": Decimal(500), "per_m2": Decimal("0.35")}
    rows = {row["pk"]: row for row in services.consumables_cost_by_area(issues, areas)}
    assert rows[big.pk]["cost"] == Decimal("75.00") and rows[big.pk]["per_m2"] == Decimal("0.25")
    assert rows[small.pk]["cost"] == Decimal("50.00")
    assert rows[small.pk]["per_m2"] == Decimal("0.50")
    assert rows[alone.pk]["per_m2"] == Decimal("0.50")
    first = services.consumables_cost_by_area(issues, areas)[0]
    assert first["per_m2"] == Decimal("0.50")  # the costliest per m² first


def test_cost_by_month():
    area = CleaningAreaFactory()
    with time_machine.travel(NOW, tick=False):
        issue(area=area, quantity="2")
        issue(area=area, quantity="2", issued_at=NOW - datetime.timedelta(days=40))
        months = services.consumables_cost_by_month(
            ConsumableIssue.objects.all(), datetime.date(2026, 1, 1)
        )
    assert months == {
        datetime.date(2026, 10, 1): Decimal("25.00"),
        datetime.date(2026, 11, 1): Decimal("25.00"),
    }


def test_the_months_report_has_the_consumables_figures():
    area = CleaningAreaFactory(size_m2=Decimal(50))
    with time_machine.travel(NOW, tick=False):
        issue(area=area, quantity="4")
        figures = {
            f.key: f.value for f in period.month_figures(area.property, timezone.localdate())
        }
    assert figures["cleaning.consumables_cost"] == Decimal("50.00")
    assert figures["cleaning.consumables_per_m2"] == Decimal("1.00")


# --- the pages ----------------------------------------------------------------------------------


class TestConsumableIssueViews(CrudViewTests):
    """List, detail and "issue"; an issue is never edited or deleted (it is stock that left)."""

    model = ConsumableIssue
    user_perms = ("procurement.view_item",)

    def make_object(self, property_):
        return issue(area=CleaningAreaFactory(property=property_))

    def form_data(self, property_):
        room, item = stocked(property_)
        return {
            "property": property_.pk,
            "area": CleaningAreaFactory(property=property_).pk,
            "storeroom": room.pk,
            "issued_at": "2026-11-20T09:00",
            "item_1": item.pk,
            "quantity_1": "3",
            "note": "每周领用",
        }


def supervisor(property_):
    return UserFactory(
        perms=[
            "cleaning.view_consumableissue",
            "cleaning.add_consumableissue",
            "cleaning.view_cleaningarea",
            "cleaning.view_cleaninginspection",
            "procurement.view_item",
        ],
        properties=[property_],
    )


def test_the_issue_form_refuses_bad_input_and_saves_nothing(client):
    area = CleaningAreaFactory()
    room, item = stocked(area.property, quantity="2")
    user = supervisor(area.property)
    client.force_login(user)
    url = reverse("cleaning:consumableissue_add")
    base = {"property": area.property_id, "storeroom": room.pk}
    cases = [
        ({**base, "item_1": item.pk, "quantity_1": "1"}, "area"),  # to nobody
        ({**base, "area": area.pk}, "item_1"),  # no item
        ({**base, "area": area.pk, "item_1": item.pk}, "item_1"),  # no quantity
        ({**base, "area": area.pk, "item_1": item.pk, "quantity_1": "-1"}, "quantity_1"),
        ({**base, "area": area.pk, "item_1": item.pk, "quantity_1": "壹"}, "quantity_1"),
        ({**base, "area": area.pk, "item_1": "x", "quantity_1": "1"}, "item_1"),
        ({**base, "area": area.pk, "item_1": item.pk, "quantity_1": "1e400"}, "quantity_1"),
        (
            {
                **base,
                "area": area.pk,
                "item_1": item.pk,
                "quantity_1": "1",
                "issued_at": "2999-01-01T08:00",
            },
            "issued_at",
        ),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == HTTPStatus.OK, data
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
    # More than the storeroom holds: an error on the page, in the user's language.
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    response = client.post(url, {**base, "area": area.pk, "item_1": item.pk, "quantity_1": "5"})
    assert response.status_code == HTTPStatus.OK
    assert "仅剩" in response.content.decode()
    assert not ConsumableIssue.objects.exists()
    assert StockBalance.objects.get(storeroom=room).quantity == Decimal(2)


def test_the_issue_form_starts_from_the_areas_page(client):
    area = CleaningAreaFactory()
    client.force_login(supervisor(area.property))
    page = client.get(area.get_absolute_url()).content.decode()
    add = reverse("cleaning:consumableissue_add")
    assert f"{add}?area={area.pk}" in page
    form = client.get(f"{add}?area={area.pk}").context["form"]
    assert form.initial["area"] == area.pk and form.initial["property"] == area.property_id
    other = CleaningAreaFactory()
    form = client.get(f"{add}?area={other.pk}").context["form"]
    assert "area" not in form.initial  # another property's area is not even named


def test_the_cleaning_page_and_the_area_show_the_cost_per_m2(client):
    property_ = PropertyFactory()
    team = PostFactory(property=property_)
    area = CleaningAreaFactory(property=property_, team=team, size_m2=Decimal(100))
    CleaningAreaFactory(property=property_, team=team, size_m2=Decimal(100))
    issue(team=team, quantity="16")  # ¥200 over 200 m²
    issue(area=area, quantity="4")  # ¥50 more for the area
    client.force_login(supervisor(property_))
    response = client.get(reverse("cleaning:index"))
    assert response.context["consumables"]["per_m2"] == Decimal("1.25")
    page = response.content.decode()
    assert "¥1.25" in page and "¥250.00" in page
    assert response.context["costliest_areas"][0]["pk"] == area.pk
    assert response.context["trend"][-1]["consumables_per_m2"] == Decimal("1.25")
    response = client.get(area.get_absolute_url())
    assert response.context["consumables"]["cost"] == Decimal("150.00")
    assert "¥1.50" in response.content.decode()


def test_a_viewer_without_the_permission_sees_no_cost(client):
    area = CleaningAreaFactory()
    issue(area=area)
    user = UserFactory(perms=["cleaning.view_cleaninginspection"], properties=[area.property])
    client.force_login(user)
    response = client.get(reverse("cleaning:index"))
    assert "consumables" not in response.context
