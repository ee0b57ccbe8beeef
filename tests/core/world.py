"""A small world for the cross-app pages (My work, the calendar and its feed, search): two
properties with the same kinds of record in each, and one login per demo role working at
the first. Dates are counted from today."""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from facilities.models import (
    EquipmentCategory,
    InspectionRound,
    InspectionRoute,
    WorkOrderKind,
    WorkOrderStatus,
)
from procurement.models import (
    CountStatus,
    PurchaseOrderLine,
    RequisitionStatus,
    StockCount,
    SupplierDocument,
)
from procurement.models.planning import PlanStatus
from staff.models import (
    Appraisal,
    AppraisalStatus,
    Attendance,
    EmployeeStatus,
)
from tests.facilities.factories import (
    EquipmentFactory,
    MaintenancePlanFactory,
    WorkOrderFactory,
)
from tests.factories import LocationFactory, PropertyFactory, UserFactory
from tests.procurement.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    PurchasePlanFactory,
    RequisitionFactory,
    StoreroomFactory,
    SupplierFactory,
)
from tests.staff.factories import (
    ApplicationFactory,
    AppraisalCycleFactory,
    CandidateFactory,
    CertificateFactory,
    EmployeeFactory,
    InterviewFactory,
    JobOpeningFactory,
    TrainingSessionFactory,
)

# username: (role, has an employee record)
ROLES = {
    "director": ("director", False),
    "facilities": ("facilities_supervisor", True),
    "technician": ("technician", True),
    "stores": ("stores", True),
    "cleaning": ("cleaning_supervisor", True),
    "security": ("security_supervisor", True),
    "guard": ("guard", True),
    "hr": ("hr", True),
    "service": ("customer_service", False),
}
ID_NUMBER = "11010519491231002X"


@dataclass
class Place:
    """One property's records, named by what they are."""

    property: object
    records: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.records[name]


@dataclass
class World:
    home: Place
    other: Place
    users: dict
    supplier_document: object

    def user(self, name):
        return self.users[name]


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _place(property_, code, today, users, requester):
    """The records of one property; ``users`` are the logins working at the home property
    (their employee records take the personal items there)."""
    r = {}
    employee = {name: getattr(user, "employee", None) for name, user in users.items()}
    category, _new = EquipmentCategory.objects.get_or_create(
        code="power", defaults={"name": "配电"}
    )
    r["switchboard"] = EquipmentFactory(
        property=property_,
        category=category,
        name=f"低压配电柜{code}",
        asset_code=f"PD-{code}-01",
        warranty_ends_on=today + timedelta(days=10),
        certificate_expires_on=today + timedelta(days=20),
    )
    r["plan"] = MaintenancePlanFactory(
        equipment=r["switchboard"],
        title=f"配电柜月检{code}",
        starts_on=today + timedelta(days=2),
        next_due=today + timedelta(days=2),
    )
    r["preventive"] = WorkOrderFactory(
        property=property_,
        equipment=r["switchboard"],
        kind=WorkOrderKind.PREVENTIVE,
        title=f"配电柜保养{code}",
        due_on=today + timedelta(days=1),
        resolve_by=local(today + timedelta(days=1), 18),
        status=WorkOrderStatus.ASSIGNED,
        assignee=employee["technician"] if code == "HOME" else None,
        plan=None,
    )
    r["untaken"] = WorkOrderFactory(
        property=property_,
        equipment=r["switchboard"],
        title=f"配电柜异响{code}",
        resolve_by=local(today + timedelta(days=2), 12),
    )
    r["late"] = WorkOrderFactory(
        property=property_,
        location=LocationFactory(property=property_, name=f"水泵房{code}"),
        equipment=None,
        title=f"水泵漏水{code}",
        status=WorkOrderStatus.ASSIGNED,
        assignee=employee["technician"] if code == "HOME" else None,
        resolve_by=timezone.now() - timedelta(hours=5),
        priority="urgent",
    )
    r["completed"] = WorkOrderFactory(
        property=property_,
        equipment=r["switchboard"],
        title=f"更换断路器{code}",
        status=WorkOrderStatus.COMPLETED,
        completed_at=timezone.now() - timedelta(hours=3),
        completed_by=users["technician"],
        resolve_by=local(today + timedelta(days=1), 12),
    )
    route = InspectionRoute.objects.create(
        property=property_, name=f"配电房日巡{code}", unit="days", starts_on=today, next_due=today
    )
    r["round"] = InspectionRound.objects.create(route=route, due_on=today)

    room = StoreroomFactory(property=property_, name=f"五金库{code}", next_count_on=today)
    r["count"] = StockCount.objects.create(
        storeroom=room, scheduled_for=today, snapshot_at=timezone.now()
    )
    second = StoreroomFactory(property=property_, name=f"备件库{code}", count_every_months=0)
    r["variance"] = StockCount.objects.create(
        storeroom=second,
        scheduled_for=today - timedelta(days=3),
        snapshot_at=timezone.now(),
        status=CountStatus.SUBMITTED,
        submitted_at=timezone.now(),
        variance_abs_value=Decimal("2400.00"),
    )
    submitted = timezone.now() - timedelta(days=1)
    r["small"] = RequisitionFactory(
        property=property_,
        purpose=f"小额请购{code}",
        status=RequisitionStatus.SUBMITTED,
        amount=Decimal("800.00"),
        submitted_at=submitted,
        requested_by=requester,
    )
    r["large"] = RequisitionFactory(
        property=property_,
        purpose=f"大额请购{code}",
        status=RequisitionStatus.SUBMITTED,
        amount=Decimal("80000.00"),
        submitted_at=submitted,
        requested_by=requester,
    )
    r["purchase_plan"] = PurchasePlanFactory(
        property=property_, status=PlanStatus.SUBMITTED, submitted_by=requester, note=code
    )
    r["order"] = PurchaseOrderFactory(
        storeroom=room, supplier=SupplierFactory(name=f"明亮电气{code}"), promised_on=today
    )
    PurchaseOrderLine.objects.create(
        order=r["order"], item=ItemFactory(), quantity=Decimal(2), unit_price=Decimal("15.00")
    )

    opening = JobOpeningFactory(property=property_)
    r["candidate"] = CandidateFactory(name=f"应聘者{code}")
    r["interview"] = InterviewFactory(
        application=ApplicationFactory(
            opening=opening, candidate=r["candidate"], stage="interview"
        ),
        scheduled_at=local(today + timedelta(days=1), 15),
        place=f"会议室{code}",
    )
    if code == "HOME":
        r["interview"].interviewers.add(employee["security"])
    else:
        r["interview"].interviewers.add(EmployeeFactory(property=property_))
    cycle = AppraisalCycleFactory(
        property=property_,
        name=f"第四季度考核{code}",
        period_start=today - timedelta(days=80),
        period_end=today - timedelta(days=5),
        deadline=today + timedelta(days=5),
    )
    r["cycle"] = cycle
    someone = EmployeeFactory(property=property_, name=f"被考核人{code}")
    if code == "HOME":
        r["self_assessment"] = Appraisal.objects.create(
            cycle=cycle, employee=employee["technician"], reviewer=users["facilities"]
        )
        r["to_review"] = Appraisal.objects.create(
            cycle=cycle,
            employee=someone,
            reviewer=users["security"],
            status=AppraisalStatus.SELF_ASSESSED,
        )
    else:
        r["to_review"] = Appraisal.objects.create(
            cycle=cycle, employee=someone, status=AppraisalStatus.SELF_ASSESSED
        )
    r["session"] = TrainingSessionFactory(
        property=property_,
        course__title=f"电工安全{code}",
        starts_at=local(today + timedelta(days=1), 10),
        place=f"培训室{code}",
    )
    Attendance.objects.create(
        session=r["session"],
        employee=employee["technician"] if code == "HOME" else EmployeeFactory(property=property_),
    )
    r["certificate"] = CertificateFactory(
        employee=EmployeeFactory(property=property_, name=f"持证人{code}"),
        expires_on=today + timedelta(days=15),
    )
    r["probation"] = EmployeeFactory(
        property=property_,
        name=f"试用员工{code}",
        staff_no=f"SY-{code}",
        status=EmployeeStatus.PROBATION,
        hire_date=today - timedelta(days=80),
        probation_end=today + timedelta(days=10),
        id_number=ID_NUMBER,
    )
    return Place(property_, r)


def build_world():
    today = timezone.localdate()
    home = PropertyFactory(code="HOME", name="翠湖花园")
    other = PropertyFactory(code="OTHR", name="华贸中心")
    users = {}
    for username, (role, has_employee) in ROLES.items():
        user = UserFactory(
            username=username,
            groups=[role],
            properties=[] if role == "director" else [home],
        )
        if has_employee:
            EmployeeFactory(property=home, user=user, name=f"{username}员工")
        users[username] = user
    requester = UserFactory(username="requester", properties=[home, other])
    world = World(
        home=_place(home, "HOME", today, users, requester),
        other=_place(other, "OTHR", today, users, requester),
        users=users,
        supplier_document=SupplierDocument.objects.create(
            supplier=SupplierFactory(name="共享供应商"),
            kind="licence",
            number="LIC-1",
            issued_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=12),
        ),
    )
    return world
