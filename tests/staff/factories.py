import datetime

import factory
from django.utils import timezone

from staff.models import (
    Application,
    AppraisalCycle,
    Candidate,
    Certificate,
    CertificateType,
    Course,
    Department,
    Employee,
    EmployeeNote,
    EmployeeStatus,
    Interview,
    JobOpening,
    KPICriterion,
    KPITemplate,
    NoteKind,
    Position,
    Post,
    ShiftType,
    TrainingPlan,
    TrainingSession,
)
from tests.factories import PropertyFactory


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"部门{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"岗位{n}")
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def requires(self, create, extracted, **kwargs):
        if create and extracted:
            self.required_certificate_types.add(*extracted)


class CertificateTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"证书类型{n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    staff_no = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    property = factory.SubFactory(PropertyFactory)
    position = factory.SubFactory(PositionFactory)
    department = factory.LazyAttribute(lambda e: e.position.department)
    hire_date = datetime.date(2024, 3, 1)
    status = EmployeeStatus.ACTIVE
    id_number = "11010519491231002X"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    employee = factory.SubFactory(EmployeeFactory)
    type = factory.SubFactory(CertificateTypeFactory)
    number = factory.Sequence(lambda n: f"NO{n:06d}")
    # Valid whenever the suite runs: issued two years ago, expiring in three.
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=730))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1095))


class EmployeeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployeeNote

    employee = factory.SubFactory(EmployeeFactory)
    kind = NoteKind.COMMENDATION
    summary = "表扬"


class JobOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOpening

    property = factory.SubFactory(PropertyFactory)
    position = factory.SubFactory(PositionFactory)
    headcount = 1
    reason = "补缺"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Sequence(lambda n: f"候选人{n}")
    phone = factory.Sequence(lambda n: f"137{n:08d}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    opening = factory.SubFactory(JobOpeningFactory)
    candidate = factory.SubFactory(CandidateFactory)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    application = factory.SubFactory(ApplicationFactory)
    scheduled_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    )


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"课程{n}")
    category = "safety"
    hours = 2
    validity_months = 12


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    property = factory.SubFactory(PropertyFactory)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
    )
    trainer = "王教官"
    place = "培训室"
    capacity = 3


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlan

    property = factory.SubFactory(PropertyFactory)
    year = 2026


class KPITemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPITemplate
        skip_postgeneration_save = True

    position = factory.SubFactory(PositionFactory)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create:
            for order, (name, weight) in enumerate(extracted or [("质量", 60), ("效率", 40)]):
                KPICriterion.objects.create(template=self, name=name, weight=weight, order=order)


class AppraisalCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalCycle

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"考核{n}")
    kind = "quarterly"
    period_start = datetime.date(2026, 7, 1)
    period_end = datetime.date(2026, 9, 30)
    deadline = datetime.date(2026, 10, 15)


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"班次{n}")
    code = factory.Sequence(lambda n: f"S{n}")
    start = datetime.time(8, 0)
    end = datetime.time(20, 0)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"岗位点{n}")
