"""The hazards and incidents slice of seed_demo: at JLG and HMC, hazards at every status
(one overdue, one due within 3 days, one major awaiting verification, one with a repair
work order), and incidents from just reported to reviewed, with corrective actions (one
overdue, one done awaiting verification, one verified)."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Location, Property, User

from . import services
from .models import CorrectiveAction, Hazard, Incident

# (category, grade, level, source, description, days to deadline, how far it got)
HAZARDS = [
    ("fire", "major", "red", "patrol", "消防通道堆放杂物，疏散受阻", -2, "open"),
    ("electrical", "general", "yellow", "inspection", "配电箱门未上锁，线路裸露", 2, "rectifying"),
    ("fire", "major", "orange", "inspection", "消防栓水压不足", 5, "awaiting"),
    ("structural", "general", "blue", "report", "外墙瓷砖松动", 10, "repair"),
    ("traffic", "general", "blue", "patrol", "车库减速带破损", -10, "closed"),
    ("water", "general", "yellow", "patrol", "地下室排水沟堵塞", 7, "rejected"),
]

# (kind, severity, hours ago, description, losses, how far it got)
INCIDENTS = [
    ("water", "moderate", 30 * 24, "B1车库水管爆裂，车位被淹", "3200.00", "reviewed"),
    ("entrapment", "minor", 50, "3号梯困人两名，25分钟解救", "0", "resolved"),
    ("theft", "minor", 5, "非机动车棚电动车被盗", "2800.00", "responding"),
    ("dispute", "minor", 1, "业主与快递员在大堂发生争执", "0", "open"),
]


def _photo(colour=(180, 170, 150)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(*, scale=1, stdout=None):
    security = User.objects.filter(username="security").first()
    director = User.objects.filter(username="director").first()
    by = security or director
    if by is None:
        return
    for code in ("JLG", "HMC"):
        property_ = Property.objects.filter(code=code).first()
        if property_ is None or Hazard.objects.filter(property=property_).exists():
            continue
        owners = _owners(property_, exclude_user=by)
        if not owners:
            continue
        places = list(Location.objects.filter(property=property_).order_by("path")[:12])
        _hazards(property_, owners, places, by, director or by)
        _incidents(property_, owners, places, by, director or by)
    if stdout:
        stdout.write(
            f"safety: {Hazard.objects.count()} hazards, {Incident.objects.count()} incidents"
        )


def _owners(property_, *, exclude_user):
    from staff.models import Employee

    people = (
        Employee.objects.current()
        .filter(property=property_)
        .exclude(user=exclude_user)
        .order_by("staff_no")
    )
    guards = [e for e in people if e.position.name == "保安员"]
    return guards + [e for e in people[:5] if e not in guards]


def _hazards(property_, owners, places, by, director):
    today = timezone.localdate()
    now = timezone.now()
    for index, (category, grade, level, source, text, days, reached) in enumerate(HAZARDS):
        owner = owners[index % len(owners)]
        hazard = services.report_hazard(
            Hazard(
                property=property_,
                source=source,
                found_at=now - timedelta(days=max(3, 10 - days)),
                location=places[index % len(places)] if places else None,
                category=category,
                grade=grade,
                level=level,
                description=text,
                photo=_photo(),
                owner=owner,
                deadline=today + timedelta(days=days),
            ),
            by=by,
        )
        if reached == "repair":
            services.open_repair(hazard, by=by)
            continue
        if reached == "open":
            continue
        services.start_rectifying(hazard, by=by)
        if reached == "rectifying":
            continue
        services.ask_for_verification(hazard, by=by, note="已整改完毕", after_photo=_photo())
        if reached == "closed":
            services.verify_hazard(hazard, by=by, passed=True, note="复查合格")
        elif reached == "rejected":
            services.verify_hazard(hazard, by=by, passed=False, note="仍有积水，需疏通到底")


def _incidents(property_, owners, places, by, director):
    from staff.models import Employee

    now = timezone.now()
    supervisor = Employee.objects.filter(user=by).first()
    for index, (kind, severity, hours, text, losses, reached) in enumerate(INCIDENTS):
        occurred = now - timedelta(hours=hours)
        incident = services.report_incident(
            Incident(
                property=property_,
                kind=kind,
                severity=severity,
                occurred_at=occurred,
                reported_at=occurred + timedelta(minutes=5),
                location=places[(index + 3) % len(places)] if places else None,
                description=text,
                people_involved="业主一名" if kind in ("dispute", "entrapment") else "",
                losses=Decimal(losses),
                report_number=f"JJ20261101-0{index}" if kind == "theft" else "",
            ),
            by=by,
        )
        if reached == "open":
            continue
        services.respond(incident, by=by, at=occurred + timedelta(minutes=8))
        if reached == "responding":
            continue
        services.arrive(incident, by=by, at=occurred + timedelta(minutes=15))
        services.resolve(
            incident, by=by, at=occurred + timedelta(minutes=40), actions_taken="现场处置完毕"
        )
        if reached != "reviewed":
            continue
        services.review(incident, by=director, root_cause="管道老化，未列入年度更换计划")
        today = timezone.localdate()
        plans = [
            ("更换B1车库老化水管", -3, "open"),
            ("车库加装漏水报警器", 10, "done"),
            ("修订管道巡检频次", -5, "verified"),
        ]
        for offset, (what, days, state) in enumerate(plans):
            owner = owners[offset % len(owners)]
            action = services.save_action(
                CorrectiveAction(
                    incident=incident,
                    description=what,
                    owner=owner,
                    due_on=today + timedelta(days=days),
                ),
                by=by,
            )
            if state == "open":
                continue
            services.mark_action_done(action, by=by, note="已完成")
            if state == "verified" and (supervisor is None or supervisor.pk != owner.pk):
                services.verify_action(action, by=by)
