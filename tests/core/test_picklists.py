"""A filter's short pick list is kept in the shared cache (core/picklists.py): read once, and
a row added, renamed or deleted shows on the very next page."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core import picklists
from procurement.models import ItemCategory
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import ItemCategoryFactory

pytestmark = pytest.mark.django_db

ITEMS = reverse("procurement:item_list")


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PICK_LIST_CACHE_SECONDS = 300


@pytest.fixture
def viewer(client):
    user = UserFactory(perms=["procurement.view_item"], properties=[PropertyFactory()])
    client.force_login(user)
    return user


def category_reads(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ITEMS)
    assert response.status_code == HTTPStatus.OK
    reads = [q for q in queries.captured_queries if 'FROM "procurement_itemcategory"' in q["sql"]]
    return response.content.decode(), len(reads)


def test_the_pick_list_is_read_once_then_kept(client, viewer):
    ItemCategoryFactory(name="Lamps")
    html, reads = category_reads(client)
    assert "Lamps" in html and reads == 1
    html, reads = category_reads(client)
    assert "Lamps" in html and reads == 0


def test_a_row_added_renamed_or_deleted_shows_on_the_next_page(client, viewer):
    lamps = ItemCategoryFactory(name="Lamps")
    category_reads(client)
    pipes = ItemCategoryFactory(name="Pipes")
    html, reads = category_reads(client)
    assert "Pipes" in html and reads == 1
    assert f'<option value="{pipes.pk}">Pipes</option>' in html
    lamps.name = "Lights & lamps"
    lamps.save()
    html, _reads = category_reads(client)
    assert escape("Lights & lamps") in html and ">Lamps<" not in html
    pipes.delete()
    html, _reads = category_reads(client)
    assert "Pipes" not in html


def test_a_bulk_change_shows_after_forget_all(client, viewer):
    ItemCategoryFactory(name="Lamps")
    category_reads(client)
    ItemCategory.objects.bulk_create([ItemCategory(name="Valves")])  # no signal
    assert "Valves" not in category_reads(client)[0]
    picklists.forget_all()  # as seed_demo and migrate do
    assert "Valves" in category_reads(client)[0]


def test_the_chosen_value_stays_selected_from_the_cache(client, viewer):
    lamps = ItemCategoryFactory(name="Lamps")
    category_reads(client)
    response = client.get(ITEMS, {"category": lamps.pk})
    assert f'<option value="{lamps.pk}" selected>Lamps</option>' in response.content.decode()


def test_only_queries_over_watched_tables_without_subqueries_are_kept():
    from procurement.models import Item

    assert "procurement_itemcategory" in picklists.watched()
    assert "procurement_item" not in picklists.watched()
    assert picklists.choices(Item.objects.all(), str) is None
    subquery = ItemCategory.objects.filter(pk__in=Item.objects.values("category"))
    assert picklists.choices(subquery, str) is None
    assert picklists.choices(ItemCategory.objects.none(), str) is None
