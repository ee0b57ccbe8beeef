"""Waste collection and greening's part of ``seed_demo``: haulers, collection points and
schedules at both properties with a month of collections (a few missed, one of them
yesterday, so the supervisor's reminder fires), each property's own names of the categories,
green zones with their care plans and a month of tasks (most done, with the materials issued
from the stores and the pesticide log; some overdue). ``--scale N`` adds the same in bulk to
each bulk property (``seed_bulk``)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.demo_bulk import bulk_properties, copy_rows, insert, now
from core.models import Location, Property, User
from procurement.models import Item, Storeroom, Supplier
from staff.models import Employee

from .demo_consumables import can_issue, counted
from .models import (
    CollectionPoint,
    CollectionSchedule,
    ExpectedCollection,
    GreeningKind,
    GreeningPlan,
    GreeningTask,
    GreeningTaskStatus,
    GreenZone,
    Season,
    WasteCategory,
    WasteCategoryLabel,
    WasteCollection,
)
from .services.greening import complete_task, generate_greening_tasks
from .services.waste import generate_expected_collections

DAYS = 30
HAULERS = [
    # name, the first 17 characters of the credit code, contact
    ("上海城环清运有限公司", "91310115MA1K4B7X0", "周国强"),
    ("翠湖再生资源回收站", "92310115MA1K4B8Y1", "吴春花"),
    ("沪东危险废物处置有限公司", "91310115MA1K4B9W2", "郑立新"),
]
# (point, location code or None, [(category, unit, interval, weekdays, "HH:MM", hours, hauler)])
JLG_POINTS = [
    (
        "垃圾分类站",
        "PARKING-WASTE",
        [
            (WasteCategory.KITCHEN, "days", 1, 0, "06:30", 2, 0),
            (WasteCategory.KITCHEN, "days", 1, 0, "18:30", 2, 0),
            (WasteCategory.RESIDUAL, "days", 1, 0, "07:00", 2, 0),
            (WasteCategory.RECYCLABLE, "weekdays", 1, 0b0010010, "09:00", 3, 1),
            (WasteCategory.HAZARDOUS, "months", 1, 0, "10:00", 4, 2),
        ],
    ),
    (
        "1号楼垃圾厢房",
        "B01",
        [
            (WasteCategory.KITCHEN, "days", 1, 0, "06:45", 2, 0),
            (WasteCategory.RESIDUAL, "days", 1, 0, "07:15", 2, 0),
        ],
    ),
    (
        "装修垃圾堆放点",
        "PARKING",
        [
            (WasteCategory.RENOVATION, "weekdays", 1, 0b0100000, "08:00", 4, 0),
            (WasteCategory.BULKY, "weekdays", 1, 0b0100000, "08:00", 4, 0),
        ],
    ),
]
HMC_POINTS = [
    (
        "B1 垃圾房",
        "TA-B1",
        [
            (WasteCategory.RESIDUAL, "days", 1, 0, "05:30", 2, 0),
            (WasteCategory.RECYCLABLE, "weekdays", 1, 0b0010101, "09:30", 3, 1),
            (WasteCategory.HAZARDOUS, "months", 1, 0, "10:00", 4, 2),
        ],
    ),
    (
        "餐饮垃圾间",
        "TA-B1",
        [
            (WasteCategory.KITCHEN, "days", 1, 0, "14:00", 2, 0),
            (WasteCategory.KITCHEN, "days", 1, 0, "22:00", 2, 0),
        ],
    ),
]
LABELS = {
    "JLG": {WasteCategory.KITCHEN: "湿垃圾", WasteCategory.RESIDUAL: "干垃圾"},
    "HMC": {WasteCategory.KITCHEN: "易腐垃圾"},
}
# kg per bin by category
KG_PER_BIN = {
    WasteCategory.KITCHEN: 95,
    WasteCategory.RESIDUAL: 60,
    WasteCategory.RECYCLABLE: 35,
    WasteCategory.HAZARDOUS: 8,
    WasteCategory.RENOVATION: 300,
    WasteCategory.BULKY: 120,
}
# (zone, location code or None, m², main plants, [(kind, unit, interval, season, lead)])
JLG_ZONES = [
    (
        "中心花园草坪",
        "GARDEN",
        "2400",
        "高羊茅草坪、香樟、桂花",
        [
            (GreeningKind.WEEDING, "weeks", 1, Season.ALL_YEAR, 2),
            (GreeningKind.WATERING, "days", 3, Season.ALL_YEAR, 1),
            (GreeningKind.FERTILISING, "months", 1, Season.ALL_YEAR, 3),
            (GreeningKind.PEST_CONTROL, "weeks", 2, Season.ALL_YEAR, 3),
        ],
    ),
    (
        "南大门绿篱",
        "GATE",
        "320",
        "红叶石楠、金叶女贞",
        [(GreeningKind.PRUNING, "weeks", 2, Season.ALL_YEAR, 3)],
    ),
    (
        "儿童游乐区花坛",
        "GARDEN-PLAY",
        "180",
        "月季、三角梅、矮牵牛",
        [
            (GreeningKind.WATERING, "days", 2, Season.ALL_YEAR, 1),
            (GreeningKind.REPLANTING, "months", 3, Season.SPRING, 7),
        ],
    ),
]
HMC_ZONES = [
    (
        "广场绿化带",
        None,
        "600",
        "银杏、麦冬、杜鹃",
        [
            (GreeningKind.WEEDING, "weeks", 1, Season.ALL_YEAR, 2),
            (GreeningKind.PRUNING, "months", 1, Season.ALL_YEAR, 3),
        ],
    ),
]


def seed(*, scale=1, stdout=None):
    if not CollectionPoint.objects.filter(property__code__in=("JLG", "HMC")).exists():
        _waste()
    if not GreenZone.objects.filter(property__code__in=("JLG", "HMC")).exists():
        _greening()
    if scale > 1:
        seed_bulk(scale)
    if stdout:
        stdout.write(
            f"cleaning: {CollectionPoint.objects.count()} collection points, "
            f"{WasteCollection.objects.count()} collections, "
            f"{GreenZone.objects.count()} green zones, {GreeningTask.objects.count()} tasks"
        )


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _haulers():
    from procurement.validators import credit_code_check_character

    haulers = []
    for name, first17, contact in HAULERS:
        hauler, _created = Supplier.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": first17 + credit_code_check_character(first17),
                "contact": contact,
                "status": "approved",
                "note": "垃圾清运",
            },
        )
        haulers.append(hauler)
    return haulers


def _waste():
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS)
    haulers = _haulers()
    cleaning = User.objects.filter(username="cleaning").first()
    for code, points in (("JLG", JLG_POINTS), ("HMC", HMC_POINTS)):
        property_ = Property.objects.get(code=code)
        for category, label in LABELS[code].items():
            WasteCategoryLabel.objects.get_or_create(
                property=property_, category=category, defaults={"label": label}
            )
        locations = dict(Location.objects.filter(property=property_).values_list("code", "pk"))
        for name, location_code, schedules in points:
            point = CollectionPoint.objects.create(
                property=property_, name=name, location_id=locations.get(location_code)
            )
            for category, unit, interval, weekdays, hhmm, hours, hauler in schedules:
                hour, minute = (int(part) for part in hhmm.split(":"))
                schedule = CollectionSchedule(
                    point=point,
                    category=category,
                    hauler=haulers[hauler],
                    unit=unit,
                    interval=interval,
                    weekdays=weekdays,
                    lead_days=0,
                    window_start=datetime.time(hour, minute),
                    window_hours=hours,
                    starts_on=start,
                    next_due=start,
                )
                schedule.next_due = schedule.aligned(start, start)
                schedule.save()
    generate_expected_collections(today)
    _collections(cleaning, today)


def _collections(by, today):
    """A collection logged in most windows that have closed; a few missed (one yesterday at
    JLG, whose cleaning supervisor is reminded), a few logged late."""
    moment = timezone.now()
    yesterday = today - datetime.timedelta(days=1)
    missed_yesterday = False
    logs = []
    expected = ExpectedCollection.objects.filter(window_end__lt=moment).order_by("window_start")
    for index, item in enumerate(expected.select_related("point__property")):
        if item.due_on == yesterday and item.point.property.code == "JLG" and not missed_yesterday:
            missed_yesterday = True  # the hauler did not come: tomorrow's reminder
            continue
        late = index % 23 == 7
        if index % 17 == 5:
            continue  # missed
        collected_at = (
            item.window_end + datetime.timedelta(minutes=40)
            if late
            else (item.window_start + datetime.timedelta(minutes=15 + index % 60))
        )
        if collected_at > moment:
            continue
        bins = 2 + index % 5
        logs.append(
            WasteCollection(
                point=item.point,
                category=item.category,
                collected_at=collected_at,
                bins=bins,
                weight_kg=Decimal(bins * KG_PER_BIN[item.category]) + Decimal(index % 10),
                hauler_id=item.hauler_id,
                manifest_number=f"LD{item.due_on:%Y%m%d}{index:04d}"
                if item.category == WasteCategory.HAZARDOUS
                else "",
                recorded_by=by,
            )
        )
    insert(WasteCollection, logs)


def _greening():
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS)
    cleaning = User.objects.filter(username="cleaning").first()
    for code, zones in (("JLG", JLG_ZONES), ("HMC", HMC_ZONES)):
        property_ = Property.objects.get(code=code)
        locations = dict(Location.objects.filter(property=property_).values_list("code", "pk"))
        staff = Employee.objects.filter(property=property_).current()
        gardener = (
            staff.filter(position__name="绿化工").order_by("staff_no").first()
            or staff.filter(position__name="保洁员").order_by("staff_no").first()
        )
        for name, location_code, area, plants, plans in zones:
            zone = GreenZone.objects.create(
                property=property_,
                name=name,
                location_id=locations.get(location_code),
                area_m2=Decimal(area),
                main_plants=plants,
            )
            for kind, unit, interval, season, lead in plans:
                plan = GreeningPlan(
                    zone=zone,
                    kind=kind,
                    season=season,
                    unit=unit,
                    interval=interval,
                    lead_days=lead,
                    starts_on=start,
                    next_due=start,
                    assignee=gardener,
                    instructions=_instructions(kind),
                )
                plan.full_clean()
                plan.save()
    generate_greening_tasks(today)
    _done(cleaning, today)


def _instructions(kind):
    return {
        GreeningKind.WEEDING: "人工拔除杂草，清理落叶",
        GreeningKind.WATERING: "早晚浇水，避开正午高温",
        GreeningKind.FERTILISING: "撒施复合肥，施后浇透水",
        GreeningKind.PEST_CONTROL: "喷洒杀虫剂，设置警示牌，24 小时内勿进入",
        GreeningKind.PRUNING: "修剪绿篱，保持整齐高度 1.2 米",
        GreeningKind.REPLANTING: "补种时令花卉",
    }[kind]


def _done(by, today):
    """Tasks due more than two days ago are done (materials issued for fertilising and pest
    control, the pesticide logged); the rest stay open, some overdue."""
    rooms = {room.property_id: room for room in Storeroom.objects.filter(code="MAIN")}
    counting = counted()

    fertiliser = Item.objects.filter(name="复合肥").first()
    insecticide = Item.objects.filter(name="杀虫剂").first()
    tasks = (
        GreeningTask.objects.filter(due_on__lt=today - datetime.timedelta(days=2))
        .select_related("zone", "assignee")
        .order_by("due_on", "pk")
    )
    for index, task in enumerate(tasks):
        if index % 11 == 4:
            continue  # not done: overdue
        done_by = task.assignee or Employee.objects.filter(property=task.zone.property_id).first()
        if done_by is None:
            continue
        room = rooms.get(task.zone.property_id)
        materials, pesticide = {}, None
        if task.kind == GreeningKind.FERTILISING and fertiliser and room:
            materials = {fertiliser: Decimal(1)}
        if task.kind == GreeningKind.PEST_CONTROL:
            if insecticide and room:
                materials = {insecticide: Decimal(1)}
            pesticide = {
                "product": "高效氯氰菊酯乳油",
                "dose": Decimal(500),
                "dose_unit": "ml",
                "dilution": "1:1500",
                "safety_interval_days": 7,
                "reentry_note": "喷药后 24 小时内请勿进入，已设置警示牌",
            }
        # Stock being counted, or too little left in the demo's storeroom (larger scales issue
        # more elsewhere): the work is still done and logged, with nothing issued.
        if room and not all(
            can_issue(room, item, quantity, counting) for item, quantity in materials.items()
        ):
            materials = {}
        try:
            complete_task(
                task,
                by=by,
                done_by=done_by,
                done_at=_at(task.due_on, 9, index % 50),
                note="已完成",
                storeroom=room if materials else None,
                materials=materials,
                pesticide=pesticide,
            )
        except Exception:  # stock ran out in the demo's storeroom: leave the task open
            continue


# --- bulk ---------------------------------------------------------------------------------------

BULK_DAYS = 90
POINTS_PER_UNIT = 20
ZONES_PER_UNIT = 5


def seed_bulk(scale):
    """Per bulk property with no collection point yet: points (~20 per unit of scale) with a
    kitchen, a residual and a recyclable schedule, 90 days of expected collections and their
    logs (about 3 % missed); green zones (~5 per unit) with weeding and pruning plans and 90
    days of tasks (done but the last few days)."""
    haulers = _haulers()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=BULK_DAYS)
    moment = now()
    for bulk in bulk_properties(scale):
        if CollectionPoint.objects.filter(property=bulk.property).exists():
            continue
        generator = bulk.rng("waste")
        count = max(2, round(POINTS_PER_UNIT * scale * bulk.share))
        points = insert(
            CollectionPoint,
            [
                CollectionPoint(property=bulk.property, name=f"{n + 1}号垃圾厢房")
                for n in range(count)
            ],
        )
        schedules = []
        for point in points:
            for category, hhmm, unit, weekdays, hauler in (
                (WasteCategory.KITCHEN, (6, 30), "days", 0, 0),
                (WasteCategory.RESIDUAL, (7, 0), "days", 0, 0),
                (WasteCategory.RECYCLABLE, (9, 0), "weekdays", 0b0010010, 1),
            ):
                schedules.append(
                    CollectionSchedule(
                        point=point,
                        category=category,
                        hauler=haulers[hauler],
                        unit=unit,
                        weekdays=weekdays,
                        lead_days=0,
                        window_start=datetime.time(*hhmm),
                        window_hours=2,
                        starts_on=start,
                        next_due=today + datetime.timedelta(days=1),
                    )
                )
        insert(CollectionSchedule, schedules)
        expected, logs = [], []
        for schedule in schedules:
            recurrence = schedule.recurrence
            for day in recurrence.dates(start, start, today):
                window_start, window_end = schedule.window_on(day)
                expected.append(
                    {
                        "schedule_id": schedule.pk,
                        "point_id": schedule.point_id,
                        "category": schedule.category,
                        "due_on": day,
                        "window_start": window_start,
                        "window_end": window_end,
                        "hauler_id": schedule.hauler_id,
                    }
                )
                if window_end < moment and generator.random() > 0.03:
                    bins = generator.randint(2, 6)
                    logs.append(
                        {
                            "point_id": schedule.point_id,
                            "category": schedule.category,
                            "collected_at": window_start
                            + datetime.timedelta(minutes=generator.randint(5, 100)),
                            "bins": bins,
                            "weight_kg": Decimal(bins * KG_PER_BIN[schedule.category]),
                            "hauler_id": schedule.hauler_id,
                            "manifest_number": "",
                            "photo": "",
                            "note": "",
                        }
                    )
        copy_rows(ExpectedCollection, expected)
        copy_rows(WasteCollection, logs)
        _bulk_greening(bulk, scale, start, today)


def _bulk_greening(bulk, scale, start, today):
    if GreenZone.objects.filter(property=bulk.property).exists():
        return
    generator = bulk.rng("greening")
    count = max(1, round(ZONES_PER_UNIT * scale * bulk.share))
    zones = insert(
        GreenZone,
        [
            GreenZone(
                property=bulk.property,
                name=f"{n + 1}号绿地",
                area_m2=Decimal(generator.randint(100, 3000)),
                main_plants="草坪、香樟",
            )
            for n in range(count)
        ],
    )
    plans = []
    for zone in zones:
        for kind, unit in ((GreeningKind.WEEDING, "weeks"), (GreeningKind.PRUNING, "months")):
            plans.append(
                GreeningPlan(
                    zone=zone,
                    kind=kind,
                    unit=unit,
                    lead_days=0,
                    starts_on=start,
                    next_due=start,
                )
            )
    insert(GreeningPlan, plans)
    tasks = []
    for plan in plans:
        days = list(plan.recurrence.dates(start, start, today))
        for day in days:
            done = day < today - datetime.timedelta(days=3)
            tasks.append(
                {
                    "plan_id": plan.pk,
                    "zone_id": plan.zone_id,
                    "kind": plan.kind,
                    "due_on": day,
                    "status": GreeningTaskStatus.DONE if done else GreeningTaskStatus.OPEN,
                    "done_at": _at(day, 10) if done else None,
                    "note": "",
                }
            )
        plan.next_due = plan.recurrence.following(start, days[-1]) if days else start
    GreeningPlan.objects.bulk_update(plans, ["next_due"])
    copy_rows(GreeningTask, tasks)
