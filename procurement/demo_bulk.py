"""procurement's bulk volume for ``seed_demo --scale N`` (N > 1): more items and suppliers,
storerooms for each bulk property with their levels, three years of stock ledger (~10,000
movements per unit of scale), purchase orders and requisitions.

The ledger is simulated in Python the way ``services.stock.post_movement`` keeps it: every
movement's ``balance_after`` is the running quantity, goods going out take their share of
the value held (rounded half up, to the cent), goods coming in carry their cost, and each
``StockBalance`` is written last as the sum of its movements. Amounts are whole cents (ints)
while simulating, Decimals only on the rows.
"""

from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.utils import timezone

from core.demo_bulk import (
    PER_UNIT,
    bulk_properties,
    copy_rows,
    dated,
    history_start,
    insert,
    local_day,
    moments,
    now,
    rng,
)
from core.models import User

from .models import (
    DocumentKind,
    Item,
    ItemCategory,
    MovementKind,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
    StockBalance,
    StockLevel,
    StockMovement,
    Storeroom,
    Supplier,
    SupplierDocument,
    SupplierStatus,
)
from .validators import credit_code_check_character

BRANDS = ["正泰", "德力西", "公牛", "西门子", "施耐德", "飞利浦", "欧普", "雷士", "三棵树", "立邦"]
CITIES = ["上海", "苏州", "无锡", "杭州", "宁波", "南京", "嘉兴", "昆山", "南通", "常州"]
TRADES = ["机电", "建材", "五金", "清洁", "消防", "安防", "暖通", "园林", "劳保", "办公"]
MOVEMENTS_PER_BALANCE = 55  # how many ledger lines an item/storeroom pair gets over 3 years


def seed(scale, stdout=None):
    items = _items(scale)
    suppliers = _suppliers(scale)
    stores = User.objects.get(username="stores")
    for bulk in bulk_properties(scale):
        if not Storeroom.objects.filter(property=bulk.property).exists():
            _property(bulk, items, suppliers, stores)


def cents(value):
    return Decimal(value).scaleb(-2)


def _items(scale):
    """The shared catalogue grows by ~30 items a unit: variants of the demo's items."""
    wanted = PER_UNIT["items"] * scale
    have = set(Item.objects.filter(code__startswith="WX").values_list("code", flat=True))
    base = list(Item.objects.exclude(code__startswith="WX").order_by("code"))
    generator = rng(scale, "items")
    new = []
    for n in range(1, wanted + 1):
        code = f"WX{n:05d}"
        if code in have or not base:
            continue
        model = base[(n - 1) % len(base)]
        price = int(model.standard_price * 100) * generator.randint(70, 160) // 100
        new.append(
            Item(
                code=code,
                name=model.name,
                specification=f"{model.specification} {generator.choice(BRANDS)}".strip()[:150],
                unit=model.unit,
                category_id=model.category_id,
                standard_price=cents(max(price, 50)),
            )
        )
    insert(Item, new)
    return list(Item.objects.select_related("category").order_by("code"))


def _suppliers(scale):
    """~5 suppliers a unit, most approved, with their categories and business licence."""
    wanted = PER_UNIT["suppliers"] * scale
    generator = rng(scale, "suppliers")
    categories = list(ItemCategory.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    have = set(Supplier.objects.values_list("credit_code", flat=True))
    new = []
    for n in range(1, wanted + 1):
        first17 = f"91310000BK{n:07d}"
        code = first17 + credit_code_check_character(first17)
        if code in have:
            continue
        roll = generator.random()
        status = (
            SupplierStatus.APPROVED
            if roll < 0.85
            else SupplierStatus.CANDIDATE
            if roll < 0.95
            else SupplierStatus.SUSPENDED
        )
        name = f"{generator.choice(CITIES)}{generator.choice(BRANDS)}{generator.choice(TRADES)}"
        new.append(
            Supplier(
                name=f"{name}有限公司（{n}）",
                credit_code=code,
                contact=generator.choice("王李张刘陈杨黄赵")
                + generator.choice(["经理", "先生", "女士"]),
                phone=f"021-{5000 + n % 4000:04d} {n % 10000:04d}",
                status=status,
                status_reason="交货多次延误" if status == SupplierStatus.SUSPENDED else "",
            )
        )
    insert(Supplier, new)
    today = timezone.localdate()
    links, documents = [], []
    for supplier in new:
        for category in generator.sample(
            categories, k=min(len(categories), generator.randint(1, 3))
        ):
            links.append(
                Supplier.categories.through(supplier_id=supplier.pk, itemcategory_id=category)
            )
        issued = today - timedelta(days=generator.randint(400, 4000))
        expires = today + timedelta(days=generator.randint(-30, 1500))
        documents.append(
            SupplierDocument(
                supplier=supplier,
                kind=DocumentKind.LICENCE,
                number=supplier.credit_code,
                issued_on=issued,
                expires_on=max(expires, issued),
            )
        )
    insert(Supplier.categories.through, links)
    insert(SupplierDocument, documents)
    return list(Supplier.objects.filter(status=SupplierStatus.APPROVED).order_by("pk"))


def _property(bulk, items, suppliers, stores):
    from staff.models import Department, Employee

    rooms = [Storeroom(property=bulk.property, code="MAIN", name=f"{bulk.property.name}物资仓库")]
    if bulk.index % 2 == 0:
        rooms.append(Storeroom(property=bulk.property, code="ENG", name="工程备件库"))
    keeper = Employee.objects.filter(property=bulk.property, position__name="仓管员").first()
    for room in rooms:
        room.keeper = keeper
        room.next_count_on = timezone.localdate().replace(day=1) + timedelta(days=32)
        room.next_count_on = room.next_count_on.replace(day=1)
        room.count_anchor = room.next_count_on
    insert(Storeroom, rooms)
    departments = {d.name: d for d in Department.objects.all()}
    people = list(
        Employee.objects.filter(property=bulk.property, department__name="工程部").values_list(
            "pk", flat=True
        )
    )
    total = bulk.amount("movements")
    shares = [0.7, 0.3] if len(rooms) == 2 else [1.0]
    stocked = {}
    for room, share in zip(rooms, shares, strict=True):
        stocked[room.pk] = _ledger(
            bulk, room, items, round(total * share), stores, departments, people
        )
    _orders(bulk, rooms[0], stocked[rooms[0].pk], suppliers, stores)
    _requisitions(bulk, stocked[rooms[0].pk], departments, stores)


def _ledger(bulk, room, items, count, by, departments, people):
    """Levels, movements and balances of one storeroom; returns the items stocked there."""
    generator = bulk.rng(f"ledger-{room.code}")
    pairs = min(len(items), max(10, round(count / MOVEMENTS_PER_BALANCE)))
    chosen = sorted(generator.sample(items, k=pairs), key=lambda i: i.code)
    per, extra = divmod(count, pairs)
    start, end = history_start(), now()
    engineering = departments.get("工程部")
    cleaning_categories = {"清洁用品", "垃圾处理", "绿化用品", "绿化工具"}
    levels, movements, balances = [], [], []
    references = cache(_reference)
    for index, item in enumerate(chosen):
        lines = per + (1 if index < extra else 0)
        minimum = 5 + generator.randint(0, 20)
        maximum = minimum * generator.randint(3, 8)
        levels.append(
            {
                "item_id": item.pk,
                "storeroom_id": room.pk,
                "minimum": Decimal(minimum),
                "maximum": Decimal(maximum),
            }
        )
        department = engineering
        if item.category.name in cleaning_categories:
            department = departments.get("保洁部", engineering)
        price = int(item.standard_price * 100)
        quantity, value = 0, 0
        when = moments(generator, lines, start, end)
        for k, at in enumerate(when):
            if k == 0:
                kind, q, cost = MovementKind.OPENING, maximum, price
            elif quantity <= minimum:
                kind, q = MovementKind.RECEIPT, maximum - quantity
                cost = max(1, price * generator.randint(90, 115) // 100)
            else:
                roll = generator.random()
                if roll < 0.86:
                    kind, q = MovementKind.ISSUE, -generator.randint(1, max(1, quantity // 3))
                elif roll < 0.92:
                    kind, q = MovementKind.RETURN, generator.randint(1, 3)
                elif roll < 0.96:
                    kind, q = MovementKind.COUNT, generator.choice((-2, -1, 1, 2))
                else:
                    kind, q = MovementKind.ADJUSTMENT, generator.choice((-1, 1))
                cost = (2 * value + quantity) // (2 * quantity) if quantity else price
            if q > 0:
                moved = q * cost
            else:  # what leaves takes its share of the value held, rounded half up
                moved = -((2 * value * -q + quantity) // (2 * quantity))
                cost = (2 * -moved - q) // (-2 * q)
            quantity, value = quantity + q, value + moved
            issue = kind == MovementKind.ISSUE
            movements.append(
                {
                    "item_id": item.pk,
                    "storeroom_id": room.pk,
                    "kind": kind,
                    "quantity": Decimal(q),
                    "unit_cost": cents(cost),
                    "value": cents(moved),
                    "balance_after": Decimal(quantity),
                    "reference": references(kind, local_day(at)),
                    "department_id": department.pk if issue and department else None,
                    # Who took it is noted on about a third of the issues (as on paper).
                    "employee_id": (
                        generator.choice(people)
                        if issue and people and generator.random() < 0.35
                        else None
                    ),
                    "by_id": by.pk,
                    "at": at,
                }
            )
        balances.append(
            {
                "item_id": item.pk,
                "storeroom_id": room.pk,
                "quantity": Decimal(quantity),
                "value": cents(value),
            }
        )
    copy_rows(StockMovement, movements)
    copy_rows(StockLevel, levels)
    copy_rows(StockBalance, balances)
    return chosen


def _reference(kind, day):
    return {
        MovementKind.OPENING: "期初",
        MovementKind.RECEIPT: f"采购入库 {day:%Y%m%d}",
        MovementKind.ISSUE: f"领用 {day:%Y%m%d}",
        MovementKind.RETURN: "退库",
        MovementKind.COUNT: f"盘点 {day:%Y-%m}",
        MovementKind.ADJUSTMENT: "调整",
    }[kind]


def _orders(bulk, room, items, suppliers, by):
    """Purchase orders over three years: old ones closed or received (a few cancelled),
    recent ones in every state."""
    if not suppliers or not items:
        return
    generator = bulk.rng("orders")
    count = bulk.amount("purchase_orders")
    current, start = now(), history_start()
    recent = current - timedelta(days=60)
    orders, lines = [], []
    for at in moments(generator, count, start, current):
        roll = generator.random()
        if at < recent:
            status = (
                OrderStatus.CLOSED
                if roll < 0.8
                else OrderStatus.RECEIVED
                if roll < 0.9
                else OrderStatus.CANCELLED
            )
        else:
            status = generator.choice(
                [
                    OrderStatus.DRAFT,
                    OrderStatus.APPROVED,
                    OrderStatus.ORDERED,
                    OrderStatus.ORDERED,
                    OrderStatus.PARTIAL,
                    OrderStatus.RECEIVED,
                ]
            )
        approved = None if status == OrderStatus.DRAFT else at + timedelta(hours=4)
        ordered = approved + timedelta(hours=20) if approved else None
        if ordered and status == OrderStatus.APPROVED:
            ordered = None
        moments_ = [m for m in (at, approved, ordered) if m]
        if any(m > current for m in moments_):
            approved = ordered = None
            status = OrderStatus.DRAFT
        order = PurchaseOrder(
            supplier=generator.choice(suppliers),
            storeroom=room,
            promised_on=local_day(at) + timedelta(days=generator.randint(5, 21)),
            status=status,
            cancel_reason="需求取消" if status == OrderStatus.CANCELLED else "",
            approved_by=by if approved else None,
            approved_at=approved,
            ordered_at=ordered,
            created_at=at,
            updated_at=ordered or approved or at,
        )
        orders.append(order)
        for item in generator.sample(items, k=min(len(items), generator.randint(1, 4))):
            quantity = generator.randint(5, 60)
            received = {
                OrderStatus.CLOSED: quantity,
                OrderStatus.RECEIVED: quantity,
                OrderStatus.PARTIAL: quantity // 2,
            }.get(status, 0)
            price = int(item.standard_price * 100) * generator.randint(90, 110) // 100
            lines.append(
                PurchaseOrderLine(
                    order=order,
                    item=item,
                    quantity=Decimal(quantity),
                    unit_price=cents(price),
                    received=Decimal(received),
                    accepted=Decimal(received),
                    standard_price=item.standard_price,
                )
            )
    with dated(PurchaseOrder):
        insert(PurchaseOrder, orders)
    for line in lines:
        line.order_id = line.order.pk
    insert(PurchaseOrderLine, lines)


def _requisitions(bulk, items, departments, by):
    """Requisitions over three years, decided and ordered; recent ones still waiting."""
    if not items:
        return
    generator = bulk.rng("requisitions")
    count = bulk.amount("requisitions")
    current, start = now(), history_start()
    recent = current - timedelta(days=30)
    choices = [d for d in departments.values() if d.name in ("工程部", "保洁部", "安保部")]
    rows, lines = [], []
    for at in moments(generator, count, start, current):
        roll = generator.random()
        if at < recent:
            status = (
                RequisitionStatus.ORDERED
                if roll < 0.55
                else RequisitionStatus.APPROVED
                if roll < 0.8
                else RequisitionStatus.REJECTED
                if roll < 0.9
                else RequisitionStatus.CANCELLED
            )
        else:
            status = generator.choice(
                [RequisitionStatus.DRAFT, RequisitionStatus.SUBMITTED, RequisitionStatus.APPROVED]
            )
        submitted = None if status == RequisitionStatus.DRAFT else at + timedelta(hours=1)
        decided = (
            submitted + timedelta(hours=generator.randint(2, 48))
            if submitted and status != RequisitionStatus.SUBMITTED
            else None
        )
        if decided and decided > current:
            decided, status = None, RequisitionStatus.SUBMITTED
        chosen = generator.sample(items, k=min(len(items), generator.randint(1, 3)))
        quantities = [generator.randint(2, 30) for _item in chosen]
        amount = sum(
            int(i.standard_price * 100) * q for i, q in zip(chosen, quantities, strict=True)
        )
        requisition = Requisition(
            property=bulk.property,
            department=generator.choice(choices) if choices else None,
            purpose=generator.choice(
                ["日常维修备件", "季度保洁耗材", "消防器材更换", "设备保养材料"]
            ),
            needed_by=local_day(at) + timedelta(days=generator.randint(7, 30)),
            status=status,
            amount=cents(amount) if submitted else Decimal(0),
            decision_note={
                RequisitionStatus.REJECTED: "预算不足，下季度再议",
                RequisitionStatus.CANCELLED: "需求取消",
            }.get(status, ""),
            requested_by=by,
            submitted_at=submitted,
            approved_by=by if decided else None,
            approved_at=decided,
            created_at=at,
            updated_at=decided or submitted or at,
        )
        rows.append(requisition)
        for item, quantity in zip(chosen, quantities, strict=True):
            lines.append(
                RequisitionLine(
                    requisition=requisition,
                    item=item,
                    quantity=Decimal(quantity),
                    estimated_price=item.standard_price,
                )
            )
    with dated(Requisition):
        insert(Requisition, rows)
    for line in lines:
        line.requisition_id = line.requisition.pk
    insert(RequisitionLine, lines)
