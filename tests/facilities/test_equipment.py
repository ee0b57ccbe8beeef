"""The equipment ledger: its rules, its pages (with the QR label behind login and property
scoping), printable labels, import, and the warranty and certificate reminders."""

import datetime
from http import HTTPStatus

import pytest
import tablib
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.reminders import collect
from facilities.models import Equipment, EquipmentCategory, EquipmentStatus
from facilities.resources import EquipmentResource
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

from .factories import EquipmentCategoryFactory, EquipmentFactory

DAY = datetime.date(2026, 11, 24)


def elevator():
    return EquipmentCategory.objects.get(code="elevator")


class TestEquipmentViews(CrudViewTests):
    model = Equipment
    factory = EquipmentFactory

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "asset_code": "SB-01",
            "name": "生活水泵 1#",
            "category": EquipmentCategoryFactory().pk,
            "location": LocationFactory(property=property_).pk,
            "criticality": "high",
            "status": "in_service",
            "commissioned_on": "2024-05-01",
            "warranty_ends_on": "2027-05-01",
        }


class TestEquipmentCategoryViews(CrudViewTests):
    model = EquipmentCategory
    factory = EquipmentCategoryFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return EquipmentCategoryFactory(code=f"c{EquipmentCategory.objects.count()}")

    def form_data(self, property_):
        return {"code": "solar", "name": "光伏", "sort_order": "5"}


@pytest.mark.django_db
class TestRules:
    def test_the_usual_categories_are_seeded(self):
        codes = set(EquipmentCategory.objects.values_list("code", flat=True))
        assert {"elevator", "fire", "water", "power", "hvac", "lighting", "weak_current"} <= codes
        assert elevator().special and EquipmentCategory.objects.get(code="pressure").special
        assert not EquipmentCategory.objects.get(code="fire").special

    def test_asset_codes_are_unique_per_property_whatever_the_case(self):
        first = EquipmentFactory(asset_code="DT-01")
        with pytest.raises(ValidationError, match="already has equipment"):
            EquipmentFactory.build(
                property=first.property, category=first.category, asset_code="dt-01"
            ).full_clean()
        # Another property may use the same code.
        EquipmentFactory.build(
            property=PropertyFactory(), category=first.category, asset_code="DT-01"
        ).full_clean()

    def test_special_equipment_carries_registration_and_certificate(self):
        lift = EquipmentFactory.build(category=elevator(), property=PropertyFactory())
        with pytest.raises(ValidationError) as caught:
            lift.full_clean()
        assert set(caught.value.message_dict) >= {"registration_number", "certificate_expires_on"}
        lift.registration_number, lift.certificate_expires_on = "31010001", DAY
        lift.full_clean()
        lift.status, lift.registration_number = EquipmentStatus.RETIRED, ""
        lift.full_clean()  # a retired lift needs neither

    def test_location_and_responsible_belong_to_the_property(self):
        home = PropertyFactory()
        item = EquipmentFactory.build(
            property=home,
            category=EquipmentCategoryFactory(),
            location=LocationFactory(),
            responsible=EmployeeFactory(),
        )
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert set(caught.value.message_dict) == {"location", "responsible"}

    def test_the_warranty_cannot_end_before_commissioning(self):
        item = EquipmentFactory.build(
            property=PropertyFactory(),
            category=EquipmentCategoryFactory(),
            commissioned_on=DAY,
            warranty_ends_on=DAY - datetime.timedelta(days=1),
        )
        with pytest.raises(ValidationError, match="before commissioning"):
            item.full_clean()


@pytest.mark.django_db
class TestQrLabels:
    def test_the_qr_page_needs_a_login(self, client):
        item = EquipmentFactory()
        for url in (item.get_absolute_url(), f"/facilities/equipment/{item.pk}/qr.svg"):
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND
            assert "/accounts/login/" in response["Location"]

    def test_the_qr_code_opens_the_equipment_page(self, client):
        item = EquipmentFactory()
        client.force_login(UserFactory(groups=["technician"], properties=[item.property]))
        page = client.get(item.get_absolute_url())
        assert page.status_code == HTTPStatus.OK
        assert "<svg" in page.context["qr"]
        svg = client.get(f"/facilities/equipment/{item.pk}/qr.svg")
        assert svg.status_code == HTTPStatus.OK
        assert svg["Content-Type"] == "image/svg+xml"
        import segno
        from django.conf import settings

        # The site's public address, whatever host the browser used.
        expected = segno.make(f"{settings.SITE_URL}{item.get_absolute_url()}", error="m")
        assert expected.svg_inline(scale=8, border=2) == svg.content.decode()

    def test_another_propertys_equipment_is_a_404(self, client):
        item = EquipmentFactory()
        client.force_login(UserFactory(groups=["technician"], properties=[PropertyFactory()]))
        assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        assert client.get(f"/facilities/equipment/{item.pk}/qr.svg").status_code == 404

    def test_the_label_sheet_prints_the_filtered_equipment(self, client):
        home = PropertyFactory()
        mine = [EquipmentFactory(property=home) for _ in range(3)]
        theirs = EquipmentFactory()
        client.force_login(UserFactory(groups=["facilities_supervisor"], properties=[home]))
        response = client.get("/facilities/equipment/labels/")
        assert response.status_code == HTTPStatus.OK
        shown = [item for item, _qr in response.context["labels"]]
        assert set(shown) == set(mine) and theirs not in shown
        one = client.get("/facilities/equipment/labels/", {"q": mine[0].asset_code})
        assert [item for item, _qr in one.context["labels"]] == [mine[0]]
        assert client.get("/facilities/equipment/labels/", {"status": "??"}).status_code == 200

    def test_the_label_sheet_reads_a_constant_number_of_queries(self, client):
        home = PropertyFactory()
        EquipmentFactory(property=home, location=LocationFactory(property=home))
        client.force_login(UserFactory(groups=["facilities_supervisor"], properties=[home]))
        client.get("/facilities/equipment/labels/")
        with CaptureQueriesContext(connection) as few:
            client.get("/facilities/equipment/labels/")
        for _ in range(6):
            EquipmentFactory(property=home, location=LocationFactory(property=home))
        with CaptureQueriesContext(connection) as many:
            client.get("/facilities/equipment/labels/")
        assert len(many) == len(few)


@pytest.mark.django_db
class TestReminders:
    @pytest.fixture
    def supervisor(self, db):
        home = PropertyFactory()
        return UserFactory(groups=["facilities_supervisor"], properties=[home])

    def kinds(self, user, day, key):
        return [r for r in collect(day).get(user, []) if r.kind.key == key]

    def test_a_warranty_ending_within_30_days_is_reminded_until_it_ends(self, supervisor):
        home = supervisor.properties.get()
        item = EquipmentFactory(property=home, warranty_ends_on=DAY + datetime.timedelta(days=30))
        EquipmentFactory(property=home, warranty_ends_on=DAY + datetime.timedelta(days=31))
        EquipmentFactory(warranty_ends_on=DAY)  # another property's
        found = self.kinds(supervisor, DAY, "facilities.warranty_ending")
        assert [r.obj for r in found] == [item]
        after = DAY + datetime.timedelta(days=32)  # both have ended by then
        assert not self.kinds(supervisor, after, "facilities.warranty_ending")

    def test_an_expired_certificate_stays_reminded_as_a_danger(self, supervisor):
        home = supervisor.properties.get()
        lift = EquipmentFactory(
            property=home,
            category=elevator(),
            registration_number="31010001",
            certificate_expires_on=DAY + datetime.timedelta(days=10),
        )
        soon = self.kinds(supervisor, DAY, "facilities.certificate_expiring")
        assert [(r.obj, r.severity) for r in soon] == [(lift, "warning")]
        late = self.kinds(
            supervisor, DAY + datetime.timedelta(days=40), "facilities.certificate_expiring"
        )
        assert [(r.obj, r.severity) for r in late] == [(lift, "danger")]
        lift.status = EquipmentStatus.RETIRED
        lift.save()
        assert not self.kinds(supervisor, DAY, "facilities.certificate_expiring")


@pytest.mark.django_db
class TestExpiringFilter:
    """The dashboard tile's link: one filter over both dates (SQLite once answered 500 to a
    union of two ordered queries)."""

    @time_machine.travel("2026-11-24 10:00 +0800", tick=False)
    def test_the_list_shows_what_expires_within_30_days(self, client):
        home = PropertyFactory()
        days = datetime.timedelta
        warranty = EquipmentFactory(property=home, warranty_ends_on=DAY + days(30))
        EquipmentFactory(property=home, warranty_ends_on=DAY - days(1))  # ended: not shown
        lift = EquipmentFactory(
            property=home,
            category=elevator(),
            registration_number="31010001",
            certificate_expires_on=DAY - days(5),  # expired: still shown
        )
        both = EquipmentFactory(
            property=home, warranty_ends_on=DAY, certificate_expires_on=DAY + days(3)
        )
        later = EquipmentFactory(property=home, warranty_ends_on=DAY + days(31))
        plain = EquipmentFactory(property=home)
        EquipmentFactory(property=home, status=EquipmentStatus.RETIRED, warranty_ends_on=DAY)
        EquipmentFactory(warranty_ends_on=DAY)  # another property's
        client.force_login(UserFactory(groups=["facilities_supervisor"], properties=[home]))

        response = client.get("/facilities/equipment/", {"expiring": "true"})
        assert response.status_code == HTTPStatus.OK
        shown = {row.record for row in response.context["table"].rows}
        assert shown == {warranty, lift, both}

        rest = client.get("/facilities/equipment/", {"expiring": "false"})
        assert rest.status_code == HTTPStatus.OK
        assert {row.record for row in rest.context["table"].rows} >= {later, plain}
        assert not {row.record for row in rest.context["table"].rows} & shown


@pytest.mark.django_db
class TestImport:
    def dataset(self, *rows):
        data = tablib.Dataset(headers=["property", "asset_code", "name", "category", "status"])
        for row in rows:
            data.append(row)
        return data

    def test_rows_of_a_property_the_user_cannot_see_fail_the_whole_file(self):
        home, other = PropertyFactory(code="AAA"), PropertyFactory(code="BBB")
        EquipmentCategoryFactory(code="water")
        user = UserFactory(groups=["facilities_supervisor"], properties=[home])
        result = EquipmentResource(user=user).import_data(
            self.dataset(
                ["AAA", "SB-01", "水泵 1#", "water", "in_service"],
                ["BBB", "SB-02", "水泵 2#", "water", "in_service"],
            ),
            dry_run=False,
        )
        assert result.has_errors() or result.has_validation_errors()
        assert not Equipment.objects.exists()
        ok = EquipmentResource(user=user).import_data(
            self.dataset(["AAA", "SB-01", "水泵 1#", "water", "in_service"]), dry_run=False
        )
        assert not ok.has_errors() and not ok.has_validation_errors()
        assert Equipment.objects.get().property == home
        assert other.equipment.count() == 0


@pytest.mark.django_db
def test_the_dashboard_tile_counts_the_users_equipment():
    home = PropertyFactory()
    EquipmentFactory(property=home)
    EquipmentFactory(property=home, status=EquipmentStatus.FAULTY)
    EquipmentFactory(property=home, status=EquipmentStatus.RETIRED)
    EquipmentFactory()  # another property's
    from django.test import RequestFactory

    from facilities.dashboard import equipment_figures

    request = RequestFactory().get("/")
    request.user = UserFactory(groups=["facilities_supervisor"], properties=[home])
    values = {str(stat.label): stat.value for stat in equipment_figures(request)}
    assert values == {"Equipment in use": 2, "Faulty or stopped": 1, "Certificates expiring": 0}
