"""facilities' maintenance demo: plans from the seeded templates, a year of preventive and
repair history (so the figures have data), and today's work: orders due and overdue, faults
in progress, on hold, waiting for verification, and one long overdue for the director."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Location, User

from . import services
from .models import (
    DONE_STATUSES,
    ChecklistKind,
    ChecklistResult,
    Downtime,
    DowntimeReason,
    Equipment,
    EquipmentStatus,
    EventKind,
    GeneratedTitle,
    InspectionRound,
    MaintenancePlan,
    PlanTemplate,
    Priority,
    ScheduleMode,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderKind,
    WorkOrderSource,
    WorkOrderStatus,
)

# template code → which equipment it applies to (category, asset code prefixes or None)
PLANS = [
    ("elevator-half-monthly", "elevator", None),
    ("fire-monthly", "fire", ("BJ", "XB", "PL")),
    ("water-tank-cleaning", "water", ("SX",)),
    ("power-cabinet-half-yearly", "power", ("PD", "GD")),
    ("chiller-quarterly", "hvac", ("LJ",)),
]
FAULTS = [
    ("elevator", "轿厢运行中有异响，门关闭不到位", Priority.HIGH),
    ("elevator", "电梯困人，已安抚乘客", Priority.URGENT),
    ("water", "水泵出口压力偏低，高层水压不足", Priority.HIGH),
    ("water", "水泵机械密封漏水", Priority.NORMAL),
    ("power", "配电柜断路器跳闸", Priority.URGENT),
    ("hvac", "空调机组送风温度偏高", Priority.NORMAL),
    ("lighting", "应急照明不亮", Priority.NORMAL),
    ("weak_current", "道闸抬杆不灵敏", Priority.LOW),
    ("fire", "消防泵控制柜故障灯亮", Priority.HIGH),
]
REPAIRS_PER_YEAR = 48


@transaction.atomic
def seed(today, stdout=None):
    if not Equipment.objects.exists():
        return
    rng = random.Random(20261124)
    director = User.objects.filter(username="director").first()
    facilities = User.objects.filter(username="facilities").first() or director
    technician = User.objects.filter(username="technician").first()
    if not MaintenancePlan.objects.exists():
        _templates()
        _plans(today, director)
        _history(today, rng, facilities, director)
        services.generate_due_work_orders(today)
        _repairs(today, rng, facilities, director, technician)
        _today(today, facilities, technician)
    rounds(today, facilities, technician)
    if stdout:
        stdout.write(
            f"facilities: {MaintenancePlan.objects.count()} plans, "
            f"{WorkOrder.objects.count()} work orders, "
            f"{InspectionRound.objects.count()} inspection rounds"
        )


def _templates():
    """The seeded templates (a flushed test database has lost what the migration wrote):
    the data migration's own function, run on the live models."""
    from importlib import import_module

    from django.apps import apps

    import_module("facilities.migrations.0004_plan_templates").seed(apps, None)


def _plans(today, by):
    from staff.models import Employee

    templates = {t.code: t for t in PlanTemplate.objects.all()}
    electricians = {
        employee.property_id: employee
        for employee in Employee.objects.current()
        .filter(department__name="工程部", position__name="电工")
        .order_by("-pk")
    }
    technician = Employee.objects.filter(user__username="technician").first()
    if technician is not None:
        electricians[technician.property_id] = technician
    year_ago = today - relativedelta(years=1)
    for code, category, prefixes in PLANS:
        template = templates.get(code)
        if template is None:
            continue
        equipment = Equipment.objects.filter(category__code=category).order_by("pk")
        if prefixes:
            prefix_filter = Q()
            for prefix in prefixes:
                prefix_filter |= Q(asset_code__startswith=f"{prefix}-")
            equipment = equipment.filter(prefix_filter)
        for n, item in enumerate(equipment):
            # Spread the anchors so that some plans fall due today, some soon, some overdue.
            starts_on = year_ago + timedelta(days=n % 15 if template.unit == "days" else n * 3)
            plan = services.plan_from_template(
                template,
                item,
                starts_on=starts_on,
                by=by,
                assignee=None if item.contractor_id else electricians.get(item.property_id),
                contractor=item.contractor,
            )
            MaintenancePlan.objects.filter(pk=plan.pk).update(created_at=_at(starts_on, 9))


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _answer(result, rng, fail):
    result.passed = not fail
    if result.kind == ChecklistKind.CHECK:
        result.checked_ok = not fail
    elif result.kind == ChecklistKind.NUMBER:
        low = result.minimum if result.minimum is not None else Decimal(0)
        high = result.maximum if result.maximum is not None else low + 10
        if fail:
            result.number = high + 1 if result.maximum is not None else low - 1
        else:
            result.number = (low + (high - low) * Decimal(rng.randint(20, 80)) / 100).quantize(
                Decimal("0.001")
            )
    elif result.kind == ChecklistKind.TEXT:
        result.answer = "正常"
    else:
        result.passed = True  # a photo is not written in the demo; the step counts as done
        result.answer = "照片已存档"


def _history(today, rng, verifier, director):
    """A year of preventive orders, written in bulk: mostly done on time, some late, a few
    with a failed step, verified and (after a month) closed. The latest occurrence of every
    fourth plan is left for the generator: it is opened overdue."""
    from .services.work_orders import next_numbers

    recent = today - timedelta(days=2)
    plans = list(MaintenancePlan.objects.select_related("equipment").prefetch_related("items"))
    orders, answers = [], []
    for plan in plans:
        due, k = plan.starts_on, 0
        occurrences = []
        while due < recent:
            occurrences.append(due)
            k += 1
            due = plan.occurrence(plan.starts_on, k)
        if plan.pk % 4 == 0 and occurrences and occurrences[-1] >= today - timedelta(days=9):
            occurrences.pop()  # left open: the generator opens it, overdue
        last_done = None
        for due in occurrences:
            late = rng.random() < 0.08
            day = due + timedelta(days=rng.randint(1, 5) if late else -rng.randint(0, 2))
            day = min(day, today - timedelta(days=1))
            if plan.mode == ScheduleMode.FLOATING and last_done and due <= last_done:
                continue
            opened = _at(due - timedelta(days=plan.lead_days), 5)
            started = _at(day, 9, rng.randint(0, 59))
            completed = started + timedelta(minutes=rng.randint(45, 180))
            verified = completed + timedelta(hours=rng.randint(2, 30))
            closed = verified < timezone.now() - timedelta(days=30)
            order = WorkOrder(
                property_id=plan.equipment.property_id,
                equipment=plan.equipment,
                location_id=plan.equipment.location_id,
                kind=WorkOrderKind.PREVENTIVE,
                source=WorkOrderSource.PLAN,
                plan=plan,
                title=plan.title,
                priority=Priority.NORMAL,
                status=WorkOrderStatus.CLOSED if closed else WorkOrderStatus.VERIFIED,
                assignee_id=plan.assignee_id,
                contractor_id=plan.contractor_id,
                due_on=due,
                resolve_by=_at(due + timedelta(days=1), 0),
                assigned_at=opened,
                started_at=started,
                completed_at=completed,
                completed_by=director if plan.contractor_id else None,
                verified_at=verified,
                verified_by=verifier,
                closed_at=verified + timedelta(days=1) if closed else None,
                resolution="按计划完成保养，设备运行正常。",
                labour_hours=Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0"])),
                external_cost=Decimal(rng.choice(["300.00", "350.00", "420.00"]))
                if plan.contractor_id
                else Decimal(0),
                rating=rng.choice([4, 5, 5, 5, 3]),
            )
            orders.append(order)
            answers.append((order, list(plan.items.all())))
            last_done = day
        if plan.mode == ScheduleMode.FLOATING and last_done:
            plan.next_due = max(plan.occurrence(last_done, 1), plan.starts_on)
        else:
            plan.next_due = plan.first_on_or_after(
                plan.starts_on,
                occurrences[-1] + timedelta(days=1) if occurrences else plan.starts_on,
            )
    by_year = {}
    for order in orders:
        by_year.setdefault(order.assigned_at.year, []).append(order)
    for year, group in sorted(by_year.items()):
        for order, number in zip(group, next_numbers(year, len(group)), strict=True):
            order.number = number
    WorkOrder.objects.bulk_create(orders, batch_size=500)
    # created_at is set on insert: put it where it happened.
    for order in orders:
        order.created_at = order.assigned_at
    WorkOrder.objects.bulk_update(orders, ["created_at"], batch_size=500)
    MaintenancePlan.objects.bulk_update(plans, ["next_due"])
    results, events = [], []
    for order, items in answers:
        for item in items:
            result = ChecklistResult(
                work_order=order,
                position=item.position,
                text=item.text,
                kind=item.kind,
                minimum=item.minimum,
                maximum=item.maximum,
                unit=item.unit,
                recorded_at=order.completed_at,
            )
            _answer(result, rng, fail=rng.random() < 0.01)
            results.append(result)
        steps = [
            (order.assigned_at, None, "", WorkOrderStatus.ASSIGNED, EventKind.CREATED),
            (order.started_at, None, WorkOrderStatus.ASSIGNED, WorkOrderStatus.IN_PROGRESS, None),
            (
                order.completed_at,
                None,
                WorkOrderStatus.IN_PROGRESS,
                WorkOrderStatus.COMPLETED,
                None,
            ),
            (
                order.verified_at,
                verifier,
                WorkOrderStatus.COMPLETED,
                WorkOrderStatus.VERIFIED,
                None,
            ),
        ]
        events += [
            WorkOrderEvent(
                work_order=order,
                at=at,
                by=by,
                kind=kind or EventKind.STATUS,
                status_from=before,
                status_to=after,
            )
            for at, by, before, after, kind in steps
        ]
    ChecklistResult.objects.bulk_create(results, batch_size=1000)
    WorkOrderEvent.objects.bulk_create(events, batch_size=1000)


def _repairs(today, rng, verifier, director, technician):
    """A year of faults: reported, answered, repaired (some late, some sent back once), with
    the equipment's downtime while it was broken."""
    equipment_by_category = {}
    for item in Equipment.objects.exclude(status=EquipmentStatus.RETIRED).select_related(
        "category", "property", "location"
    ):
        equipment_by_category.setdefault(item.category.code, []).append(item)
    start = today - relativedelta(years=1)
    downtimes = []
    for n in range(REPAIRS_PER_YEAR):
        category, text, priority = FAULTS[n % len(FAULTS)]
        candidates = equipment_by_category.get(category)
        if not candidates:
            continue
        item = candidates[rng.randrange(len(candidates))]
        day = start + timedelta(days=rng.randint(0, 350))
        opened = _at(day, rng.randint(7, 20), rng.randint(0, 59))
        order = services.open_work_order(
            title=text,
            title_key=GeneratedTitle.FAULT,
            title_params={"what": text},
            description=text,
            by=technician,
            equipment=item,
            kind=WorkOrderKind.REPAIR,
            source=WorkOrderSource.FAULT_REPORT,
            priority=priority,
            reported_by=technician,
            opened_at=opened,
        )
        respond, resolve = order.respond_by - opened, order.resolve_by - opened
        late = n % 7 == 3  # one repair in seven misses its target
        order.started_at = opened + respond * rng.uniform(0.2, 0.9)
        order.completed_at = opened + resolve * (
            rng.uniform(1.1, 2.0) if late else rng.uniform(0.2, 0.9)
        )
        order.assigned_at = opened + respond * 0.1
        order.labour_hours = Decimal(rng.choice(["1.0", "2.0", "2.5", "4.0", "6.0"]))
        order.external_cost = Decimal(rng.choice(["0", "0", "0", "280.00", "650.00", "1200.00"]))
        order.resolution = "更换故障部件，试运行正常。"
        order.rework_count = 1 if n % 10 == 5 else 0
        order.rating = 3 if order.rework_count else rng.choice([4, 5])
        order.verified_at = order.completed_at + timedelta(hours=rng.randint(1, 24))
        order.verified_by = verifier
        order.completed_by = director
        order.status = WorkOrderStatus.CLOSED
        order.closed_at = order.verified_at + timedelta(days=1)
        order.save()
        if rng.random() < 0.5:
            downtimes.append(
                Downtime(
                    equipment=item,
                    work_order=order,
                    reason=DowntimeReason.FAILURE,
                    started_at=opened,
                    ended_at=order.completed_at,
                    note=text,
                )
            )
    # Planned stops for the half-yearly power maintenance.
    for order in WorkOrder.objects.filter(
        plan__template__code="power-cabinet-half-yearly", status__in=DONE_STATUSES
    ).select_related("equipment"):
        downtimes.append(
            Downtime(
                equipment=order.equipment,
                work_order=order,
                reason=DowntimeReason.PLANNED,
                started_at=order.started_at,
                ended_at=order.completed_at,
                note="计划停电保养",
            )
        )
    Downtime.objects.bulk_create(downtimes)


def _today(today, supervisor, technician):
    """What is going on today, for the technician's list and the reminders."""
    from staff.models import Employee

    employee = Employee.objects.filter(user=technician).first() if technician else None
    now = timezone.now()
    jlg_lifts = list(
        Equipment.objects.filter(property__code="JLG", category__code="elevator").order_by("pk")
    )
    pumps = list(Equipment.objects.filter(property__code="JLG", asset_code__startswith="SB-"))
    if not jlg_lifts or not pumps:
        return
    # A pump broke this morning: reported from its QR label, assigned, out of service.
    pump = services.report_fault(
        by=technician,
        description="二次供水泵出口压力降到 0.2MPa，高区停水",
        equipment=pumps[0],
        priority=Priority.HIGH,
        out_of_service=True,
        contact="3 号楼物业前台 8001",
    )
    if employee is not None:
        services.assign(pump, assignee=employee, by=supervisor)
        services.start(pump, by=technician)
    # A lift repair waiting for a part.
    lift = services.open_work_order(
        title="轿门门刀变形，需更换",
        title_key=GeneratedTitle.FAULT,
        title_params={"what": "轿门门刀变形，需更换"},
        by=supervisor,
        equipment=jlg_lifts[-1],
        priority=Priority.NORMAL,
        source=WorkOrderSource.FAULT_REPORT,
        assignee=employee,
        opened_at=now - timedelta(days=2),
    )
    if employee is not None:
        services.start(lift, by=technician)
        services.hold(lift, reason="等待门刀备件到货（已请购）", by=technician)
    # Reported from the lobby, nobody has taken it yet.
    lobby = Location.objects.filter(property__code="JLG").order_by("pk").first()
    if lobby is not None:
        services.open_work_order(
            title="大堂天花渗水",
            title_key=GeneratedTitle.FAULT,
            title_params={"what": "大堂天花渗水"},
            by=supervisor,
            location=lobby,
            priority=Priority.NORMAL,
            source=WorkOrderSource.FAULT_REPORT,
            description="大堂东侧天花板有水渍，疑似上层管道渗漏",
        )
    # Done yesterday, waiting for the supervisor's verification.
    lights = Equipment.objects.filter(property__code="JLG", category__code="lighting").first()
    if lights is not None and employee is not None:
        done = services.open_work_order(
            title="应急照明配电箱指示灯不亮",
            title_key=GeneratedTitle.FAULT,
            title_params={"what": "应急照明配电箱指示灯不亮"},
            by=supervisor,
            equipment=lights,
            assignee=employee,
            opened_at=now - timedelta(days=1),
        )
        services.start(done, by=technician)
        services.complete(
            done, resolution="更换指示灯及保险丝，测试正常。", labour_hours="1.5", by=technician
        )
    # A repair long past its target: it goes up to the director.
    gate = Equipment.objects.filter(property__code="JLG", asset_code__startswith="DZ-").first()
    if gate is not None:
        services.open_work_order(
            title="车辆道闸地感线圈损坏",
            title_key=GeneratedTitle.FAULT,
            title_params={"what": "车辆道闸地感线圈损坏"},
            by=supervisor,
            equipment=gate,
            priority=Priority.NORMAL,
            source=WorkOrderSource.FAULT_REPORT,
            opened_at=now - timedelta(days=12),
        )


ROUTES = [
    (
        "JLG",
        "B01 水泵房、配电房日巡",
        [
            (
                "SB-B01-01",
                "变频泵 1#",
                [("出口压力", "0.35", "0.60", "MPa"), ("运行无异响", None, None, "")],
            ),
            ("SX-B01-01", "生活水箱", [("水位", "1.2", "2.8", "m")]),
            (
                "PD-B01-01",
                "低压配电柜 1#",
                [("母排温度", None, "70", "℃"), ("进线电压", "370", "420", "V")],
            ),
        ],
    ),
    (
        "HMC",
        "B2 冷冻机房日巡",
        [
            (
                "LJ-TA-01",
                "冷水机组 1#",
                [("冷冻水出水温度", "6", "9", "℃"), ("冷凝压力", None, "1100", "kPa")],
            ),
            ("LB-TA-01", "冷冻水泵 1#", [("出口压力", "0.30", "0.60", "MPa")]),
            ("XB-TA-01", "消防泵 1#", [("管网压力", "0.30", "0.80", "MPa")]),
            ("BY-TA-01", "干式变压器 1#", [("绕组温度", None, "110", "℃")]),
        ],
    ),
]
ROUND_HISTORY_DAYS = 30


def rounds(today, facilities, technician):
    """Two daily routes with a month of rounds: walked, two missed, a few readings out of
    range (one already turned into a work order), and today's to walk."""
    from staff.models import Employee

    from .models import InspectionCheck, InspectionPoint, InspectionRoute, Reading

    if InspectionRoute.objects.exists():
        return
    start = today - timedelta(days=ROUND_HISTORY_DAYS)
    rng = random.Random(7)
    for code, name, points in ROUTES:
        property_id = (
            Equipment.objects.filter(property__code=code)
            .values_list("property_id", flat=True)
            .first()
        )
        if property_id is None:
            continue
        assignee = (
            Employee.objects.filter(user=technician, property_id=property_id).first()
            or Employee.objects.current()
            .filter(property_id=property_id, department__name="工程部")
            .order_by("-pk")
            .first()
        )
        route = InspectionRoute.objects.create(
            property_id=property_id,
            name=name,
            unit="days",
            interval=1,
            starts_on=start,
            next_due=start,
            assignee=assignee,
        )
        for position, (asset, label, checks) in enumerate(points, 1):
            equipment = Equipment.objects.filter(property_id=property_id, asset_code=asset).first()
            point = InspectionPoint.objects.create(
                route=route, position=position, name=label, equipment=equipment
            )
            InspectionCheck.objects.bulk_create(
                InspectionCheck(
                    point=point,
                    position=n,
                    text=text,
                    kind="number" if unit else "check",
                    minimum=low,
                    maximum=high,
                    unit=unit,
                )
                for n, (text, low, high, unit) in enumerate(checks, 1)
            )
    services.generate_due_rounds(today)
    past = list(InspectionRound.objects.filter(due_on__lt=today).select_related("route"))
    done, readings = [], []
    routes = sorted({r.route_id for r in past})
    for round_ in past:
        days_ago = (today - round_.due_on).days
        if (round_.route_id == routes[0] and days_ago == 10) or (
            round_.route_id == routes[-1] and days_ago == 1
        ):
            continue  # not walked: shows as missed
        round_.status = "done"
        round_.started_at = _at(round_.due_on, 8, rng.randint(0, 30))
        round_.completed_at = round_.started_at + timedelta(minutes=rng.randint(20, 50))
        round_.completed_by = facilities if round_.assignee_id is None else None
        done.append(round_)
    InspectionRound.objects.bulk_update(
        done, ["status", "started_at", "completed_at", "completed_by"], batch_size=500
    )
    by_round = {r.pk: r for r in done}
    flagged = []
    for reading in Reading.objects.filter(round__in=done).select_related("round", "point"):
        round_ = by_round[reading.round_id]
        reading.recorded_at = round_.completed_at
        days_ago = (today - round_.due_on).days
        out = (
            reading.kind == "number"
            and days_ago in (3, 1)
            and reading.position == 1
            and (reading.point.position == 1)
        )
        if reading.kind == "check":
            reading.checked_ok, reading.passed = True, True
        else:
            low = reading.minimum if reading.minimum is not None else reading.maximum / 2
            high = reading.maximum if reading.maximum is not None else reading.minimum * 2
            value = low + (high - low) * Decimal(rng.randint(25, 75)) / 100
            if out:
                value = (
                    (reading.minimum * Decimal("0.8")) if reading.minimum else high * Decimal("1.1")
                )
            reading.number = value.quantize(Decimal("0.001"))
            reading.passed = not out
            if out:
                flagged.append(reading)
        readings.append(reading)
    Reading.objects.bulk_update(
        readings, ["recorded_at", "checked_ok", "number", "passed"], batch_size=500
    )
    # The older out-of-range reading already has its work order; the latest waits.
    flagged.sort(key=lambda r: r.round.due_on)
    if flagged:
        services.open_work_order_from_reading(flagged[0], by=facilities)
