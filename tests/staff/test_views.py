"""Every staff page through the shared CRUD test, plus the person-specific pages."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staff.access import SEE_ALL
from staff.models import Certificate, CertificateType, Department, Employee, EmployeeNote, Position
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory
from tests.uploads import pdf_bytes

from .factories import (
    CertificateFactory,
    CertificateTypeFactory,
    DepartmentFactory,
    EmployeeFactory,
    EmployeeNoteFactory,
    PositionFactory,
)

PDF = pdf_bytes()


class SharedReference(CrudViewTests):
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return self.factory()


class TestDepartmentViews(SharedReference):
    model = Department
    factory = DepartmentFactory

    def form_data(self, property_):
        return {"name": "工程部", "description": "维修"}

    def edit_data(self, obj):
        return {"name": obj.name, "description": "改"}


class TestPositionViews(SharedReference):
    model = Position
    factory = PositionFactory

    def form_data(self, property_):
        return {
            "name": "电工",
            "department": DepartmentFactory().pk,
            "required_certificate_types": [CertificateTypeFactory().pk],
        }

    def edit_data(self, obj):
        return {"name": obj.name, "department": obj.department_id}


class TestCertificateTypeViews(SharedReference):
    model = CertificateType
    factory = CertificateTypeFactory

    def form_data(self, property_):
        return {"name": "新证书", "issuing_authority": "某局"}

    def edit_data(self, obj):
        return {"name": obj.name, "issuing_authority": "改"}


class TestEmployeeViews(CrudViewTests):
    user_perms = (SEE_ALL,)
    model = Employee
    factory = EmployeeFactory

    def make_object(self, property_):
        employee = EmployeeFactory(property=property_)
        CertificateFactory(employee=employee)
        return employee

    def form_data(self, property_):
        position = PositionFactory()
        return {
            "staff_no": "N001",
            "name": "新人",
            "property": property_.pk,
            "department": position.department_id,
            "position": position.pk,
            "hire_date": "2026-11-01",
            "status": "probation",
            "probation_end": "2027-02-01",
        }

    def edit_data(self, obj):
        return {
            "staff_no": obj.staff_no,
            "name": "改名",
            "property": obj.property_id,
            "department": obj.department_id,
            "position": obj.position_id,
            "hire_date": "2024-03-01",
            "status": "active",
        }


class TestCertificateViews(CrudViewTests):
    user_perms = (SEE_ALL,)
    model = Certificate
    factory = CertificateFactory

    def make_object(self, property_):
        return CertificateFactory(employee=EmployeeFactory(property=property_))

    def form_data(self, property_):
        return {
            "employee": EmployeeFactory(property=property_).pk,
            "type": CertificateTypeFactory().pk,
            "number": "X-1",
            "issued_on": "2025-01-01",
            "expires_on": "2028-01-01",
        }

    def edit_data(self, obj):
        return {
            "employee": obj.employee_id,
            "type": obj.type_id,
            "number": obj.number,
            "issued_on": "2025-01-01",
            "expires_on": "2029-01-01",
        }

    def success_url(self, obj):
        return obj.employee.get_absolute_url()  # filed from the employee's page


class TestEmployeeNoteViews(CrudViewTests):
    user_perms = (SEE_ALL,)
    model = EmployeeNote
    factory = EmployeeNoteFactory

    def make_object(self, property_):
        return EmployeeNoteFactory(employee=EmployeeFactory(property=property_))

    def form_data(self, property_):
        return {
            "employee": EmployeeFactory(property=property_).pk,
            "kind": "commendation",
            "date": "2026-11-20",
            "summary": "好人好事",
        }

    def edit_data(self, obj):
        return {**self.form_data(self.property_of(obj)), "employee": obj.employee_id}

    def success_url(self, obj):
        return obj.employee.get_absolute_url()  # written from the employee's page


pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return PropertyFactory()


def test_bad_employee_input_gives_field_errors_and_saves_nothing(client, home):
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    position = PositionFactory()
    response = client.post(
        "/staff/employees/new/",
        {
            "staff_no": "bad no!",
            "name": "x",
            "property": home.pk,
            "department": position.department_id,
            "position": position.pk,
            "hire_date": "2026-13-45",
            "status": "resigned",
            "id_number": "110105194912310021",
            "phone": "abc",
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert {"staff_no", "hire_date", "id_number", "phone"} <= set(errors)
    assert not Employee.objects.exists()


def test_status_dates_are_required_with_their_status(client, home):
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    position = PositionFactory()
    data = {
        "staff_no": "N1",
        "name": "x",
        "property": home.pk,
        "position": position.pk,
        "department": position.department_id,
        "hire_date": "2026-01-01",
    }
    for status, field in (
        ("probation", "probation_end"),
        ("resigned", "resigned_on"),
        ("on_leave", "leave_start"),
    ):
        response = client.post("/staff/employees/new/", {**data, "status": status})
        assert field in response.context["form"].errors, status
    response = client.post(
        "/staff/employees/new/", {**data, "status": "probation", "probation_end": "2025-12-01"}
    )
    assert "probation_end" in response.context["form"].errors
    assert not Employee.objects.exists()


def test_id_numbers_are_masked_for_everyone_but_hr(client, home):
    employee = EmployeeFactory(property=home, id_number="11010519491231002X")
    supervisor = UserFactory(properties=[home], groups=["security_supervisor"])
    # The supervisor of the employee's own department, who may open their record.
    EmployeeFactory(property=home, department=employee.department, user=supervisor)
    client.force_login(supervisor)
    for url in (
        "/staff/employees/",
        f"/staff/employees/{employee.pk}/",
        "/staff/employees/?_export=csv",
    ):
        body = client.get(url).getvalue().decode("utf-8-sig")
        assert "11010519491231002X" not in body, url
    assert "1101**********002X" in client.get(f"/staff/employees/{employee.pk}/").content.decode()
    hr = UserFactory(properties=[home], groups=["hr"])
    client.force_login(hr)
    assert "11010519491231002X" in client.get(f"/staff/employees/{employee.pk}/").content.decode()
    assert "11010519491231002X" in client.get("/staff/employees/?_export=csv").getvalue().decode(
        "utf-8-sig"
    )


def test_the_director_sees_masked_numbers_and_cannot_edit_them(client, home):
    employee = EmployeeFactory(property=home, id_number="11010519491231002X")
    client.force_login(UserFactory(groups=["director"]))
    page = client.get(f"/staff/employees/{employee.pk}/edit/")
    assert "id_number" not in page.context["form"].fields
    assert "11010519491231002X" not in page.content.decode()


def test_id_number_changes_are_masked_in_the_history(client, home):
    employee = EmployeeFactory(property=home, id_number="11010519491231002X")
    employee.id_number = "110105194912310021".replace("21", "3X")
    employee.save()
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    body = client.get(f"/staff/employees/{employee.pk}/").content.decode()
    assert "19491231002X" not in body.split('id="id-number"')[1].split("History")[1]


def test_the_list_flags_missing_and_expired_certificates(client, home):
    electrician = CertificateTypeFactory(name="电工证")
    height = CertificateTypeFactory(name="高处作业证")
    position = PositionFactory(requires=[electrician, height])
    complete = EmployeeFactory(property=home, position=position)
    CertificateFactory(employee=complete, type=electrician)
    CertificateFactory(employee=complete, type=height, expires_on=None)
    missing = EmployeeFactory(property=home, position=position)
    CertificateFactory(employee=missing, type=electrician)
    expired = EmployeeFactory(property=home, position=position)
    CertificateFactory(employee=expired, type=electrician)
    CertificateFactory(
        employee=expired, type=height, expires_on="2025-01-01", issued_on="2020-01-01"
    )
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    rows = {
        r.record.pk: r.record
        for r in client.get("/staff/employees/").context["table"].page.object_list
    }
    assert rows[complete.pk].missing_certificates == 0
    assert not rows[complete.pk].has_expired_certificate
    assert rows[missing.pk].missing_certificates == 1
    assert rows[expired.pk].missing_certificates == 1 and rows[expired.pk].has_expired_certificate
    problem = client.get("/staff/employees/", {"compliance": "problem"}).context["table"]
    assert {r.record.pk for r in problem.page.object_list} == {missing.pk, expired.pk}
    ok = client.get("/staff/employees/", {"compliance": "ok"}).context["table"]
    assert {r.record.pk for r in ok.page.object_list} == {complete.pk}


def test_scan_upload_is_checked_and_served_only_within_the_property(
    client, home, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    employee = EmployeeFactory(property=home)
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    data = {
        "employee": employee.pk,
        "type": CertificateTypeFactory().pk,
        "issued_on": "2025-01-01",
        "expires_on": "2028-01-01",
    }
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post("/staff/certificates/new/", {**data, "scan": fake})
    assert "scan" in response.context["form"].errors
    html = SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post("/staff/certificates/new/", {**data, "scan": html})
    assert "scan" in response.context["form"].errors
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    assert (
        "scan"
        in client.post("/staff/certificates/new/", {**data, "scan": big}).context["form"].errors
    )
    assert not Certificate.objects.exists()
    # The kind comes from the content: a PDF named .exe is stored as the PDF it is.
    good = SimpleUploadedFile("scan.exe", PDF, "application/octet-stream")
    assert client.post("/staff/certificates/new/", {**data, "scan": good}).status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.scan.name.endswith("/scan.pdf")
    response = client.get(f"/staff/certificates/{certificate.pk}/scan/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="scan.pdf"'
    assert b"".join(response.streaming_content) == PDF
    client.force_login(UserFactory(properties=[PropertyFactory()], groups=["hr"]))
    assert client.get(f"/staff/certificates/{certificate.pk}/scan/").status_code == 404


def test_employee_page_shows_the_timeline(client, home):
    employee = EmployeeFactory(property=home)
    CertificateFactory(employee=employee, number="CERT-77")
    EmployeeNoteFactory(employee=employee, summary="雨夜抢修")
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    body = client.get(f"/staff/employees/{employee.pk}/").content.decode()
    assert "CERT-77" in body and "雨夜抢修" in body


def test_the_dashboard_tile_counts_the_users_staff(client, home):
    EmployeeFactory(property=home)
    EmployeeFactory()  # another property
    CertificateFactory(
        employee=EmployeeFactory(property=home), expires_on="2020-01-01", issued_on="2019-01-01"
    )
    client.force_login(UserFactory(properties=[home], groups=["hr"]))
    tile = next(t for t in client.get("/").context["tiles"] if t["area"].app_label == "staff")
    figures = {str(stat.label): stat.value for stat in tile["stats"]}
    assert figures["Employees"] == 2
    assert figures["Expired certificates"] == 1


def test_admin_hides_id_numbers_from_staff_users_without_hr(client, home):
    employee = EmployeeFactory(property=home, id_number="11010519491231002X")
    director = UserFactory(groups=["director"], is_staff=True)
    client.force_login(director)
    page = client.get(f"/admin/staff/employee/{employee.pk}/change/")
    assert page.status_code == 200
    assert "11010519491231002X" not in page.content.decode()
    hr = UserFactory(groups=["hr"], is_staff=True, properties=[home])
    client.force_login(hr)
    assert (
        "11010519491231002X"
        in client.get(f"/admin/staff/employee/{employee.pk}/change/").content.decode()
    )


def test_the_login_choices_of_an_employee(client, home):
    mine = UserFactory(username="mine", properties=[home])
    UserFactory(username="elsewhere", properties=[PropertyFactory()])
    UserFactory(username="boss", groups=["director"], properties=[home])
    client.force_login(UserFactory(groups=["hr"], properties=[home]))
    form = client.get("/staff/employees/new/").context["form"]
    assert {u.username for u in form.fields["user"].queryset} == {"mine"}
    assert mine in form.fields["user"].queryset


def test_admin_history_of_a_model_without_simple_history_is_the_admin_log(client):
    from staff.models import InterviewCriterion

    criterion = InterviewCriterion.objects.create(name="测试标准甲")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    changed = client.post(
        f"/admin/staff/interviewcriterion/{criterion.pk}/change/",
        {"name": "测试标准乙", "order": "3", "active": "on"},
    )
    assert changed.status_code == HTTPStatus.FOUND
    history = client.get(f"/admin/staff/interviewcriterion/{criterion.pk}/history/")
    assert history.status_code == HTTPStatus.OK
    assert [entry.object_id for entry in history.context["action_list"]] == [str(criterion.pk)]
    version = f"/admin/staff/interviewcriterion/{criterion.pk}/history/1/"
    assert client.get(version).status_code == HTTPStatus.NOT_FOUND
