"""core.dates: the windows typed dates must fall in, as validators and as database
constraints (so a script, an import or a bulk update cannot store year 1 or 9999 either)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.dates import validate_record_date, validate_sane_date, within
from facilities.models import Downtime, Equipment
from procurement.models import PurchaseOrder
from staff.models import Certificate, Employee, TrainingSession
from tests.facilities.factories import EquipmentFactory
from tests.procurement.factories import PurchaseOrderFactory
from tests.staff.factories import CertificateFactory, EmployeeFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (validate_sane_date, [D(2000, 1, 1), D(2099, 12, 31)], [D(1999, 12, 31), D(2100, 1, 1)]),
        (validate_record_date, [D(1950, 1, 1), D(1988, 5, 1)], [D(1949, 12, 31), D(9999, 12, 31)]),
    ],
)
def test_the_date_windows(validator, good, bad):
    for value in [*good, None]:
        validator(value)
    for value in [*bad, D(1, 1, 1)]:
        with pytest.raises(ValidationError) as refused:
            validator(value)
        assert refused.value.code == "date_range"


def test_moments_at_the_ends_of_time_are_refused_without_overflowing():
    for moment in (
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=SHANGHAI),  # year 0 in UTC
        datetime.datetime(
            9999, 12, 31, 23, 59, tzinfo=datetime.timezone(-datetime.timedelta(hours=8))
        ),
        datetime.datetime(1999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    ):
        with pytest.raises(ValidationError):
            validate_sane_date(moment)
    validate_sane_date(datetime.datetime(2026, 12, 5, 2, 30, tzinfo=SHANGHAI))
    assert within(D(2050, 6, 1)) and not within(D(1, 1, 1)) and not within(None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "model", "field", "value"),
    [
        (EmployeeFactory, Employee, "hire_date", D(1, 1, 1)),
        (CertificateFactory, Certificate, "expires_on", D(9999, 12, 31)),
        (EquipmentFactory, Equipment, "commissioned_on", D(1949, 12, 31)),
        (PurchaseOrderFactory, PurchaseOrder, "promised_on", D(9999, 12, 31)),
    ],
)
def test_the_database_refuses_dates_out_of_the_window(make, model, field, value):
    obj = make()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: value})


@pytest.mark.django_db
def test_the_database_refuses_moments_out_of_the_window():
    from tests.staff.factories import TrainingSessionFactory

    session = TrainingSessionFactory()
    far = datetime.datetime(2100, 1, 1, 8, 0, tzinfo=SHANGHAI)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingSession.objects.filter(pk=session.pk).update(starts_at=far)
    equipment = EquipmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Downtime.objects.create(
            equipment=equipment,
            reason="failure",
            started_at=datetime.datetime(1999, 6, 1, tzinfo=datetime.UTC),
        )
