"""Task generation, scoring, the inspector rule, the rectification loop and running scores."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cleaning import services
from cleaning.forms import CleaningInspectionForm, StandardItemFormSet
from cleaning.models import (
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    InspectionStatus,
    RectificationStatus,
    TaskStatus,
    weighted_running_score,
)
from core.models import TimelineEvent
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import DAY, CleaningAreaFactory, CleaningStandardFactory
from .test_crud_pages import photo

pytestmark = pytest.mark.django_db


def at(day, hour=6):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return time_machine.travel(moment, tick=False)


# --- generation -------------------------------------------------------------------------------


def test_generation_makes_one_task_per_area_and_time_and_is_idempotent(property_a):
    areas = [CleaningAreaFactory(property=property_a) for _ in range(3)]
    CleaningAreaFactory(property=property_a, kind="garage")  # another kind: no task
    CleaningAreaFactory(property=property_a, active=False)  # inactive: no task
    standard = CleaningStandardFactory(property=property_a)
    with at(DAY):
        made = services.generate_due_tasks()
        again = services.generate_due_tasks()
    assert len(made) == 6 and again == []
    tasks = CleaningTask.objects.filter(due_on=DAY)
    assert tasks.count() == 6
    assert set(tasks.values_list("area", flat=True)) == {a.pk for a in areas}
    first = tasks.filter(slot=1).first()
    assert timezone.localtime(first.window_start).time() == datetime.time(8)
    assert first.window_end - first.window_start == datetime.timedelta(hours=3)
    assert first.assignee == first.area.cleaner
    standard.refresh_from_db()
    assert standard.next_due == DAY + datetime.timedelta(days=1)


def test_generation_catches_up_missed_days_and_the_constraint_backs_it(property_a):
    area = CleaningAreaFactory(property=property_a)
    standard = CleaningStandardFactory(property=property_a, times="")
    later = DAY + datetime.timedelta(days=3)
    with at(later):
        services.generate_due_tasks()
        services.generate_due_tasks()
    days = sorted(CleaningTask.objects.values_list("due_on", flat=True))
    assert days == [DAY + datetime.timedelta(days=k) for k in range(4)]
    task = CleaningTask.objects.get(due_on=DAY)
    assert task.window_end - task.window_start == datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CleaningTask.objects.create(
            area=area,
            standard=standard,
            due_on=DAY,
            slot=0,
            window_start=task.window_start,
            window_end=task.window_end,
        )


def test_weekly_standard_and_resigned_cleaner(property_a):
    area = CleaningAreaFactory(property=property_a, kind="garage")
    area.cleaner.status = "resigned"
    area.cleaner.resigned_on = DAY
    area.cleaner.save()
    CleaningStandardFactory(property=property_a, kind="garage", unit="weeks", times="09:00")
    with at(DAY + datetime.timedelta(days=13)):
        services.generate_due_tasks()
    tasks = CleaningTask.objects.order_by("due_on")
    assert [t.due_on for t in tasks] == [DAY, DAY + datetime.timedelta(days=7)]
    assert all(t.assignee is None for t in tasks)


def test_completing_a_task_within_its_window_only(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    cleaner_user = UserFactory(properties=[property_a], perms=["cleaning.change_cleaningtask"])
    area.cleaner.user = cleaner_user
    area.cleaner.save()
    with at(DAY, 5):
        services.generate_due_tasks()
    morning, afternoon = CleaningTask.objects.order_by("slot")
    stranger = UserFactory(properties=[property_a], perms=["cleaning.change_cleaningtask"])
    with at(DAY, 9):
        with pytest.raises(ValidationError):
            services.complete_task(morning, by=stranger)
        with pytest.raises(ValidationError):
            services.complete_task(afternoon, by=cleaner_user)  # not yet
        services.complete_task(morning, by=cleaner_user)
        with pytest.raises(ValidationError):
            services.complete_task(morning, by=cleaner_user)  # twice
    morning.refresh_from_db()
    assert morning.status == TaskStatus.DONE and morning.completed_by == cleaner_user
    with at(DAY, 20):
        with pytest.raises(ValidationError):
            services.complete_task(afternoon, by=cleaner_user)  # missed
        figures = services.completion(CleaningTask.objects.all())
    assert figures == {"done": 1, "missed": 1, "rate": 50.0}


def test_completion_by_area_team_and_month(property_a):
    areas = [CleaningAreaFactory(property=property_a) for _ in range(2)]
    CleaningStandardFactory(property=property_a, times="")
    with at(DAY + datetime.timedelta(days=1)):
        services.generate_due_tasks()
    CleaningTask.objects.filter(area=areas[0]).update(
        status=TaskStatus.DONE, completed_at=timezone.now()
    )
    with at(DAY + datetime.timedelta(days=5)):
        by_area = {r["key"]: r for r in services.completion_by(CleaningTask.objects.all(), "area")}
        by_month = services.completion_by(CleaningTask.objects.all(), "month")
    assert by_area[areas[0].pk]["rate"] == 100.0
    assert by_area[areas[1].pk]["rate"] == 0.0
    assert by_month[0]["done"] == 2 and by_month[0]["missed"] == 2


# --- scoring and weights ------------------------------------------------------------------------


def _formset(*weights):
    data = {
        "items-TOTAL_FORMS": str(len(weights)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, weight in enumerate(weights):
        data |= {f"items-{i}-position": i, f"items-{i}-text": f"项{i}", f"items-{i}-weight": weight}
    return StandardItemFormSet(data, instance=CleaningStandard())


def test_item_weights_must_add_up_to_100():
    assert _formset(60, 40).is_valid()
    bad = _formset(60, 30)
    assert not bad.is_valid()
    assert "90" in str(bad.non_form_errors())
    assert not _formset().is_valid()  # a standard needs its items
    assert not _formset(101).is_valid()


def test_service_refuses_a_standard_whose_weights_do_not_add_up(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a, items=(50, 30))
    with pytest.raises(ValidationError, match="100"):
        services.start_inspection(
            area=area,
            inspector=EmployeeFactory(property=property_a),
            inspected_at=timezone.now(),
            by=UserFactory(),
        )


def start(area, **kwargs):
    return services.start_inspection(
        area=area,
        inspector=kwargs.pop("inspector", None) or EmployeeFactory(property=area.property),
        inspected_at=kwargs.pop("at", None) or timezone.now(),
        by=UserFactory(),
        **kwargs,
    )


def score(inspection, points, failed_detail=True):
    """``points``: the points of each item, in order; items short of their weight fail and
    get a photo and a note."""
    user = UserFactory()
    answers = list(inspection.answers.all())
    given = {a.pk: {"score": p} for a, p in zip(answers, points, strict=True)}
    details = {}
    if failed_detail:
        details = {
            a.pk: {"note": "不干净", "needs": "rectify", "photo": photo()}
            for a, p in zip(answers, points, strict=True)
            if p < a.weight
        }
    services.record_scores(inspection, given, details, by=user)
    return services.submit_inspection(inspection, by=user)


def test_scoring_arithmetic(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)  # 50 / 30 / 20, pass at 85
    passed = score(start(area), [50, 30, Decimal("17.5")])
    assert passed.total == Decimal("97.5") and passed.status == InspectionStatus.PASSED
    assert not hasattr(passed, "rectification") or passed.rectification is None
    failed = score(start(area), [40, 25, 19.5])
    assert failed.total == Decimal("84.5") and failed.status == InspectionStatus.FAILED
    assert failed.rectification.status == RectificationStatus.OPEN


def test_a_score_above_the_items_points_is_refused(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    found = start(area)
    first = found.answers.first()
    with pytest.raises(ValidationError):
        services.record_scores(found, {first.pk: {"score": 51}}, {}, by=UserFactory())


def test_submit_needs_every_item_and_a_photo_and_note_for_failed_ones(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    found = start(area)
    first, *rest = found.answers.all()
    user = UserFactory()
    services.record_scores(found, {first.pk: {"score": 10}}, {}, by=user)
    with pytest.raises(ValidationError, match="Score every item"):
        services.submit_inspection(found, by=user)
    services.record_scores(found, {a.pk: {"score": a.weight} for a in rest}, {}, by=user)
    with pytest.raises(ValidationError, match="photo and a note"):
        services.submit_inspection(found, by=user)
    services.record_scores(found, {}, {first.pk: {"note": "有垃圾", "photo": photo()}}, by=user)
    assert services.submit_inspection(found, by=user).status == InspectionStatus.FAILED


# --- the inspector is never the area's cleaner --------------------------------------------------


def test_inspector_is_never_the_areas_cleaner(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    user = UserFactory(properties=[property_a])
    form = CleaningInspectionForm(
        {"area": area.pk, "inspector": area.cleaner.pk, "inspected_at": "2026-11-23T10:00"},
        user=user,
    )
    assert not form.is_valid() and "inspector" in form.errors
    with pytest.raises(ValidationError):
        start(area, inspector=area.cleaner)
    found = start(area)
    with pytest.raises(IntegrityError), transaction.atomic():
        CleaningInspection.objects.filter(pk=found.pk).update(inspector=area.cleaner)


def test_inspector_from_another_property_is_refused(property_a, property_b):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    with pytest.raises(ValidationError):
        start(area, inspector=EmployeeFactory(property=property_b))


# --- rectification loop -----------------------------------------------------------------------


def test_a_failed_reinspection_keeps_it_open_and_escalates_a_passing_one_closes_it(property_a):
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    failed = score(start(area), [30, 30, 20])
    rectification = failed.rectification
    assert rectification.responsible == area.cleaner
    hours = (rectification.deadline - failed.submitted_at).total_seconds() / 3600
    assert hours == pytest.approx(24)
    cleaner_user = UserFactory(properties=[property_a])
    services.mark_done(rectification, by=cleaner_user, note="已重新清洁")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE
    again = score(start(area, reinspects=rectification), [35, 30, 15])
    assert again.status == InspectionStatus.FAILED
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN
    assert rectification.escalations == 1 and rectification.escalated_at is not None
    assert not hasattr(again, "rectification") or again.rectification is None
    closing = score(start(area, reinspects=rectification), [50, 30, 20])
    assert closing.status == InspectionStatus.PASSED
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert rectification.closed_at is not None
    actions = list(
        TimelineEvent.objects.filter(object_id=rectification.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["done", "escalate", "close"]
    with pytest.raises(ValidationError):
        start(area, reinspects=rectification)  # closed


def test_a_repair_item_opens_a_facilities_work_order_once(property_a):
    from facilities.models import WorkOrder

    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    found = start(area)
    first, *rest = found.answers.all()
    user = UserFactory()
    services.record_scores(
        found,
        {first.pk: {"score": 0}} | {a.pk: {"score": a.weight} for a in rest},
        {first.pk: {"note": "地砖破损", "needs": "repair", "photo": photo()}},
        by=user,
    )
    services.submit_inspection(found, by=user)
    first.refresh_from_db()
    order = services.open_repair(first, by=user)
    assert WorkOrder.objects.get(pk=order.pk).location == area.location
    with pytest.raises(ValidationError):
        services.open_repair(first, by=user)
    with pytest.raises(ValidationError):
        services.open_repair(rest[0], by=user)  # passed


# --- running score ------------------------------------------------------------------------------


def test_running_score_weights_the_last_three_60_30_10(property_a):
    assert weighted_running_score([]) is None
    assert weighted_running_score([90]) == Decimal("90.0")
    assert weighted_running_score([90, 60]) == Decimal("80.0")  # (54 + 18) / 0.9
    assert weighted_running_score([100, 80, 50]) == Decimal("89.0")
    area = CleaningAreaFactory(property=property_a)
    CleaningStandardFactory(property=property_a)
    now = timezone.now()
    for hours, points in (
        (5, [50, 30, 20]),
        (4, [40, 20, 20]),
        (3, [25, 15, 10]),
        (2, [50, 30, 20]),
    ):
        score(start(area, at=now - datetime.timedelta(hours=hours)), points)
    area.refresh_from_db()
    # Newest first: 100, 50, 80 → 60 + 15 + 8.
    assert area.running_score == Decimal("83.0")
