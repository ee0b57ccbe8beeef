"""The demo's cleaning consumables: for the two demo properties, eight weeks (the last issue
yesterday) of bin bags and disinfectant to every team each week, and glass cleaner to the
lobbies each fortnight (through the stock ledger, so stock goes down and each issue has its
cost). Nothing is issued that an open stock count is counting, or that the storeroom no
longer has."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from procurement.models import CountStatus, Item, StockBalance, StockCountLine, Storeroom
from staff.models import Post

from .models import AreaKind, CleaningArea, ConsumableIssue
from .services import issue_consumables

WEEKS = 8
PER_TEAM = (("垃圾袋", "大号 80×100", Decimal(2)), ("消毒液", "", Decimal(1)))
PER_LOBBY = (("玻璃清洁剂", "", Decimal(2)),)


def seed():
    by = get_user_model().objects.filter(username="cleaning").first()
    today = timezone.localdate()
    counting = counted()
    for code in ("JLG", "HMC"):
        room = Storeroom.objects.filter(property__code=code, code="MAIN").first()
        if room is None or ConsumableIssue.objects.filter(property=room.property_id).exists():
            continue
        teams = Post.objects.filter(property=room.property_id, cleaning_areas__isnull=False)
        lobbies = CleaningArea.objects.filter(property=room.property_id, kind=AreaKind.LOBBY)
        for week in range(WEEKS - 1, -1, -1):  # weekly, the last one yesterday
            day = today - datetime.timedelta(days=7 * week + 1)
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
            for team in teams.distinct().order_by("pk"):
                _issue(room, PER_TEAM, counting, "每周领用", by=by, team=team, issued_at=moment)
            if week % 2 == 0:
                for area in lobbies.order_by("pk"):
                    _issue(room, PER_LOBBY, counting, "玻璃", by=by, area=area, issued_at=moment)


def counted():
    """(storeroom id, item id) of what open stock counts are counting: the demo issues none
    of it, so its counts stay as opened."""
    return set(
        StockCountLine.objects.filter(count__status=CountStatus.OPEN).values_list(
            "count__storeroom_id", "item_id"
        )
    )


def can_issue(room, item, quantity, counting):
    """Whether the demo may issue ``quantity`` of ``item`` from ``room``: not being counted,
    and in stock (larger scales issue more elsewhere)."""
    if (room.pk, item.pk) in counting:
        return False
    balance = StockBalance.objects.filter(storeroom=room, item=item).first()
    return balance is not None and balance.quantity >= quantity


def _issue(room, wanted, counting, note, **to):
    lines = {}
    for name, spec, quantity in wanted:
        items = Item.objects.filter(name=name, active=True)
        item = (items.filter(specification=spec) if spec else items).order_by("code").first()
        if item is not None and can_issue(room, item, quantity, counting):
            lines[item] = quantity
    if lines:
        issue_consumables(room, lines, note=note, **to)
