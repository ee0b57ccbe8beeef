"""Suppliers: the credit-code check, statuses, documents and their reminders, import."""

import datetime
from http import HTTPStatus

import pytest
import tablib
from django.core.exceptions import ValidationError

from core.reminders import collect
from procurement.models import Supplier, SupplierDocument
from procurement.resources import SupplierResource
from procurement.validators import validate_credit_code
from tests.crud import CrudViewTests
from tests.factories import UserFactory

from .factories import SupplierFactory, credit_code

DOCS = {
    "documents-TOTAL_FORMS": "1",
    "documents-INITIAL_FORMS": "0",
    "documents-MIN_NUM_FORMS": "0",
    "documents-MAX_NUM_FORMS": "1000",
}


@pytest.mark.parametrize("code", ["91440300708461136T", "91350100M000100Y43", "91110000600037341l"])
def test_real_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code", ["91440300708461136X", "9144030070846113", "91440300708461136I", "ABCDEFGHJKLMNPQRTU"]
)
def test_bad_credit_codes_fail(code):
    with pytest.raises(ValidationError):
        validate_credit_code(code)


class TestSupplierViews(CrudViewTests):
    model = Supplier
    factory = SupplierFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return SupplierFactory()

    def form_data(self, property_):
        return {
            "name": "新供应商",
            "credit_code": credit_code(99999),
            "status": "candidate",
            **DOCS,
            "documents-0-kind": "licence",
            "documents-0-issued_on": "2024-01-01",
        }

    def edit_data(self, obj):
        return {"name": obj.name, "credit_code": obj.credit_code, "status": "approved", **DOCS}


@pytest.mark.django_db
class TestRules:
    def test_a_suspension_needs_a_reason(self, client):
        client.force_login(UserFactory(groups=["stores"]))
        response = client.post(
            "/procurement/suppliers/new/",
            {"name": "x", "credit_code": credit_code(1), "status": "suspended", **DOCS},
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not Supplier.objects.exists()

    def test_credit_codes_are_unique_whatever_the_case(self, client):
        SupplierFactory(credit_code="91110000600037341L")
        client.force_login(UserFactory(groups=["stores"]))
        response = client.post(
            "/procurement/suppliers/new/",
            {"name": "x", "credit_code": "91110000600037341l", "status": "candidate", **DOCS},
        )
        assert response.status_code == HTTPStatus.OK
        assert Supplier.objects.count() == 1

    def test_a_bad_document_saves_nothing(self, client):
        client.force_login(UserFactory(groups=["stores"]))
        response = client.post(
            "/procurement/suppliers/new/",
            {
                "name": "x",
                "credit_code": credit_code(2),
                "status": "candidate",
                **DOCS,
                "documents-0-kind": "permit",
                "documents-0-issued_on": "2026-01-01",
                "documents-0-expires_on": "2025-01-01",
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert not Supplier.objects.exists() and not SupplierDocument.objects.exists()

    def test_expiring_documents_are_reminded_until_renewed(self):
        stores = UserFactory(groups=["stores"])
        supplier = SupplierFactory()
        permit = SupplierDocument.objects.create(
            supplier=supplier,
            kind="permit",
            issued_on=datetime.date(2024, 1, 1),
            expires_on=datetime.date(2026, 12, 20),
        )
        day = datetime.date(2026, 11, 24)
        assert [r.obj for r in collect(day)[stores]] == [permit]
        assert collect(datetime.date(2026, 11, 19)).get(stores) is None
        SupplierDocument.objects.create(
            supplier=supplier,
            kind="permit",
            issued_on=datetime.date(2026, 11, 1),
            expires_on=datetime.date(2029, 12, 20),
        )
        assert collect(day).get(stores) is None

    def test_import_checks_every_code(self):
        dataset = tablib.Dataset(
            [credit_code(5), "甲公司", "", "", "", "", "approved", "", ""],
            ["91440300708461136X", "乙公司", "", "", "", "", "approved", "", ""],
            headers=[
                "credit_code",
                "name",
                "contact",
                "phone",
                "email",
                "address",
                "status",
                "status_reason",
                "note",
            ],
        )
        result = SupplierResource().import_data(dataset, dry_run=False)
        assert result.has_errors() or result.has_validation_errors()
        assert not Supplier.objects.exists()
