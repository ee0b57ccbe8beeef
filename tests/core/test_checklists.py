"""core.checklists: item kinds (including the weighted score), answers judged and saved, the
follow-up step, and the checklist formset's rule that scores add up to 100."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.checklists import (
    AnswersForm,
    ChecklistKind,
    apply_answers,
    check_weights,
    open_follow_up,
    total_score,
)
from facilities.forms import ChecklistItemFormSet
from facilities.models import ChecklistItem, ChecklistResult
from tests.facilities.factories import MaintenancePlanFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db


def result(order, kind, **kwargs):
    return ChecklistResult.objects.create(
        work_order=order, text=f"{kind} step", kind=kind, **kwargs
    )


def test_scores_are_judged_against_their_pass_mark_or_full_marks():
    order = WorkOrderFactory()
    floor = result(order, ChecklistKind.SCORE, weight=40, minimum=Decimal(30))
    glass = result(order, ChecklistKind.SCORE, weight=60)
    changed, failed = apply_answers(
        [floor, glass], {floor.pk: {"score": "32.5"}, glass.pk: {"score": "55"}}, exclude=[]
    )
    assert len(changed) == 2 and failed == [glass]
    floor.refresh_from_db()
    glass.refresh_from_db()
    assert (floor.passed, floor.score, glass.passed) == (True, Decimal("32.5"), False)
    assert total_score([floor, glass]) == Decimal("87.5")
    assert floor.describe_answer() == "32.5 / 40"


def test_a_score_beyond_its_points_is_refused_and_nothing_saved():
    order = WorkOrderFactory()
    floor = result(order, ChecklistKind.SCORE, weight=40)
    with pytest.raises(ValidationError, match="between 0 and 40 points"):
        apply_answers([floor], {floor.pk: {"score": "41"}}, exclude=[])
    floor.refresh_from_db()
    assert floor.score is None and floor.passed is None


def test_the_database_keeps_scores_within_their_weight():
    order = WorkOrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        result(order, ChecklistKind.SCORE, weight=10, score=Decimal(11))
    with pytest.raises(IntegrityError), transaction.atomic():
        result(order, ChecklistKind.CHECK, weight=10)  # only scores carry points
    with pytest.raises(IntegrityError), transaction.atomic():
        result(order, ChecklistKind.SCORE)  # a score needs its points


def test_numbers_checks_and_texts_are_judged_as_before():
    order = WorkOrderFactory()
    pressure = result(order, ChecklistKind.NUMBER, minimum=Decimal("0.3"), maximum=Decimal(1))
    dry = result(order, ChecklistKind.CHECK)
    note = result(order, ChecklistKind.TEXT)
    _changed, failed = apply_answers(
        [pressure, dry, note],
        {
            pressure.pk: {"number": Decimal("1.2")},
            dry.pk: {"checked_ok": True},
            note.pk: {"answer": "  ok  "},
        },
        exclude=[],
    )
    assert failed == [pressure]
    note.refresh_from_db()
    assert note.answer == "ok" and note.passed is True


def test_the_follow_up_step_locks_refuses_and_links():
    order = WorkOrderFactory()
    step = result(order, ChecklistKind.CHECK, checked_ok=False, passed=False)
    fine = result(order, ChecklistKind.CHECK, checked_ok=True, passed=True)
    made = []

    def make(answer):
        made.append(answer.pk)
        return WorkOrderFactory(property=order.property, equipment=order.equipment)

    with pytest.raises(ValidationError, match="Only a failed item"):
        open_follow_up(fine, make)
    follow_up = open_follow_up(step, make)
    step.refresh_from_db()
    assert step.follow_up == follow_up and made == [step.pk]
    with pytest.raises(ValidationError, match="already has its follow-up"):
        open_follow_up(step, make)
    assert made == [step.pk]  # nothing made twice


def test_scored_items_of_one_checklist_add_up_to_100():
    items = [
        ChecklistItem(kind=ChecklistKind.SCORE, weight=60),
        ChecklistItem(kind=ChecklistKind.SCORE, weight=30),
        ChecklistItem(kind=ChecklistKind.CHECK),
    ]
    with pytest.raises(ValidationError, match="add up to 90 points"):
        check_weights(items)
    items[1].weight = 40
    check_weights(items)
    check_weights([ChecklistItem(kind=ChecklistKind.CHECK)])  # no scores: nothing to add up


def test_the_checklist_formset_refuses_weights_that_do_not_add_up():
    plan = MaintenancePlanFactory()
    data = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "1",
        "items-0-text": "地面洁净",
        "items-0-kind": "score",
        "items-0-weight": "70",
        "items-1-position": "2",
        "items-1-text": "玻璃无污渍",
        "items-1-kind": "score",
        "items-1-weight": "20",
    }
    formset = ChecklistItemFormSet(data, instance=plan, prefix="items")
    assert not formset.is_valid()
    assert "add up to 90 points" in str(formset.non_form_errors())
    data["items-1-weight"] = "30"
    formset = ChecklistItemFormSet(data, instance=plan, prefix="items")
    assert formset.is_valid(), formset.errors
    formset.save()
    assert sorted(plan.items.values_list("weight", flat=True)) == [30, 70]


def test_the_answers_form_offers_a_score_field_within_the_points():
    order = WorkOrderFactory()
    floor = result(order, ChecklistKind.SCORE, weight=40)
    form = AnswersForm({f"r{floor.pk}": "50"}, results=[floor])
    assert not form.is_valid()
    form = AnswersForm({f"r{floor.pk}": "35"}, results=[floor])
    assert form.is_valid()
    assert form.answers() == {floor.pk: {"score": Decimal("35")}}
