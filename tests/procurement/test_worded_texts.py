"""What procurement writes on its records (a plan line's reason, the purpose and line notes of
the requisition an approved plan becomes, a budget warning) is stored as a message and its
facts, and read in the reader's language whoever acted; the data migration turns the
sentences stored before, English or Chinese, into messages and back."""

import csv
import datetime
import importlib
import io
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from core.texts import worded_field
from procurement import services
from procurement.models import (
    MovementKind,
    PurchasePlanLine,
    Requisition,
    RequisitionLine,
)
from tests.factories import UserFactory

from .factories import (
    BudgetFactory,
    ItemCategoryFactory,
    ItemFactory,
    PurchasePlanFactory,
    StockLevelFactory,
    StoreroomFactory,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("procurement.migrations.0009_worded_texts")
MARCH = "2026-03-10 10:00 +0800"


@pytest.fixture
def keeper(property_a):
    return UserFactory(groups=["stores"], properties=[property_a])


@pytest.fixture
def director(db):
    return UserFactory(groups=["director"])


def both(obj, field):
    """``obj.field`` as an English and as a Chinese reader see it."""
    with translation.override("en"):
        english = worded_field(obj, field)
    with translation.override("zh-hans"):
        chinese = worded_field(obj, field)
    return english, chinese


def page(client, user, url, language, params=None):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == HTTPStatus.OK
    return response


@pytest.fixture
def low_plan(property_a, keeper):
    """A draft plan whose one line was suggested, by a Chinese-speaking keeper, for an item
    at 2 of a minimum of 5,000."""
    room = StoreroomFactory(property=property_a)
    top = ItemCategoryFactory(name="维修材料")
    level = StockLevelFactory(
        storeroom=room,
        item=ItemFactory(name="灯管", category=top, standard_price="8.00"),
        minimum=5000,
        maximum=6000,
    )
    services.post_movement(level.item, room, 2, MovementKind.OPENING, by=keeper, unit_cost=8)
    plan = PurchasePlanFactory(property=property_a)
    with translation.override("zh-hans"):
        services.suggest_plan_lines(plan, by=keeper)
    return plan


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_suggested_reason_reads_in_the_readers_language(language, property_a, keeper):
    room = StoreroomFactory(property=property_a)
    StockLevelFactory(storeroom=room, minimum=Decimal("12.5"), maximum=20)
    plan = PurchasePlanFactory(property=property_a)
    with translation.override(language):
        services.suggest_plan_lines(plan, by=keeper)
    line = plan.lines.get()
    assert (line.reason_key, line.reason_params) == (
        "procurement.below_minimum",
        {"on_hand": "0", "minimum": "12.5"},
    )
    assert both(line, "reason") == (
        "Below minimum: 0 left, minimum 12.5",
        "低于最低库存：剩余 0，最低库存 12.5",
    )
    # The one-click "add to plan" writes the same message.
    other = StockLevelFactory(storeroom=room, minimum=10, maximum=10)
    with translation.override(language):
        added, created = services.add_to_plan(other, by=keeper, day=plan_day(plan))
    assert created and added.reason_params == {"on_hand": "0", "minimum": "10"}
    assert both(added, "reason")[0] == "Below minimum: 0 left, minimum 10"


def plan_day(plan):
    return datetime.date(plan.year, plan.number, 1)


def test_an_approved_plan_reads_in_the_readers_language_everywhere(
    client, property_a, keeper, director, low_plan
):
    """Approved by a Chinese-speaking director: its requisition's purpose and lines, and
    the plan's lines, read in English for an English reader (page, list, export, print)
    and in Chinese for a Chinese one."""
    BudgetFactory(
        property=property_a,
        year=2026,
        category=low_plan.lines.get().item.category,
        amount=1000,
    )
    services.submit_plan(low_plan, by=keeper)
    with time_machine.travel(MARCH, tick=False), translation.override("zh-hans"):
        requisition = services.approve_plan(low_plan, by=director)
    requisition.refresh_from_db()
    plan_name = str(low_plan)
    assert (requisition.purpose, requisition.purpose_key) == (
        plan_name,
        "procurement.plan_requisition",
    )
    assert both(requisition, "purpose") == (f"Purchase plan {plan_name}", f"采购计划 {plan_name}")
    line = requisition.lines.get()
    assert both(line, "note") == (
        "Below minimum: 2 left, minimum 5,000",
        "低于最低库存：剩余 2，最低库存 5,000",
    )
    assert both(requisition, "budget_warning") == (
        "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥47,984.00.",
        "维修材料：2026 年度预算剩余 ¥1,000.00，本请购单需要 ¥47,984.00。",
    )

    detail = requisition.get_absolute_url()
    english = page(client, director, detail, "en").content.decode()
    assert f"Purchase plan {plan_name}" in english and "采购计划" not in english
    assert "Below minimum: 2 left, minimum 5,000" in english and "低于最低库存" not in english
    assert "left in the 2026 budget" in english and "年度预算剩余" not in english
    chinese = page(client, director, detail, "zh-hans").content.decode()
    assert f"采购计划 {plan_name}" in chinese and "Purchase plan " not in chinese
    assert "低于最低库存：剩余 2，最低库存 5,000" in chinese and "Below minimum" not in chinese

    plan_page = page(client, director, low_plan.get_absolute_url(), "en").content.decode()
    assert "Below minimum: 2 left, minimum 5,000" in plan_page

    listing = reverse("procurement:requisition_list")
    assert f"Purchase plan {plan_name}" in page(client, director, listing, "en").content.decode()
    assert f"采购计划 {plan_name}" in page(client, director, listing, "zh-hans").content.decode()
    exported = page(client, director, listing, "en", {"_export": "csv"})
    body = exported.getvalue().decode("utf-8").lstrip("\ufeff")
    cells = {cell for row in csv.reader(io.StringIO(body)) for cell in row}
    assert f"Purchase plan {plan_name}" in cells and "采购计划" not in body

    printed = reverse("procurement:requisition_print", args=[requisition.pk])
    english = page(client, director, printed, "en").content.decode()
    assert f"Purchase plan {plan_name}" in english
    assert "Below minimum: 2 left, minimum 5,000" in english and "低于最低库存" not in english


def test_a_budget_warning_submitted_in_chinese_reads_in_english(client, property_a, keeper):
    top = ItemCategoryFactory(name="维修材料")
    BudgetFactory(property=property_a, year=2026, category=top, amount=1000)
    requisition = Requisition.objects.create(
        property=property_a, purpose="灯具更换", requested_by=keeper
    )
    RequisitionLine.objects.create(
        requisition=requisition,
        item=ItemFactory(category=top),
        quantity=120,
        estimated_price=Decimal("10.00"),
    )
    with time_machine.travel(MARCH, tick=False), translation.override("zh-hans"):
        services.submit_requisition(requisition, by=keeper)
    requisition.refresh_from_db()
    assert requisition.budget_warning_params == [
        {"category": "维修材料", "left": "1000", "year": 2026, "need": "1200"}
    ]
    english = page(client, keeper, requisition.get_absolute_url(), "en").content.decode()
    assert (
        "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥1,200.00." in english
    )
    # A typed purpose is shown as typed, in both languages.
    assert both(requisition, "purpose") == ("灯具更换", "灯具更换")


def test_the_plans_form_keeps_a_suggested_reason_sent_back_and_types_a_changed_one(
    client, property_a, keeper, low_plan
):
    line = low_plan.lines.get()
    edit = reverse("procurement:purchaseplan_edit", args=[low_plan.pk])
    form = page(client, keeper, edit, "en").context["lines"].forms[0]
    shown = "Below minimum: 2 left, minimum 5,000"
    assert form.initial["reason"] == shown
    data = {
        "property": property_a.pk,
        "period": low_plan.period,
        "year": low_plan.year,
        "number": low_plan.number,
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-id": line.pk,
        "lines-0-plan": low_plan.pk,
        "lines-0-item": line.item_id,
        "lines-0-quantity": "100",
        "lines-0-estimated_price": "8.00",
        "lines-0-reason": shown,
    }
    assert client.post(edit, data).status_code == HTTPStatus.FOUND
    line.refresh_from_db()
    assert (line.quantity, line.reason_key) == (100, "procurement.below_minimum")
    assert both(line, "reason")[1] == "低于最低库存：剩余 2，最低库存 5,000"
    assert client.post(edit, {**data, "lines-0-reason": "仓库盘点后补货"}).status_code == 302
    line.refresh_from_db()
    assert (line.reason, line.reason_key, line.reason_params) == ("仓库盘点后补货", "", {})
    assert both(line, "reason") == ("仓库盘点后补货", "仓库盘点后补货")


# --- the data migration -----------------------------------------------------------------------


def test_the_migration_reads_both_languages_and_leaves_typed_texts():
    assert migration.below_minimum("Below minimum: 2 left, minimum 5") == {
        "on_hand": "2",
        "minimum": "5",
    }
    # Decimal.normalize() wrote ten as 1E+1.
    assert migration.below_minimum("低于最低库存：剩余 0.5，最低库存 1E+1") == {
        "on_hand": "0.5",
        "minimum": "10",
    }
    assert migration.plan_purpose("采购计划 AAA 2026-03") == {"plan": "AAA 2026-03"}
    assert migration.plan_purpose("Purchase plan AAA 2026-Q1") == {"plan": "AAA 2026-Q1"}
    assert migration.over_budget(
        "维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥1,200.00.\n"
        "保洁用品：2026 年度预算剩余 ¥-100.00，本请购单需要 ¥50.00。"
    ) == [
        {"category": "维修材料", "left": "1000", "year": 2026, "need": "1200"},
        {"category": "保洁用品", "left": "-100", "year": 2026, "need": "50"},
    ]
    for typed in ("月度补货", "Below minimum, order more", "低于最低库存：剩余 两个"):
        assert migration.below_minimum(typed) is None
    assert migration.plan_purpose("年度采购") is None
    assert migration.over_budget("预算不足\n维修材料: ¥1.00 left in the 2026 budget") is None


def test_the_migration_turns_stored_sentences_into_messages_and_back(
    property_a, keeper, director, low_plan
):
    services.submit_plan(low_plan, by=keeper)
    requisition = services.approve_plan(low_plan, by=director)
    typed_line = PurchasePlanLine.objects.create(
        plan=PurchasePlanFactory(property=property_a),
        item=ItemFactory(),
        quantity=1,
        estimated_price=1,
        reason="Below minimum, order more",
    )
    typed = Requisition.objects.create(property=property_a, purpose="采购计划 外")
    plan_name = str(low_plan)
    # As the code before this migration stored them, in one language or the other.
    PurchasePlanLine.objects.filter(plan=low_plan).update(
        reason="Below minimum: 2 left, minimum 5E+3", reason_key="", reason_params={}
    )
    RequisitionLine.objects.filter(requisition=requisition).update(
        note="低于最低库存：剩余 2，最低库存 5E+3", note_key="", note_params={}
    )
    Requisition.objects.filter(pk=requisition.pk).update(
        purpose=f"采购计划 {plan_name}",
        purpose_key="",
        purpose_params={},
        budget_warning="维修材料: ¥1,000.00 left in the 2026 budget, this requisition needs ¥9.50.",
        budget_warning_key="",
        budget_warning_params={},
    )

    migration.to_messages(apps, None)
    line = low_plan.lines.get()
    assert (line.reason, line.reason_key, line.reason_params) == (
        "2, 5000",
        "procurement.below_minimum",
        {"on_hand": "2", "minimum": "5000"},
    )
    assert both(line, "reason")[0] == "Below minimum: 2 left, minimum 5,000"
    req = Requisition.objects.get(pk=requisition.pk)
    assert (req.purpose, req.purpose_params) == (plan_name, {"plan": plan_name})
    assert both(req, "purpose")[0] == f"Purchase plan {plan_name}"
    assert both(req, "budget_warning")[1] == (
        "维修材料：2026 年度预算剩余 ¥1,000.00，本请购单需要 ¥9.50。"
    )
    assert both(req.lines.get(), "note")[0] == "Below minimum: 2 left, minimum 5,000"
    assert req.history.first().purpose_key == "procurement.plan_requisition"
    # Typed texts, and a look-alike purpose of a requisition no plan made, stay as typed.
    assert PurchasePlanLine.objects.get(pk=typed_line.pk).reason_key == ""
    assert Requisition.objects.get(pk=typed.pk).purpose_key == ""

    migration.to_sentences(apps, None)
    line = low_plan.lines.get()
    assert (line.reason, line.reason_key) == ("低于最低库存：剩余 2，最低库存 5000", "")
    req = Requisition.objects.get(pk=requisition.pk)
    assert (req.purpose, req.purpose_key) == (f"采购计划 {plan_name}", "")
    assert req.budget_warning == "维修材料：2026 年度预算剩余 ¥1,000.00，本请购单需要 ¥9.50。"
    assert req.lines.get().note == "低于最低库存：剩余 2，最低库存 5000"
    assert Requisition.objects.get(pk=typed.pk).purpose == "采购计划 外"
    # Forward again: the same facts.
    migration.to_messages(apps, None)
    assert low_plan.lines.get().reason_params == {"on_hand": "2", "minimum": "5000"}
