"""Importing employees and certificates: bad rows are reported and nothing is half-saved."""

from http import HTTPStatus

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from staff.models import Certificate, Employee
from staff.resources import CertificateResource, EmployeeResource
from tests.factories import PropertyFactory, UserFactory

from .factories import CertificateTypeFactory, EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db
HEADERS = [
    "staff_no",
    "name",
    "phone",
    "id_number",
    "property",
    "department",
    "position",
    "supervisor",
    "hire_date",
    "status",
    "probation_end",
    "resigned_on",
    "emergency_contact",
    "emergency_phone",
]


@pytest.fixture
def position():
    return PositionFactory(name="电工")


def rows(*data):
    return tablib.Dataset(*data, headers=HEADERS)


def good_row(position, staff_no="I001"):
    return [
        staff_no,
        "导入员工",
        "13900000000",
        "11010519491231002X",
        "AAA",
        position.department.name,
        position.name,
        "",
        "2026-01-05",
        "active",
        "",
        "",
        "",
        "",
    ]


def test_a_good_file_imports(position):
    PropertyFactory(code="AAA")
    result = EmployeeResource().import_data(rows(good_row(position)), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Employee.objects.get(staff_no="I001").property.code == "AAA"


def test_bad_rows_are_reported_and_nothing_is_saved(position):
    PropertyFactory(code="AAA")
    bad_property = good_row(position, "I002")
    bad_property[4] = "NOPE"
    bad_id = good_row(position, "I003")
    bad_id[3] = "110105194912310021"
    bad_date = good_row(position, "I004")
    bad_date[8] = "31/31/2026"
    probation_without_end = good_row(position, "I005")
    probation_without_end[9] = "probation"
    dataset = rows(good_row(position), bad_property, bad_id, bad_date, probation_without_end)
    result = EmployeeResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert result.has_errors() or result.has_validation_errors()
    invalid = {row.number for row in result.invalid_rows}
    errored = {number for number, _errors in result.row_errors()}
    assert {2, 3, 4, 5} <= invalid | errored
    assert not Employee.objects.exists()  # the good row went back with the bad ones


def test_certificates_import_by_staff_number_and_type_name():
    employee = EmployeeFactory(staff_no="E9")
    CertificateTypeFactory(name="健康证")
    dataset = tablib.Dataset(
        ["", "E9", "健康证", "H-1", "", "2026-01-01", "2027-01-01", ""],
        ["", "E404", "健康证", "H-2", "", "2026-01-01", "2027-01-01", ""],
        ["", "E9", "健康证", "H-3", "", "2026-01-01", "2025-01-01", ""],
        headers=[
            "id",
            "employee",
            "type",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "next_review_on",
        ],
    )
    result = CertificateResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert result.has_errors() or result.has_validation_errors()
    assert not Certificate.objects.exists()
    ok = CertificateResource().import_data(
        tablib.Dataset(dataset[0], headers=dataset.headers), dry_run=False
    )
    assert not ok.has_errors() and not ok.has_validation_errors()
    assert Certificate.objects.get().employee == employee


def test_the_admin_import_page_shows_row_errors_instead_of_failing(client, position):
    PropertyFactory(code="AAA")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    bad = good_row(position)
    bad[4] = "NOPE"
    upload = SimpleUploadedFile("employees.csv", rows(bad).export("csv").encode(), "text/csv")
    response = client.post(
        "/admin/staff/employee/import/",
        {
            "import_file": upload,
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "does not exist" in response.content.decode()
    assert not Employee.objects.exists()
