"""facilities' bulk volume for ``seed_demo --scale N`` (N > 1): each bulk property's
equipment (~200 per unit of scale, by building), maintenance plans from the seeded templates,
three years of work orders (~2,000 per unit) and daily inspection rounds (~500 per unit).

Coherent with what the services and generators would have made:
- a plan's preventive orders are its series' dates that the daily generator would have
  opened by today (due within the lead days), and its ``next_due`` is the first date after
  them, so tomorrow's generation makes one day's orders, not a backlog;
- an order's status follows its age (old ones closed, verified or cancelled, recent ones in
  every state) and its step times follow each other, never after now;
- numbers are reserved from the year's ``WorkOrderSequence`` (``services.next_numbers``), in
  the order the orders were opened, so an order created after the seed takes the next one;
- a route's rounds are one a day up to today (a few missed), and its ``next_due`` is tomorrow.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from core.demo_bulk import (
    bulk_properties,
    copy_rows,
    history_start,
    insert,
    local_day,
    moments,
    now,
)
from core.models import Location, LocationKind, User
from core.recurrence import Recurrence, ScheduleMode

from .demo import OFFICE_TOWER, RESIDENTIAL_BUILDING, _contractor
from .demo_work import FAULTS
from .models import (
    ChecklistItem,
    Criticality,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    GeneratedTitle,
    InspectionPoint,
    InspectionRound,
    InspectionRoute,
    MaintenancePlan,
    PlanTemplate,
    Priority,
    RoundStatus,
    WorkOrder,
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
)
from .services.work_orders import next_numbers

S = WorkOrderStatus
DAYS_OF_ROUNDS = 365 * 3
RECENT = timedelta(days=30)  # orders younger than this may still be open
PREVENTIVE_SHARE = 0.45  # of a property's orders, at most


def seed(scale, stdout=None):
    users = dict(
        User.objects.filter(username__in=["facilities", "technician"]).values_list("username", "pk")
    )
    categories = {c.code: c for c in EquipmentCategory.objects.all()}
    templates = defaultdict(list)
    for template in PlanTemplate.objects.filter(active=True).order_by("code"):
        templates[template.category_id].append(template)
    contractor = _contractor()
    for bulk in bulk_properties(scale):
        if Equipment.objects.filter(property=bulk.property).exists():
            continue
        equipment = _equipment(bulk, categories, contractor)
        plans = _plans(bulk, equipment, templates)
        _work_orders(bulk, equipment, plans, users)
        _rounds(bulk, equipment, users)


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _engineers(bulk):
    from staff.models import Employee

    return list(
        Employee.objects.current()
        .filter(property=bulk.property, department__name="工程部")
        .order_by("pk")
    )


def _equipment(bulk, categories, contractor):
    """The building templates of the hand-made demo, once per building of the tree."""
    generator = bulk.rng("equipment")
    today = timezone.localdate()
    spaces = dict(Location.objects.filter(property=bulk.property).values_list("code", "pk"))
    buildings = list(
        Location.objects.filter(property=bulk.property, kind=LocationKind.BUILDING)
        .order_by("code")
        .values_list("code", flat=True)
    )
    engineers = _engineers(bulk)
    templates = RESIDENTIAL_BUILDING if bulk.residential else OFFICE_TOWER
    rows = []
    for building in buildings:
        for code, prefix, name, model, maker, where, count in templates:
            category = categories.get(code)
            if category is None:
                continue
            # The bulk trees have fewer kinds of room than the hand-made ones.
            where = {
                "F03-HALL": "F01-HALL",
                "F01-FCC": "F01-LOBBY",
                "B2-CHILLER": "B1-CHILLER",
                "B2-PUMP": "B1-PUMP",
            }.get(where, where)
            location = spaces.get(f"{building}-{where}") if where else spaces.get(building)
            for n in range(1, count + 1):
                commissioned = today - timedelta(days=generator.randint(365, 365 * 15))
                special = category.special
                roll = generator.random()
                rows.append(
                    Equipment(
                        property=bulk.property,
                        location_id=location,
                        category=category,
                        name=f"{name} {n}#" if count > 1 else name,
                        asset_code=f"{prefix}-{building}-{n:02d}",
                        model_number=model,
                        manufacturer=maker,
                        serial_number=f"{prefix}{commissioned:%Y%m}{len(rows):05d}",
                        commissioned_on=commissioned,
                        warranty_ends_on=commissioned
                        + timedelta(days=365 * generator.randint(2, 8)),
                        contractor=contractor if code == "elevator" else None,
                        responsible=generator.choice(engineers) if engineers else None,
                        criticality=Criticality.HIGH
                        if code in ("elevator", "fire", "power")
                        else Criticality.MEDIUM,
                        status=EquipmentStatus.RETIRED
                        if roll < 0.02
                        else EquipmentStatus.FAULTY
                        if roll < 0.04
                        else EquipmentStatus.IN_SERVICE,
                        registration_number=(
                            f"31{bulk.index:02d}{prefix}{len(rows):06d}" if special else ""
                        ),
                        certificate_expires_on=(
                            today + timedelta(days=generator.randint(-20, 365)) if special else None
                        ),
                    )
                )
    return insert(Equipment, rows)


def _series(recurrence, starts_on, lead, today):
    """The dates the daily generator would have opened by ``today``, and the next one."""
    dates, day = [], starts_on
    while day - timedelta(days=lead) <= today:
        dates.append(day)
        day = recurrence.following(starts_on, day)
    return dates, day


def _plans(bulk, equipment, templates):
    """Plans from the templates of each piece's class, until the property has its share of
    plans or its preventive orders would pass ``PREVENTIVE_SHARE`` of its orders. Returns
    (plan, its dates to make orders for)."""
    generator = bulk.rng("plans")
    today = timezone.localdate()
    start = local_day(history_start())
    budget = bulk.amount("work_orders") * PREVENTIVE_SHARE
    engineers = _engineers(bulk)
    candidates = [
        e for e in equipment if templates.get(e.category_id) and e.status != EquipmentStatus.RETIRED
    ]
    generator.shuffle(candidates)
    plans, made = [], 0
    for piece in candidates[: bulk.amount("plans")]:
        template = generator.choice(templates[piece.category_id])
        recurrence = Recurrence(template.unit, template.interval, template.weekdays)
        starts_on = start + timedelta(days=generator.randint(0, 60))
        dates, next_due = _series(recurrence, starts_on, template.lead_days, today)
        if made + len(dates) > budget and plans:
            break
        made += len(dates)
        plan = MaintenancePlan(
            equipment=piece,
            title=template.title,
            template=template,
            unit=template.unit,
            interval=template.interval,
            weekdays=template.weekdays,
            mode=ScheduleMode.FIXED,
            lead_days=template.lead_days,
            starts_on=starts_on,
            next_due=next_due,
            assignee=None if piece.contractor_id else generator.choice(engineers or [None]),
            contractor=piece.contractor if piece.contractor_id else None,
            estimated_hours=Decimal(generator.choice((1, 2, 2, 3, 4))),
        )
        plans.append((plan, dates))
    insert(MaintenancePlan, [plan for plan, _dates in plans])
    # Each plan's checklist is its template's (``services.copy_checklist``, in one batch), so
    # the orders generated after the seed carry their steps.
    steps = {t.pk: [item.step() for item in t.items.all()] for t in _templates(plans)}
    insert(
        ChecklistItem,
        [
            ChecklistItem(plan=plan, **step)
            for plan, _dates in plans
            for step in steps[plan.template_id]
        ],
    )
    return plans


def _templates(plans):
    ids = {plan.template_id for plan, _dates in plans}
    return PlanTemplate.objects.filter(pk__in=ids).prefetch_related("items")


RECENT_STATUSES = [S.NEW, S.ASSIGNED, S.ASSIGNED, S.IN_PROGRESS, S.IN_PROGRESS, S.ON_HOLD]
RECENT_STATUSES += [S.COMPLETED, S.VERIFIED, S.CLOSED, S.CLOSED]


def _status(generator, opened, current):
    """A status that fits the order's age."""
    roll = generator.random()
    if current - opened > RECENT:
        # Old orders are finished: closed, verified (not yet closed) or cancelled.
        if roll < 0.86:
            return S.CLOSED
        if roll < 0.94:
            return S.VERIFIED
        return S.CANCELLED
    return generator.choice(RECENT_STATUSES)


STEPS = [S.ASSIGNED, S.IN_PROGRESS, S.COMPLETED, S.VERIFIED, S.CLOSED]
HOURS = {S.ASSIGNED: (1, 8), S.IN_PROGRESS: (1, 24), S.COMPLETED: (1, 48)}


def _steps(order, generator, status, current, people, users):
    """Fill the step times up to ``status``, each after the one before and none after now;
    an order whose steps would run past now stops at the last step already reached. Returns
    the status reached."""
    opened = order["created_at"]
    if status == S.CANCELLED:
        order["cancelled_at"] = min(opened + timedelta(hours=generator.randint(1, 72)), current)
        order["cancel_reason"] = generator.choice(
            ["重复报修", "业主自行处理", "设备已报废，不再维修"]
        )
        order["updated_at"] = order["cancelled_at"]
        return S.CANCELLED
    target = {S.NEW: 0, S.ASSIGNED: 1, S.IN_PROGRESS: 2, S.ON_HOLD: 2}.get(status)
    target = STEPS.index(status) + 1 if target is None else target
    moment, reached = opened, S.NEW
    for step in STEPS[:target]:
        low, high = HOURS.get(step, (2, 72))
        following = moment + timedelta(minutes=generator.randint(low * 60, high * 60))
        if following > current:
            break
        moment, reached = following, step
        if step == S.ASSIGNED:
            order["assigned_at"] = moment
            if people and not order.get("contractor_id"):  # a contractor's job has no assignee
                order["assignee_id"] = generator.choice(people)
        elif step == S.IN_PROGRESS:
            order["started_at"] = moment
        elif step == S.COMPLETED:
            order["completed_at"] = moment
            order["completed_by_id"] = users["technician"]
            order["resolution"] = "已处理完毕，运行正常"
            order["labour_hours"] = Decimal(generator.randint(1, 16)) / 2
        elif step == S.VERIFIED:
            order["verified_at"] = moment
            order["verified_by_id"] = users["facilities"]
            order["rating"] = generator.choice((3, 4, 4, 5, 5, 5))
        else:
            order["closed_at"] = moment
    if status == S.ON_HOLD and reached == S.IN_PROGRESS:
        order["hold_reason"] = "等待配件到货"
        reached = S.ON_HOLD
    order["updated_at"] = moment
    return reached


def _work_orders(bulk, equipment, plans, users):
    generator = bulk.rng("work-orders")
    current = now()
    people = [e.pk for e in _engineers(bulk)]
    by_category = defaultdict(list)
    for piece in equipment:
        if piece.status != EquipmentStatus.RETIRED:
            by_category[piece.category.code].append(piece)
    spaces = list(
        Location.objects.filter(property=bulk.property, kind=LocationKind.SPACE).values_list(
            "pk", flat=True
        )
    )
    hours = settings.FACILITIES_TARGET_HOURS
    orders = []
    for plan, dates in plans:
        for due in dates:
            opened = min(_at(due - timedelta(days=plan.lead_days), 2), current)
            order = {
                "property_id": bulk.property.pk,
                "kind": WorkOrderKind.PREVENTIVE,
                "source": WorkOrderSource.PLAN,
                "plan_id": plan.pk,
                "equipment_id": plan.equipment_id,
                "location_id": plan.equipment.location_id,
                "title": plan.title,
                "priority": Priority.NORMAL,
                "contractor_id": plan.contractor_id,
                "due_on": due,
                "respond_by": opened + timedelta(hours=hours[Priority.NORMAL][0]),
                "resolve_by": _at(due + timedelta(days=1), 0),
                "created_at": opened,
            }
            status = _status(generator, opened, current)
            order["status"] = _steps(order, generator, status, current, people, users)
            orders.append(order)
    faults = [(c, text, p) for c, text, p in FAULTS if by_category.get(c)]
    repairs = max(0, bulk.amount("work_orders") - len(orders))
    for opened in moments(generator, repairs, history_start(current), current):
        category, text, priority = (
            generator.choice(faults) if faults else (None, "公共区域报修", Priority.NORMAL)
        )
        piece = None
        if category and generator.random() < 0.8:
            piece = generator.choice(by_category[category])
        respond, resolve = hours[priority]
        resolve_by = opened + timedelta(hours=resolve)
        source = generator.choice(
            [WorkOrderSource.FAULT_REPORT, WorkOrderSource.FAULT_REPORT, WorkOrderSource.MANUAL]
        )
        order = {
            "property_id": bulk.property.pk,
            "kind": WorkOrderKind.REPAIR,
            "source": source,
            "equipment_id": piece.pk if piece else None,
            "location_id": (piece.location_id if piece else None) or generator.choice(spaces),
            "title": f"{piece.name}：{text}" if piece else text,
            "description": text,
            "priority": priority,
            "reported_by_id": users["facilities"],
            "respond_by": opened + timedelta(hours=respond),
            "resolve_by": resolve_by,
            "due_on": local_day(resolve_by),
            "created_at": opened,
        }
        if source == WorkOrderSource.FAULT_REPORT:
            # As services.report_fault titles it: the fault as facts, worded for each reader.
            order.update(title=text, title_key=GeneratedTitle.FAULT, title_params={"what": text})
        status = _status(generator, opened, current)
        order["status"] = _steps(order, generator, status, current, people, users)
        orders.append(order)
    _number(orders)
    copy_rows(WorkOrder, orders)


def _number(orders):
    """Numbers in the order the orders were opened, reserved from each year's sequence."""
    orders.sort(key=lambda o: o["created_at"])
    by_year = defaultdict(list)
    for order in orders:
        by_year[timezone.localtime(order["created_at"]).year].append(order)
    for year, batch in sorted(by_year.items()):
        for order, number in zip(batch, next_numbers(year, len(batch)), strict=True):
            order["number"] = number


def _rounds(bulk, equipment, users):
    """Daily routes through the plant rooms, with a round a day up to today."""
    generator = bulk.rng("rounds")
    today = timezone.localdate()
    total = bulk.amount("rounds")
    routes_needed = max(1, -(-total // DAYS_OF_ROUNDS))
    people = _engineers(bulk)
    rooms = defaultdict(list)
    for piece in equipment:
        if piece.location_id and piece.status != EquipmentStatus.RETIRED:
            rooms[piece.location_id].append(piece)
    stops = [pieces for _room, pieces in sorted(rooms.items())]
    routes, points, days = [], [], []
    for r in range(routes_needed):
        length = total // routes_needed + (1 if r < total % routes_needed else 0)
        starts_on = today - timedelta(days=length - 1)
        route = InspectionRoute(
            property=bulk.property,
            name=f"设备房日巡检 {r + 1} 号线",
            assignee=generator.choice(people) if people else None,
            unit="days",
            interval=1,
            lead_days=0,
            starts_on=starts_on,
            next_due=today + timedelta(days=1),
        )
        routes.append(route)
        days.append(starts_on)
        chosen = stops[r::routes_needed][:6] if stops else []
        for position, pieces in enumerate(chosen, start=1):
            piece = pieces[0]
            points.append(
                InspectionPoint(
                    route=route,
                    position=position,
                    name=piece.name,
                    equipment=piece,
                    location_id=piece.location_id,
                    instructions="查看运行状态、有无异响、漏水",
                )
            )
    insert(InspectionRoute, routes)
    for point in points:
        point.route_id = point.route.pk
    insert(InspectionPoint, points)
    rounds = []
    walker = users.get("technician")
    for route, starts_on in zip(routes, days, strict=True):
        day = starts_on
        while day <= today:
            walked = day < today and generator.random() > 0.02
            done = _at(day, 9, generator.randint(0, 59)) + timedelta(
                minutes=generator.randint(20, 120)
            )
            rounds.append(
                {
                    "route_id": route.pk,
                    "due_on": day,
                    "status": RoundStatus.DONE if walked else RoundStatus.OPEN,
                    "assignee_id": route.assignee_id,
                    "started_at": done - timedelta(minutes=40) if walked else None,
                    "completed_at": done if walked else None,
                    "completed_by_id": walker if walked else None,
                    "created_at": _at(day, 0),
                    "updated_at": done if walked else _at(day, 0),
                }
            )
            day += timedelta(days=1)
    copy_rows(InspectionRound, rounds)
