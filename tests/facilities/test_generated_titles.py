"""Titles a work order is given by the app (a fault report, a failed check, an out-of-range
reading) are stored as facts and worded in the reader's language; typed titles stay typed;
the migration turns the sentences stored before into facts."""

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from facilities import services
from facilities.models import ChecklistKind, GeneratedTitle, WorkOrder, WorkOrderSource
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import ChecklistItemFactory, EquipmentFactory, MaintenancePlanFactory
from .test_inspections import DAY, answers_for, make_route

pytestmark = pytest.mark.django_db

migration = importlib.import_module("facilities.migrations.0011_work_order_title_facts")


@pytest.fixture
def home():
    return PropertyFactory()


@pytest.fixture
def director(home):
    return UserFactory(groups=["director"], properties=[home])


def page(client, user, url, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_fault_report_is_titled_in_the_readers_language(client, home, director):
    technician = UserFactory(groups=["technician"], properties=[home])
    order = services.report_fault(
        by=technician, description="指示灯不亮\n配电箱内", equipment=EquipmentFactory(property=home)
    )
    order.refresh_from_db()
    assert (order.title, order.title_key, order.title_params) == (
        "指示灯不亮",
        GeneratedTitle.FAULT,
        {"what": "指示灯不亮"},
    )
    with translation.override("zh-hans"):
        assert order.display_title == "故障：指示灯不亮"
    with translation.override("en"):
        assert order.display_title == "Fault: 指示灯不亮"
    detail = order.get_absolute_url()
    listing = reverse("facilities:workorder_list")
    for url in (detail, listing):
        english = page(client, director, url, "en")
        assert "Fault: 指示灯不亮" in english and "故障" not in english
        chinese = page(client, director, url, "zh-hans")
        assert "故障：指示灯不亮" in chinese and "Fault:" not in chinese


def test_a_reading_out_of_range_and_a_failed_check_are_titled_from_their_facts(home):
    route = make_route(home)
    services.generate_due_rounds(DAY)
    round_ = route.rounds.get()
    [low] = services.record_readings(round_, answers_for(round_, pressure="0.2"), by=None)
    order = services.open_work_order_from_reading(low, by=None)
    assert order.title_key == GeneratedTitle.READING
    assert order.title_params == {"point": "变频泵", "reading": low.text}
    with translation.override("zh-hans"):
        assert order.display_title == f"读数超限：变频泵，{low.text}"
    with translation.override("en"):
        assert order.display_title == f"Out of range: 变频泵, {low.text}"

    plan = MaintenancePlanFactory(equipment__property=home)
    ChecklistItemFactory(plan=plan, text="皮带张紧", kind=ChecklistKind.CHECK)
    boss = UserFactory(groups=["director"], properties=[home])
    employee = EmployeeFactory(property=home, user=UserFactory(properties=[home]))
    preventive = services.open_work_order(
        title=plan.title,
        by=None,
        equipment=plan.equipment,
        kind="preventive",
        source=WorkOrderSource.PLAN,
        plan=plan,
        due_on=plan.next_due,
        assignee=employee,
    )
    services.start(preventive, by=employee.user)
    result = preventive.results.get()
    [failed] = services.record_checklist(
        preventive, {result.pk: {"checked_ok": False}}, by=employee.user
    )
    follow_up = services.open_follow_up(failed, by=boss)
    assert (follow_up.title, follow_up.title_key) == ("皮带张紧", GeneratedTitle.FAILED_CHECK)
    with translation.override("zh-hans"):
        assert follow_up.display_title == "检查不合格维修：皮带张紧"
    with translation.override("en"):
        assert follow_up.display_title == "Repair after a failed check: 皮带张紧"


def test_a_generated_title_sent_back_unchanged_stays_generated_and_a_changed_one_is_typed(
    client, home, director
):
    order = services.report_fault(
        by=director, description="漏水", equipment=EquipmentFactory(property=home)
    )
    edit = reverse("facilities:workorder_edit", args=[order.pk])
    form = {"title": "Fault: 漏水", "equipment": order.equipment_id, "priority": "high"}
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    assert 'value="Fault: 漏水"' in client.get(edit).content.decode()
    assert client.post(edit, form).status_code == HTTPStatus.FOUND
    order.refresh_from_db()
    assert (order.priority, order.title_key, order.title) == ("high", "fault", "漏水")
    assert client.post(edit, {**form, "title": "水管爆裂"}).status_code == HTTPStatus.FOUND
    order.refresh_from_db()
    assert (order.title, order.title_key, order.title_params) == ("水管爆裂", "", {})
    with translation.override("en"):
        assert order.display_title == "水管爆裂"


def test_a_long_generated_title_does_not_stop_an_edit(client, home, director):
    """A point (100 characters) and its reading (up to 200) make a title longer than the
    field: the form shows it cut, and sending it back keeps it generated."""
    order = services.report_fault(
        by=director, description="漏水", equipment=EquipmentFactory(property=home)
    )
    facts = {"point": "泵" * 100, "reading": "压" * 150}
    WorkOrder.objects.filter(pk=order.pk).update(
        title_key=GeneratedTitle.READING, title_params=facts, title="泵" * 100
    )
    order.refresh_from_db()
    assert len(order.display_title) > WorkOrder.TITLE_LENGTH
    edit = reverse("facilities:workorder_edit", args=[order.pk])
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    shown = client.get(edit).context["form"].initial["title"]
    assert len(shown) == WorkOrder.TITLE_LENGTH
    form = {"title": shown, "equipment": order.equipment_id, "priority": "high"}
    assert client.post(edit, form).status_code == HTTPStatus.FOUND
    order.refresh_from_db()
    assert (order.priority, order.title_key, order.title_params) == ("high", "reading", facts)


def test_facts_the_migration_reads_from_stored_sentences():
    facts = migration.facts
    assert facts("故障：大堂天花渗水", "manual") == (
        "fault",
        {"what": "大堂天花渗水"},
        "大堂天花渗水",
    )
    assert facts("Fault: lobby leak", "fault_report") == (
        "fault",
        {"what": "lobby leak"},
        "lobby leak",
    )
    assert facts("检查不合格维修：皮带张紧", "follow_up")[:2] == (
        "failed_check",
        {"check": "皮带张紧"},
    )
    assert facts("Repair after a failed check: belt", "follow_up")[1] == {"check": "belt"}
    assert facts("读数超限：变频泵，出水压力", "reading") == (
        "reading",
        {"point": "变频泵", "reading": "出水压力"},
        "变频泵, 出水压力",
    )
    assert facts("Out of range: pump, pressure", "reading")[1] == {
        "point": "pump",
        "reading": "pressure",
    }
    # Typed titles, and look-alikes from another source, stay as they are.
    for title, source in [
        ("水泵漏水", "manual"),
        ("检查不合格维修：皮带", "manual"),
        ("读数超限：无分隔", "reading"),
        ("Out of range: pump, pressure", "manual"),
    ]:
        assert facts(title, source) is None


def test_the_migration_turns_stored_sentences_into_facts_and_leaves_typed_titles(home):
    route = make_route(home)
    services.generate_due_rounds(DAY)
    round_ = route.rounds.get()
    [low] = services.record_readings(round_, answers_for(round_, pressure="0.2"), by=None)
    pump = EquipmentFactory(property=home)
    made = {
        "fault_zh": services.open_work_order(title="故障：大堂天花渗水", by=None, equipment=pump),
        "fault_en": services.open_work_order(
            title="Fault: gate loop broken", by=None, equipment=pump, source="fault_report"
        ),
        # The point's name has the separator in it: the linked reading says where it ends.
        "reading": services.open_work_order(
            title=f"读数超限：变频泵，东，{low.text}",
            by=None,
            equipment=pump,
            source=WorkOrderSource.READING,
            source_object=low,
        ),
        "typed": services.open_work_order(title="更换门禁读卡器", by=None, equipment=pump),
    }
    low.point.name = "变频泵，东"
    low.point.save(update_fields=["name"])
    migration.to_facts(apps, None)
    rows = {name: WorkOrder.objects.get(pk=order.pk) for name, order in made.items()}
    assert (rows["fault_zh"].title_key, rows["fault_zh"].title) == ("fault", "大堂天花渗水")
    assert rows["fault_en"].title_params == {"what": "gate loop broken"}
    assert rows["reading"].title_params == {"point": "变频泵，东", "reading": low.text}
    assert (rows["typed"].title_key, rows["typed"].title) == ("", "更换门禁读卡器")
    with translation.override("en"):
        assert rows["fault_zh"].display_title == "Fault: 大堂天花渗水"
        assert rows["reading"].display_title == f"Out of range: 变频泵，东, {low.text}"
    with translation.override("zh-hans"):
        assert rows["fault_en"].display_title == "故障：gate loop broken"
    # And back: the sentences again (in Chinese), the facts kept for the way forward.
    migration.to_sentences(apps, None)
    assert WorkOrder.objects.get(pk=made["fault_en"].pk).title == "故障：gate loop broken"
    assert WorkOrder.objects.get(pk=made["typed"].pk).title == "更换门禁读卡器"
