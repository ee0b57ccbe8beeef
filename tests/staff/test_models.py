import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staff.models import Certificate, Employee, EmployeeStatus
from staff.validators import mask_id_number, validate_id_number

from .factories import CertificateFactory, CertificateTypeFactory, EmployeeFactory


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "11010519491231002x", "440524188001010014"]
)
def test_valid_id_numbers(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    "value", ["110105194912310021", "1101051949123100", "A1010519491231002X", "11010519491231002Y"]
)
def test_invalid_id_numbers(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


def test_masking():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("1234") == "****"


@pytest.mark.django_db
class TestDatabaseRules:
    def test_probation_needs_an_end_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            EmployeeFactory(status=EmployeeStatus.PROBATION, probation_end=None)

    def test_resigned_needs_a_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            EmployeeFactory(status=EmployeeStatus.RESIGNED)

    def test_no_one_supervises_themselves(self):
        employee = EmployeeFactory()
        employee.supervisor = employee
        with pytest.raises(IntegrityError), transaction.atomic():
            employee.save()

    def test_a_certificate_cannot_expire_before_it_is_issued(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            CertificateFactory(
                issued_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2025, 1, 1)
            )

    def test_certificate_numbers_are_unique_per_type_when_given(self):
        kind = CertificateTypeFactory()
        CertificateFactory(type=kind, number="")
        CertificateFactory(type=kind, number="")
        CertificateFactory(type=kind, number="A1")
        with pytest.raises(IntegrityError), transaction.atomic():
            CertificateFactory(type=kind, number="A1")

    def test_a_login_links_to_one_employee(self):
        first = EmployeeFactory()
        from tests.factories import UserFactory

        first.user = UserFactory()
        first.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            EmployeeFactory(user=first.user)

    def test_the_common_certificate_types_are_there_from_the_start(self):
        from staff.models import CertificateType

        names = set(CertificateType.objects.values_list("name", flat=True))
        assert {"电工特种作业操作证", "健康证", "保安员证", "机动车驾驶证"} <= names


@pytest.mark.django_db
def test_unreplaced_expired_certificates():
    day = datetime.date(2026, 11, 24)
    old = CertificateFactory(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2025, 1, 1)
    )
    lone = CertificateFactory(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2025, 1, 1)
    )
    CertificateFactory(employee=old.employee, type=old.type)
    assert list(Certificate.objects.unreplaced(day)) == [lone]
    assert Employee.objects.count() == 2
