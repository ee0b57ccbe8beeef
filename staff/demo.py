"""staff's part of seed_demo: departments, positions, ~40 employees, certificates, notes.

Dates are relative to the day it runs, so the reminders always have something to say:
certificates expiring in 5, 25 and 85 days, one expired without replacement, probation ending
within two weeks. Idempotent: people by staff number, certificates by holder and type.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.models import Property, User

from .models import (
    Application,
    AppraisalCycle,
    Candidate,
    CandidateSource,
    Certificate,
    CertificateType,
    Course,
    CourseCategory,
    CycleKind,
    Department,
    Employee,
    EmployeeNote,
    EmployeeStatus,
    Interview,
    InterviewCriterion,
    JobOpening,
    KPICriterion,
    KPITemplate,
    NoteKind,
    PlannedCourse,
    Position,
    Post,
    Recommendation,
    RotationPattern,
    ShiftType,
    Stage,
    TrainingPlan,
    TrainingSession,
)

DEPARTMENTS = {
    "工程部": "设备设施运行与维修",
    "保洁部": "公共区域清洁、垃圾清运与绿化",
    "安保部": "门岗、巡逻、消防控制室与车辆管理",
    "仓储采购部": "物资采购、收货与库存",
    "综合办公室": "人事、行政与文书",
}
# position: department, required certificate types
POSITIONS = {
    "工程主管": ("工程部", ["电工特种作业操作证"]),
    "电工": ("工程部", ["电工特种作业操作证", "高处作业证"]),
    "电梯管理员": ("工程部", ["电梯安全管理员"]),
    "焊工": ("工程部", ["焊工证", "高处作业证"]),
    "保洁主管": ("保洁部", ["健康证"]),
    "保洁员": ("保洁部", ["健康证"]),
    "绿化工": ("保洁部", []),
    "安保主管": ("安保部", ["保安员证", "消防设施操作员"]),
    "保安员": ("安保部", ["保安员证"]),
    "消防控制室值班员": ("安保部", ["消防设施操作员"]),
    "仓管员": ("仓储采购部", []),
    "司机": ("综合办公室", ["机动车驾驶证"]),
    "人事专员": ("综合办公室", []),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
]
# (position, property code, count) for the rank and file; supervisors are added below.
TEAM = [
    ("电工", "JLG", 4),
    ("电梯管理员", "JLG", 1),
    ("焊工", "JLG", 1),
    ("保洁员", "JLG", 6),
    ("绿化工", "JLG", 2),
    ("保安员", "JLG", 6),
    ("消防控制室值班员", "JLG", 1),
    ("电工", "HMC", 3),
    ("电梯管理员", "HMC", 1),
    ("保洁员", "HMC", 4),
    ("保安员", "HMC", 4),
    ("消防控制室值班员", "HMC", 2),
    ("仓管员", "JLG", 1),
    ("司机", "HMC", 1),
]
# Supervisors, each linked to a demo login: staff number, login, position, property.
SUPERVISORS = [
    ("E0001", "facilities", "工程主管", "JLG"),
    ("E0002", "cleaning", "保洁主管", "JLG"),
    ("E0003", "security", "安保主管", "JLG"),
    ("E0004", "hr", "人事专员", "JLG"),
    ("E0005", "technician", "电工", "JLG"),
    ("E0006", "guard", "保安员", "HMC"),
    ("E0007", "stores", "仓管员", "JLG"),
]
SUPERVISED_BY = {"工程部": "E0001", "保洁部": "E0002", "安保部": "E0003"}


def _id_number(seed):
    """A valid-looking 18-character resident ID number (correct check character)."""
    from .validators import ID_CHECK_CHARS, ID_WEIGHTS

    body = f"310115{1975 + seed % 25:04d}{1 + seed % 12:02d}{1 + seed % 28:02d}{seed % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


def _defaults_from_migrations():
    """The certificate types and interview criteria every install starts with (data
    migrations); a flushed database (tests) no longer has them, so put them back."""
    from importlib import import_module

    for name, issuer in import_module("staff.migrations.0002_certificate_types").COMMON_TYPES:
        CertificateType.objects.get_or_create(name=name, defaults={"issuing_authority": issuer})
    criteria = import_module("staff.migrations.0003_interview_criteria").CRITERIA
    for order, name in enumerate(criteria, start=1):
        InterviewCriterion.objects.get_or_create(name=name, defaults={"order": order})


def _reference():
    _defaults_from_migrations()
    departments = {
        name: Department.objects.get_or_create(name=name, defaults={"description": text})[0]
        for name, text in DEPARTMENTS.items()
    }
    types = {t.name: t for t in CertificateType.objects.all()}
    positions = {}
    for name, (department, required) in POSITIONS.items():
        position, created = Position.objects.get_or_create(
            name=name, defaults={"department": departments[department]}
        )
        if created:
            position.required_certificate_types.set([types[t] for t in required if t in types])
        positions[name] = position
    return positions


def _employee(staff_no, name, position, property_, hire, **extra):
    employee = Employee.objects.filter(staff_no=staff_no).first()
    if employee is not None:
        return employee
    return Employee.objects.create(
        staff_no=staff_no,
        name=name,
        position=position,
        department=position.department,
        property=property_,
        hire_date=hire,
        phone=f"139{int(staff_no[1:]):08d}",
        id_number=_id_number(int(staff_no[1:])),
        emergency_contact="家属",
        emergency_phone=f"138{int(staff_no[1:]):08d}",
        **extra,
    )


def _certify(employee, type_, issued, expires, review=None):
    if not Certificate.objects.filter(employee=employee, type=type_).exists():
        Certificate.objects.create(
            employee=employee,
            type=type_,
            issued_on=issued,
            expires_on=expires,
            next_review_on=review,
            number=f"{type_.pk:02d}{employee.staff_no}",
            issuer=type_.issuing_authority,
        )


def seed(*, scale=1, stdout=None):
    today = timezone.localdate()
    positions = _reference()
    properties = {p.code: p for p in Property.objects.all()}
    supervisors = {}
    for index, (staff_no, username, position, code) in enumerate(SUPERVISORS):
        user = User.objects.get(username=username)
        supervisors[staff_no] = _employee(
            staff_no,
            f"{user.last_name}{user.first_name}",
            positions[position],
            properties[code],
            today - timedelta(days=900 + 100 * index),
            status=EmployeeStatus.ACTIVE,
            user=user,
        )
    for staff_no, boss in (("E0005", "E0001"), ("E0006", "E0003"), ("E0007", "E0004")):
        Employee.objects.filter(staff_no=staff_no, supervisor__isnull=True).update(
            supervisor=supervisors[boss]
        )
    number = 100
    for position_name, code, count in TEAM:
        position = positions[position_name]
        for _i in range(count):  # the same at every scale; demo_bulk adds the volume
            number += 1
            probation = number % 9 == 0
            hire = today - timedelta(days=80 if probation else 200 + number * 13 % 1500)
            boss = supervisors.get(SUPERVISED_BY.get(position.department.name, ""))
            _employee(
                f"E{number:04d}",
                SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)],
                position,
                properties[code],
                hire,
                supervisor=boss,
                status=EmployeeStatus.PROBATION if probation else EmployeeStatus.ACTIVE,
                probation_end=hire + timedelta(days=90) if probation else None,
            )
    _certificates(today)
    _notes(today)
    _recruitment(today, properties)
    _training(today, properties)
    _appraisals(today, properties)
    _rosters(today, properties)
    if scale > 1:
        from . import demo_bulk

        demo_bulk.seed(scale, stdout)
    if stdout:
        stdout.write(
            f"staff: {Employee.objects.count()} employees, "
            f"{Certificate.objects.count()} certificates"
        )


def _certificates(today):
    """Every required certificate, most valid for years; a few expiring, one expired, and
    every seventh person missing one."""
    employees = (
        Employee.objects.select_related("position")
        .prefetch_related("position__required_certificate_types")
        .filter(property__code__in=("JLG", "HMC"))  # demo_bulk certifies the bulk properties
        .order_by("staff_no")
    )
    expired_one = False
    for index, employee in enumerate(employees):
        for type_ in employee.position.required_certificate_types.all():
            if index % 7 == 6:
                continue  # missing: shows on the employee list
            if index >= 3 and not expired_one:
                expired_one = True
                expires = today - timedelta(days=12)  # expired, no replacement
            elif index % 10 == 4:
                expires = today + timedelta(days=(5, 25, 85)[index % 3])
            else:
                expires = today + timedelta(days=400 + index * 37 % 900)
            issued = min(expires - timedelta(days=365 * 3), today - timedelta(days=30))
            review = today + timedelta(days=30) if index % 11 == 5 else None
            _certify(employee, type_, issued, expires, review)


def _notes(today):
    hr = User.objects.get(username="hr")
    for staff_no, kind, summary in [
        ("E0101", NoteKind.COMMENDATION, "暴雨夜及时排除地下车库积水，业主来信表扬"),
        ("E0108", NoteKind.COMMENDATION, "消防演练表现突出"),
        ("E0112", NoteKind.DISCIPLINARY, "夜班脱岗 40 分钟，口头警告"),
    ]:
        employee = Employee.objects.filter(staff_no=staff_no).first()
        if employee and not employee.notes.filter(summary=summary).exists():
            EmployeeNote.objects.create(
                employee=employee,
                kind=kind,
                summary=summary,
                date=today - timedelta(days=20),
                recorded_by=hr,
            )


# name, phone, source, the stage to bring them to
CANDIDATES = [
    ("韩宇", "13700000001", CandidateSource.JOB_BOARD, Stage.APPLIED),
    ("冯晓东", "13700000002", CandidateSource.REFERRAL, Stage.SCREENING),
    ("曹文斌", "13700000003", CandidateSource.WALK_IN, Stage.INTERVIEW),
    ("彭海", "13700000004", CandidateSource.AGENCY, Stage.OFFER),
    ("袁立新", "13700000005", CandidateSource.JOB_BOARD, Stage.REJECTED),
    ("邓国庆", "13700000006", CandidateSource.REFERRAL, Stage.HIRED),
]


_TO_OFFER = [Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER]
STEPS = {  # the pipeline moves that bring a candidate to each stage
    Stage.APPLIED: [],
    Stage.SCREENING: _TO_OFFER[:1],
    Stage.INTERVIEW: _TO_OFFER[:2],
    Stage.OFFER: _TO_OFFER,
    Stage.REJECTED: _TO_OFFER[:1],  # then rejected, with a reason
    Stage.HIRED: _TO_OFFER,  # then hired
}


def _recruitment(today, properties):
    """An opening for two guards at JLG with candidates at every stage, through the services
    (as the pages would do it); one hired, with half of the onboarding done."""
    from . import services

    hr = User.objects.get(username="hr")
    opening, created = JobOpening.objects.get_or_create(
        property=properties["JLG"],
        position=Position.objects.get(name="保安员"),
        reason="南门岗新增夜班岗位",
        defaults={"headcount": 2, "opened_on": today - timedelta(days=21)},
    )
    if not created:
        return
    security_chief = Employee.objects.get(staff_no="E0003")
    for name, phone, source, target in CANDIDATES:
        candidate = Candidate.objects.create(name=name, phone=phone, source=source)
        application = Application.objects.create(opening=opening, candidate=candidate)
        for stage in STEPS[target]:
            services.move_application(application, stage, by=hr)
            if stage == Stage.INTERVIEW:
                interview = Interview(
                    application=application,
                    place="管理处会议室",
                    scheduled_at=timezone.now() - timedelta(days=5),
                    recommendation=Recommendation.HIRE,
                )
                scores = {c: 3 + (c.pk % 3) for c in InterviewCriterion.objects.all()}
                services.record_interview(
                    interview, by=hr, scores=scores, interviewers=[security_chief]
                )
        if target == Stage.REJECTED:
            services.move_application(application, Stage.REJECTED, by=hr, reason="夜班作息无法适应")
        if target == Stage.HIRED:
            employee = services.hire(
                application,
                by=hr,
                staff_no="E0900",
                hire_date=today - timedelta(days=3),
                probation_end=today + timedelta(days=87),
                supervisor=security_chief,
            )
            for item in employee.onboarding.order_by("task")[:2]:
                services.tick_onboarding(item, by=hr)


# title, category, hours, validity (months), positions that require it
COURSES = [
    ("消防安全知识与灭火器使用", CourseCategory.FIRE, "4", 12, ["保安员", "消防控制室值班员"]),
    ("电梯困人应急救援", CourseCategory.SAFETY, "4", 12, ["电梯管理员"]),
    ("有限空间作业安全", CourseCategory.SAFETY, "3", 12, ["电工", "焊工"]),
    ("物业服务礼仪", CourseCategory.ETIQUETTE, "2", None, ["保洁员", "保安员"]),
    ("保安员岗位技能", CourseCategory.SKILLS, "8", 24, ["保安员"]),
    ("物业管理条例解读", CourseCategory.REGULATIONS, "2", None, []),
]


def _training(today, properties):
    """Courses; a fire-safety session eleven months ago whose passes run out soon (refreshers
    due); a session tomorrow with people who have logins; this year's plan for JLG."""
    from . import services

    hr = User.objects.get(username="hr")
    courses = {}
    for title, category, hours, validity, positions in COURSES:
        course, created = Course.objects.get_or_create(
            title=title,
            defaults={"category": category, "hours": hours, "validity_months": validity},
        )
        if created:
            for position in Position.objects.filter(name__in=positions):
                position.required_courses.add(course)
        courses[title] = course
    jlg, hmc = properties["JLG"], properties["HMC"]
    fire = courses["消防安全知识与灭火器使用"]
    if TrainingSession.objects.filter(course=fire, property=jlg).exists():
        return
    now = timezone.now()
    guards = list(
        Employee.objects.filter(property=jlg, position__name__in=["保安员", "消防控制室值班员"])
    )
    # One session holds 30; a larger demo (--scale) trains its guards over several days.
    capacity = 30
    for first in range(0, len(guards), capacity):
        past = TrainingSession.objects.create(
            course=fire,
            property=jlg,
            starts_at=now - timedelta(days=340 - first // capacity),
            trainer="区消防救援站 王教官",
            place="翠湖花园管理处培训室",
            capacity=capacity,
        )
        rows = services.enrol(past, guards[first : first + capacity], by=hr)
        results = {
            row.pk: (index != 1, None if index != 2 else 55) for index, row in enumerate(rows)
        }
        services.record_results(past, results, by=hr)
    tomorrow = timezone.localtime(now).replace(hour=14, minute=0, second=0, microsecond=0)
    tomorrow += timedelta(days=1)
    upcoming = TrainingSession.objects.create(
        course=courses["物业服务礼仪"],
        property=jlg,
        starts_at=tomorrow,
        trainer="周敏",
        place="翠湖花园管理处培训室",
        capacity=20,
    )
    services.enrol(upcoming, list(Employee.objects.filter(staff_no__in=["E0005", "E0007"])), by=hr)
    drill = TrainingSession.objects.create(
        course=courses["电梯困人应急救援"],
        property=hmc,
        starts_at=tomorrow,
        trainer="电梯维保单位",
        place="华贸中心 A 座 B2",
        capacity=10,
    )
    services.enrol(drill, list(Employee.objects.filter(staff_no="E0006")), by=hr)
    plan = TrainingPlan.objects.create(property=jlg, year=today.year, note="年度培训计划")
    for course, month, people in (
        (fire, 3, 12),
        (courses["物业服务礼仪"], 6, 20),
        (courses["有限空间作业安全"], 9, 6),
    ):
        PlannedCourse.objects.create(plan=plan, course=course, month=month, participants=people)


KPI = {
    "保安员": [("岗位纪律与值守", 30), ("巡逻完成率", 30), ("服务态度", 20), ("应急处置", 20)],
    "电工": [("工单按时完成率", 40), ("维修质量", 30), ("安全操作", 20), ("团队协作", 10)],
    "保洁员": [("区域清洁检查得分", 50), ("服务态度", 30), ("出勤", 20)],
}


def _appraisals(today, properties):
    """KPI templates for three positions; last quarter's cycle at JLG, already past its
    deadline, with appraisals at every step (so the overdue reminder fires)."""
    from . import services

    hr = User.objects.get(username="hr")
    for position_name, criteria in KPI.items():
        template, created = KPITemplate.objects.get_or_create(
            position=Position.objects.get(name=position_name)
        )
        if created:
            for order, (name, weight) in enumerate(criteria):
                KPICriterion.objects.create(
                    template=template, name=name, weight=weight, order=order
                )
    start = today.replace(day=1) - relativedelta(months=3)
    cycle, created = AppraisalCycle.objects.get_or_create(
        property=properties["JLG"],
        name=f"{start.year}年第{(start.month - 1) // 3 + 1}季度考核",
        defaults={
            "kind": CycleKind.QUARTERLY,
            "period_start": start,
            "period_end": start + relativedelta(months=3, days=-1),
            "deadline": today - timedelta(days=3),
        },
    )
    if not created:
        return
    services.open_cycle(cycle, by=hr)
    for index, appraisal in enumerate(cycle.appraisals.order_by("employee__staff_no")):
        if index % 3 == 0:
            continue  # still waiting for the self-assessment
        lines = appraisal.scores.select_related("criterion")
        services.submit_self_assessment(
            appraisal,
            {line.criterion_id: 80 + index % 15 for line in lines},
            "按要求完成本季度工作。",
            by=hr,
        )
        if index % 3 == 2:
            services.submit_review(
                appraisal,
                {line.criterion_id: 70 + index % 25 for line in lines},
                "表现稳定。",
                by=hr,
            )


SHIFT_TYPES = [
    ("白班", "D", "08:00", "20:00"),
    ("夜班", "N", "20:00", "08:00"),
    ("早班", "E", "07:00", "15:00"),
    ("中班", "M", "15:00", "23:00"),
    ("24小时班", "F", "08:00", "08:00"),
]


def _rosters(today, properties):
    """Shift types, three posts at JLG, a two-on-two-off rotation, and two weeks of roster
    from this Monday for the guards and fire-room staff who hold their certificates; the
    power room is left unstaffed, so tomorrow shows a gap."""
    from datetime import time

    from django.core.exceptions import ValidationError

    from . import services

    hr = User.objects.get(username="hr")
    types = {}
    for name, code, start, end in SHIFT_TYPES:
        types[code], _created = ShiftType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "start": time.fromisoformat(start),
                "end": time.fromisoformat(end),
            },
        )
    jlg = properties["JLG"]
    if Post.objects.filter(property=jlg).exists():
        return
    certificate = {t.name: t for t in CertificateType.objects.all()}
    gate = Post.objects.create(
        property=jlg,
        name="南大门岗",
        location=jlg.locations.filter(code="GATE-GUARD").first(),
        supervisor=Employee.objects.get(staff_no="E0003"),
    )
    gate.required_certificate_types.add(certificate["保安员证"])
    gate.shift_types.add(types["D"], types["N"])
    fire_room = Post.objects.create(
        property=jlg, name="消防控制室", supervisor=Employee.objects.get(staff_no="E0003")
    )
    fire_room.required_certificate_types.add(certificate["消防设施操作员"])
    fire_room.shift_types.add(types["D"], types["N"])
    power = Post.objects.create(
        property=jlg, name="配电房值守", supervisor=Employee.objects.get(staff_no="E0001")
    )
    power.required_certificate_types.add(certificate["电工特种作业操作证"])
    power.shift_types.add(types["F"])
    pattern, _created = RotationPattern.objects.get_or_create(
        name="两班倒（两白两夜两休）", defaults={"sequence": "D D N N - -"}
    )
    monday = today - timedelta(days=today.weekday())
    for post, position in ((gate, "保安员"), (fire_room, "消防控制室值班员")):
        people = Employee.objects.filter(
            property=jlg, position__name=position, status=EmployeeStatus.ACTIVE
        ).order_by("staff_no")
        for offset, employee in enumerate(people):
            shifts = services.rotation_shifts(
                employee, post, pattern, monday + timedelta(days=(offset * 2) % 6), 14
            )
            try:
                services.assign_shifts(shifts, by=hr)
            except ValidationError:
                continue  # not qualified (a missing or expired certificate): not rostered
