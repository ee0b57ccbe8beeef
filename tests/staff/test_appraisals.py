"""Appraisals: KPI weights, the cycle from self-assessment to acknowledgement, who may act,
measured inputs, the overdue reminder, and the pages."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from core.registry import MEASURES, Measure, registered
from core.reminders import collect
from staff import services
from staff.measures import measures_for
from staff.models import Appraisal, AppraisalCycle, AppraisalStatus, KPITemplate, Rating
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    AppraisalCycleFactory,
    EmployeeFactory,
    KPITemplateFactory,
    PositionFactory,
)


class TestAppraisalCycleViews(CrudViewTests):
    model = AppraisalCycle
    factory = AppraisalCycleFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "Q4",
            "kind": "quarterly",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "deadline": "2027-01-15",
        }


@pytest.fixture
def setup(db):
    home = PropertyFactory()
    template = KPITemplateFactory()
    boss_login = UserFactory(groups=["security_supervisor"], properties=[home])
    boss = EmployeeFactory(property=home, user=boss_login)
    worker_login = UserFactory(properties=[home])  # no role at all: just an employee
    worker = EmployeeFactory(
        property=home, position=template.position, supervisor=boss, user=worker_login
    )
    EmployeeFactory(property=home)  # a position without a template: no appraisal
    cycle = AppraisalCycleFactory(property=home)
    hr = UserFactory(groups=["hr"], properties=[home])
    return {
        "home": home,
        "template": template,
        "boss": boss_login,
        "worker": worker,
        "worker_login": worker_login,
        "cycle": cycle,
        "hr": hr,
    }


def scores(appraisal, quality, speed):
    lines = {
        line.criterion.name: line.criterion_id
        for line in appraisal.scores.select_related("criterion")
    }
    return {lines["质量"]: quality, lines["效率"]: speed}


@pytest.mark.django_db
class TestServices:
    def test_opening_a_cycle_creates_appraisals_once(self, setup):
        assert services.open_cycle(setup["cycle"], by=setup["hr"]) == 1
        assert services.open_cycle(setup["cycle"], by=setup["hr"]) == 0
        appraisal = Appraisal.objects.get()
        assert appraisal.employee == setup["worker"] and appraisal.reviewer == setup["boss"]
        assert appraisal.scores.count() == 2

    def test_the_whole_cycle(self, setup):
        services.open_cycle(setup["cycle"], by=setup["hr"])
        appraisal = Appraisal.objects.get()
        with pytest.raises(
            ValidationError, match="“Waiting for self-assessment” and cannot be reviewed"
        ):
            services.submit_review(appraisal, scores(appraisal, 90, 90), "", by=setup["boss"])
        with pytest.raises(ValidationError, match="Score every"):
            services.submit_self_assessment(appraisal, {}, "", by=setup["worker_login"])
        services.submit_self_assessment(
            appraisal, scores(appraisal, 95, 85), "尽力了", by=setup["worker_login"]
        )
        with pytest.raises(ValidationError, match="own appraisal"):
            services.submit_review(
                appraisal, scores(appraisal, 90, 80), "", by=setup["worker_login"]
            )
        with pytest.raises(ValidationError, match="reviewer"):
            services.submit_review(
                appraisal,
                scores(appraisal, 90, 80),
                "",
                by=UserFactory(properties=[setup["home"]]),
            )
        reviewed = services.submit_review(
            appraisal, scores(appraisal, 90, 80), "不错", by=setup["boss"]
        )
        assert reviewed.final_score == Decimal("86.00")  # 90 × 60% + 80 × 40%
        assert reviewed.rating == Rating.GOOD
        with pytest.raises(ValidationError, match="Only the employee"):
            services.acknowledge(appraisal, by=setup["boss"])
        services.acknowledge(appraisal, by=setup["worker_login"])
        appraisal.refresh_from_db()
        assert appraisal.status == AppraisalStatus.ACKNOWLEDGED and appraisal.acknowledged_at

    def test_someone_elses_self_assessment_is_refused(self, setup):
        services.open_cycle(setup["cycle"], by=setup["hr"])
        appraisal = Appraisal.objects.get()
        with pytest.raises(ValidationError):
            services.submit_self_assessment(
                appraisal, scores(appraisal, 1, 1), "", by=UserFactory(properties=[setup["home"]])
            )

    def test_measured_inputs_of_other_apps_are_shown(self, setup):
        def patrols(employee, start, end):
            return [Measure("巡更完成率", 97, "%", "safety")]

        def broken(employee, start, end):
            raise RuntimeError("bug")

        with registered(MEASURES, broken, patrols):
            found = measures_for(
                setup["worker"], datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
            )
        labels = [(m.label, m.value) for m in found]
        assert ("巡更完成率", 97) in labels  # the broken provider before it did not hide it
        assert any(m.source == "staff" for m in found)


@pytest.mark.django_db
def test_kpi_weights_must_add_up_to_100(client):
    client.force_login(UserFactory(groups=["hr"]))
    position = PositionFactory()
    data = {
        "position": position.pk,
        "note": "",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-name": "质量",
        "criteria-0-weight": "60",
        "criteria-0-order": "0",
        "criteria-1-name": "效率",
        "criteria-1-weight": "30",
        "criteria-1-order": "1",
    }
    response = client.post("/staff/kpi-templates/new/", data)
    assert response.status_code == HTTPStatus.OK
    assert "must add up to 100" in response.content.decode()
    assert not KPITemplate.objects.exists()
    response = client.post("/staff/kpi-templates/new/", {**data, "criteria-1-weight": "40"})
    assert response.status_code == HTTPStatus.FOUND
    assert sum(c.weight for c in KPITemplate.objects.get().criteria.all()) == 100


@pytest.mark.django_db
def test_the_employee_acts_on_their_own_appraisal_through_the_pages(client, setup):
    services.open_cycle(setup["cycle"], by=setup["hr"])
    appraisal = Appraisal.objects.get()
    url = appraisal.get_absolute_url()
    client.force_login(setup["worker_login"])
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK and page.context["self_form"] is not None
    fields = {f"score_{cid}": 80 for cid in scores(appraisal, 0, 0)}
    client.post(f"{url}self-assessment/", {**fields, f"score_{next(iter(fields))[6:]}": 300})
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.PENDING  # 300 is out of range
    client.post(f"{url}self-assessment/", {**fields, "comment": "ok"})
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.SELF_ASSESSED
    someone = UserFactory(properties=[setup["home"]])
    client.force_login(someone)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(setup["boss"])
    assert client.get(url).context["review_form"] is not None
    client.post(f"{url}review/", {**fields, "comment": "好"})
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.REVIEWED
    client.force_login(setup["worker_login"])
    client.post(f"{url}acknowledge/")
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.ACKNOWLEDGED


@pytest.mark.django_db
def test_appraisals_past_the_deadline_are_reminded(setup):
    services.open_cycle(setup["cycle"], by=setup["hr"])
    before = collect(datetime.date(2026, 10, 15))
    assert all(r.kind.key != "staff.appraisal_overdue" for rs in before.values() for r in rs)
    after = collect(datetime.date(2026, 10, 16))
    kinds = {user.username: [r.kind.key for r in rs] for user, rs in after.items()}
    for who in ("hr", "boss", "worker_login"):
        assert "staff.appraisal_overdue" in kinds[setup[who].username], who


@pytest.mark.django_db
def test_hr_cannot_review_their_own_appraisal(setup):
    hr_person = EmployeeFactory(
        property=setup["home"], position=setup["template"].position, user=setup["hr"]
    )
    services.open_cycle(setup["cycle"], by=setup["hr"])
    mine = Appraisal.objects.get(employee=hr_person)
    services.submit_self_assessment(mine, scores(mine, 100, 100), "", by=setup["hr"])
    with pytest.raises(ValidationError, match="own appraisal"):
        services.submit_review(mine, scores(mine, 100, 100), "", by=setup["hr"])


@pytest.mark.django_db
def test_later_template_edits_do_not_change_open_appraisals(setup):
    services.open_cycle(setup["cycle"], by=setup["hr"])
    appraisal = Appraisal.objects.get()
    quality = setup["template"].criteria.get(name="质量")
    quality.weight = 10
    quality.save()
    services.submit_self_assessment(
        appraisal, scores(appraisal, 100, 50), "", by=setup["worker_login"]
    )
    reviewed = services.submit_review(appraisal, scores(appraisal, 100, 50), "", by=setup["boss"])
    assert reviewed.final_score == Decimal("80.00")  # 100 × 60% + 50 × 40%, as opened


@pytest.mark.django_db
def test_a_template_that_does_not_add_up_cannot_open_a_cycle(setup):
    criterion = setup["template"].criteria.first()
    criterion.weight += 5
    criterion.save()
    with pytest.raises(ValidationError, match="100"):
        services.open_cycle(setup["cycle"], by=setup["hr"])
    assert not Appraisal.objects.exists()


@pytest.mark.django_db
def test_a_criterion_in_use_cannot_be_deleted_from_the_template(client, setup):
    services.open_cycle(setup["cycle"], by=setup["hr"])
    template = setup["template"]
    criteria = list(template.criteria.order_by("order"))
    client.force_login(setup["hr"])
    data = {
        "position": template.position_id,
        "note": "",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "2",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": criterion.pk,
                f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-weight": 100 if index else 0,
                f"criteria-{index}-order": index,
                f"criteria-{index}-template": template.pk,
            }
        )
    data["criteria-0-weight"] = "60"
    data["criteria-0-DELETE"] = "on"
    data["criteria-1-weight"] = "100"
    response = client.post(f"/staff/kpi-templates/{template.pk}/edit/", data)
    assert response.status_code == HTTPStatus.OK
    assert "cannot be deleted" in response.content.decode()
    assert template.criteria.count() == 2
