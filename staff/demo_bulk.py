"""staff's bulk volume for ``seed_demo --scale N`` (N > 1): each bulk property's people
(~200 per unit of scale) with their supervisors and the certificates their positions require.
Helpers and the idea are core's (``core.demo_bulk``)."""

from datetime import timedelta

from django.utils import timezone

from core.demo_bulk import bulk_properties, copy_rows, insert

from .demo import GIVEN, SURNAMES, _id_number
from .models import Certificate, Employee, EmployeeStatus, Position

# The rank and file of a property, by share of its headcount.
MIX = [
    ("保安员", 30),
    ("保洁员", 28),
    ("电工", 14),
    ("绿化工", 6),
    ("消防控制室值班员", 6),
    ("电梯管理员", 4),
    ("焊工", 3),
    ("仓管员", 3),
    ("司机", 2),
    ("人事专员", 1),
]
SUPERVISORS = {"工程部": "工程主管", "保洁部": "保洁主管", "安保部": "安保主管"}


def seed(scale, stdout=None):
    positions = {
        p.name: p
        for p in Position.objects.select_related("department").prefetch_related(
            "required_certificate_types"
        )
    }
    today = timezone.localdate()
    for bulk in bulk_properties(scale):
        if not Employee.objects.filter(property=bulk.property).exists():
            _people(bulk, positions, today)


def _person(bulk, generator, number, position, today, **extra):
    seed = bulk.index * 100_000 + number
    hire = today - timedelta(days=generator.randint(100, 365 * 12))
    return Employee(
        staff_no=f"{bulk.property.code}-{number:05d}",
        name=generator.choice(SURNAMES) + generator.choice(GIVEN),
        position=position,
        department=position.department,
        property=bulk.property,
        hire_date=hire,
        phone=f"13{seed % 10}{seed:08d}",
        id_number=_id_number(seed),
        emergency_contact="家属",
        emergency_phone=f"15{seed % 10}{seed:08d}",
        status=EmployeeStatus.ACTIVE,
        **extra,
    )


def _people(bulk, positions, today):
    generator = bulk.rng("employees")
    total = bulk.amount("employees", minimum=len(SUPERVISORS) + len(MIX))
    bosses = {
        department: _person(bulk, generator, n, positions[name], today)
        for n, (department, name) in enumerate(SUPERVISORS.items(), start=1)
    }
    insert(Employee, bosses.values())
    weights = [w for _name, w in MIX]
    people = []
    for number in range(len(bosses) + 1, total + 1):
        # Everyone's position from the mix, but each position at least once.
        index = number - len(bosses) - 1
        name = MIX[index][0] if index < len(MIX) else generator.choices(MIX, weights)[0][0]
        position = positions[name]
        person = _person(
            bulk,
            generator,
            number,
            position,
            today,
            supervisor=bosses.get(position.department.name),
        )
        roll = generator.random()
        if roll < 0.05:  # recently hired, still on probation
            person.hire_date = today - timedelta(days=generator.randint(5, 85))
            person.status = EmployeeStatus.PROBATION
            person.probation_end = person.hire_date + timedelta(days=90)
        elif roll < 0.08:
            person.status = EmployeeStatus.RESIGNED
            person.resigned_on = today - timedelta(days=generator.randint(1, 90))
        elif roll < 0.10:
            person.status = EmployeeStatus.ON_LEAVE
            person.leave_start = today - timedelta(days=generator.randint(1, 20))
            person.leave_end = person.leave_start + timedelta(days=generator.randint(21, 120))
        people.append(person)
    insert(Employee, people)
    _certificates(bulk, [*bosses.values(), *people], positions, today)


def _certificates(bulk, people, positions, today):
    """Each required certificate: most valid for years, some expiring within the month, a
    few expired, one person in twenty missing one."""
    generator = bulk.rng("certificates")
    required = {p.pk: list(p.required_certificate_types.all()) for p in positions.values()}
    rows = []
    for person in people:
        for type_ in required[person.position_id]:
            roll = generator.random()
            if roll < 0.05:
                continue
            if roll < 0.10:
                expires = today - timedelta(days=generator.randint(1, 200))
            elif roll < 0.15:
                expires = today + timedelta(days=generator.randint(0, 30))
            else:
                expires = today + timedelta(days=generator.randint(31, 1100))
            rows.append(
                {
                    "employee_id": person.pk,
                    "type_id": type_.pk,
                    "issued_on": min(expires - timedelta(days=365 * 3), today),
                    "expires_on": expires,
                    "number": f"{type_.pk:02d}{person.staff_no}",
                    "issuer": type_.issuing_authority,
                }
            )
    copy_rows(Certificate, rows)
