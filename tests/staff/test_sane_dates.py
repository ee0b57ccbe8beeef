"""Hire, certificate and other staff dates stay within their window: records of the past
(hire dates, certificates) from 1950, current work (openings, cycles, sessions) 2000–2099.
Year 1 and 9999 are form errors, never a 500, and nothing is saved."""

from http import HTTPStatus

import pytest

from staff.models import Certificate, Employee
from tests.factories import UserFactory

from .factories import (
    ApplicationFactory,
    CertificateTypeFactory,
    EmployeeFactory,
    JobOpeningFactory,
    PositionFactory,
)
from .test_recruitment import at_offer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["hire_date", "probation_end"])
@pytest.mark.parametrize("far", ["0001-01-01", "9999-12-31", "1949-12-31"])
def test_hiring_far_in_time_is_a_form_error(client, property_a, field, far):
    hr = UserFactory(groups=["hr"], properties=[property_a])
    application = at_offer(ApplicationFactory(opening=JobOpeningFactory(property=property_a)), hr)
    client.force_login(hr)
    data = {"staff_no": "H9", "hire_date": "2026-12-01", "probation_end": "2027-03-01"}
    response = client.post(f"/staff/applications/{application.pk}/hire/", {**data, field: far})
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not Employee.objects.filter(staff_no="H9").exists()


def test_records_of_the_past_may_go_back_to_1950(client, property_a):
    """A long-serving employee hired in 1988 with a licence from 1992 is a real record."""
    client.force_login(UserFactory(groups=["hr"], properties=[property_a]))
    position = PositionFactory()
    data = {
        "property": property_a.pk,
        "staff_no": "V001",
        "name": "老员工",
        "department": position.department_id,
        "position": position.pk,
        "hire_date": "1988-05-01",
        "status": "active",
    }
    response = client.post("/staff/employees/new/", data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    veteran = Employee.objects.get(staff_no="V001")
    response = client.post(
        "/staff/certificates/new/",
        {
            "employee": veteran.pk,
            "type": CertificateTypeFactory().pk,
            "issued_on": "1992-03-01",
            "expires_on": "2030-03-01",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert Certificate.objects.get(employee=veteran).issued_on.year == 1992
    too_old = client.post(
        "/staff/employees/new/", {**data, "staff_no": "V002", "hire_date": "1949-12-31"}
    )
    assert "hire_date" in too_old.context["form"].errors


def test_the_messages_are_in_the_users_language(client, property_a):
    hr = UserFactory(groups=["hr"], properties=[property_a], language="zh-hans")
    client.force_login(hr)
    employee = EmployeeFactory(property=property_a)
    response = client.post(
        "/staff/certificates/new/",
        {"employee": employee.pk, "type": CertificateTypeFactory().pk, "issued_on": "0001-01-01"},
    )
    assert response.status_code == HTTPStatus.OK
    (message,) = response.context["form"].errors["issued_on"]
    assert "1950-01-01" in message and "Choose a date" not in message
