"""A signed-in user's roles and permissions come from the shared cache (core/authcache.py):
read once, and every change to them seen on the very next page."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import authcache
from core.roles import DIRECTOR, STORES, permission_names, role_names
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.AUTH_CACHE_SECONDS = 300


LOCATIONS = reverse("core:location_list")


def auth_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    sql = [q["sql"] for q in queries.captured_queries]
    return response, [s for s in sql if "auth_permission" in s or '"auth_group"' in s]


def location_viewer():
    group = Group.objects.create(name="location readers")
    group.permissions.add(Permission.objects.get(codename="view_location"))
    user = UserFactory(properties=[PropertyFactory()])
    user.groups.add(group)
    return user, group


def test_roles_and_permissions_are_read_once_then_kept(client):
    user, _group = location_viewer()
    client.force_login(user)
    first, read = auth_queries(client, LOCATIONS)
    assert first.status_code == HTTPStatus.OK
    assert read, "the first page reads the user's permissions"
    again, read = auth_queries(client, LOCATIONS)
    assert again.status_code == HTTPStatus.OK
    assert read == []


@pytest.mark.parametrize(
    "take_away",
    [
        lambda user, group: group.permissions.clear(),
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.delete(),
        lambda user, group: Permission.objects.get(codename="view_location").group_set.clear(),
    ],
    ids=["group-loses-permission", "user-leaves-group", "group-deleted", "reverse-side"],
)
def test_a_permission_taken_away_is_refused_on_the_next_page(client, take_away):
    user, group = location_viewer()
    client.force_login(user)
    assert client.get(LOCATIONS).status_code == HTTPStatus.OK
    take_away(user, group)
    assert client.get(LOCATIONS).status_code == HTTPStatus.FORBIDDEN


def test_a_permission_given_is_granted_on_the_next_page(client):
    user = UserFactory(properties=[PropertyFactory()])
    client.force_login(user)
    assert client.get(LOCATIONS).status_code == HTTPStatus.FORBIDDEN
    user.user_permissions.add(Permission.objects.get(codename="view_location"))
    assert client.get(LOCATIONS).status_code == HTTPStatus.OK


def test_superuser_status_is_checked_with_the_users_own_row(client):
    user = UserFactory(properties=[PropertyFactory()], is_superuser=True)
    client.force_login(user)
    assert client.get(LOCATIONS).status_code == HTTPStatus.OK
    type(user).objects.filter(pk=user.pk).update(is_superuser=False)  # no signal at all
    assert client.get(LOCATIONS).status_code == HTTPStatus.FORBIDDEN


def test_roles_outside_a_request_and_after_forget():
    user = UserFactory(groups=[STORES])
    assert role_names(user) == {STORES}
    assert "procurement.view_item" in permission_names(user)
    user.groups.add(Group.objects.get(name=DIRECTOR))
    assert role_names(user) == {STORES}  # read once per request (or task)
    authcache.forget(user)
    assert role_names(user) == {STORES, DIRECTOR}


def test_an_inactive_user_holds_no_permission():
    user = UserFactory(groups=[DIRECTOR], is_active=False)
    assert permission_names(user) == frozenset()
    assert not user.has_perm("core.view_location")


def test_the_sidebar_follows_a_changed_role_and_the_language(client):
    user = UserFactory(groups=[STORES], properties=[PropertyFactory()])
    client.force_login(user)
    procurement = reverse("procurement:index")
    staff = reverse("staff:index")
    html = client.get("/").content.decode()
    assert f'href="{procurement}"' in html and f'href="{staff}"' not in html
    user.groups.add(Group.objects.get(name=DIRECTOR))
    html = client.get("/").content.decode()
    assert f'href="{staff}"' in html
    user.groups.remove(Group.objects.get(name=DIRECTOR))
    assert f'href="{staff}"' not in client.get("/").content.decode()
    # the open area shows its pages, the language its labels
    items = reverse("procurement:item_list")
    assert f'href="{items}"' not in client.get("/").content.decode()
    assert f'href="{items}"' in client.get(procurement).content.decode()
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    assert "物资采购" in client.get(procurement).content.decode()


def test_the_sidebar_is_rendered_once_and_then_read_from_the_cache(client):
    user, _group = location_viewer()
    client.force_login(user)

    def rendered(response):
        return "includes/sidebar.html" in [t.name for t in response.templates]

    assert rendered(client.get(LOCATIONS))
    again = client.get(LOCATIONS)
    assert not rendered(again)
    assert 'id="sidebar"' in again.content.decode()


def test_a_property_taken_away_hides_its_records_on_the_next_page(client):
    from tests.factories import LocationFactory

    user, _group = location_viewer()
    home = user.properties.get()
    place = LocationFactory(property=home)
    client.force_login(user)
    url = reverse("core:location_detail", args=[place.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    user.properties.remove(home)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    user.properties.add(home)
    assert client.get(url).status_code == HTTPStatus.OK


def test_the_cached_sidebar_marks_the_current_page(client):
    user = UserFactory(groups=[STORES], properties=[PropertyFactory()])
    client.force_login(user)

    def active(url):
        html = client.get(url).content.decode()
        sidebar = html.split('id="sidebar"', 1)[1].split("</aside>", 1)[0]
        return {
            name
            for name in ("core:dashboard", "core:my_work", "core:calendar")
            if f'active"\n         href="{reverse(name)}"' in sidebar
            or f'active"\n         href="{reverse(name)}" id=' in sidebar
        }

    for _ in range(2):  # rendered, then from the cache
        assert active(reverse("core:dashboard")) == {"core:dashboard"}
        assert active(reverse("core:calendar")) == {"core:calendar"}
        assert active(reverse("core:search")) == set()
