"""core.texts: messages the app writes on records, stored as a key and facts and worded in
the reader's language; workflow steps and the generic pages, tables, exports, forms and
admin that show them."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import texts
from core.exports import TableExport
from core.models import TimelineEvent
from core.tables import HouqinTable, WordedColumn
from core.workflow import transition
from procurement.models import Requisition, RequisitionLine
from tests.factories import UserFactory
from tests.procurement.factories import ItemFactory, RequisitionFactory

# A test message over a msgid the catalogue translates, with a quantity to word.
RETURNED = texts.register(
    "tests.returned", _("Returned to stock: %(item)s × %(quantity)s"), quantity=texts.quantity
)
BACK = texts.register("tests.back", _("Back in service"))


def both(key, params):
    with translation.override("en"):
        english = texts.worded(key, params)
    with translation.override("zh-hans"):
        chinese = texts.worded(key, params)
    return english, chinese


def test_a_message_is_worded_in_the_active_language_with_numbers_in_its_locale():
    assert both(RETURNED, {"item": "灯管", "quantity": "12345.5"}) == (
        "Returned to stock: 灯管 × 12,345.5",
        "退库：灯管 × 12,345.5",
    )
    assert both(BACK, {}) == ("Back in service", "恢复运行")
    assert both(BACK, None) == ("Back in service", "恢复运行")
    # A list of fact sets is one line each.
    lines = [{"item": "甲", "quantity": "1"}, {"item": "乙", "quantity": "2000"}]
    assert both(RETURNED, lines)[0] == "Returned to stock: 甲 × 1\nReturned to stock: 乙 × 2,000"


@pytest.mark.parametrize(
    "key, params",
    [
        ("", {}),
        ("tests.nobody_registered_this", {}),
        (RETURNED, {"item": "灯管"}),  # a fact missing
        (RETURNED, {"item": "灯管", "quantity": "many"}),  # not a number
        (RETURNED, {"item": "灯管", "quantity": "NaN"}),
        (RETURNED, {"item": "灯管", "quantity": True}),
        (RETURNED, ["not", "facts"]),
        (RETURNED, []),
        (RETURNED, "text"),
        (RETURNED, 42),
    ],
)
def test_a_key_or_facts_that_do_not_fit_give_the_fallback(key, params):
    assert texts.worded(key, params, fallback="如原样") == "如原样"
    assert texts.worded(key, params) == ""


def test_a_count_with_d_placeholders_needs_whole_numbers():
    key = "facilities.checklist_recorded"
    assert texts.worded(key, {"count": 5, "failed": 2}) == "5 steps recorded, 2 not passed."
    assert texts.worded(key, {"count": "five", "failed": 2}, fallback="?") == "?"


def test_facts_are_stored_as_json_keeps_them():
    assert texts.facts(
        {
            "ten": Decimal("10.000"),
            "half": Decimal("2.500"),
            "day": datetime.date(2026, 12, 7),
            "lazy": _("Back in service"),
            "none": None,
            "n": 3,
            "float": 2.5,
        }
    ) == {
        "ten": "10",
        "half": "2.5",
        "day": "2026-12-07",
        "lazy": "Back in service",
        "none": None,
        "n": 3,
        "float": "2.5",
    }
    assert texts.facts([{"a": Decimal("1.0")}]) == [{"a": "1"}]
    assert texts.facts_text({"a": "2", "b": "", "c": "5"}) == "2, 5"
    assert texts.facts_text([{"a": 1}, {"a": 2}]) == "1; 2"


def test_storing_checks_the_key_and_the_facts_at_once():
    assert texts.stored("", {"x": 1}) == ("", {})
    assert texts.stored(RETURNED, {"item": "灯管", "quantity": Decimal("3.000")}) == (
        RETURNED,
        {"item": "灯管", "quantity": "3"},
    )
    with pytest.raises(ImproperlyConfigured):
        texts.stored("tests.nobody_registered_this")
    with pytest.raises(ValueError):
        texts.stored(RETURNED, {"item": "灯管"})


def test_a_key_is_registered_once_with_one_wording():
    assert texts.register("tests.back", _("Back in service")) == BACK  # the same: fine
    with pytest.raises(ImproperlyConfigured):
        texts.register("tests.back", _("Details corrected."))
    with pytest.raises(ImproperlyConfigured):
        texts.register("x" * 61, _("Back in service"))


def test_the_formats_word_dates_money_and_choices():
    assert texts.day("2026-12-07") in ("7 Dec 2026", "2026年12月7日")
    with translation.override("zh-hans"):
        assert texts.day("2026-12-07") == "2026年12月7日"
        assert texts.money("1234.5") == "¥1,234.50"
        assert texts.count("1234") == "1,234"

    class Colour(models.TextChoices):
        RED = "red", _("Failure")

    label = texts.choice(Colour)
    with translation.override("zh-hans"):
        assert label("red") == "故障"
    with pytest.raises(KeyError):
        label("blue")


def test_a_key_field_keeps_its_settings_through_migrations():
    field = texts.KeyField("generated title", max_length=20, prefix="facilities.title.")
    field.set_attributes_from_name("title_key")
    _name, path, args, kwargs = field.deconstruct()
    assert path == "core.texts.KeyField"
    rebuilt = texts.KeyField(*args, **kwargs)
    assert (rebuilt.prefix, rebuilt.editable, rebuilt.blank, rebuilt.max_length) == (
        "facilities.title.",
        False,
        True,
        20,
    )
    shown = texts.KeyField(editable=True)
    shown.set_attributes_from_name("x_key")
    assert texts.KeyField(**shown.deconstruct()[3]).editable is True


# --- on records: workflow steps, pages, tables, exports, forms, admin -------------------------


@pytest.mark.django_db
def test_a_workflow_step_takes_a_message_and_what_the_person_wrote(client, property_a):
    """Recorded while Chinese is active, the step reads in English for an English reader
    and in Chinese for a Chinese one; what the person typed stays as typed."""
    requester = UserFactory(properties=[property_a], is_superuser=True)
    requisition = RequisitionFactory(property=property_a, requested_by=requester)
    with translation.override("zh-hans"):
        transition(
            requisition,
            "cancel",
            by=requester,
            text="重复申请",
            text_key=RETURNED,
            text_params={"item": "灯管", "quantity": Decimal("1500.000")},
            decision_note="重复申请",
        )
    event = TimelineEvent.objects.get(action="cancel", object_id=requisition.pk)
    assert (event.text, event.text_key, event.text_params) == (
        "重复申请",
        RETURNED,
        {"item": "灯管", "quantity": "1500"},
    )
    with translation.override("en"):
        assert event.shown_text == "Returned to stock: 灯管 × 1,500\n重复申请"
    with translation.override("zh-hans"):
        assert event.shown_text == "退库：灯管 × 1,500\n重复申请"

    requester.language = "en"
    requester.save(update_fields=["language"])
    client.force_login(requester)
    page = client.get(requisition.get_absolute_url()).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "Returned to stock: 灯管 × 1,500" in timeline and "退库" not in timeline
    assert "重复申请" in timeline
    # A message no longer registered shows what was typed, and no error.
    TimelineEvent.objects.filter(pk=event.pk).update(text_key="tests.gone")
    assert client.get(requisition.get_absolute_url()).status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_a_step_with_text_only_still_works_and_a_bad_message_is_refused(property_a):
    requester = UserFactory(properties=[property_a], is_superuser=True)
    requisition = RequisitionFactory(property=property_a, requested_by=requester)
    with pytest.raises(ImproperlyConfigured):
        transition(requisition, "cancel", by=requester, text_key="tests.gone", decision_note="x")
    transition(requisition, "cancel", by=requester, text="不需要了", decision_note="不需要了")
    event = TimelineEvent.objects.get(action="cancel", object_id=requisition.pk)
    assert (event.shown_text, event.text_key, event.text_params) == ("不需要了", "", {})


@pytest.mark.django_db
def test_a_column_over_a_related_worded_field_is_worded_on_the_page_and_in_exports(property_a):
    requisition = RequisitionFactory(
        property=property_a,
        purpose="AAA 2026-03",
        purpose_key="procurement.plan_requisition",
        purpose_params={"plan": "AAA 2026-03"},
    )
    RequisitionLine.objects.create(
        requisition=requisition, item=ItemFactory(), quantity=1, estimated_price=1
    )

    class Table(HouqinTable):
        class Meta(HouqinTable.Meta):
            model = RequisitionLine
            fields = ("item", "requisition__purpose")

    assert isinstance(Table.base_columns["requisition__purpose"], WordedColumn)
    with translation.override("en"):
        table = Table(RequisitionLine.objects.select_related("requisition"))
        assert "Purchase plan AAA 2026-03" in table.lean_body()
        rows = list(TableExport(table).rows())
        assert rows[0][1] == "Purchase plan AAA 2026-03"
    with translation.override("zh-hans"):
        table = Table(RequisitionLine.objects.select_related("requisition"))
        assert "采购计划 AAA 2026-03" in table.lean_body()


@pytest.mark.django_db
def test_admin_lists_a_worded_field_in_the_readers_language(client, property_a):
    RequisitionFactory(
        property=property_a,
        purpose="AAA 2026-03",
        purpose_key="procurement.plan_requisition",
        purpose_params={"plan": "AAA 2026-03"},
    )
    admin = UserFactory(is_superuser=True, is_staff=True, language="en")
    client.force_login(admin)
    page = client.get(reverse("admin:procurement_requisition_changelist")).content.decode()
    assert "Purchase plan AAA 2026-03" in page
    assert Requisition.objects.filter(purpose="AAA 2026-03").exists()
