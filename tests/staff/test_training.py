"""Training: enrolment within capacity, results and validity, refreshers, plans, reminders."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.reminders import collect
from staff import services
from staff.models import (
    Attendance,
    Course,
    PlannedCourse,
    TrainingPlan,
    TrainingSession,
    refreshers_due,
)
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    CourseFactory,
    EmployeeFactory,
    TrainingPlanFactory,
    TrainingSessionFactory,
)

NOW = "2026-11-24 10:00 +0800"


class TestCourseViews(CrudViewTests):
    model = Course
    factory = CourseFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return CourseFactory()

    def form_data(self, property_):
        return {
            "title": "急救常识",
            "category": "safety",
            "hours": "2.5",
            "validity_months": 24,
            "pass_score": 60,
        }


class TestTrainingSessionViews(CrudViewTests):
    model = TrainingSession
    factory = TrainingSessionFactory

    def form_data(self, property_):
        return {
            "course": CourseFactory().pk,
            "property": property_.pk,
            "starts_at": "2026-12-01T09:00",
            "trainer": "张",
            "place": "会议室",
            "capacity": 10,
        }


class TestTrainingPlanViews(CrudViewTests):
    model = TrainingPlan
    factory = TrainingPlanFactory

    def make_object(self, property_):
        return TrainingPlanFactory(property=property_, year=2000 + TrainingPlan.objects.count())

    def form_data(self, property_):
        return {"property": property_.pk, "year": 2027, "note": "计划"}

    def edit_data(self, obj):
        return {"property": obj.property_id, "year": obj.year, "note": "改"}


class TestPlannedCourseViews(CrudViewTests):
    model = PlannedCourse
    factory = None

    def make_object(self, property_):
        plan = TrainingPlanFactory(property=property_, year=2000 + TrainingPlan.objects.count())
        return PlannedCourse.objects.create(
            plan=plan, course=CourseFactory(), month=3, participants=5
        )

    def form_data(self, property_):
        return {
            "plan": TrainingPlanFactory(property=property_, year=2031).pk,
            "course": CourseFactory().pk,
            "month": 5,
            "participants": 8,
        }

    def edit_data(self, obj):
        return {"plan": obj.plan_id, "course": obj.course_id, "month": 4, "participants": 9}

    def test_create(self, client, home):
        # A planned course redirects to its plan, which is also its detail page.
        client.force_login(self.user("view", "add", properties=[home]))
        response = client.post(self.url("add"), self.form_data(home))
        assert response.status_code == HTTPStatus.FOUND
        assert PlannedCourse.objects.get().plan.property == home


@pytest.fixture
def hr(db):
    return UserFactory(groups=["hr"])


@pytest.mark.django_db
class TestServices:
    def test_enrolment_respects_capacity_and_property(self, hr):
        session = TrainingSessionFactory(capacity=2)
        people = [EmployeeFactory(property=session.property) for _ in range(3)]
        services.enrol(session, people[:2], by=hr)
        services.enrol(session, people[:2], by=hr)  # again: nothing changes
        with pytest.raises(ValidationError, match="places"):
            services.enrol(session, people[2:], by=hr)
        with pytest.raises(ValidationError, match="another property"):
            services.enrol(TrainingSessionFactory(), people[:1], by=hr)
        assert session.attendances.count() == 2

    @time_machine.travel(NOW, tick=False)
    def test_results_decide_the_pass_and_its_validity(self, hr):
        course = CourseFactory(validity_months=12)
        session = TrainingSessionFactory(course=course)
        a, b, c, d = (EmployeeFactory(property=session.property) for _ in range(4))
        session.capacity = 4
        session.save()
        rows = {r.employee: r.pk for r in services.enrol(session, [a, b, c, d], by=hr)}
        services.record_results(
            session,
            {
                rows[a]: (True, Decimal("85")),
                rows[b]: (True, Decimal("40")),
                rows[c]: (False, None),
                rows[d]: (True, None),
            },
            by=hr,
        )
        result = {x.employee: x for x in Attendance.objects.all()}
        assert result[a].passed and result[a].valid_until == datetime.date(2027, 11, 20)
        assert result[b].passed is False and result[b].valid_until is None
        assert result[c].passed is False
        assert result[d].passed  # no assessment: attending is passing

    @time_machine.travel(NOW, tick=False)
    def test_bad_results_are_refused_whole(self, hr):
        session = TrainingSessionFactory()
        a, b = (EmployeeFactory(property=session.property) for _ in range(2))
        rows = [r.pk for r in services.enrol(session, [a, b], by=hr)]
        with pytest.raises(ValidationError):
            services.record_results(
                session, {rows[0]: (True, Decimal("90")), rows[1]: (False, Decimal("70"))}, by=hr
            )
        with pytest.raises(ValidationError):
            services.record_results(session, {rows[0]: (True, Decimal("101"))}, by=hr)
        assert not Attendance.objects.filter(attended__isnull=False).exists()

    @time_machine.travel("2026-11-01 10:00 +0800", tick=False)
    def test_no_results_before_the_session(self, hr):
        session = TrainingSessionFactory()
        row = services.enrol(session, [EmployeeFactory(property=session.property)], by=hr)[0]
        with pytest.raises(ValidationError, match="started"):
            services.record_results(session, {row.pk: (True, None)}, by=hr)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_refreshers_are_due_when_a_pass_runs_out(hr):
    course = CourseFactory(validity_months=12)
    old = TrainingSessionFactory(
        course=course, starts_at=datetime.datetime(2025, 12, 10, 9, tzinfo=datetime.UTC)
    )
    worker = EmployeeFactory(property=old.property)
    row = services.enrol(old, [worker], by=hr)[0]
    services.record_results(old, {row.pk: (True, None)}, by=hr)
    assert list(refreshers_due(datetime.date(2026, 11, 24))) == [Attendance.objects.get()]
    assert list(refreshers_due(datetime.date(2026, 10, 1))) == []
    upcoming = TrainingSessionFactory(
        course=course,
        property=old.property,
        starts_at=datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC),
    )
    services.enrol(upcoming, [worker], by=hr)
    assert list(refreshers_due(datetime.date(2026, 11, 24))) == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_sessions_tomorrow_are_reminded_to_attendees_with_logins(hr):
    session = TrainingSessionFactory(
        starts_at=datetime.datetime(2026, 11, 25, 14, 0, tzinfo=datetime.UTC)
    )
    # The login works on the session's property (the employee form insists on it).
    with_login = EmployeeFactory(
        property=session.property, user=UserFactory(properties=[session.property])
    )
    without = EmployeeFactory(property=session.property)
    services.enrol(session, [with_login, without], by=hr)
    found = collect(datetime.date(2026, 11, 24))
    assert [r.kind.key for r in found[with_login.user]] == ["staff.training_tomorrow"]
    assert all(
        r.kind.key != "staff.training_tomorrow"
        for items in found.values()
        for r in items
        if r.recipient != with_login.user
    )
    assert collect(datetime.date(2026, 11, 23)).get(with_login.user) is None


@pytest.mark.django_db
class TestPages:
    @pytest.fixture
    def home(self):
        return PropertyFactory()

    @time_machine.travel(NOW, tick=False)
    def test_enrol_and_record_results_from_the_session_page(self, client, home):
        session = TrainingSessionFactory(property=home, capacity=5)
        people = [EmployeeFactory(property=home) for _ in range(2)]
        stranger = EmployeeFactory()
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        url = session.get_absolute_url()
        client.post(f"{url}enrol/", {"employees": [stranger.pk]})
        assert not session.attendances.exists()
        client.post(f"{url}enrol/", {"employees": [p.pk for p in people]})
        rows = {a.employee_id: a.pk for a in session.attendances.all()}
        response = client.post(
            f"{url}results/",
            {
                f"attended_{rows[people[0].pk]}": "on",
                f"score_{rows[people[0].pk]}": "75",
                f"score_{rows[people[1].pk]}": "abc",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert not session.attendances.filter(attended__isnull=False).exists()
        client.post(
            f"{url}results/",
            {
                f"attended_{rows[people[0].pk]}": "on",
                f"score_{rows[people[0].pk]}": "75",
            },
        )
        assert Attendance.objects.get(employee=people[0]).passed
        assert Attendance.objects.get(employee=people[1]).attended is False
        page = client.get(people[0].get_absolute_url()).content.decode()
        assert session.course.title in page

    def test_plan_completion_counts_passes_up_to_the_plan(self, client, home, hr):
        course = CourseFactory()
        plan = TrainingPlanFactory(property=home, year=2026)
        PlannedCourse.objects.create(plan=plan, course=course, month=3, participants=2)
        PlannedCourse.objects.create(plan=plan, course=CourseFactory(), month=5, participants=2)
        session = TrainingSessionFactory(course=course, property=home, capacity=5)
        people = [EmployeeFactory(property=home) for _ in range(3)]
        rows = services.enrol(session, people, by=hr)
        with time_machine.travel(NOW, tick=False):
            services.record_results(session, {r.pk: (True, None) for r in rows}, by=hr)
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        context = client.get(plan.get_absolute_url()).context
        assert (context["trained"], context["planned"], context["completion"]) == (2, 4, 50)

    @time_machine.travel(NOW, tick=False)
    def test_refresher_and_record_lists(self, client, home, hr):
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        assert client.get("/staff/refreshers/").status_code == HTTPStatus.OK
        assert client.get("/staff/training-records/").status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_a_course_planned_twice_is_not_counted_twice(client, hr):
    home = PropertyFactory()
    course = CourseFactory()
    plan = TrainingPlanFactory(property=home, year=2026)
    PlannedCourse.objects.create(plan=plan, course=course, month=3, participants=2)
    PlannedCourse.objects.create(plan=plan, course=course, month=9, participants=2)
    session = TrainingSessionFactory(course=course, property=home, capacity=5)
    rows = services.enrol(session, [EmployeeFactory(property=home) for _ in range(3)], by=hr)
    with time_machine.travel(NOW, tick=False):
        services.record_results(session, {r.pk: (True, None) for r in rows}, by=hr)
    client.force_login(UserFactory(groups=["hr"], properties=[home]))
    context = client.get(plan.get_absolute_url()).context
    assert [i.trained for i in context["items"]] == [2, 1]
    assert context["completion"] == 75


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_nan_score_is_refused(hr):
    session = TrainingSessionFactory()
    row = services.enrol(session, [EmployeeFactory(property=session.property)], by=hr)[0]
    with pytest.raises(ValidationError):
        services.record_results(session, {row.pk: (True, Decimal("NaN"))}, by=hr)
