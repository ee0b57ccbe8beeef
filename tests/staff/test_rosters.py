"""Rosters: conflicts, rest, the qualification gate, bulk and rotation, the grid, gaps."""

import datetime
import threading
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.reminders import collect
from staff import services
from staff.models import EmployeeStatus, Post, RotationPattern, Shift, ShiftType
from tests.crud import CrudViewTests
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    CertificateFactory,
    CertificateTypeFactory,
    EmployeeFactory,
    PostFactory,
    ShiftTypeFactory,
)

DAY = datetime.date(2026, 11, 25)


@pytest.fixture
def site(db):
    home = PropertyFactory()
    licence = CertificateTypeFactory(name="保安员证")
    gate = PostFactory(property=home, name="南门")
    gate.required_certificate_types.add(licence)
    day = ShiftTypeFactory(name="白班", code="D", start=datetime.time(8), end=datetime.time(20))
    night = ShiftTypeFactory(name="夜班", code="N", start=datetime.time(20), end=datetime.time(8))
    gate.shift_types.add(day, night)
    guard = EmployeeFactory(property=home)
    CertificateFactory(
        employee=guard,
        type=licence,
        issued_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2026, 12, 31),
    )
    return {
        "home": home,
        "gate": gate,
        "day": day,
        "night": night,
        "guard": guard,
        "licence": licence,
        "hr": UserFactory(groups=["hr"], properties=[home]),
    }


def shift(site, day=DAY, kind="day", employee=None, post=None):
    return Shift(
        employee=employee or site["guard"],
        post=post or site["gate"],
        shift_type=site[kind],
        date=day,
    )


class TestShiftTypeViews(CrudViewTests):
    model = ShiftType
    factory = ShiftTypeFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return ShiftTypeFactory()

    def form_data(self, property_):
        return {"name": "早班", "code": "E", "start": "07:00", "end": "15:00"}


class TestPostViews(CrudViewTests):
    model = Post
    factory = PostFactory

    def form_data(self, property_):
        return {"property": property_.pk, "name": "北门", "headcount": 1, "active": "on"}


class TestRotationPatternViews(CrudViewTests):
    model = RotationPattern
    factory = None
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        ShiftTypeFactory(code="D")
        return RotationPattern.objects.create(
            name=f"轮班{RotationPattern.objects.count()}", sequence="D -"
        )

    def form_data(self, property_):
        ShiftTypeFactory(code="D")
        return {"name": "白休", "sequence": "D D - -"}

    def test_unknown_codes_are_refused(self, client, home):
        client.force_login(self.user("view", "add", properties=[home]))
        response = client.post(self.url("add"), {"name": "x", "sequence": "D Q -"})
        assert "sequence" in response.context["form"].errors


@pytest.mark.django_db
class TestAssign:
    def test_a_night_shift_crosses_midnight(self, site):
        night = services.assign_shifts([shift(site, kind="night")], by=site["hr"])[0]
        assert (night.ends_at - night.starts_at) == datetime.timedelta(hours=12)
        assert timezone.localtime(night.ends_at).date() == DAY + datetime.timedelta(days=1)

    def test_double_booking_is_refused(self, site):
        services.assign_shifts([shift(site)], by=site["hr"])
        other_post = PostFactory(property=site["home"])
        with pytest.raises(ValidationError, match="already on"):
            services.assign_shifts([shift(site, post=other_post)], by=site["hr"])

    def test_too_little_rest_is_refused(self, site, settings):
        settings.ROSTER_MIN_REST_HOURS = 8
        services.assign_shifts([shift(site)], by=site["hr"])  # 08:00–20:00
        with pytest.raises(ValidationError, match="rest"):  # 20:00 the same day
            services.assign_shifts([shift(site, kind="night")], by=site["hr"])
        # The night before ends at 08:00, right when the day shift starts: no rest either.
        with pytest.raises(ValidationError, match="rest"):
            services.assign_shifts(
                [shift(site, DAY - datetime.timedelta(days=1), "night")], by=site["hr"]
            )
        services.assign_shifts([shift(site, DAY + datetime.timedelta(days=1))], by=site["hr"])

    def test_the_qualification_gate(self, site):
        unlicensed = EmployeeFactory(property=site["home"])
        with pytest.raises(ValidationError, match="requires a valid 保安员证"):
            services.assign_shifts([shift(site, employee=unlicensed)], by=site["hr"])
        # Valid until 31 December: rostered on the 31st, refused on 1 January.
        services.assign_shifts([shift(site, datetime.date(2026, 12, 31), "day")], by=site["hr"])
        with pytest.raises(ValidationError, match="保安员证"):
            services.assign_shifts([shift(site, datetime.date(2027, 1, 2))], by=site["hr"])
        # A night shift starting on the 30th ends on the 31st: still covered.
        services.assign_shifts([shift(site, datetime.date(2026, 12, 29), "night")], by=site["hr"])

    def test_a_night_shift_must_be_covered_until_it_ends(self, site):
        # Starting on the 31st, it ends in the new year, after the expiry.
        with pytest.raises(ValidationError, match="保安员证"):
            services.assign_shifts(
                [shift(site, datetime.date(2026, 12, 31), "night")], by=site["hr"]
            )

    def test_leave_and_other_properties_are_refused(self, site):
        away = EmployeeFactory(
            property=site["home"],
            status=EmployeeStatus.ON_LEAVE,
            leave_start=DAY - datetime.timedelta(days=2),
        )
        stranger = EmployeeFactory()
        free_post = PostFactory(property=site["home"])
        with pytest.raises(ValidationError, match="on leave"):
            services.assign_shifts([shift(site, employee=away, post=free_post)], by=site["hr"])
        with pytest.raises(ValidationError, match="another property"):
            services.assign_shifts([shift(site, employee=stranger, post=free_post)], by=site["hr"])

    def test_a_batch_is_all_or_nothing_and_checks_itself(self, site):
        batch = [shift(site, DAY + datetime.timedelta(days=n)) for n in range(3)]
        batch.append(shift(site, DAY, "night"))  # clashes with the first of the batch
        with pytest.raises(ValidationError):
            services.assign_shifts(batch, by=site["hr"])
        assert not Shift.objects.exists()

    def test_a_rotation_rolls_out_the_pattern(self, site):
        pattern = RotationPattern.objects.create(name="两白两夜两休", sequence="D D N N - -")
        shifts = services.rotation_shifts(site["guard"], site["gate"], pattern, DAY, 8)
        assert [(s.date - DAY).days for s in shifts] == [0, 1, 2, 3, 6, 7]
        assert [s.shift_type.code for s in shifts] == ["D", "D", "N", "N", "D", "D"]


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_rostering_the_same_guard_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    home = PropertyFactory()
    post_a, post_b = PostFactory(property=home), PostFactory(property=home)
    day = ShiftTypeFactory(code="D", start=datetime.time(8), end=datetime.time(20))
    guard = EmployeeFactory(property=home)
    hr = UserFactory(groups=["hr"])
    barrier, outcomes = threading.Barrier(2), []

    def roster(post):
        try:
            barrier.wait()
            services.assign_shifts(
                [Shift(employee=guard, post=post, shift_type=day, date=DAY)], by=hr
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # the unique constraint, if the lock were missing
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=roster, args=(p,)) for p in (post_a, post_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Shift.objects.count() == 1


@pytest.mark.django_db
class TestPages:
    def test_the_grid_costs_the_same_whatever_the_team(self, client, site):
        client.force_login(site["hr"])
        url = f"/staff/roster/?property={site['home'].pk}&week=2026-11-23"
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == HTTPStatus.OK
        for n in range(6):
            person = EmployeeFactory(property=site["home"])
            CertificateFactory(employee=person, type=site["licence"])
            services.assign_shifts(
                [shift(site, DAY + datetime.timedelta(days=n % 3), employee=person)], by=site["hr"]
            )
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["rows"]) == 7
        assert len(many) == len(few)

    def test_bulk_assignment_from_the_grid(self, client, site):
        client.force_login(site["hr"])
        data = {
            "property": site["home"].pk,
            "week": "2026-11-23",
            "employees": [site["guard"].pk],
            "post": site["gate"].pk,
            "shift_type": site["day"].pk,
            "start": "2026-11-23",
            "end": "2026-11-29",
            "weekdays": [0, 2, 4],
        }
        response = client.post("/staff/roster/assign/", data)
        assert response.status_code == HTTPStatus.FOUND
        assert sorted(s.date.weekday() for s in Shift.objects.all()) == [0, 2, 4]
        unlicensed = EmployeeFactory(property=site["home"])
        response = client.post(
            "/staff/roster/assign/", {**data, "employees": [unlicensed.pk]}, follow=True
        )
        assert "保安员证" in response.content.decode()
        assert Shift.objects.count() == 3
        bad = client.post("/staff/roster/assign/", {**data, "end": "2026-11-01"}, follow=True)
        assert bad.status_code == HTTPStatus.OK and Shift.objects.count() == 3

    def test_rostering_next_week_stays_on_next_week(self, client, site):
        """Issue 12: after rostering next week the grid jumped back to this week."""
        client.force_login(site["hr"])
        shown = {"property": site["home"].pk, "week": "2026-11-23"}
        response = client.post(
            "/staff/roster/assign/",
            {
                **shown,
                "employees": [site["guard"].pk],
                "post": site["gate"].pk,
                "shift_type": site["day"].pk,
                "start": "2026-12-01",
                "end": "2026-12-03",
                "weekdays": [0, 1, 2, 3, 4, 5, 6],
            },
            follow=True,
        )
        assert Shift.objects.count() == 3
        assert response.context["days"][0] == datetime.date(2026, 11, 30)
        assert response.context["property"] == site["home"]
        row = dict(response.context["rows"])[site["guard"]]
        assert [len(cell) for cell in row] == [0, 1, 1, 1, 0, 0, 0]
        pattern = RotationPattern.objects.create(name="白班", sequence="D")
        rotated = client.post(
            "/staff/roster/rotate/",
            {
                **shown,
                "employee": site["guard"].pk,
                "post": site["gate"].pk,
                "pattern": pattern.pk,
                "start": "2026-12-08",
                "days": "2",
            },
            follow=True,
        )
        assert Shift.objects.count() == 5
        assert rotated.context["days"][0] == datetime.date(2026, 12, 7)
        # A refused batch also shows the week it was about.
        refused = client.post(
            "/staff/roster/rotate/",
            {
                **shown,
                "employee": site["guard"].pk,
                "post": site["gate"].pk,
                "pattern": pattern.pk,
                "start": "2026-12-08",
                "days": "2",
            },
            follow=True,
        )
        assert Shift.objects.count() == 5
        assert refused.context["days"][0] == datetime.date(2026, 12, 7)

    def test_the_default_grid_is_one_with_a_roster(self, client, site):
        """Issue 12: the director's first property had nobody on it, an empty grid."""
        empty = PropertyFactory(code="AAA")  # sorts before the one with the roster
        director = UserFactory(groups=["director"])
        services.assign_shifts([shift(site)], by=site["hr"])
        client.force_login(director)
        response = client.get("/staff/roster/", {"week": "2026-11-23"})
        assert list(response.context["properties"]).index(empty) == 0
        assert response.context["property"] == site["home"]
        assert len(response.context["rows"]) == 1
        # The property asked for wins; someone with a staff record opens their own.
        asked = client.get("/staff/roster/", {"week": "2026-11-23", "property": empty.pk})
        assert asked.context["property"] == empty
        EmployeeFactory(property=empty, user=director)
        own = client.get("/staff/roster/", {"week": "2026-11-23"})
        assert own.context["property"] == empty

    def test_the_grid_of_another_property_is_not_offered(self, client, site):
        client.force_login(UserFactory(groups=["hr"], properties=[PropertyFactory()]))
        response = client.get(f"/staff/roster/?property={site['home'].pk}")
        assert response.context["property"] != site["home"]
        post = client.post("/staff/roster/assign/", {"property": site["home"].pk})
        assert post.status_code == HTTPStatus.NOT_FOUND

    def test_a_single_shift_form_runs_the_same_checks(self, client, site):
        client.force_login(site["hr"])
        unlicensed = EmployeeFactory(property=site["home"])
        response = client.post(
            "/staff/shifts/new/",
            {
                "employee": unlicensed.pk,
                "post": site["gate"].pk,
                "shift_type": site["day"].pk,
                "date": DAY.isoformat(),
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert "保安员证" in str(response.context["form"].non_field_errors())
        assert not Shift.objects.exists()


@pytest.mark.django_db
def test_tomorrows_gaps_are_reminded(site):
    boss = UserFactory(properties=[site["home"]])
    site["gate"].supervisor = EmployeeFactory(property=site["home"], user=boss)
    site["gate"].save()
    services.assign_shifts([shift(site, DAY)], by=site["hr"])
    found = collect(DAY - datetime.timedelta(days=1))
    gaps = [r for r in found[boss] if r.kind.key == "staff.roster_gap"]
    assert len(gaps) == 1 and "夜班" in str(gaps[0].note)
    assert any(r.kind.key == "staff.roster_gap" for r in found[site["hr"]])


@pytest.mark.django_db
class TestMoreRules:
    def test_no_shifts_before_hiring_after_leaving_or_during_booked_leave(self, site):
        late = EmployeeFactory(property=site["home"], hire_date=DAY + datetime.timedelta(days=5))
        post = PostFactory(property=site["home"])
        with pytest.raises(ValidationError, match="not yet hired"):
            services.assign_shifts([shift(site, employee=late, post=post)], by=site["hr"])
        booked = EmployeeFactory(
            property=site["home"], leave_start=DAY, leave_end=DAY + datetime.timedelta(days=3)
        )
        with pytest.raises(ValidationError, match="on leave"):
            services.assign_shifts([shift(site, employee=booked, post=post)], by=site["hr"])
        services.assign_shifts(
            [shift(site, DAY + datetime.timedelta(days=4), employee=booked, post=post)],
            by=site["hr"],
        )

    def test_a_pattern_with_a_vanished_code_is_refused_politely(self, client, site):
        pattern = RotationPattern.objects.create(name="旧", sequence="D X")
        client.force_login(site["hr"])
        response = client.post(
            "/staff/roster/rotate/",
            {
                "property": site["home"].pk,
                "employee": site["guard"].pk,
                "post": site["gate"].pk,
                "pattern": pattern.pk,
                "start": DAY.isoformat(),
                "days": 4,
            },
            follow=True,
        )
        assert response.status_code == HTTPStatus.OK
        assert "no longer exist" in response.content.decode()
        assert not Shift.objects.exists()

    def test_far_off_or_bad_input_is_an_error_not_a_crash(self, client, site):
        client.force_login(site["hr"])
        assert client.get("/staff/roster/?week=0001-01-01").status_code == HTTPStatus.OK
        assert client.get("/staff/roster/?week=9999-12-31").status_code == HTTPStatus.OK
        assert client.post("/staff/roster/assign/", {"property": "abc"}).status_code == 404
        response = client.post(
            "/staff/shifts/new/",
            {
                "employee": site["guard"].pk,
                "post": site["gate"].pk,
                "shift_type": site["day"].pk,
                "date": "9999-12-31",
            },
        )
        assert "date" in response.context["form"].errors
