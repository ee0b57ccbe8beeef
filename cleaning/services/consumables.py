"""Cleaning consumables: issuing them from the stores to an area or a team through
procurement's stock ledger, and what they cost per m² of cleaned area.

An issue to a team is shared among the team's active areas in proportion to their size, so
every area's cost per m² includes its part of what its team took."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ConsumableIssue, ConsumableLine

CENT = Decimal("0.01")


def issue_to_ledger(storeroom, lines, *, by, employee=None, reference="", note=""):
    """Issue ``lines`` (item → quantity) from ``storeroom`` through procurement's ledger, all
    or none; the movements, with their cost. Greening's materials go through here too."""
    from procurement.services import issue_items

    return issue_items(
        storeroom,
        lines,
        by=by,
        department=employee.department if employee is not None else None,
        employee=employee,
        reference=reference[:60],
        note=note[:200],
    )


@transaction.atomic
def issue_consumables(
    storeroom, lines, *, by, area=None, team=None, received_by=None, issued_at=None, note=""
):
    """Issue consumables (``lines``: item → quantity) from ``storeroom`` to ``area`` or
    ``team`` of the storeroom's property; stock goes down, the issue keeps the cost. All or
    nothing: an item short in the storeroom refuses the whole issue."""
    if not lines:
        raise ValidationError(_("Give at least one item and its quantity."))
    issue = ConsumableIssue(
        property_id=storeroom.property_id,
        area=area,
        team=team,
        storeroom=storeroom,
        received_by=received_by,
        issued_at=issued_at or timezone.now(),
        issued_by=by,
        note=note,
    )
    if issued_at and issued_at > timezone.now():
        raise ValidationError({"issued_at": _("An issue cannot be in the future.")})
    issue.full_clean()
    issue._history_user = by
    issue.save()
    movements = issue_to_ledger(
        storeroom, lines, by=by, employee=received_by, reference=str(area or team), note=note
    )
    ConsumableLine.objects.bulk_create(
        ConsumableLine(
            issue=issue,
            movement=movement,
            item=movement.item,
            quantity=-movement.quantity,
            value=-movement.value,
        )
        for movement in movements
    )
    issue.value = sum((-movement.value for movement in movements), Decimal(0))
    issue.save(update_fields=["value", "updated_at"])
    return issue


def _per_m2(cost, size):
    return (cost / size).quantize(CENT) if size else None


def consumables_cost(issues, areas):
    """Over ``issues`` (already limited to a period) and the ``areas`` they serve: the cost,
    the cleaned area in m² and the cost per m² (None without areas); two queries."""
    cost = issues.aggregate(total=Sum("value"))["total"] or Decimal(0)
    size = areas.filter(active=True).aggregate(total=Sum("size_m2"))["total"] or Decimal(0)
    return {"cost": cost, "size_m2": size, "per_m2": _per_m2(cost, size)}


def consumables_cost_by_month(issues, start):
    """Month → cost of the issues from ``start`` on (one grouped query)."""
    rows = (
        issues.filter(issued_at__date__gte=start)
        .annotate(month=TruncMonth("issued_at"))
        .order_by()
        .values("month")
        .annotate(cost=Sum("value"))
    )
    months = {}
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        months[month] = months.get(month, Decimal(0)) + (row["cost"] or Decimal(0))
    return months


def consumables_cost_by_area(issues, areas):
    """Per active area of ``areas``: its own issues plus its m²-share of its team's, and the
    cost per m²; highest cost per m² first. Three queries, whatever the number of issues."""
    direct = dict(
        issues.filter(area__isnull=False)
        .order_by()
        .values("area_id")
        .annotate(cost=Sum("value"))
        .values_list("area_id", "cost")
    )
    by_team = dict(
        issues.filter(area__isnull=True, team__isnull=False)
        .order_by()
        .values("team_id")
        .annotate(cost=Sum("value"))
        .values_list("team_id", "cost")
    )
    rows = list(
        areas.filter(active=True)
        .order_by()
        .values("pk", "name", "size_m2", "team_id", "team__name", "property__name")
    )
    team_size = {}
    for row in rows:
        if row["team_id"] is not None:
            team_size[row["team_id"]] = team_size.get(row["team_id"], Decimal(0)) + row["size_m2"]
    result = []
    for row in rows:
        cost = direct.get(row["pk"]) or Decimal(0)
        team = row["team_id"]
        if team in by_team and team_size.get(team):
            cost += by_team[team] * row["size_m2"] / team_size[team]
        cost = cost.quantize(CENT)
        result.append({**row, "cost": cost, "per_m2": _per_m2(cost, row["size_m2"])})
    result.sort(key=lambda row: (-(row["per_m2"] or 0), row["name"]))
    return result
