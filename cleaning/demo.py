"""cleaning's part of seed_demo: areas and standards for both properties, cleaning teams,
a month of tasks (most done, some missed, today's still to do) and of inspections (some
failed, with their rectifications: closed, open, due tomorrow, overdue and escalated).
The demo login ``cleaner`` is one of JLG's cleaners."""

import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Location, Property, User

from . import services
from .models import (
    AreaKind,
    CleaningArea,
    CleaningStandard,
    CleaningTask,
    InspectionStatus,
    StandardItem,
    TaskStatus,
)

DAYS = 30
K = AreaKind
# kind: (name, unit, times, window hours, pass mark, [(item, points)])
STANDARDS = {
    K.LOBBY: (
        "大堂日常保洁",
        "days",
        "07:30 13:30",
        3,
        85,
        [
            ("地面无垃圾、无水渍、无污迹", 30),
            ("玻璃门窗明亮、无手印", 25),
            ("墙面、踢脚线及装饰物无积尘", 20),
            ("垃圾桶及时清理、无异味", 15),
            ("标识、信报箱等设施擦拭干净", 10),
        ],
    ),
    K.CORRIDOR: (
        "楼道及楼梯间保洁",
        "days",
        "09:00",
        4,
        85,
        [
            ("台阶、地面无垃圾杂物", 40),
            ("扶手、栏杆无积尘", 30),
            ("消防通道畅通、无堆物", 30),
        ],
    ),
    K.ELEVATOR: (
        "电梯轿厢保洁",
        "days",
        "08:00 16:00",
        2,
        85,
        [
            ("轿厢地面干净、无污渍", 40),
            ("轿壁、按钮面板无手印", 40),
            ("轿厢无异味", 20),
        ],
    ),
    K.RESTROOM: (
        "公共卫生间保洁",
        "days",
        "08:00 11:00 15:00",
        2,
        90,
        [
            ("洁具洁净、无黄渍", 35),
            ("地面干燥、无积水", 25),
            ("无异味，通风良好", 20),
            ("纸巾、洗手液补充到位", 20),
        ],
    ),
    K.OUTDOOR: (
        "室外道路及广场保洁",
        "days",
        "07:00",
        4,
        85,
        [
            ("路面无垃圾、烟头", 50),
            ("绿化带内无杂物", 30),
            ("果皮箱清理及时", 20),
        ],
    ),
    K.GARAGE: (
        "车库每周深度保洁",
        "weeks",
        "09:00",
        6,
        85,
        [
            ("地面冲洗、无油污", 50),
            ("排水沟畅通、无淤积", 30),
            ("标识标线清晰、无积尘", 20),
        ],
    ),
    K.GARBAGE_ROOM: (
        "垃圾房清洁消杀",
        "days",
        "06:30 18:30",
        2,
        85,
        [
            ("垃圾桶归位、桶身清洁", 40),
            ("地面冲洗、无渗漏", 30),
            ("消杀到位、无蚊蝇异味", 30),
        ],
    ),
}
# (name, location code, kind, m², team index)
JLG_AREAS = [
    *(
        row
        for b in range(1, 4)
        for row in (
            (f"{b}号楼大堂", f"B0{b}-F01-LOBBY", K.LOBBY, "80", 0),
            (f"{b}号楼楼道及楼梯间", f"B0{b}-F01-HALL", K.CORRIDOR, "150", 0),
            (f"{b}号楼客梯轿厢", f"B0{b}-F01-HALL", K.ELEVATOR, "6", 0),
        )
    ),
    ("地面停车场", "PARKING", K.GARAGE, "1800", 1),
    ("中心花园园路", "GARDEN", K.OUTDOOR, "2400", 1),
    ("南大门广场", "GATE", K.OUTDOOR, "600", 1),
    ("垃圾分类站", "PARKING-WASTE", K.GARBAGE_ROOM, "40", 1),
]
HMC_AREAS = [
    ("A座大堂", "TA-F01-LOBBY", K.LOBBY, "600", 0),
    ("A座客梯轿厢", "TA-F01-LOBBY", K.ELEVATOR, "8", 0),
    *((f"A座{f}F公共卫生间", f"TA-F0{f}-WC", K.RESTROOM, "45", 0) for f in range(1, 5)),
    ("前广场", "PLAZA", K.OUTDOOR, "3000", 0),
    ("车库出入口", "PLAZA-GATE", K.GARAGE, "800", 0),
]
TEAMS = {"JLG": ["保洁一组（楼栋）", "保洁二组（室外）"], "HMC": ["A座保洁组"]}


def seed(*, scale=1, stdout=None):
    today = timezone.localdate()
    for code, areas in (("JLG", JLG_AREAS), ("HMC", HMC_AREAS)):
        property_ = Property.objects.filter(code=code).first()
        if property_ is None or CleaningArea.objects.filter(property=property_).exists():
            continue
        _property(property_, areas, today)
    if stdout:
        stdout.write(
            f"cleaning: {CleaningArea.objects.count()} areas, {CleaningTask.objects.count()} tasks"
        )
    if scale > 1:
        from . import demo_bulk

        demo_bulk.seed(scale, stdout)


def _cleaners(property_):
    from staff.models import Employee

    return list(
        Employee.objects.current()
        .filter(property=property_, position__name="保洁员")
        .order_by("staff_no")
    )


def _teams(property_, cleaners):
    from staff.models import Employee, Post

    supervisor = Employee.objects.filter(staff_no="E0002").first()
    teams = []
    for name in TEAMS[property_.code]:
        team, _created = Post.objects.get_or_create(
            property=property_,
            name=name,
            defaults={
                "supervisor": supervisor
                if supervisor and supervisor.property_id == property_.pk
                else None
            },
        )
        teams.append(team)
    return teams


def _property(property_, areas, today):
    generator = random.Random(f"houqin-demo:cleaning:{property_.code}")
    cleaners = _cleaners(property_)
    teams = _teams(property_, cleaners)
    start = today - timedelta(days=DAYS)
    kinds = {kind for _n, _l, kind, _m, _t in areas}
    for kind in kinds:
        name, unit, times, window, mark, items = STANDARDS[kind]
        standard = CleaningStandard.objects.create(
            property=property_,
            name=name,
            kind=kind,
            unit=unit,
            interval=1,
            lead_days=0,
            times=times,
            window_hours=window,
            starts_on=start,
            next_due=start,
            pass_mark=mark,
            sop=f"{name}：按作业指导书逐项完成，完成后在手机上点“完成”。",
        )
        StandardItem.objects.bulk_create(
            StandardItem(standard=standard, position=i, text=text, kind="score", weight=points)
            for i, (text, points) in enumerate(items, start=1)
        )
    locations = dict(Location.objects.filter(property=property_).values_list("code", "pk"))
    made = []
    for index, (name, code, kind, size, team) in enumerate(areas):
        made.append(
            CleaningArea.objects.create(
                property=property_,
                name=name,
                location_id=locations[code],
                kind=kind,
                size_m2=Decimal(size),
                cleaner=cleaners[index % len(cleaners)] if cleaners else None,
                team=teams[min(team, len(teams) - 1)],
            )
        )
    _cleaner_login(property_, made)
    while services.generate_due_tasks(today):  # a month, caught up 14 days at a time
        pass
    _tick(property_, generator, today)
    _inspections(property_, made, cleaners, generator, today)


def _cleaner_login(property_, areas):
    """The demo login ``cleaner`` is the cleaner of JLG's first area."""
    user = User.objects.filter(username="cleaner").first()
    if user is None or property_.code != "JLG" or not areas or areas[0].cleaner is None:
        return
    employee = areas[0].cleaner
    if employee.user_id is None and not hasattr(user, "employee"):
        # The login and the employee are one person: one name on every page.
        employee.user = user
        employee.name = f"{user.last_name}{user.first_name}"
        employee.save(update_fields=["user", "name"])


def _tick(property_, generator, today):
    """Past tasks: most done within their window, a few missed (two yesterday at least)."""
    now = timezone.now()
    who = User.objects.filter(username="cleaner").first()
    done = []
    tasks = CleaningTask.objects.filter(area__property=property_, window_end__lt=now).order_by("pk")
    yesterday = today - timedelta(days=1)
    missed_yesterday = 0
    for task in tasks:
        if task.due_on == yesterday and missed_yesterday < 2 and generator.random() < 0.3:
            missed_yesterday += 1
            continue
        if generator.random() < 0.06:
            continue
        span = (task.window_end - task.window_start).total_seconds()
        task.status = TaskStatus.DONE
        task.completed_at = task.window_start + timedelta(
            seconds=span * generator.uniform(0.2, 0.9)
        )
        task.completed_by = who
        done.append(task)
    CleaningTask.objects.bulk_update(done, ["status", "completed_at", "completed_by"], 1000)


def _photo():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (180, 170, 150)).save(buffer, "JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _inspectors(area, cleaners):
    from staff.models import Employee

    supervisor = Employee.objects.filter(staff_no="E0002", property=area.property_id).first()
    if supervisor is not None:
        return supervisor
    return next((c for c in cleaners if c.pk != area.cleaner_id), None)


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _inspect(area, inspector, when, points_lost, by, generator, reinspects=None):
    inspection = services.start_inspection(
        area=area, inspector=inspector, inspected_at=when, by=by, reinspects=reinspects
    )
    answers = list(inspection.answers.all())
    scores, details = {}, {}
    for index, answer in enumerate(answers):
        lost = points_lost if index == 0 else 0
        scores[answer.pk] = {"score": max(0, answer.weight - lost)}
        if lost:
            needs = "repair" if area.kind == K.RESTROOM and generator.random() < 0.5 else "rectify"
            details[answer.pk] = {"note": "现场检查不达标", "needs": needs, "photo": _photo()}
    services.record_scores(inspection, scores, details, by=by)
    return services.submit_inspection(inspection, by=by, now=when + timedelta(minutes=20))


def _inspections(property_, areas, cleaners, generator, today):
    """About one inspection a week per area; a failed one's rectification is done and
    closed by a passing re-inspection, except the latest few (open, due, overdue and one
    escalated after a failed re-inspection)."""
    by = (
        User.objects.filter(username="cleaning").first()
        or User.objects.filter(username="director").first()
    )
    now = timezone.now()
    for index, area in enumerate(areas):
        inspector = _inspectors(area, cleaners)
        if inspector is None:
            continue
        for week in range(4):
            day = today - timedelta(days=DAYS - 2 - week * 7 - index % 5)
            if day >= today:
                continue
            when = _at(day, 10 + index % 6, 15)
            lost = generator.choice([0, 0, 0, 2, 5, 20])
            inspection = _inspect(area, inspector, when, lost, by, generator)
            if inspection.status != InspectionStatus.FAILED:
                continue
            rectification = inspection.rectification
            recent = now - when < timedelta(days=3)
            if recent:
                continue  # still open (due tomorrow or overdue)
            services.mark_done(
                rectification, by=by, note="已按要求重新清洁", now=when + timedelta(hours=6)
            )
            again = when + timedelta(hours=20)
            if index % 7 == 3 and week == 2:
                # The re-inspection fails too: escalated to the director, still open.
                _inspect(area, inspector, again, 20, by, generator, reinspects=rectification)
                continue
            _inspect(area, inspector, again, 0, by, generator, reinspects=rectification)
    # One failed this morning: its rectification is due tomorrow.
    first = areas[0]
    inspector = _inspectors(first, cleaners)
    if inspector is not None:
        _inspect(first, inspector, now - timedelta(hours=1), 20, by, generator)
