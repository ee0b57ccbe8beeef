"""The recruitment pipeline: transitions, hiring, onboarding, interviews, and their pages."""

import threading
from datetime import date
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from staff import services
from staff.access import SEE_ALL
from staff.models import (
    Application,
    Candidate,
    Employee,
    EmployeeStatus,
    Interview,
    InterviewCriterion,
    JobOpening,
    OnboardingTask,
    OpeningStatus,
    Stage,
)
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory
from tests.uploads import pdf, pdf_bytes

from .factories import (
    ApplicationFactory,
    CandidateFactory,
    EmployeeFactory,
    InterviewFactory,
    JobOpeningFactory,
    PositionFactory,
)

HIRE = {"staff_no": "H001", "hire_date": date(2026, 12, 1), "probation_end": date(2027, 3, 1)}


def at_offer(application, by):
    for stage in (Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER):
        services.move_application(application, stage, by=by)
    application.refresh_from_db()
    return application


@pytest.fixture
def hr(db):
    return UserFactory(groups=["hr"])


class TestJobOpeningViews(CrudViewTests):
    model = JobOpening
    factory = JobOpeningFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "position": PositionFactory().pk,
            "headcount": 2,
            "reason": "新楼",
            "status": "open",
            "opened_on": "2026-11-01",
        }


class TestCandidateViews(CrudViewTests):
    """A candidate is seen at the properties they applied at (and by HR before applying)."""

    model = Candidate
    factory = CandidateFactory
    creates_in_property = False
    user_perms = (SEE_ALL,)

    def make_object(self, property_):
        return ApplicationFactory(opening=JobOpeningFactory(property=property_)).candidate

    def property_of(self, obj):
        return obj.applications.get().opening.property

    def form_data(self, property_):
        return {"name": "张三", "phone": "13912345678", "source": "walk_in"}


class TestApplicationViews(CrudViewTests):
    user_perms = (SEE_ALL,)
    model = Application
    factory = ApplicationFactory

    def make_object(self, property_):
        return ApplicationFactory(opening=JobOpeningFactory(property=property_))

    def form_data(self, property_):
        return {
            "opening": JobOpeningFactory(property=property_).pk,
            "candidate": CandidateFactory().pk,
        }


class TestInterviewViews(CrudViewTests):
    user_perms = (SEE_ALL,)
    model = Interview
    factory = InterviewFactory

    def make_object(self, property_):
        return InterviewFactory(
            application=ApplicationFactory(opening=JobOpeningFactory(property=property_))
        )

    def form_data(self, property_):
        application = ApplicationFactory(opening=JobOpeningFactory(property=property_))
        criterion = InterviewCriterion.objects.first()
        return {
            "application": application.pk,
            "scheduled_at": "2026-11-25T10:00",
            "recommendation": "hire",
            f"score_{criterion.pk}": 4,
        }

    def edit_data(self, obj):
        return {"application": obj.application_id, "scheduled_at": "2026-11-26T09:30"}

    def success_url(self, obj):
        return obj.application.get_absolute_url()  # recorded from the application's page


class TestInterviewCriterionViews(CrudViewTests):
    model = InterviewCriterion
    factory = None
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return InterviewCriterion.objects.create(name=f"标准{InterviewCriterion.objects.count()}")

    def form_data(self, property_):
        return {"name": "执行力", "order": 9, "active": "on"}


@pytest.mark.django_db
class TestPipeline:
    def test_an_application_moves_one_step_at_a_time(self, hr):
        application = ApplicationFactory()
        with pytest.raises(ValidationError, match="cannot move"):
            services.move_application(application, Stage.OFFER, by=hr)
        with pytest.raises(ValidationError, match="Hire"):
            services.move_application(application, Stage.HIRED, by=hr)
        services.move_application(application, Stage.SCREENING, by=hr)
        application.refresh_from_db()
        assert application.stage == Stage.SCREENING
        assert application.history.first().history_user == hr

    def test_rejecting_needs_a_reason_and_closes_the_application(self, hr):
        application = ApplicationFactory()
        with pytest.raises(ValidationError):
            services.move_application(application, Stage.REJECTED, by=hr, reason="  ")
        services.move_application(application, Stage.REJECTED, by=hr, reason="不合适")
        with pytest.raises(ValidationError):
            services.move_application(application, Stage.SCREENING, by=hr)

    def test_no_hiring_without_an_offer(self, hr):
        application = ApplicationFactory()
        services.move_application(application, Stage.SCREENING, by=hr)
        with pytest.raises(ValidationError, match="offer"):
            services.hire(application, by=hr, **HIRE)
        assert not Employee.objects.exists()

    def test_hiring_creates_the_employee_with_an_onboarding_checklist(self, hr):
        opening = JobOpeningFactory(headcount=1)
        application = at_offer(ApplicationFactory(opening=opening), hr)
        employee = services.hire(application, by=hr, **HIRE)
        assert employee.name == application.candidate.name
        assert employee.property == opening.property and employee.position == opening.position
        assert employee.status == EmployeeStatus.PROBATION
        assert set(employee.onboarding.values_list("task", flat=True)) == set(OnboardingTask.values)
        application.refresh_from_db()
        opening.refresh_from_db()
        assert application.stage == Stage.HIRED and application.employee == employee
        assert opening.status == OpeningStatus.FILLED

    def test_the_headcount_is_a_limit(self, hr):
        opening = JobOpeningFactory(headcount=1)
        first = at_offer(ApplicationFactory(opening=opening), hr)
        second = at_offer(ApplicationFactory(opening=opening), hr)
        services.hire(first, by=hr, **HIRE)
        with pytest.raises(ValidationError):
            services.hire(second, by=hr, **{**HIRE, "staff_no": "H002"})
        assert Employee.objects.count() == 1

    def test_a_taken_staff_number_refuses_the_hire_and_saves_nothing(self, hr):
        EmployeeFactory(staff_no="H001")
        application = at_offer(ApplicationFactory(), hr)
        with pytest.raises(ValidationError) as exc:
            services.hire(application, by=hr, **{**HIRE, "staff_no": "h001"})
        assert "staff number" in str(exc.value)
        application.refresh_from_db()
        assert application.stage == Stage.OFFER and Employee.objects.count() == 1

    def test_onboarding_items_are_ticked_and_unticked(self, hr):
        employee = services.hire(at_offer(ApplicationFactory(), hr), by=hr, **HIRE)
        item = employee.onboarding.first()
        services.tick_onboarding(item, by=hr)
        item.refresh_from_db()
        assert item.done_at and item.done_by == hr
        services.tick_onboarding(item, by=hr, done=False)
        item.refresh_from_db()
        assert item.done_at is None and item.done_by is None


@pytest.mark.django_db(transaction=True)
def test_two_people_hiring_for_the_last_place_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    hr = UserFactory(groups=["hr"])
    opening = JobOpeningFactory(headcount=1)
    applications = [at_offer(ApplicationFactory(opening=opening), hr) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def hire(application, staff_no):
        try:
            barrier.wait()
            services.hire(application, by=hr, **{**HIRE, "staff_no": staff_no})
            outcomes.append("hired")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hire, args=(a, f"R{i}")) for i, a in enumerate(applications)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["hired", "refused"]
    assert Employee.objects.count() == 1


@pytest.mark.django_db
class TestPages:
    @pytest.fixture
    def home(self):
        return PropertyFactory()

    def test_the_board_moves_a_card_and_refuses_a_skip(self, client, home):
        application = ApplicationFactory(opening=JobOpeningFactory(property=home))
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        board = client.get(application.opening.get_absolute_url())
        assert board.status_code == HTTPStatus.OK
        assert application.candidate.name in board.content.decode()
        url = f"/staff/applications/{application.pk}/move/"
        client.post(url, {"stage": "screening"})
        application.refresh_from_db()
        assert application.stage == Stage.SCREENING
        response = client.post(url, {"stage": "hired"}, follow=True)
        assert response.status_code == HTTPStatus.OK
        application.refresh_from_db()
        assert application.stage == Stage.SCREENING
        client.post(url, {"stage": "nonsense"})
        client.post(url, {"stage": "rejected", "reason": ""})
        application.refresh_from_db()
        assert application.stage == Stage.SCREENING

    def test_moving_another_propertys_application_is_not_found(self, client, home):
        application = ApplicationFactory()
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        response = client.post(
            f"/staff/applications/{application.pk}/move/", {"stage": "screening"}
        )
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_the_hire_page_reports_bad_input_and_then_hires(self, client, home):
        hr = UserFactory(groups=["hr"], properties=[home])
        application = at_offer(ApplicationFactory(opening=JobOpeningFactory(property=home)), hr)
        client.force_login(hr)
        url = f"/staff/applications/{application.pk}/hire/"
        assert client.get(url).status_code == HTTPStatus.OK
        bad = client.post(
            url, {"staff_no": "x y", "hire_date": "2026-12-01", "probation_end": "2026-11-01"}
        )
        assert bad.status_code == HTTPStatus.OK
        assert {"staff_no", "probation_end"} <= set(bad.context["form"].errors)
        good = client.post(
            url, {"staff_no": "H9", "hire_date": "2026-12-01", "probation_end": "2027-03-01"}
        )
        employee = Employee.objects.get(staff_no="H9")
        assert good.status_code == HTTPStatus.FOUND and good.url == employee.get_absolute_url()
        page = client.get(employee.get_absolute_url()).content.decode()
        assert 'id="onboarding"' in page

    def test_a_supervisor_cannot_hire(self, client, home):
        hr = UserFactory(groups=["hr"], properties=[home])
        application = at_offer(ApplicationFactory(opening=JobOpeningFactory(property=home)), hr)
        client.force_login(UserFactory(groups=["security_supervisor"], properties=[home]))
        assert client.get(f"/staff/applications/{application.pk}/hire/").status_code == 403

    def test_an_interview_is_saved_with_its_scores(self, client, home):
        application = ApplicationFactory(opening=JobOpeningFactory(property=home))
        interviewer = EmployeeFactory(property=home)
        criteria = list(InterviewCriterion.objects.all()[:2])
        client.force_login(UserFactory(groups=["hr"], properties=[home]))
        response = client.post(
            "/staff/interviews/new/",
            {
                "application": application.pk,
                "scheduled_at": "2026-11-25T10:00",
                "interviewers": [interviewer.pk],
                f"score_{criteria[0].pk}": 5,
                f"score_{criteria[1].pk}": 9,
            },
        )
        assert response.status_code == HTTPStatus.OK  # 9 is out of range
        assert f"score_{criteria[1].pk}" in response.context["form"].errors
        client.post(
            "/staff/interviews/new/",
            {
                "application": application.pk,
                "scheduled_at": "2026-11-25T10:00",
                "interviewers": [interviewer.pk],
                f"score_{criteria[0].pk}": 5,
            },
        )
        interview = Interview.objects.get()
        assert [(s.criterion, s.score) for s in interview.scores.all()] == [(criteria[0], 5)]
        assert list(interview.interviewers.all()) == [interviewer]

    def test_onboarding_is_ticked_from_the_employee_page(self, client, home):
        hr = UserFactory(groups=["hr"], properties=[home])
        application = at_offer(ApplicationFactory(opening=JobOpeningFactory(property=home)), hr)
        employee = services.hire(application, by=hr, **HIRE)
        item = employee.onboarding.get(task=OnboardingTask.UNIFORM)
        client.force_login(hr)
        response = client.post(f"/staff/onboarding/{item.pk}/tick/", {"done": "1"})
        assert response.status_code == HTTPStatus.FOUND
        item.refresh_from_db()
        assert item.done_by == hr


@pytest.mark.django_db
def test_candidates_and_resumes_of_other_properties_stay_hidden(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    home, away = PropertyFactory(), PropertyFactory()
    theirs = CandidateFactory(resume=pdf("cv.pdf"))
    ApplicationFactory(candidate=theirs, opening=JobOpeningFactory(property=away))
    newcomer = CandidateFactory()
    client.force_login(UserFactory(groups=["hr"], properties=[home]))
    listed = {r.record for r in client.get("/staff/candidates/").context["table"].page.object_list}
    assert newcomer in listed and theirs not in listed
    assert client.get(f"/staff/candidates/{theirs.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/staff/candidates/{theirs.pk}/resume/").status_code == 404
    client.force_login(UserFactory(groups=["hr"], properties=[away]))
    response = client.get(f"/staff/candidates/{theirs.pk}/resume/")
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == pdf_bytes()
