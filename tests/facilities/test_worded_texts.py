"""What facilities writes on its records (the work order's timeline, the notes of the stock
movements of its parts) is stored as a message and its facts, and read in the reader's
language whoever acted and in whichever language; the data migration turns the sentences
stored before, English or Chinese, into messages and back."""

import importlib
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.texts import worded_field
from facilities import services
from facilities import texts as facilities_texts
from facilities.models import (
    ChecklistKind,
    DowntimeReason,
    EventKind,
    WorkOrderEvent,
    WorkOrderKind,
)
from procurement.models import MovementKind, StockMovement
from procurement.services import post_movement
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import ItemFactory, StoreroomFactory
from tests.staff.factories import EmployeeFactory
from tests.uploads import png_bytes

from .factories import ChecklistItemFactory, EquipmentFactory, MaintenancePlanFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("facilities.migrations.0012_worded_texts")
LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def home():
    return PropertyFactory()


@pytest.fixture
def technician(home):
    user = UserFactory(groups=["technician"], properties=[home])
    EmployeeFactory(property=home, user=user)
    return user


@pytest.fixture
def supervisor(home):
    return UserFactory(groups=["facilities_supervisor"], properties=[home])


@pytest.fixture
def order(home, technician):
    """A preventive order in progress with two steps: a check and a number in a range."""
    equipment = EquipmentFactory(property=home)
    plan = MaintenancePlanFactory(equipment=equipment)
    ChecklistItemFactory(plan=plan, position=1, text="皮带张紧", kind=ChecklistKind.CHECK)
    ChecklistItemFactory(
        plan=plan,
        position=2,
        text="出水压力",
        kind=ChecklistKind.NUMBER,
        minimum=Decimal("0.3"),
        maximum=Decimal("0.6"),
        unit="MPa",
    )
    made = services.open_work_order(
        title="水泵保养", by=None, equipment=equipment, kind=WorkOrderKind.PREVENTIVE, plan=plan
    )
    services.start(made, by=technician)
    return made


@pytest.fixture
def room(home):
    return StoreroomFactory(property=home)


def stocked(room, name, quantity):
    item = ItemFactory(name=name, unit="个")
    keeper = UserFactory(groups=["stores"])
    post_movement(item, room, quantity, MovementKind.OPENING, by=keeper, unit_cost=Decimal("2"))
    return item


def read(event):
    """The event's text as an English and as a Chinese reader see it."""
    event = WorkOrderEvent.objects.get(pk=event.pk)
    with translation.override("en"):
        english = event.shown_text
    with translation.override("zh-hans"):
        chinese = event.shown_text
    return english, chinese


def recorded(language, do):
    """Run ``do()`` with ``language`` active (the acting user's), return its result."""
    with translation.override(language):
        return do()


def last(order, kind):
    return order.events.filter(kind=kind).order_by("pk").last()


# --- each message, recorded in either language, read in both --------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_details_corrected(language, order, supervisor):
    recorded(
        language, lambda: services.update_work_order(order, {"priority": "high"}, by=supervisor)
    )
    event = last(order, EventKind.NOTE)
    assert (event.text, event.text_key) == ("", facilities_texts.DETAILS_CORRECTED)
    assert read(event) == ("Details corrected.", "工单信息已更正。")


@pytest.mark.parametrize("language", LANGUAGES)
def test_checklist_recorded_and_follow_up_opened(language, order, technician, supervisor):
    steps = {result.text: result.pk for result in order.results.all()}
    answers = {steps["皮带张紧"]: {"checked_ok": False}, steps["出水压力"]: {"number": "0.4"}}
    [failed] = recorded(language, lambda: services.record_checklist(order, answers, by=technician))
    check = last(order, EventKind.CHECK)
    assert check.text_params == {"count": 2, "failed": 1}
    assert read(check) == ("2 steps recorded, 1 not passed.", "已记录 2 项，其中 1 项不合格。")

    follow_up = recorded(language, lambda: services.open_follow_up(failed, by=supervisor))
    note = last(order, EventKind.NOTE)
    assert note.text_params == {"number": follow_up.number, "check": "皮带张紧"}
    assert read(note) == (
        f"Follow-up order {follow_up.number} opened for “皮带张紧”.",
        f"已为“皮带张紧”创建跟进工单 {follow_up.number}。",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_parts_used_and_returned_with_quantities_in_the_readers_locale(
    language, order, room, technician
):
    seals = stocked(room, "密封圈", Decimal("20000"))
    [part] = recorded(
        language,
        lambda: services.use_parts(order, room, {seals: Decimal("12345.5")}, by=technician),
    )
    used = last(order, EventKind.PART)
    assert used.text_params == [{"item": "密封圈", "quantity": "12345.5"}]
    assert read(used) == ("密封圈 × 12,345.5", "密封圈 × 12,345.5")

    recorded(language, lambda: services.return_part(part, Decimal("1000"), by=technician))
    returned = last(order, EventKind.PART)
    assert returned.text_params == {"item": "密封圈", "quantity": "1000"}
    assert read(returned) == ("Returned to stock: 密封圈 × 1,000", "退库：密封圈 × 1,000")

    movement = StockMovement.objects.get(kind=MovementKind.RETURN)
    assert (movement.note, movement.note_key) == (
        order.number,
        facilities_texts.BACK_FROM_ORDER,
    )
    with translation.override("en"):
        assert worded_field(movement, "note") == f"Unused, back from {order.number}"
    with translation.override("zh-hans"):
        assert worded_field(movement, "note") == f"未用完，由 {order.number} 退库"


@pytest.mark.parametrize("language", LANGUAGES)
def test_downtime_started_and_back_in_service(language, order, technician):
    downtime = recorded(
        language,
        lambda: services.start_downtime(
            order.equipment, reason=DowntimeReason.PLANNED, by=technician, work_order=order
        ),
    )
    started = last(order, EventKind.DOWNTIME)
    assert (started.text, started.text_key) == ("", "facilities.downtime.planned")
    assert read(started) == ("Planned maintenance", "计划维保")
    recorded(language, lambda: services.end_downtime(downtime, by=technician))
    assert read(last(order, EventKind.DOWNTIME)) == ("Back in service", "恢复运行")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_photos_stage_is_worded_and_its_caption_kept(
    language, order, technician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    recorded(
        language,
        lambda: services.add_photo(
            order,
            stage="before",
            image=SimpleUploadedFile("a.png", png_bytes()),
            caption="泵房全景",
            by=technician,
        ),
    )
    event = last(order, EventKind.PHOTO)
    assert (event.text, event.text_key) == ("泵房全景", "facilities.photo.before")
    assert read(event) == ("Before\n泵房全景", "作业前\n泵房全景")


def test_parts_for_a_fault_carry_its_title_worded_for_each_reader(home, room, technician):
    seals = stocked(room, "密封圈", 10)
    with translation.override("zh-hans"):
        fault = services.report_fault(
            by=technician, description="水泵漏水", equipment=EquipmentFactory(property=home)
        )
        services.start(fault, by=technician)
        [part] = services.use_parts(fault, room, {seals: 1}, by=technician)
    movement = part.movement
    assert (movement.note, movement.note_key) == ("水泵漏水", "facilities.title.fault")
    with translation.override("en"):
        assert worded_field(movement, "note") == "Fault: 水泵漏水"
    with translation.override("zh-hans"):
        assert worded_field(movement, "note") == "故障：水泵漏水"


# --- on the pages and in the exports ----------------------------------------------------------


def page(client, user, url, language, params=None):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == HTTPStatus.OK
    return response


def test_the_timeline_and_the_ledger_read_in_the_readers_language(
    client, home, order, room, technician
):
    """Steps taken by a Chinese-speaking technician read in English for an English reader,
    and the other way round; the ledger's note on its page too."""
    director = UserFactory(groups=["director"], properties=[home])
    seals = stocked(room, "密封圈", 10)
    with translation.override("zh-hans"):
        services.update_work_order(order, {"priority": "high"}, by=technician)
        [part] = services.use_parts(order, room, {seals: 2}, by=technician)
    with translation.override("en"):
        services.return_part(part, 1, by=technician)

    english = page(client, director, order.get_absolute_url(), "en").content.decode()
    assert "Details corrected." in english and "工单信息已更正" not in english
    assert "Returned to stock: 密封圈 × 1" in english
    chinese = page(client, director, order.get_absolute_url(), "zh-hans").content.decode()
    assert "工单信息已更正。" in chinese and "Details corrected" not in chinese
    assert "退库：密封圈 × 1" in chinese and "Returned to stock" not in chinese

    back = StockMovement.objects.get(kind=MovementKind.RETURN)
    detail = page(client, director, back.get_absolute_url(), "zh-hans").content.decode()
    assert f"未用完，由 {order.number} 退库" in detail and "Unused" not in detail
    detail = page(client, director, back.get_absolute_url(), "en").content.decode()
    assert f"Unused, back from {order.number}" in detail and "未用完" not in detail


# --- the data migration -----------------------------------------------------------------------


def test_the_migration_reads_both_languages_and_leaves_typed_texts():
    message = migration.event_message
    assert message("note", "Details corrected.") == ("facilities.details_corrected", {}, "")
    assert message("note", "工单信息已更正。")[0] == "facilities.details_corrected"
    assert message("check", "已记录 5 项，其中 2 项不合格。") == (
        "facilities.checklist_recorded",
        {"count": 5, "failed": 2},
        "",
    )
    assert message("check", "5 steps recorded, 2 not passed.")[1] == {"count": 5, "failed": 2}
    assert message("note", "已为“皮带张紧”创建跟进工单 WO-2026-000012。")[1] == {
        "check": "皮带张紧",
        "number": "WO-2026-000012",
    }
    assert message("note", "Follow-up order WO-2026-000012 opened for “belt”.")[1] == {
        "number": "WO-2026-000012",
        "check": "belt",
    }
    assert message("part", "退库：密封圈 × 1E+1") == (
        "facilities.part_returned",
        {"item": "密封圈", "quantity": "10"},
        "",
    )
    assert message("part", "Returned to stock: seal × 2.5")[1] == {
        "item": "seal",
        "quantity": "2.5",
    }
    assert message("part", "密封圈 × 4; 轴承 × 1") == (
        "facilities.part_used",
        [{"item": "密封圈", "quantity": "4"}, {"item": "轴承", "quantity": "1"}],
        "",
    )
    assert message("downtime", "恢复运行")[0] == "facilities.back_in_service"
    assert message("downtime", "Back in service")[0] == "facilities.back_in_service"
    assert message("downtime", "故障")[0] == "facilities.downtime.failure"
    assert message("downtime", "External (power cut, supply …)")[0] == (
        "facilities.downtime.external"
    )
    assert message("photo", "作业后 泵房") == ("facilities.photo.after", {}, "泵房")
    assert message("photo", "Before") == ("facilities.photo.before", {}, "")
    # What a person typed stays as typed.
    for kind, text in [
        ("note", "已联系厂家"),
        ("note", "Details corrected, see the log"),
        ("part", "密封圈 × 四"),
        ("part", "密封圈; 轴承 × 1"),
        ("check", "已记录 五 项"),
        ("downtime", "停电"),
        ("photo", "泵房全景"),
        ("status", "Details corrected."),
    ]:
        assert message(kind, text) is None, text


def test_the_migration_turns_stored_sentences_into_messages_and_back(
    home, order, room, technician, supervisor
):
    seals = stocked(room, "密封圈", 10)
    fault = services.report_fault(
        by=technician, description="水泵漏水", equipment=EquipmentFactory(property=home)
    )
    services.start(fault, by=technician)
    [fault_part] = services.use_parts(fault, room, {seals: 1}, by=technician)
    [part] = services.use_parts(order, room, {seals: 2}, by=technician)
    services.return_part(part, 1, by=technician)
    returned = StockMovement.objects.get(kind=MovementKind.RETURN)
    typed = services.add_note(order, text="已联系厂家", by=supervisor)
    # Rows as the code before this migration wrote them, in Chinese and in English.
    old = {
        "zh": WorkOrderEvent.objects.create(
            work_order=order, kind=EventKind.NOTE, text="工单信息已更正。"
        ),
        "en": WorkOrderEvent.objects.create(
            work_order=order, kind=EventKind.CHECK, text="2 steps recorded, 1 not passed."
        ),
        "photo": WorkOrderEvent.objects.create(
            work_order=order, kind=EventKind.PHOTO, text="Before 泵房全景"
        ),
    }
    StockMovement.objects.filter(pk=returned.pk).update(
        note=f"Unused, back from {order.number}", note_key="", note_params={}
    )
    StockMovement.objects.filter(pk=fault_part.movement_id).update(
        note="故障：水泵漏水", note_key="", note_params={}
    )

    migration.to_messages(apps, None)
    rows = {name: WorkOrderEvent.objects.get(pk=event.pk) for name, event in old.items()}
    assert (rows["zh"].text_key, rows["zh"].text) == ("facilities.details_corrected", "")
    assert rows["en"].text_params == {"count": 2, "failed": 1}
    assert (rows["photo"].text_key, rows["photo"].text) == ("facilities.photo.before", "泵房全景")
    assert WorkOrderEvent.objects.get(pk=typed.pk).text_key == ""
    note = StockMovement.objects.get(pk=returned.pk)
    assert (note.note, note.note_key, note.note_params) == (
        order.number,
        "facilities.back_from_order",
        {"order": order.number},
    )
    issue = StockMovement.objects.get(pk=fault_part.movement_id)
    assert (issue.note, issue.note_key, issue.note_params) == (
        "水泵漏水",
        "facilities.title.fault",
        {"what": "水泵漏水"},
    )
    with translation.override("en"):
        assert read(rows["zh"])[0] == "Details corrected."
        assert rows["photo"].shown_text == "Before\n泵房全景"

    # And back: the sentences again, in Chinese; typed text untouched.
    migration.to_sentences(apps, None)
    back = {name: WorkOrderEvent.objects.get(pk=event.pk) for name, event in old.items()}
    assert (back["zh"].text, back["zh"].text_key) == ("工单信息已更正。", "")
    assert back["en"].text == "已记录 2 项，其中 1 项不合格。"
    assert back["photo"].text == "作业前 泵房全景"
    assert WorkOrderEvent.objects.get(pk=typed.pk).text == "已联系厂家"
    assert StockMovement.objects.get(pk=returned.pk).note == f"未用完，由 {order.number} 退库"
    assert StockMovement.objects.get(pk=fault_part.movement_id).note == "故障：水泵漏水"
    # Forward again gives the same messages.
    migration.to_messages(apps, None)
    assert WorkOrderEvent.objects.get(pk=old["photo"].pk).text_key == "facilities.photo.before"
    assert StockMovement.objects.get(pk=returned.pk).note_key == "facilities.back_from_order"
