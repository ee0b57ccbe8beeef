"""Login, lockout, language, dashboard and area pages."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import override_settings
from django.utils import translation

from core.templatetags.houqin import money
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_and_successful_login(client):
    UserFactory(username="amy", password="right-password-1")
    assert client.get("/accounts/login/").status_code == HTTPStatus.OK
    response = client.post("/accounts/login/", {"username": "amy", "password": "right-password-1"})
    assert response.status_code == HTTPStatus.FOUND and response.url == "/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account(client):
    UserFactory(username="amy", password="right-password-1")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "amy", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "amy", "password": "right-password-1"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dashboard_shows_one_tile_per_area_the_user_can_open(client, property_a):
    LocationFactory(property=property_a)
    director = UserFactory(groups=["director"])
    client.force_login(director)
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    tiles = [tile["area"].app_label for tile in response.context["tiles"]]
    assert tiles == ["staff", "procurement", "facilities", "cleaning", "safety", "liaison"]
    assert response.context["reference"]["locations"] == 1
    guard = UserFactory(groups=["guard"], properties=[property_a])
    client.force_login(guard)
    tiles = [tile["area"].app_label for tile in client.get("/").context["tiles"]]
    # A guard works in safety, and reports faults in facilities (from an equipment's QR).
    assert tiles == ["facilities", "safety"]


def test_area_page_needs_a_permission_in_that_area(client):
    client.force_login(UserFactory(groups=["guard"]))
    assert client.get("/safety/").status_code == HTTPStatus.OK
    assert client.get("/staff/").status_code == HTTPStatus.FORBIDDEN


def test_switching_language_is_kept_as_the_users_preference(client):
    user = UserFactory(language="zh-hans")
    client.force_login(user)
    assert client.get("/").headers["Content-Language"] == "zh-hans"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.language == "en"
    assert client.get("/").headers["Content-Language"] == "en"


def test_language_switch_on_the_login_page_works_anonymously(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/accounts/login/").headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_is_ignored(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_money_is_cny_with_two_decimals_in_the_active_locale():
    with translation.override("en"):
        assert money(Decimal("1234.5")) == "¥1,234.50"
    assert money(None) == "—"
    assert money("not a number") == "not a number"


def test_password_reset_sends_a_link_without_revealing_accounts(client, mailoutbox):
    UserFactory(username="amy", email="amy@example.com")
    response = client.post("/accounts/password_reset/", {"email": "amy@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1


def test_exports_cannot_carry_spreadsheet_formulas(client, property_a):
    LocationFactory(property=property_a, name='=HYPERLINK("http://evil")', note="+1")
    client.force_login(UserFactory(groups=["director"]))
    body = client.get("/locations/", {"_export": "csv"}).getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'+1" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_error_pages_use_the_layout_and_the_users_language(client, property_a, property_b):
    location = LocationFactory(property=property_b)
    user = UserFactory(properties=[property_a], perms=["core.view_location"], language="zh-hans")
    client.force_login(user)
    response = client.get(f"/locations/{location.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "不存在" in response.content.decode()
    response = client.get("/properties/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "工作台" in response.content.decode()


def test_a_user_without_a_language_keeps_the_one_they_log_in_with(client):
    user = UserFactory(username="amy", password="right-password-1", language="")
    client.post(
        "/accounts/login/",
        {"username": "amy", "password": "right-password-1"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    user.refresh_from_db()
    assert user.language == "en"


def test_a_password_reset_lifts_a_lockout(client, mailoutbox, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="amy", email="amy@example.com", password="old-password-1")
    for _ in range(2):
        client.post("/accounts/login/", {"username": "amy", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "amy", "password": "old-password-1"})
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    client.post("/accounts/password_reset/", {"email": "amy@example.com"})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-password-9", "new_password2": "brand-new-password-9"},
    )
    assert response.status_code == HTTPStatus.FOUND
    again = client.post("/accounts/login/", {"username": "amy", "password": "brand-new-password-9"})
    assert again.status_code == HTTPStatus.FOUND


def test_chinese_names_read_family_name_first():
    from core.models import User

    assert User(first_name="建国", last_name="王").get_full_name() == "王建国"
    assert User(first_name="Amy", last_name="Li").get_full_name() == "Amy Li"


def test_admin_shows_staff_users_only_their_properties(client, property_a, property_b):
    mine, theirs = LocationFactory(property=property_a), LocationFactory(property=property_b)
    clerk = UserFactory(
        is_staff=True, properties=[property_a], perms=["core.view_location", "core.change_location"]
    )
    client.force_login(clerk)
    listing = client.get("/admin/core/location/")
    shown = set(listing.context["cl"].result_list)
    assert mine in shown and theirs not in shown
    assert client.get(f"/admin/core/location/{theirs.pk}/change/").status_code in (302, 404)


def test_admin_autocomplete_field_with_a_non_numeric_id_is_a_form_error(client, property_a):
    from core.models import Location

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    before = Location.objects.count()
    response = client.post(
        "/admin/core/location/add/",
        {"property": property_a.pk, "parent": "abc", "kind": "building", "name": "A 栋"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "parent" in response.context["adminform"].form.errors
    assert Location.objects.count() == before


def test_a_null_character_in_an_admin_autocomplete_search_is_ignored(client, property_a):
    parent = LocationFactory(property=property_a, name="A 栋")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    query = {"app_label": "core", "model_name": "location", "field_name": "parent"}
    response = client.get("/admin/autocomplete/", {**query, "term": "A\x00"})
    assert response.status_code == HTTPStatus.OK
    assert [row["id"] for row in response.json()["results"]] == [str(parent.pk)]


def test_admin_autocomplete_field_with_an_id_too_large_is_a_form_error(client, property_a):
    from core.models import Location

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/core/location/add/",
        {"property": property_a.pk, "parent": "9" * 20, "kind": "building", "name": "A 栋"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "parent" in response.context["adminform"].form.errors
    assert not Location.objects.filter(name="A 栋").exists()
