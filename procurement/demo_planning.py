"""seed_demo, continued: budgets, plans, requisitions in every state, a request for
quotation with three quotes side by side, a posted count last month and one due today."""

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import F
from django.utils import timezone

from core.models import Property, User

from . import services
from .budgets import usage
from .models import (
    Budget,
    Item,
    ItemCategory,
    PurchasePlan,
    Requisition,
    RequisitionLine,
    Storeroom,
    Supplier,
)


def seed(stores):
    if Budget.objects.exists():
        return
    today = timezone.localdate()
    director = User.objects.get(username="director")
    _budgets(today)
    _plans(today, stores, director)
    _requisitions(today, stores, director)
    _counts(today, stores, director)
    _tune_budget(today)


def _budgets(today):
    """A budget per property and top-level category; JLG's electrical budget is 85% used, so
    the reminder and the warning colours have something to show."""
    for property_ in Property.objects.filter(code__in=["JLG", "HMC"]):
        for index, category in enumerate(ItemCategory.objects.filter(parent__isnull=True)):
            Budget.objects.create(
                property=property_,
                year=today.year,
                category=category,
                amount=Decimal(20000 + 5000 * (index % 5)),
            )


def _tune_budget(today):
    electrical = Budget.objects.get(
        property__code="JLG", year=today.year, category__name="电气材料"
    )
    used = usage([electrical.property_id], today.year)
    figure = used.get((electrical.property_id, electrical.category_id))
    if figure and figure.used:
        electrical.amount = (figure.used / Decimal("0.85")).quantize(Decimal(1))
        electrical.save(update_fields=["amount"])


def _plans(today, stores, director):
    """JLG: this month's plan, a draft filled from the items below their minimum. HMC: last
    month's plan, approved (it became a requisition)."""
    jlg, hmc = Property.objects.get(code="JLG"), Property.objects.get(code="HMC")
    draft = PurchasePlan.objects.create(
        property=jlg, year=today.year, number=today.month, note="月度常规采购"
    )
    services.suggest_plan_lines(draft, by=stores)
    last = today - relativedelta(months=1)
    approved = PurchasePlan.objects.create(
        property=hmc, year=last.year, number=last.month, note="月度常规采购"
    )
    services.suggest_plan_lines(approved, by=stores)
    if approved.lines.exists():
        services.submit_plan(approved, by=stores)
        services.approve_plan(approved, by=director)


def _requisition(property_, department, user, purpose, lines, **extra):
    requisition = Requisition.objects.create(
        property=property_, department=department, requested_by=user, purpose=purpose, **extra
    )
    RequisitionLine.objects.bulk_create(
        RequisitionLine(
            requisition=requisition,
            item=item,
            quantity=Decimal(quantity),
            estimated_price=item.standard_price,
        )
        for item, quantity in lines
    )
    return services.refresh_requisition_amount(requisition, by=user)


def _requisitions(today, stores, director):
    from staff.models import Department

    jlg = Property.objects.get(code="JLG")
    departments = {d.name: d for d in Department.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in=["cleaning", "facilities"])}
    cleaning, facilities = users.get("cleaning", stores), users.get("facilities", stores)
    items = {
        item.name + item.specification: item
        for item in Item.objects.filter(category__parent__isnull=True)
    }

    def pick(*keys):
        return [(items[key], quantity) for key, quantity in keys if key in items]

    _requisition(
        jlg,
        departments.get("保洁部"),
        cleaning,
        "冬季保洁用品补充",
        pick(("垃圾袋大号 80×100", 40), ("消毒液84 消毒液 5L", 10)),
    )
    waiting = _requisition(
        jlg,
        departments.get("保洁部"),
        cleaning,
        "分类垃圾桶更换",
        pick(("分类垃圾桶240L 绿色", 6), ("分类垃圾桶240L 灰色", 6)),
    )
    services.submit_requisition(waiting, by=cleaning)
    # Submitted three days ago: the "waiting for approval" reminder fires.
    Requisition.objects.filter(pk=waiting.pk).update(
        submitted_at=F("submitted_at") - timedelta(days=3)
    )
    large = _requisition(
        jlg,
        departments.get("工程部"),
        facilities,
        "二次供水泵房水泵检修备件",
        pick(("潜水泵1.5kW", 4), ("水泵机械密封35mm", 8), ("止回阀DN100", 4)),
        work_order_ref="WO-2026-000123",
    )
    services.submit_requisition(large, by=facilities)
    rejected = _requisition(
        jlg,
        departments.get("工程部"),
        facilities,
        "备用对讲机电池",
        pick(("对讲机电池通用 2000mAh", 20)),
    )
    services.submit_requisition(rejected, by=facilities)
    services.reject_requisition(rejected, by=stores, reason="库存充足，先领用现有库存")
    quoted = _requisition(
        jlg,
        departments.get("工程部"),
        facilities,
        "地库照明改造灯具",
        pick(("LED 灯管T8 1.2m", 120), ("LED 筒灯12W", 40)),
    )
    services.submit_requisition(quoted, by=facilities)
    services.approve_requisition(quoted, by=stores)
    rfq = services.rfq_from_requisition(quoted, by=stores, reply_by=today + timedelta(days=5))
    suppliers = list(Supplier.objects.exclude(status="blacklisted").order_by("pk")[:4])
    rfq.suppliers.set(suppliers)
    services.send_rfq(rfq, by=stores)
    lines = list(rfq.lines.select_related("item"))
    for index, (supplier, markup) in enumerate(
        zip(suppliers[:3], ("0.95", "0.90", "1.02"), strict=False)
    ):
        services.record_quotation(
            rfq,
            supplier,
            {
                line: (line.item.standard_price * Decimal(markup)).quantize(Decimal("0.01"))
                for line in lines
            },
            by=stores,
            received_on=today,
            lead_days=5 + index * 2,
        )


def _counts(today, stores, director):
    """JLG's storeroom: a count posted last month (a few variances, with their reasons) and
    today's count, opened by the daily task. HMC's: counted blind, next on the 10th."""
    room = Storeroom.objects.get(property__code="JLG", code="MAIN")
    last_month = today - relativedelta(months=1)
    count = services.open_count(room, by=stores, day=last_month)
    entries = {}
    for index, line in enumerate(count.lines.select_related("item")):
        if index % 17 == 3 and line.book_quantity >= 2:
            entries[line.pk] = (line.book_quantity - 1, "破损报废，未及时办理出库")
        elif index % 23 == 5:
            entries[line.pk] = (line.book_quantity + 2, "上次领用退回未入账")
        else:
            entries[line.pk] = (line.book_quantity, "")
    services.record_counts(count, entries, by=stores)
    count = services.submit_count(count, by=stores)
    if count.status == "submitted":
        services.approve_count(count, by=director)
    Storeroom.objects.filter(pk=room.pk).update(next_count_on=today)
    services.open_due_counts(today)
    Storeroom.objects.filter(property__code="HMC", code="MAIN").update(
        blind_count=True, next_count_on=today.replace(day=10) + relativedelta(months=1)
    )
