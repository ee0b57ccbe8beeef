"""The shared CRUD view test: an app's view test declares a model, a factory and form data.

    class TestLocationViews(CrudViewTests):
        model = Location
        factory = LocationFactory

        def form_data(self, property_):
            return {"property": property_.pk, "kind": "building", "code": "X1", "name": "X"}

Every list, detail, create, edit and delete page is then checked with the permission,
without it (403), and against a record of another property (404); lists are checked for
scoping, export and a query count that does not grow with the rows. A model without some of
these pages (a read-only ledger, say) has the others checked; the missing ones are skipped.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from core.scoping import is_scoped, visible_records
from tests.factories import PropertyFactory, UserFactory


def form_errors(response):
    context = response.context
    return context["form"].errors if context and "form" in context else response.status_code


def perm(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


@pytest.mark.django_db
class CrudViewTests:
    model = None
    factory = None
    scoped = True  # False for reference data that every property shares
    creates_in_property = True  # False where a new record is not filed under a property
    # Further permissions of every user these tests log in with the model's permissions:
    # for personal data, how far they see (e.g. "staff.view_all_staff_records", HR's reach).
    user_perms: tuple[str, ...] = ()

    # --- what a subclass declares -----------------------------------------------------------
    def make_object(self, property_):
        """A saved record belonging to ``property_``."""
        return self.factory(property=property_)

    def form_data(self, property_):
        """Valid POST data for a new record in ``property_``."""
        raise NotImplementedError

    def edit_data(self, obj):
        """Valid POST data changing ``obj``; by default the create data of its property."""
        return self.form_data(self.property_of(obj))

    def success_url(self, obj):
        """Where saving ``obj`` leads; by default its own page."""
        return obj.get_absolute_url()

    def property_of(self, obj):
        path = self.model.property_lookup
        if not path:
            return None
        if path == "pk":
            return obj
        for part in path.split("__"):
            obj = getattr(obj, part)
        return obj

    # --- helpers ------------------------------------------------------------------------------
    def url(self, action, obj=None):
        """The page's URL; a model without this page skips the test."""
        if not self.has_page(action):
            pytest.skip(f"{self.model._meta.label} has no {action} page")
        opts = self.model._meta
        args = [obj.pk] if obj is not None else []
        return reverse(f"{opts.app_label}:{opts.model_name}_{action}", args=args)

    def has_page(self, action):
        opts = self.model._meta
        args = [] if action in ("list", "add") else [1]
        try:
            reverse(f"{opts.app_label}:{opts.model_name}_{action}", args=args)
        except NoReverseMatch:
            return False
        return True

    def user(self, *actions, properties):
        return UserFactory(
            perms=[perm(self.model, a) for a in actions] + list(self.user_perms),
            properties=properties,
        )

    @pytest.fixture
    def home(self, db):
        return PropertyFactory()

    @pytest.fixture
    def other(self, db):
        return PropertyFactory()

    # --- list ---------------------------------------------------------------------------------
    def test_list(self, client, home, other):
        mine, theirs = self.make_object(home), self.make_object(other)
        client.force_login(self.user("view", properties=[home]))
        response = client.get(self.url("list"))
        assert response.status_code == HTTPStatus.OK
        shown = {row.record.pk for row in response.context["table"].page.object_list}
        assert mine.pk in shown
        if self.scoped:
            assert theirs.pk not in shown

    def test_list_without_permission_is_forbidden(self, client, home):
        client.force_login(UserFactory(properties=[home]))
        assert client.get(self.url("list")).status_code == HTTPStatus.FORBIDDEN

    def test_list_survives_nonsense_parameters(self, client, home):
        self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        response = client.get(
            self.url("list"),
            {
                "page": "abc",
                "sort": "no_such_column",
                "per_page": "-5",
                "q": "x" * 500,
                "property": "not-a-number",
                "_export": "yaml",
            },
        )
        assert response.status_code == HTTPStatus.OK

    def test_export_csv_and_xlsx_hold_the_filtered_rows(self, client, home, other):
        mine, theirs = self.make_object(home), self.make_object(other)
        user = self.user("view", properties=[home])
        client.force_login(user)
        csv = client.get(self.url("list"), {"_export": "csv"})
        assert csv.status_code == HTTPStatus.OK
        assert csv["Content-Type"].startswith("text/csv")
        body = csv.getvalue().decode("utf-8-sig")
        visible = self.model.objects.all()
        if self.scoped:
            visible = visible_records(visible, user)
        assert len(body.strip().splitlines()) == 1 + visible.count()  # a header, then the rows
        if self.scoped:
            assert str(theirs) not in body or str(theirs) == str(mine)
        xlsx = client.get(self.url("list"), {"_export": "xlsx"})
        assert xlsx.status_code == HTTPStatus.OK
        assert xlsx.content[:2] == b"PK"  # a zip container, as .xlsx files are

    def test_list_query_count_does_not_grow_with_rows(self, client, home):
        client.force_login(self.user("view", properties=[home]))
        self.make_object(home)
        client.get(self.url("list"))  # warm caches (content types, permissions)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url("list"))
        for _ in range(8):
            self.make_object(home)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url("list"))
        assert len(response.context["table"].page.object_list) >= 9
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

    # --- detail -------------------------------------------------------------------------------
    def test_detail(self, client, home):
        obj = self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        response = client.get(self.url("detail", obj))
        assert response.status_code == HTTPStatus.OK
        assert response.context["object"] == obj
        assert "history" in response.context

    def test_detail_of_another_property_is_not_found(self, client, home, other):
        if not self.scoped:
            pytest.skip("shared reference data has no property")
        obj = self.make_object(other)
        client.force_login(self.user("view", "change", "delete", properties=[home]))
        assert client.get(self.url("detail", obj)).status_code == HTTPStatus.NOT_FOUND
        for action in ("edit", "delete"):
            if self.has_page(action):
                assert client.get(self.url(action, obj)).status_code == HTTPStatus.NOT_FOUND
        if self.has_page("delete"):
            assert client.post(self.url("delete", obj)).status_code == HTTPStatus.NOT_FOUND
        assert self.model.objects.filter(pk=obj.pk).exists()

    def test_detail_without_permission_is_forbidden(self, client, home):
        obj = self.make_object(home)
        client.force_login(UserFactory(properties=[home]))
        assert client.get(self.url("detail", obj)).status_code == HTTPStatus.FORBIDDEN

    # --- create -------------------------------------------------------------------------------
    def test_create(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        assert client.get(self.url("add")).status_code == HTTPStatus.OK
        before = self.model.objects.count()
        response = client.post(self.url("add"), self.form_data(home))
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert self.model.objects.count() == before + 1
        created = self.model.objects.order_by("-pk").first()
        assert response.url == self.success_url(created)
        if self.creates_in_property:
            assert self.property_of(created) == home

    def test_create_without_permission_is_forbidden(self, client, home):
        client.force_login(self.user("view", properties=[home]))
        assert client.get(self.url("add")).status_code == HTTPStatus.FORBIDDEN
        before = self.model.objects.count()
        assert client.post(self.url("add"), self.form_data(home)).status_code == 403
        assert self.model.objects.count() == before

    def test_create_with_bad_input_shows_errors_and_saves_nothing(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        before = self.model.objects.count()
        response = client.post(self.url("add"), {})
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert self.model.objects.count() == before

    def test_create_in_another_property_is_refused(self, client, home, other):
        if not self.creates_in_property:
            pytest.skip("records of this model are not filed under a property")
        client.force_login(self.user("view", "add", properties=[home]))
        before = self.model.objects.count()
        response = client.post(self.url("add"), self.form_data(other))
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert self.model.objects.count() == before

    def test_create_with_a_date_out_of_range_is_refused(self, client, home):
        """Year 1 and 9999 are form errors on their field, not a 500, and nothing is saved."""
        add_url = self.url("add")  # a model without a create page skips
        data = self.form_data(home)
        dated = {}
        for name in data:
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.DateField):  # DateTimeField is one too
                dated[name] = isinstance(field, models.DateTimeField)
        if not dated:
            pytest.skip("the form has no date")
        client.force_login(self.user("view", "add", properties=[home]))
        before = self.model.objects.count()
        for name, with_time in dated.items():
            for far in ("0001-01-01", "9999-12-31"):
                value = f"{far}T08:00" if with_time else far
                response = client.post(add_url, {**data, name: value})
                assert response.status_code == HTTPStatus.OK, (name, value)
                assert name in response.context["form"].errors, (name, value)
        assert self.model.objects.count() == before

    # --- edit ---------------------------------------------------------------------------------
    def test_edit(self, client, home):
        obj = self.make_object(home)
        client.force_login(self.user("view", "change", properties=[home]))
        assert client.get(self.url("edit", obj)).status_code == HTTPStatus.OK
        response = client.post(self.url("edit", obj), self.edit_data(obj))
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert response.url == self.success_url(obj)

    def test_edit_without_permission_is_forbidden(self, client, home):
        obj = self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        assert client.get(self.url("edit", obj)).status_code == HTTPStatus.FORBIDDEN
        assert client.post(self.url("edit", obj), self.edit_data(obj)).status_code == 403

    # --- delete -------------------------------------------------------------------------------
    def test_delete(self, client, home):
        obj = self.make_object(home)
        client.force_login(self.user("view", "delete", properties=[home]))
        assert client.get(self.url("delete", obj)).status_code == HTTPStatus.OK
        response = client.post(self.url("delete", obj))
        assert response.status_code == HTTPStatus.FOUND
        assert not self.model.objects.filter(pk=obj.pk).exists()

    def test_delete_without_permission_is_forbidden(self, client, home):
        obj = self.make_object(home)
        client.force_login(self.user("view", properties=[home]))
        assert client.post(self.url("delete", obj)).status_code == HTTPStatus.FORBIDDEN
        assert self.model.objects.filter(pk=obj.pk).exists()

    # --- filters ------------------------------------------------------------------------------
    def test_filter_choices_offer_only_the_users_properties(self, client, home, other):
        self.make_object(home)
        theirs = self.make_object(other)
        client.force_login(self.user("view", properties=[home]))
        form = client.get(self.url("list")).context["filter"].form
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not is_scoped(queryset.model):
                continue
            offered = set(queryset)
            assert other not in offered and theirs not in offered, name
