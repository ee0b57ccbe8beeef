"""Visitors: the ID last-four rule, phone masking by need to know, signing in and out, the
on-site roll call, guards at the gate, hostile input."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import TimelineEvent
from core.roles import DIRECTOR, GUARD, SECURITY_SUPERVISOR, VIEWER
from core.search import parse
from safety import services
from safety.forms_visitors import VisitorForm
from safety.models import Visitor, VisitorStatus, mask_phone
from safety.providers_visitors import visitors as search_visitors
from safety.providers_visitors import visitors_expected_today
from tests.factories import PropertyFactory, UserFactory

from .factories_visitors import VisitorFactory

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13812345678", "138****5678"


@pytest.fixture
def home():
    return PropertyFactory()


@pytest.fixture
def guard(home):
    return UserFactory(groups=[GUARD], properties=[home])


@pytest.fixture
def supervisor(home):
    return UserFactory(groups=[SECURITY_SUPERVISOR], properties=[home])


def form_data(property_, **changes):
    return {
        "property": property_.pk,
        "name": "李四",
        "phone": PHONE,
        "host_name": "张三",
        "purpose": "探亲",
        "id_type": "resident_id",
        "id_last_four": "0012",
        "expected_at": "2026-12-08T10:00",
        **changes,
    }


# --- the ID: last four characters only ---------------------------------------------------------


def test_form_refuses_a_full_id_number(home, guard):
    form = VisitorForm(form_data(home, id_last_four="11010519491231002X"), user=guard)
    assert not form.is_valid()
    assert "id_last_four" in form.errors
    assert "never kept" in str(form.errors["id_last_four"])


@pytest.mark.parametrize("value", ["12", "12 4", "12-4", "一二三四"])
def test_form_refuses_anything_but_four_letters_or_digits(home, guard, value):
    form = VisitorForm(form_data(home, id_last_four=value), user=guard)
    assert not form.is_valid()
    assert "id_last_four" in form.errors


def test_form_keeps_four_characters_upper_case(home, guard):
    form = VisitorForm(form_data(home, id_last_four="002x"), user=guard)
    assert form.is_valid(), form.errors
    visitor = services.pre_register(form.save(commit=False), by=guard)
    visitor.refresh_from_db()
    assert visitor.id_last_four == "002X"


def test_database_refuses_more_than_four_characters(home):
    """A check constraint on SQLite; on PostgreSQL the column itself is four characters."""
    visitor = VisitorFactory(property=home)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Visitor.objects.filter(pk=visitor.pk).update(id_last_four="1101051949")


def test_database_refuses_time_out_before_time_in(home):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitorFactory(
            property=home,
            status=VisitorStatus.LEFT,
            arrived_at=now,
            left_at=now - datetime.timedelta(minutes=5),
        )


def test_database_refuses_on_site_without_time_in(home):
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitorFactory(property=home, status=VisitorStatus.ON_SITE, arrived_at=None)


def test_plate_is_checked_leniently_and_normalised(home, guard):
    form = VisitorForm(form_data(home, plate="粤b·d12345"), user=guard)
    assert form.is_valid(), form.errors
    assert form.instance.plate == "粤BD12345"
    form = VisitorForm(form_data(home, plate="hello"), user=guard)
    assert not form.is_valid()
    assert "plate" in form.errors


def test_expected_time_or_walk_in_is_required(home, guard):
    form = VisitorForm(form_data(home, expected_at=""), user=guard)
    assert not form.is_valid()
    assert "expected_at" in form.errors
    form = VisitorForm(form_data(home, expected_at="", sign_in_now="on"), user=guard)
    assert form.is_valid(), form.errors


# --- phones: need to know ----------------------------------------------------------------------


def test_mask_phone():
    assert mask_phone(PHONE) == MASKED
    assert mask_phone("021-5888 1234") == "021****1234"
    assert mask_phone("+86 21 5888 1234") == "********1234"
    assert mask_phone("") == ""


def test_guard_sees_masked_phone_in_list_detail_and_export(client, home, guard):
    visitor = VisitorFactory(property=home, phone=PHONE)
    client.force_login(guard)
    listed = client.get(reverse("safety:visitor_list")).content.decode()
    assert MASKED in listed and PHONE not in listed
    detail = client.get(visitor.get_absolute_url()).content.decode()
    assert MASKED in detail and PHONE not in detail
    csv = client.get(reverse("safety:visitor_list"), {"_export": "csv"})
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert MASKED in body and PHONE not in body
    edit = client.get(reverse("safety:visitor_edit", args=[visitor.pk])).content.decode()
    assert PHONE not in edit


def test_supervisor_sees_the_phone_in_full(client, home, supervisor):
    visitor = VisitorFactory(property=home, phone=PHONE)
    client.force_login(supervisor)
    assert PHONE in client.get(visitor.get_absolute_url()).content.decode()
    assert PHONE in client.get(reverse("safety:visitor_list")).content.decode()


def test_guard_edit_keeps_the_hidden_phone(client, home, guard):
    visitor = VisitorFactory(property=home, phone=PHONE)
    client.force_login(guard)
    data = form_data(home, name="王五")
    data.pop("phone")
    response = client.post(reverse("safety:visitor_edit", args=[visitor.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    visitor.refresh_from_db()
    assert (visitor.name, visitor.phone) == ("王五", PHONE)


def test_phone_is_not_searchable_without_the_permission(client, home, guard, supervisor):
    VisitorFactory(property=home, phone=PHONE, name="赵六")
    query = parse("5678")
    assert search_visitors(guard, query) == []
    found = search_visitors(supervisor, query)
    assert [r.title for r in found] == ["赵六"]
    # The list's search box too.
    client.force_login(guard)
    response = client.get(reverse("safety:visitor_list"), {"q": "5678"})
    assert list(response.context["table"].page.object_list) == []
    client.force_login(supervisor)
    response = client.get(reverse("safety:visitor_list"), {"q": "5678"})
    assert len(response.context["table"].page.object_list) == 1


def test_search_by_plate_shows_a_masked_phone(home, guard):
    VisitorFactory(property=home, phone=PHONE, plate="沪A88888")
    [result] = search_visitors(guard, parse("沪A88888"))
    assert MASKED in result.detail and PHONE not in result.detail


def test_only_the_director_and_security_supervisor_see_phones(home, guard, supervisor):
    assert UserFactory(groups=[DIRECTOR]).has_perm("safety.view_visitor_phone")
    assert supervisor.has_perm("safety.view_visitor_phone")
    assert not guard.has_perm("safety.view_visitor_phone")
    assert not UserFactory(groups=[VIEWER]).has_perm("safety.view_visitor_phone")
    # The guard registers visitors and signs them in and out, but deletes none.
    assert guard.has_perms(["safety.add_visitor", "safety.change_visitor"])
    assert not guard.has_perm("safety.delete_visitor")


# --- signing in and out ------------------------------------------------------------------------


def test_sign_in_and_out_write_the_times_and_the_timeline(home, guard):
    visitor = VisitorFactory(property=home)
    services.sign_in(visitor, by=guard, badge="B-7")
    visitor.refresh_from_db()
    assert visitor.status == VisitorStatus.ON_SITE
    assert visitor.arrived_at is not None and visitor.badge == "B-7"
    assert list(services.on_site_now(home)) == [visitor]
    services.sign_out(visitor, by=guard)
    visitor.refresh_from_db()
    assert visitor.status == VisitorStatus.LEFT
    assert visitor.left_at >= visitor.arrived_at
    assert list(services.on_site_now(home)) == []
    actions = list(TimelineEvent.objects.filter(object_id=visitor.pk).values_list("action", "by"))
    assert actions == [("arrive", guard.pk), ("leave", guard.pk)]


def test_sign_out_twice_is_refused(home, guard):
    visitor = services.register_arrival(VisitorFactory.build(property=home), by=guard)
    services.sign_out(visitor, by=guard)
    with pytest.raises(ValidationError):
        services.sign_out(visitor, by=guard)


def test_one_tap_buttons_and_the_on_site_page(client, home, guard):
    other = PropertyFactory()
    here = VisitorFactory(property=home, name="到访甲")
    elsewhere = services.register_arrival(
        VisitorFactory.build(property=other, name="别处乙"), by=guard
    )
    client.force_login(guard)
    response = client.post(reverse("safety:visitor_sign_in", args=[here.pk]))
    assert response.status_code == HTTPStatus.FOUND
    here.refresh_from_db()
    assert here.status == VisitorStatus.ON_SITE
    page = client.get(reverse("safety:visitor_on_site"))
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "到访甲" in text and "别处乙" not in text
    # Another property's visitor cannot be signed out from here.
    response = client.post(reverse("safety:visitor_sign_out", args=[elsewhere.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = client.post(
        reverse("safety:visitor_sign_out", args=[here.pk]),
        {"next": reverse("safety:visitor_on_site")},
    )
    assert response.url == reverse("safety:visitor_on_site")
    here.refresh_from_db()
    assert here.status == VisitorStatus.LEFT


def test_on_site_page_query_count_does_not_grow(client, home, guard, django_assert_max_num_queries):
    client.force_login(guard)
    for _n in range(3):
        services.register_arrival(VisitorFactory.build(property=home), by=guard)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("safety:visitor_on_site"))
    for _n in range(15):
        services.register_arrival(VisitorFactory.build(property=home), by=guard)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("safety:visitor_on_site"))
    assert response.context["on_site_count"] == 18


def test_guard_registers_a_walk_in(client, home, guard):
    client.force_login(guard)
    response = client.post(
        reverse("safety:visitor_add"), form_data(home, expected_at="", sign_in_now="on")
    )
    assert response.status_code == HTTPStatus.FOUND
    visitor = Visitor.objects.get()
    assert visitor.status == VisitorStatus.ON_SITE
    assert visitor.registered_by == guard


def test_expected_today_is_on_the_guards_my_work(home, guard):
    today = timezone.now()
    VisitorFactory(property=home, name="今天来", expected_at=today)
    VisitorFactory(property=home, name="明天来", expected_at=today + datetime.timedelta(days=1))
    items = visitors_expected_today(guard, timezone.localdate())
    assert [item.title for item in items] == ["今天来"]


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"property": "abc"},
        {"property": "99999999999999999999999"},
        {"property": "-1"},
        {"property": "²"},
    ],
)
def test_on_site_page_survives_nonsense(client, home, guard, params):
    client.force_login(guard)
    assert client.get(reverse("safety:visitor_on_site"), params).status_code == HTTPStatus.OK


def test_hostile_posts_never_500(client, home, guard):
    visitor = VisitorFactory(property=home)
    client.force_login(guard)
    nasty = {
        "name": "<script>alert(1)</script>" * 10,
        "phone": "'; DROP TABLE visitors; --",
        "id_last_four": "\x00\x00\x00\x00",
        "plate": "沪" * 300,
        "expected_at": "9999-99-99T99:99",
        "property": "x",
        "badge": "B" * 500,
    }
    response = client.post(reverse("safety:visitor_add"), nasty)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    response = client.post(
        reverse("safety:visitor_sign_in", args=[visitor.pk]), {"badge": "X" * 500}
    )
    assert response.status_code == HTTPStatus.FOUND
    visitor.refresh_from_db()
    assert visitor.status == VisitorStatus.EXPECTED
    assert client.get("/safety/visitors/", {"sort": "nonsense", "page": "-3"}).status_code in (
        HTTPStatus.OK,
        HTTPStatus.NOT_FOUND,
    )


def test_admin_export_masks_the_phone(home):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    VisitorFactory(property=home, phone=PHONE)
    staff = UserFactory(groups=[GUARD], properties=[home], is_staff=True)
    request = RequestFactory().get("/")
    request.user = staff
    admin = site._registry[Visitor]
    resource = admin.get_export_resource_classes(request)[0](
        **admin.get_export_resource_kwargs(request)
    )
    data = resource.export(queryset=Visitor.objects.all())
    assert data.dict[0]["phone"] == MASKED
