"""cleaning's bulk volume for ``seed_demo --scale N`` (N > 1): each bulk property's cleaning
areas (lobbies, stairwells, the outdoor site, the waste station) with the standards of their
kinds, 60 days of tasks (~1,000 per unit of scale: ~100,000 at scale 100) and a year of
inspections (~100 per unit: ~10,000), with the rectifications of the failed ones.

Coherent with what the services would have made: a standard's ``next_due`` is tomorrow (its
tasks are made up to today); a task's window is its standard's, done ones were done within
it, today's are still to do; an inspection's total is the sum of its items' points and its
status follows the pass mark; its inspector is never the area's cleaner; a failed
inspection has a rectification, closed (on time or late) unless it is recent.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.demo_bulk import bulk_properties, copy_rows, insert
from core.models import Location, LocationKind

from .demo import STANDARDS
from .models import (
    AreaKind,
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    InspectionAnswer,
    InspectionStatus,
    Rectification,
    RectificationStatus,
    StandardItem,
    TaskStatus,
)

TASK_DAYS = 60
INSPECTION_DAYS = 365


def seed(scale, stdout=None):
    for bulk in bulk_properties(scale):
        if CleaningArea.objects.filter(property=bulk.property).exists():
            continue
        _property(bulk)


def _staff(bulk):
    from staff.models import Employee, Post

    people = list(
        Employee.objects.current()
        .filter(property=bulk.property, department__name="保洁部")
        .order_by("pk")
    )
    team = Post.objects.create(property=bulk.property, name="保洁组")
    return people, team


def _kind_of(location):
    code = location.code
    if code.endswith("-LOBBY"):
        return AreaKind.LOBBY
    if code.endswith("-HALL"):
        return AreaKind.CORRIDOR
    if code.endswith("WASTE"):
        return AreaKind.GARBAGE_ROOM
    if location.kind == LocationKind.OUTDOOR:
        return AreaKind.OUTDOOR
    return None


def _property(bulk):
    generator = bulk.rng("cleaning")
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    people, team = _staff(bulk)
    tasks_wanted = bulk.amount("cleaning_tasks")
    candidates = [
        loc
        for loc in Location.objects.filter(property=bulk.property).order_by("path")
        if _kind_of(loc) is not None
    ]
    # About 1.5 tasks a day per area over the days of tasks.
    count = max(1, min(len(candidates), round(tasks_wanted / (TASK_DAYS * 1.5))))
    step = max(1, len(candidates) // count)
    chosen = candidates[::step][:count]
    standards = {}
    for kind in {_kind_of(loc) for loc in chosen}:
        name, unit, times, window, mark, items = STANDARDS[kind]
        standard = CleaningStandard.objects.create(
            property=bulk.property,
            name=name,
            kind=kind,
            unit=unit,
            interval=1,
            lead_days=0,
            times=times,
            window_hours=window,
            starts_on=today - timedelta(days=INSPECTION_DAYS),
            next_due=today + timedelta(days=1),
            pass_mark=mark,
            sop=name,
        )
        StandardItem.objects.bulk_create(
            StandardItem(standard=standard, position=i, text=text, kind="score", weight=points)
            for i, (text, points) in enumerate(items, start=1)
        )
        standards[kind] = (standard, list(standard.items.all()))
    areas = insert(
        CleaningArea,
        [
            CleaningArea(
                property=bulk.property,
                name=f"{loc.full_name}",
                location=loc,
                kind=_kind_of(loc),
                size_m2=Decimal(generator.choice([40, 80, 150, 600])),
                cleaner=people[i % len(people)] if people else None,
                team=team,
            )
            for i, loc in enumerate(chosen)
        ],
    )
    if not all(area.pk for area in areas):
        areas = list(CleaningArea.objects.filter(property=bulk.property).order_by("pk"))
    _tasks(bulk, generator, areas, standards, today, zone)
    _inspections(bulk, generator, areas, standards, people, today)


def _tasks(bulk, generator, areas, standards, today, zone):
    now = timezone.now()
    rows = []
    for area in areas:
        standard, _items = standards[area.kind]
        for back in range(TASK_DAYS - 1, -1, -1):
            day = today - timedelta(days=back)
            if standard.unit == "weeks" and (today - day).days % 7:
                continue
            for slot, start, end in standard.windows(day, zone):
                done = end < now and generator.random() > 0.05
                rows.append(
                    {
                        "area_id": area.pk,
                        "standard_id": standard.pk,
                        "due_on": day,
                        "slot": slot,
                        "window_start": start,
                        "window_end": end,
                        "assignee_id": area.cleaner_id,
                        "status": TaskStatus.DONE if done else TaskStatus.OPEN,
                        "completed_at": start + (end - start) / 2 if done else None,
                        "created_at": datetime.combine(day, time.min, tzinfo=zone),
                    }
                )
    copy_rows(CleaningTask, rows)


def _inspections(bulk, generator, areas, standards, people, today):
    wanted = bulk.amount("cleaning_inspections")
    now = timezone.now()
    made = []
    plans = []
    for n in range(wanted):
        area = areas[n % len(areas)]
        inspectors = [p for p in people if p.pk != area.cleaner_id]
        if not inspectors:
            continue
        standard, items = standards[area.kind]
        back = generator.randint(1, INSPECTION_DAYS)
        when = timezone.make_aware(
            datetime.combine(today - timedelta(days=back), time(9 + n % 8, 10))
        )
        lost = generator.choice([0, 0, 0, 0, 2, 5, 20])
        total = Decimal(100 - lost)
        status = InspectionStatus.PASSED if total >= standard.pass_mark else InspectionStatus.FAILED
        made.append(
            CleaningInspection(
                area=area,
                standard=standard,
                inspector=generator.choice(inspectors),
                cleaner_id=area.cleaner_id,
                inspected_at=when,
                status=status,
                total=total,
                pass_mark=standard.pass_mark,
                submitted_at=when + timedelta(minutes=20),
            )
        )
        plans.append((items, lost))
    made = insert(CleaningInspection, made)
    answers, rectifications = [], []
    for inspection, (items, lost) in zip(made, plans, strict=True):
        for index, item in enumerate(items):
            score = item.weight - (lost if index == 0 else 0)
            answers.append(
                {
                    "inspection_id": inspection.pk,
                    "position": item.position,
                    "text": item.text,
                    "kind": "score",
                    "weight": item.weight,
                    "score": Decimal(max(score, 0)),
                    "passed": score >= item.weight,
                    "recorded_at": inspection.inspected_at,
                    "note": "现场检查不达标" if score < item.weight else "",
                    "needs": "rectify",
                }
            )
        if inspection.status == InspectionStatus.FAILED:
            deadline = inspection.submitted_at + timedelta(hours=24)
            closed = deadline < now - timedelta(days=2)
            rectifications.append(
                Rectification(
                    area=inspection.area,
                    inspection=inspection,
                    responsible_id=inspection.cleaner_id,
                    deadline=deadline,
                    status=RectificationStatus.CLOSED if closed else RectificationStatus.OPEN,
                    closed_at=deadline - timedelta(hours=generator.choice([2, 6, -10]))
                    if closed
                    else None,
                )
            )
    copy_rows(InspectionAnswer, answers)
    insert(Rectification, rectifications)
    for area in areas:
        scores = [
            i.total
            for i in sorted((i for i in made if i.area_id == area.pk), key=lambda i: i.inspected_at)
        ][::-1][:3]
        from .models import weighted_running_score

        area.running_score = weighted_running_score(scores)
    CleaningArea.objects.bulk_update(areas, ["running_score"], 1000)
