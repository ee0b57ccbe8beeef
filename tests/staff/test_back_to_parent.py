"""Issue 12: a child record saved (or deleted) from its parent's page goes back to the
parent: a certificate or a note to the employee, an interview to the application; a safe
``next`` wins, another site's is ignored."""

from http import HTTPStatus

import pytest

from staff.models import Application, Certificate
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    CandidateFactory,
    CertificateFactory,
    CertificateTypeFactory,
    EmployeeFactory,
    JobOpeningFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return PropertyFactory()


@pytest.fixture
def hr(client, home):
    user = UserFactory(properties=[home], groups=["hr"])
    client.force_login(user)
    return user


def test_a_certificate_goes_back_to_the_employee(client, home, hr):
    employee = EmployeeFactory(property=home)
    new = f"/staff/certificates/new/?employee={employee.pk}"
    form = client.get(new)
    assert form.status_code == HTTPStatus.OK
    assert form.context["cancel_url"] == employee.get_absolute_url()
    data = {
        "employee": employee.pk,
        "type": CertificateTypeFactory().pk,
        "issued_on": "2025-01-01",
        "expires_on": "2028-01-01",
    }
    response = client.post(new, data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == employee.get_absolute_url()
    certificate = Certificate.objects.get()
    edit = f"/staff/certificates/{certificate.pk}/edit/"
    assert client.get(edit).context["cancel_url"] == employee.get_absolute_url()
    response = client.post(edit, {**data, "number": "A-1"})
    assert response["Location"] == employee.get_absolute_url()
    response = client.post(f"/staff/certificates/{certificate.pk}/delete/")
    assert response["Location"] == employee.get_absolute_url()
    assert not Certificate.objects.exists()


def test_a_note_goes_back_to_the_employee(client, home, hr):
    employee = EmployeeFactory(property=home)
    response = client.post(
        f"/staff/notes/new/?employee={employee.pk}",
        {"employee": employee.pk, "kind": "commendation", "date": "2026-01-05", "summary": "好"},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert response["Location"] == employee.get_absolute_url()


@pytest.mark.parametrize(
    ("next_", "back_to_opening"),
    [(None, True), ("https://evil.example/", False), ("//evil.example/", False)],
)
def test_an_application_goes_back_where_it_was_opened(client, home, hr, next_, back_to_opening):
    opening = JobOpeningFactory(property=home)
    page = client.get(opening.get_absolute_url()).content.decode()
    path = opening.get_absolute_url().replace("/", "%2F")
    assert f"/staff/applications/new/?opening={opening.pk}&amp;next={path}" in page
    target = opening.get_absolute_url() if next_ is None else next_
    response = client.post(
        f"/staff/applications/new/?opening={opening.pk}",
        {"opening": opening.pk, "candidate": CandidateFactory().pk, "next": target},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    application = Application.objects.get()
    expected = opening.get_absolute_url() if back_to_opening else application.get_absolute_url()
    assert response["Location"] == expected


def test_another_propertys_employee_is_not_a_way_back(client, home, hr):
    """A certificate of another property's employee is still a 404, parent or not."""
    other = CertificateFactory(employee=EmployeeFactory(property=PropertyFactory()))
    assert client.get(f"/staff/certificates/{other.pk}/edit/").status_code == HTTPStatus.NOT_FOUND
