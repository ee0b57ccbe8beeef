"""Stock counts: the snapshot, counting while goods keep moving, submission with reasons,
variances posted once as COUNT movements (at once or after the director's approval), the
daily task that opens the counts due, and the pages."""

import csv
import datetime
import io
import threading
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from procurement import services
from procurement.models import (
    CountStatus,
    MovementKind,
    StockBalance,
    StockCount,
    StockMovement,
)
from procurement.tasks import open_due_counts_task
from tests.factories import PropertyFactory, UserFactory

from .factories import ItemFactory, StockLevelFactory, StoreroomFactory

NOW = "2026-11-24 10:00 +0800"
TODAY = datetime.date(2026, 11, 24)


def stock(item, room, quantity, cost, by):
    return services.post_movement(item, room, quantity, MovementKind.OPENING, by=by, unit_cost=cost)


def csv_rows(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def lines_by_item(count):
    return {line.item: line for line in count.lines.select_related("item")}


def count_everything(count, found, *, by, reasons=None):
    """Record ``found`` (item → quantity) on ``count`` with the reasons given."""
    reasons = reasons or {}
    entries = {
        line.pk: (found[item], reasons.get(item, "")) for item, line in lines_by_item(count).items()
    }
    services.record_counts(count, entries, by=by)


@pytest.fixture
def keeper(db):
    return UserFactory(groups=["stores"])


@pytest.fixture
def director(db):
    return UserFactory(groups=["director"])


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
class TestOpening:
    def test_the_snapshot_holds_the_book_and_the_items_the_room_should_hold(self, keeper):
        room = StoreroomFactory()
        held = ItemFactory(standard_price=Decimal("9.00"))
        stock(held, room, 10, Decimal("2.00"), keeper)
        emptied = ItemFactory(standard_price=Decimal("4.00"))
        stock(emptied, room, 5, Decimal("1.00"), keeper)
        services.issue_items(room, {emptied: 5}, by=keeper)  # a balance row at 0
        never = StockLevelFactory(storeroom=room, item=ItemFactory(standard_price=Decimal("3.50")))
        StockLevelFactory(storeroom=room, item=ItemFactory(active=False))  # retired: not counted
        elsewhere = ItemFactory()
        stock(elsewhere, StoreroomFactory(property=room.property), 7, 1, keeper)

        count = services.open_count(room, by=keeper)

        found = {
            item: (line.book_quantity, line.unit_cost, line.counted)
            for item, line in lines_by_item(count).items()
        }
        assert found == {
            held: (10, Decimal("2.00"), None),
            emptied: (0, Decimal("4.00"), None),  # nothing left: the standard price
            never.item: (0, Decimal("3.50"), None),
        }
        assert count.status == CountStatus.OPEN and not count.blind
        assert count.scheduled_for == timezone.localdate()
        with pytest.raises(ValidationError, match="being counted already"):
            services.open_count(room, by=keeper)
        assert StockCount.objects.filter(storeroom=room).count() == 1

    def test_a_blind_room_opens_blind_counts_and_inactive_rooms_none(self, keeper):
        room = StoreroomFactory(blind_count=True)
        assert services.open_count(room, by=keeper, day=TODAY).blind
        closed = StoreroomFactory(active=False)
        with pytest.raises(ValidationError, match="not active"):
            services.open_count(closed, by=keeper)
        assert not StockCount.objects.filter(storeroom=closed).exists()

    def test_one_count_per_room_and_day(self, keeper):
        room = StoreroomFactory()
        count = services.open_count(room, by=keeper, day=TODAY)
        services.cancel_count(count, by=keeper)
        with pytest.raises(ValidationError, match="already has a count for this day"):
            services.open_count(room, by=keeper, day=TODAY)
        assert services.open_count(room, by=keeper, day=TODAY + datetime.timedelta(days=1))


@pytest.mark.django_db
class TestCounting:
    def test_recording_stamps_the_moment_of_each_count(self, keeper, clock):
        room = StoreroomFactory()
        item = ItemFactory()
        stock(item, room, 4, 1, keeper)
        count = services.open_count(room, by=keeper)
        line = count.lines.get()
        clock.shift(300)
        assert services.record_counts(count, {line.pk: (Decimal("3.5"), "")}, by=keeper) == 1
        line.refresh_from_db()
        stamped = line.counted_at
        assert line.counted == Decimal("3.5")
        assert stamped == count.snapshot_at + datetime.timedelta(seconds=300)
        clock.shift(60)
        # Only the reason changes: the moment of the count stays.
        services.record_counts(count, {line.pk: (Decimal("3.5"), " 破损 ")}, by=keeper)
        line.refresh_from_db()
        assert (line.reason, line.counted_at) == ("破损", stamped)
        # The same entry again changes nothing.
        assert services.record_counts(count, {line.pk: (Decimal("3.5"), "破损")}, by=keeper) == 0
        services.record_counts(count, {line.pk: (None, "")}, by=keeper)
        line.refresh_from_db()
        assert line.counted is None and line.counted_at is None

    def test_counts_are_zero_or_more_with_three_decimals(self, keeper):
        room = StoreroomFactory()
        stock(ItemFactory(), room, 4, 1, keeper)
        count = services.open_count(room, by=keeper)
        line = count.lines.get()
        for bad in (Decimal(-1), Decimal("1.0005"), Decimal("NaN")):
            with pytest.raises(ValidationError):
                services.record_counts(count, {line.pk: (bad, "")}, by=keeper)
        line.refresh_from_db()
        assert line.counted is None

    def test_goods_moved_while_counting_are_not_variances(self, keeper, clock):
        room = StoreroomFactory()
        issued_first, counted_first = ItemFactory(), ItemFactory()
        stock(issued_first, room, 10, 1, keeper)
        stock(counted_first, room, 5, 1, keeper)
        clock.shift(60)
        count = services.open_count(room, by=keeper)
        lines = lines_by_item(count)
        clock.shift(60)
        # Issued after the snapshot, before its line is counted: 7 on the shelf is right.
        services.issue_items(room, {issued_first: 3}, by=keeper)
        clock.shift(60)
        services.record_counts(count, {lines[issued_first].pk: (7, "")}, by=keeper)
        services.record_counts(count, {lines[counted_first].pk: (5, "")}, by=keeper)
        clock.shift(60)
        # Issued after its line was counted: the 5 counted were right when counted.
        services.issue_items(room, {counted_first: 2}, by=keeper)
        clock.shift(60)

        count = services.submit_count(count, by=keeper)

        expected = {item: line.expected for item, line in lines_by_item(count).items()}
        assert expected == {issued_first: 7, counted_first: 5}
        assert count.status == CountStatus.POSTED
        assert (count.lines_counted, count.lines_matching) == (2, 2)
        assert count.variance_value == 0 and count.variance_abs_value == 0
        assert count.accuracy == 1
        assert not StockMovement.objects.filter(kind=MovementKind.COUNT).exists()
        assert StockBalance.objects.get(item=counted_first, storeroom=room).quantity == 3

    def test_submitting_needs_every_line_counted_and_every_variance_explained(self, keeper):
        room = StoreroomFactory()
        short, fine = ItemFactory(), ItemFactory()
        stock(short, room, 10, 1, keeper)
        stock(fine, room, 2, 1, keeper)
        count = services.open_count(room, by=keeper)
        lines = lines_by_item(count)
        services.record_counts(count, {lines[short].pk: (9, "")}, by=keeper)
        with pytest.raises(ValidationError, match="1 lines are not counted yet"):
            services.submit_count(count, by=keeper)
        services.record_counts(count, {lines[fine].pk: (2, "")}, by=keeper)
        with pytest.raises(ValidationError, match="reason for each variance"):
            services.submit_count(count, by=keeper)
        count.refresh_from_db()
        assert count.status == CountStatus.OPEN and count.submitted_at is None
        assert not StockMovement.objects.filter(kind=MovementKind.COUNT).exists()
        services.record_counts(count, {lines[short].pk: (9, "丢失")}, by=keeper)
        assert services.submit_count(count, by=keeper).status == CountStatus.POSTED
        with pytest.raises(ValidationError, match="“Posted” and cannot be submitted"):
            services.submit_count(count, by=keeper)
        assert StockMovement.objects.filter(kind=MovementKind.COUNT).count() == 1


@pytest.mark.django_db
class TestPosting:
    def test_exactly_the_variances_are_posted(self, keeper):
        room = StoreroomFactory()
        lost = ItemFactory()
        stock(lost, room, 10, Decimal("2.00"), keeper)  # value 20.00
        found = StockLevelFactory(storeroom=room, item=ItemFactory(standard_price=10)).item
        matching = ItemFactory()
        stock(matching, room, 5, Decimal("1.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(
            count,
            {lost: 8, found: 3, matching: 5},
            by=keeper,
            reasons={lost: "破损丢弃", found: "未入账"},
        )

        count = services.submit_count(count, by=keeper)

        assert count.status == CountStatus.POSTED and count.posted_at is not None
        assert count.submitted_by == keeper
        assert (count.lines_counted, count.lines_matching) == (3, 1)
        assert count.accuracy == pytest.approx(1 / 3)
        assert count.variance_value == Decimal("26.00")  # −4.00 + 30.00
        assert count.variance_abs_value == Decimal("34.00")
        moves = {
            m.item: (m.quantity, m.unit_cost, m.value, m.balance_after, m.note, m.reference)
            for m in StockMovement.objects.filter(kind=MovementKind.COUNT)
        }
        assert moves == {
            lost: (-2, Decimal("2.00"), Decimal("-4.00"), 8, "破损丢弃", str(count)),
            found: (3, Decimal("10.00"), Decimal("30.00"), 3, "未入账", str(count)),
        }
        lines = lines_by_item(count)
        assert lines[matching].movement is None
        assert lines[lost].movement.quantity == -2
        assert lines[found].variance_value == Decimal("30.00")
        balances = {
            b.item: (b.quantity, b.value) for b in StockBalance.objects.filter(storeroom=room)
        }
        assert balances == {
            lost: (8, Decimal("16.00")),
            found: (3, Decimal("30.00")),
            matching: (5, Decimal("5.00")),
        }

    def test_large_variances_wait_for_the_director(self, keeper, director):
        room = StoreroomFactory()
        item = ItemFactory()
        stock(item, room, 20, Decimal("100.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(count, {item: 5}, by=keeper, reasons={item: "被盗"})

        count = services.submit_count(count, by=keeper)

        assert count.status == CountStatus.SUBMITTED
        assert count.variance_abs_value == Decimal("1500.00")
        assert not StockMovement.objects.filter(kind=MovementKind.COUNT).exists()
        with pytest.raises(ValidationError, match="approved by the director"):
            services.approve_count(count, by=keeper)
        count.refresh_from_db()
        assert count.status == CountStatus.SUBMITTED and count.approved_by is None

        services.approve_count(count, by=director)

        count.refresh_from_db()
        assert (count.status, count.approved_by) == (CountStatus.POSTED, director)
        move = StockMovement.objects.get(kind=MovementKind.COUNT)
        assert (move.quantity, move.value, move.balance_after, move.by) == (
            -15,
            Decimal("-1500.00"),
            5,
            director,
        )
        with pytest.raises(ValidationError, match="“Posted” and cannot be approved"):
            services.approve_count(count, by=director)
        assert StockMovement.objects.filter(kind=MovementKind.COUNT).count() == 1
        assert StockBalance.objects.get(item=item, storeroom=room).quantity == 5

    def test_the_limit_is_a_setting(self, keeper, settings):
        settings.PROCUREMENT_COUNT_APPROVAL_VALUE = 10
        room = StoreroomFactory()
        item = ItemFactory()
        stock(item, room, 20, Decimal("6.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(count, {item: 18}, by=keeper, reasons={item: "损耗"})
        assert services.submit_count(count, by=keeper).status == CountStatus.SUBMITTED
        settings.PROCUREMENT_COUNT_APPROVAL_VALUE = 12  # exactly at the limit: posted
        other = StoreroomFactory()
        stock(item, other, 20, Decimal("6.00"), keeper)
        count = services.open_count(other, by=keeper)
        count_everything(count, {item: 18}, by=keeper, reasons={item: "损耗"})
        assert services.submit_count(count, by=keeper).status == CountStatus.POSTED

    def test_cancelling_posts_nothing(self, keeper):
        room = StoreroomFactory()
        item = ItemFactory()
        stock(item, room, 20, Decimal("100.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(count, {item: 1}, by=keeper, reasons={item: "?"})
        services.submit_count(count, by=keeper)
        director = UserFactory(groups=["director"])
        # Waiting for the director: the storekeeper cannot drop the variances.
        with pytest.raises(ValidationError, match="director"):
            services.cancel_count(count, by=keeper)
        services.cancel_count(count, by=director)
        count.refresh_from_db()
        assert count.status == CountStatus.CANCELLED
        with pytest.raises(ValidationError, match="“Cancelled” and cannot be cancelled"):
            services.cancel_count(count, by=director)
        with pytest.raises(ValidationError):
            services.approve_count(count, by=director)
        assert not StockMovement.objects.filter(kind=MovementKind.COUNT).exists()
        assert services.open_count(room, by=keeper, day=TODAY + datetime.timedelta(days=400))


@pytest.mark.django_db
class TestSchedule:
    def room(self, **kwargs):
        return StoreroomFactory(**{"count_every_months": 1, "next_count_on": TODAY, **kwargs})

    def test_the_count_due_today_opens_once(self, keeper, clock):
        room = self.room()
        later = self.room(next_count_on=TODAY + datetime.timedelta(days=1))
        opened = services.open_due_counts(TODAY)
        assert [(c.storeroom, c.scheduled_for) for c in opened] == [(room, TODAY)]
        assert services.open_due_counts(TODAY) == []
        assert StockCount.objects.filter(storeroom=room).count() == 1
        room.refresh_from_db()
        later.refresh_from_db()
        assert room.next_count_on == datetime.date(2026, 12, 24)
        assert later.next_count_on == datetime.date(2026, 11, 25)
        assert not StockCount.objects.filter(storeroom=later).exists()

    def test_a_count_opened_by_hand_on_the_day_is_the_scheduled_one(self, keeper, clock):
        room = self.room()
        item = ItemFactory()
        stock(item, room, 2, 1, keeper)
        count = services.open_count(room, by=keeper)
        count_everything(count, {item: 2}, by=keeper)
        services.submit_count(count, by=keeper)
        assert services.open_due_counts(TODAY) == []
        assert StockCount.objects.filter(storeroom=room).count() == 1
        room.refresh_from_db()
        assert room.next_count_on == datetime.date(2026, 12, 24)

    def test_missed_days_open_one_count_on_its_due_day(self, keeper, clock):
        monthly = self.room(next_count_on=datetime.date(2026, 8, 10))
        quarterly = self.room(next_count_on=datetime.date(2026, 5, 31), count_every_months=3)
        opened = services.open_due_counts(TODAY)
        assert {(c.storeroom, c.scheduled_for) for c in opened} == {
            (monthly, datetime.date(2026, 8, 10)),
            (quarterly, datetime.date(2026, 5, 31)),
        }
        assert StockCount.objects.count() == 2
        monthly.refresh_from_db()
        quarterly.refresh_from_db()
        assert monthly.next_count_on == datetime.date(2026, 12, 10)
        assert quarterly.next_count_on == datetime.date(2026, 11, 30)  # 31 Aug, then 30 Nov

    def test_a_room_still_being_counted_waits(self, keeper, clock):
        room = self.room()
        earlier = services.open_count(room, by=keeper, day=datetime.date(2026, 10, 24))
        assert services.open_due_counts(TODAY) == []
        room.refresh_from_db()
        assert room.next_count_on == TODAY  # still due
        services.cancel_count(earlier, by=keeper)
        clock.shift(datetime.timedelta(days=1))
        tomorrow = TODAY + datetime.timedelta(days=1)
        opened = services.open_due_counts(tomorrow)
        assert [(c.storeroom, c.scheduled_for) for c in opened] == [(room, TODAY)]
        room.refresh_from_db()
        assert room.next_count_on == datetime.date(2026, 12, 24)

    def test_rooms_without_a_schedule_are_left_alone(self, keeper, clock):
        closed = self.room(active=False)
        unscheduled = self.room(count_every_months=0)
        assert services.open_due_counts(TODAY) == []
        assert not StockCount.objects.exists()
        closed.refresh_from_db()
        unscheduled.refresh_from_db()
        assert closed.next_count_on == TODAY and unscheduled.next_count_on == TODAY

    def test_the_daily_task_runs_on_the_local_day(self, db):
        room = self.room()
        assert PeriodicTask.objects.filter(task="procurement.tasks.open_due_counts_task").exists()
        # 00:30 in Shanghai is still the day before in UTC.
        with time_machine.travel("2026-11-24 00:30 +0800", tick=False):
            opened = open_due_counts_task()
        assert opened == list(
            StockCount.objects.filter(storeroom=room).values_list("pk", flat=True)
        )
        assert len(opened) == 1
        other = self.room(next_count_on=datetime.date(2026, 11, 20))
        with time_machine.travel(NOW, tick=False):
            assert len(open_due_counts_task("2026-11-20")) == 1
        assert StockCount.objects.get(storeroom=other).scheduled_for == datetime.date(2026, 11, 20)


@pytest.mark.django_db
class TestPages:
    def test_a_blind_count_hides_the_book_until_submitted(self, client, keeper):
        room = StoreroomFactory(blind_count=True)
        keeper.properties.add(room.property)
        item = ItemFactory()
        stock(item, room, Decimal("37.125"), 1, keeper)
        count = services.open_count(room, by=keeper)
        client.force_login(keeper)
        entry = client.get(f"/procurement/counts/{count.pk}/count/")
        assert entry.status_code == HTTPStatus.OK
        assert "37.125" not in entry.content.decode()
        assert ">Book</th>" not in entry.content.decode()
        detail = client.get(count.get_absolute_url())
        assert detail.status_code == HTTPStatus.OK and detail.context["hide_book"]
        assert "37.125" not in detail.content.decode()
        assert "Book at snapshot" not in detail.content.decode()
        count_everything(count, {item: Decimal("37.125")}, by=keeper)
        services.submit_count(count, by=keeper)
        detail = client.get(count.get_absolute_url())
        assert not detail.context["hide_book"]
        assert "Book at snapshot" in detail.content.decode()

    def test_an_open_count_shows_the_book(self, client, keeper):
        room = StoreroomFactory()
        keeper.properties.add(room.property)
        stock(ItemFactory(), room, Decimal("37.125"), 1, keeper)
        count = services.open_count(room, by=keeper)
        client.force_login(keeper)
        entry = client.get(f"/procurement/counts/{count.pk}/count/").content.decode()
        assert ">Book</th>" in entry and "37.125" in entry
        detail = client.get(count.get_absolute_url()).content.decode()
        assert "Book at snapshot" in detail and "37.125" in detail

    def test_counting_on_the_page_saves_then_submits(self, client, keeper):
        room = StoreroomFactory()
        keeper.properties.add(room.property)
        short, fine = ItemFactory(), ItemFactory()
        stock(short, room, 10, 1, keeper)
        stock(fine, room, 4, 1, keeper)
        client.force_login(keeper)
        response = client.post("/procurement/counts/new/", {"storeroom": room.pk})
        count = StockCount.objects.get(storeroom=room)
        url = f"/procurement/counts/{count.pk}/count/"
        assert response.status_code == HTTPStatus.FOUND and response.url == url
        lines = lines_by_item(count)
        data = {
            f"counted_{lines[short].pk}": "9",
            f"reason_{lines[short].pk}": "",
            f"counted_{lines[fine].pk}": "",
            f"reason_{lines[fine].pk}": "",
        }
        saved = client.post(url, {**data, "save": ""})
        assert saved.status_code == HTTPStatus.FOUND and saved.url == url
        lines[short].refresh_from_db()
        assert lines[short].counted == 9 and lines[short].counted_at is not None
        refused = client.post(url, {**data, f"counted_{lines[fine].pk}": "4", "submit": ""})
        assert refused.status_code == HTTPStatus.OK
        assert "reason for each variance" in str(refused.context["form"].non_field_errors())
        count.refresh_from_db()
        assert count.status == CountStatus.OPEN
        submitted = client.post(
            url,
            {
                **data,
                f"counted_{lines[fine].pk}": "4",
                f"reason_{lines[short].pk}": "破损",
                "submit": "",
            },
        )
        assert submitted.status_code == HTTPStatus.FOUND
        assert submitted.url == count.get_absolute_url()
        count.refresh_from_db()
        assert count.status == CountStatus.POSTED
        assert StockBalance.objects.get(item=short, storeroom=room).quantity == 9
        # The sheet closes once submitted.
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    def test_the_lines_refused_are_marked_on_the_sheet(self, client, keeper):
        """Issue 12: "reason missing" named five items and highlighted no field."""
        room = StoreroomFactory()
        keeper.properties.add(room.property)
        items = [ItemFactory() for _ in range(7)]
        for item in items:
            stock(item, room, 10, 1, keeper)
        count = services.open_count(room, by=keeper)
        lines = lines_by_item(count)
        url = f"/procurement/counts/{count.pk}/count/"
        client.force_login(keeper)
        # Two lines not counted: their quantity fields are marked.
        data = {f"counted_{lines[item].pk}": "10" for item in items[:5]}
        refused = client.post(url, {**data, "submit": ""})
        form = refused.context["form"]
        assert "2 lines are not counted yet" in str(form.non_field_errors())
        marked = {name for name in form.errors if name != "__all__"}
        assert marked == {f"counted_{lines[item].pk}" for item in items[5:]}
        # Six lines short without a reason (more than five): each reason field is marked.
        data = {f"counted_{lines[item].pk}": "9" for item in items[:6]}
        data[f"counted_{lines[items[6]].pk}"] = "10"
        refused = client.post(url, {**data, "submit": ""})
        assert refused.status_code == HTTPStatus.OK
        form = refused.context["form"]
        assert "6 lines have none" in str(form.non_field_errors())
        marked = {name for name in form.errors if name != "__all__"}
        assert marked == {f"reason_{lines[item].pk}" for item in items[:6]}
        page = refused.content.decode()
        assert page.count("is-invalid") == 6
        assert page.count("Give the reason for the variance.") == 6
        count.refresh_from_db()
        assert count.status == CountStatus.OPEN
        keeper.language = "zh-hans"
        keeper.save(update_fields=["language"])
        page = client.post(url, {**data, "submit": ""}).content.decode()
        assert page.count("请填写差异原因。") == 6 and "6 行没有填写" in page

    def test_approving_on_the_page_needs_the_permission(self, client, keeper, director):
        room = StoreroomFactory()
        keeper.properties.add(room.property)
        item = ItemFactory()
        stock(item, room, 20, Decimal("100.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(count, {item: 5}, by=keeper, reasons={item: "被盗"})
        services.submit_count(count, by=keeper)
        url = f"/procurement/counts/{count.pk}/approve/"
        client.force_login(keeper)
        assert not client.get(count.get_absolute_url()).context["can_approve"]
        assert client.post(url).status_code == HTTPStatus.FORBIDDEN
        viewer = UserFactory(groups=["viewer"], properties=[room.property])
        client.force_login(viewer)
        assert client.post(url).status_code == HTTPStatus.FORBIDDEN
        assert (
            client.post(f"/procurement/counts/{count.pk}/cancel/").status_code
            == HTTPStatus.FORBIDDEN
        )
        count.refresh_from_db()
        assert count.status == CountStatus.SUBMITTED
        client.force_login(director)
        assert client.get(count.get_absolute_url()).context["can_approve"]
        assert client.post(url).status_code == HTTPStatus.FOUND
        assert client.post(url).status_code == HTTPStatus.FOUND  # refused: a message
        count.refresh_from_db()
        assert count.status == CountStatus.POSTED
        assert StockMovement.objects.filter(kind=MovementKind.COUNT).count() == 1

    def test_another_propertys_count_is_not_found(self, client, keeper):
        room = StoreroomFactory(property=PropertyFactory())
        item = ItemFactory()
        stock(item, room, 20, Decimal("100.00"), keeper)
        count = services.open_count(room, by=keeper)
        outsider = UserFactory(
            perms=[
                "procurement.view_stockcount",
                "procurement.change_stockcount",
                "procurement.approve_stockcount",
                "procurement.add_stockcount",
            ],
            properties=[PropertyFactory()],
        )
        client.force_login(outsider)
        assert client.get(count.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        entry = f"/procurement/counts/{count.pk}/count/"
        assert client.get(entry).status_code == HTTPStatus.NOT_FOUND
        line = count.lines.get()
        response = client.post(entry, {f"counted_{line.pk}": "1", "submit": ""})
        assert response.status_code == HTTPStatus.NOT_FOUND
        count_everything(count, {item: 5}, by=keeper, reasons={item: "被盗"})
        services.submit_count(count, by=keeper)
        for action in ("approve", "cancel"):
            response = client.post(f"/procurement/counts/{count.pk}/{action}/")
            assert response.status_code == HTTPStatus.NOT_FOUND
        count.refresh_from_db()
        assert count.status == CountStatus.SUBMITTED
        # Nor can the outsider open a count in that room.
        response = client.post("/procurement/counts/new/", {"storeroom": room.pk})
        assert (
            response.status_code == HTTPStatus.OK and "storeroom" in response.context["form"].errors
        )
        assert StockCount.objects.filter(storeroom=room).count() == 1

    def test_the_list_keeps_a_constant_query_count(self, client, keeper):
        home = PropertyFactory()
        keeper.properties.add(home)
        client.force_login(keeper)

        def posted_count():
            room = StoreroomFactory(property=home)
            item = ItemFactory()
            stock(item, room, 3, 1, keeper)
            count = services.open_count(room, by=keeper)
            count_everything(count, {item: 2}, by=keeper, reasons={item: "损耗"})
            return services.submit_count(count, by=keeper)

        posted_count()
        hidden = services.open_count(StoreroomFactory(), by=keeper)
        client.get("/procurement/counts/")
        with CaptureQueriesContext(connection) as few:
            client.get("/procurement/counts/")
        for _ in range(4):
            posted_count()
            services.open_count(StoreroomFactory(property=home), by=keeper)
        with CaptureQueriesContext(connection) as many:
            response = client.get("/procurement/counts/")
        shown = [row.record for row in response.context["table"].page.object_list]
        assert len(shown) == 9 and hidden not in shown
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_the_accuracy_report_shows_the_posted_counts_of_ones_properties(client, keeper):
    home, away = PropertyFactory(), PropertyFactory()
    user = UserFactory(groups=["stores"], properties=[home])

    def posted(room, found):
        items = [ItemFactory() for _ in found]
        for item in items:
            stock(item, room, 10, Decimal("1.00"), keeper)
        count = services.open_count(room, by=keeper)
        count_everything(
            count,
            dict(zip(items, found, strict=True)),
            by=keeper,
            reasons=dict.fromkeys(items, "差"),
        )
        return services.submit_count(count, by=keeper)

    mine = posted(StoreroomFactory(property=home, name="主仓"), [10, 10, 9, 10])
    still_open = services.open_count(StoreroomFactory(property=home), by=keeper)
    theirs = posted(StoreroomFactory(property=away, name="别处"), [1])
    client.force_login(user)
    response = client.get("/procurement/reports/count-accuracy/")
    assert response.status_code == HTTPStatus.OK
    assert [row.record for row in response.context["table"].rows] == [mine]
    header, *rows = csv_rows(client.get("/procurement/reports/count-accuracy/", {"_export": "csv"}))
    assert len(header) == 8
    day = mine.scheduled_for.isoformat()
    assert rows == [[str(mine), "主仓", day, "4", "3", "75%", "-1.00", "1.00"]]
    assert str(theirs) not in response.content.decode()
    assert str(still_open) not in response.content.decode()
    # Another property's storeroom is not a valid choice: nothing is shown.
    foreign = client.get("/procurement/reports/count-accuracy/", {"storeroom": theirs.storeroom_id})
    assert foreign.context["form"].errors and not list(foreign.context["table"].rows)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["submit", "approve"])
def test_concurrent_submissions_and_approvals_post_once(step):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    keeper = UserFactory(groups=["stores"])
    director = UserFactory(groups=["director"])
    room = StoreroomFactory()
    lost, found = ItemFactory(), ItemFactory()
    # Within the limit a submission posts at once; above it the approval does.
    cost = Decimal("1.00") if step == "submit" else Decimal("100.00")
    stock(lost, room, 20, cost, keeper)
    stock(found, room, 1, cost, keeper)
    count = services.open_count(room, by=keeper)
    count_everything(count, {lost: 8, found: 3}, by=keeper, reasons={lost: "丢", found: "多"})
    if step == "approve":
        assert services.submit_count(count, by=keeper).status == CountStatus.SUBMITTED
    act, by = (
        (services.submit_count, keeper) if step == "submit" else (services.approve_count, director)
    )
    barrier, outcomes = threading.Barrier(2), []

    def attempt():
        try:
            barrier.wait()
            act(count, by=by)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    count.refresh_from_db()
    assert count.status == CountStatus.POSTED
    moves = StockMovement.objects.filter(kind=MovementKind.COUNT)
    assert sorted(moves.values_list("quantity", flat=True)) == [-12, 2]
    assert count.lines.filter(movement__isnull=False).count() == 2
    balances = dict(StockBalance.objects.filter(storeroom=room).values_list("item_id", "quantity"))
    assert balances == {lost.pk: 8, found.pk: 3}


@pytest.mark.django_db(transaction=True)
def test_opening_a_count_does_not_block_movements_elsewhere():
    """The snapshot locks the room's balances, not the catalogue: goods keep moving in every
    other storeroom (a movement's row refers to its item)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    keeper = UserFactory(groups=["stores"])
    item, counted, other = ItemFactory(), StoreroomFactory(), StoreroomFactory()
    stock(item, counted, 5, Decimal("1.00"), keeper)
    opened, release, failures = threading.Event(), threading.Event(), []

    def hold_the_snapshot():
        try:
            with transaction.atomic():
                services.open_count(counted, by=keeper)
                opened.set()
                release.wait(10)
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
            opened.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold_the_snapshot)
    thread.start()
    try:
        assert opened.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            services.post_movement(
                item, other, 3, MovementKind.RECEIPT, by=keeper, unit_cost=Decimal("1.00")
            )
    finally:
        release.set()
        thread.join()
    assert not failures
    assert StockBalance.objects.get(item=item, storeroom=other).quantity == 3
    assert StockCount.objects.filter(storeroom=counted, status=CountStatus.OPEN).exists()


@pytest.mark.django_db(transaction=True)
def test_two_daily_runs_at_once_open_each_count_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (CI)")
    keeper = UserFactory(groups=["stores"])
    rooms = [StoreroomFactory(count_every_months=1, next_count_on=TODAY) for _ in range(3)]
    for room in rooms:
        stock(ItemFactory(), room, 2, Decimal("1.00"), keeper)
    barrier, opened, failures = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            opened.extend(services.open_due_counts(TODAY))
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(count.storeroom_id for count in opened) == sorted(room.pk for room in rooms)
    assert StockCount.objects.count() == 3
    assert set(StockCount.objects.values_list("storeroom__next_count_on", flat=True)) == {
        datetime.date(2026, 12, 24)
    }


@pytest.mark.django_db
def test_two_people_counting_do_not_wipe_each_others_lines(client, keeper):
    """Each submission saves only the lines it changed, judged against what its page showed."""
    room = StoreroomFactory()
    keeper.properties.add(room.property)
    first, second = ItemFactory(), ItemFactory()
    stock(first, room, 5, Decimal("10.00"), keeper)
    stock(second, room, 7, Decimal("10.00"), keeper)
    count = services.open_count(room, by=keeper)
    lines = {line.item_id: line for line in count.lines.all()}
    a, b = lines[first.pk], lines[second.pk]
    client.force_login(keeper)
    url = f"/procurement/counts/{count.pk}/count/"
    blank = {
        f"initial-counted_{a.pk}": "",
        f"initial-reason_{a.pk}": "",
        f"initial-counted_{b.pk}": "",
        f"initial-reason_{b.pk}": "",
    }
    # Device one counts the first item; device two, opened before, counts the second.
    client.post(url, {**blank, f"counted_{a.pk}": "5", f"counted_{b.pk}": "", "save": "1"})
    client.post(url, {**blank, f"counted_{a.pk}": "", f"counted_{b.pk}": "7", "save": "1"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.counted, b.counted) == (Decimal(5), Decimal(7))
