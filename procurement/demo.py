"""procurement's part of seed_demo: categories, ~150 items, a storeroom per property with
opening balances (some below their minimum), a few issues, suppliers and orders in every
state; ``demo_planning`` adds budgets, plans, requisitions, a quotation and stock counts."""

from decimal import Decimal

from core.models import Property, User

from . import services
from .models import (
    Item,
    ItemCategory,
    MovementKind,
    StockIssue,
    StockIssueLine,
    StockLevel,
    Storeroom,
    Supplier,
)

# category: [(name, specification options, unit, price)]
CATALOGUE = {
    "电气材料": [
        ("LED 灯管", ["T8 0.6m", "T8 1.2m", "T5 1.2m"], "支", "18.50"),
        ("LED 筒灯", ["6W", "9W", "12W"], "个", "32.00"),
        ("空气开关", ["1P 16A", "1P 32A", "2P 32A", "3P 63A"], "个", "45.00"),
        ("电线", ["BV 2.5mm²", "BV 4mm²", "BV 6mm²"], "卷", "260.00"),
        ("插座面板", ["五孔", "16A 三孔", "带 USB"], "个", "22.00"),
        ("应急灯", ["双头", "安全出口"], "个", "68.00"),
    ],
    "水暖配件": [
        ("PPR 管", ["DN20", "DN25", "DN32"], "米", "12.00"),
        ("球阀", ["DN15", "DN20", "DN25", "DN50"], "个", "36.00"),
        ("水龙头", ["单冷", "冷热"], "个", "85.00"),
        ("角阀", ["普通", "加长"], "个", "18.00"),
        ("生料带", ["标准"], "卷", "2.50"),
        ("地漏", ["防臭 DN50", "洗衣机专用"], "个", "42.00"),
    ],
    "五金工具": [
        ("螺丝", ["M4×20", "M6×30", "M8×40"], "盒", "15.00"),
        ("膨胀螺栓", ["M8", "M10", "M12"], "盒", "38.00"),
        ("电工胶布", ["黑色", "红色"], "卷", "3.50"),
        ("扎带", ["3×150", "5×300"], "包", "9.00"),
        ("门锁芯", ["C 级"], "个", "95.00"),
        ("闭门器", ["60kg", "85kg"], "个", "120.00"),
    ],
    "清洁用品": [
        ("垃圾袋", ["大号 80×100", "中号 60×80"], "卷", "12.00"),
        ("洗洁精", ["5L"], "桶", "35.00"),
        ("消毒液", ["84 消毒液 5L"], "桶", "28.00"),
        ("拖把", ["平板", "棉线"], "把", "26.00"),
        ("玻璃清洁剂", ["500ml"], "瓶", "15.00"),
        ("擦手纸", ["三折 200 抽"], "箱", "168.00"),
    ],
    "消防器材": [
        ("干粉灭火器", ["4kg", "8kg"], "具", "95.00"),
        ("灭火器压力表", ["通用"], "个", "12.00"),
        ("消防水带", ["DN65 20m"], "盘", "180.00"),
        ("疏散指示牌", ["左向", "右向", "双向"], "个", "45.00"),
        ("烟感探测器", ["独立式"], "个", "88.00"),
    ],
    "劳保用品": [
        ("劳保手套", ["棉纱", "丁腈"], "双", "4.50"),
        ("安全帽", ["ABS 白色", "ABS 黄色"], "顶", "35.00"),
        ("绝缘手套", ["12kV"], "双", "85.00"),
        ("反光背心", ["通用"], "件", "15.00"),
        ("雨衣", ["分体式"], "套", "48.00"),
    ],
    "绿化用品": [
        ("复合肥", ["25kg"], "袋", "120.00"),
        ("草坪种子", ["高羊茅 1kg"], "袋", "45.00"),
        ("绿篱剪", ["手动"], "把", "65.00"),
        ("杀虫剂", ["1L"], "瓶", "38.00"),
    ],
    "办公用品": [
        ("A4 打印纸", ["70g 500 张"], "包", "26.00"),
        ("签字笔", ["0.5mm 黑色"], "盒", "18.00"),
        ("文件夹", ["A4 蓝色"], "个", "6.00"),
        ("订书钉", ["24/6"], "盒", "3.00"),
        ("墨粉盒", ["HP 88A", "Brother TN-2325"], "个", "120.00"),
    ],
    "电梯配件": [
        ("电梯按钮", ["圆形 不锈钢", "方形 带灯"], "个", "65.00"),
        ("电梯导靴衬", ["尼龙 10mm", "尼龙 16mm"], "个", "28.00"),
        ("电梯钢丝绳润滑油", ["5kg"], "桶", "260.00"),
        ("轿厢照明灯", ["LED 12W"], "个", "45.00"),
        ("门机皮带", ["标准"], "条", "85.00"),
    ],
    "暖通配件": [
        ("空调滤网", ["500×500", "600×600"], "片", "35.00"),
        ("风机盘管电机", ["FP-68", "FP-102"], "台", "380.00"),
        ("冷媒", ["R410A 11.3kg", "R22 13.6kg"], "瓶", "520.00"),
        ("温控面板", ["液晶 三速"], "个", "95.00"),
        ("保温棉", ["20mm 橡塑"], "米", "14.00"),
    ],
    "化学药剂": [
        ("水处理药剂", ["缓蚀阻垢剂 25kg", "杀菌灭藻剂 25kg"], "桶", "320.00"),
        ("二氧化氯消毒片", ["1kg"], "瓶", "58.00"),
        ("融雪剂", ["25kg"], "袋", "75.00"),
        ("除锈剂", ["500ml"], "瓶", "22.00"),
    ],
    "油漆涂料": [
        ("防锈漆", ["红丹 3kg", "灰色 3kg"], "桶", "68.00"),
        ("乳胶漆", ["白色 18L"], "桶", "420.00"),
        ("道路标线漆", ["黄色 20kg", "白色 20kg"], "桶", "360.00"),
        ("腻子粉", ["20kg"], "袋", "32.00"),
        ("油漆刷", ["2 寸", "4 寸"], "把", "6.00"),
    ],
    "给排水设备配件": [
        ("水泵机械密封", ["25mm", "35mm", "45mm"], "套", "150.00"),
        ("压力表", ["0–1.6MPa", "0–2.5MPa"], "个", "48.00"),
        ("浮球阀", ["DN25", "DN50"], "个", "110.00"),
        ("止回阀", ["DN50", "DN80", "DN100"], "个", "230.00"),
        ("潜水泵", ["0.75kW", "1.5kW"], "台", "860.00"),
        ("管卡", ["DN50", "DN100"], "个", "4.00"),
    ],
    "门窗五金": [
        ("合页", ["4 寸 不锈钢", "5 寸 不锈钢"], "片", "12.00"),
        ("地弹簧", ["标准"], "个", "260.00"),
        ("玻璃门拉手", ["600mm"], "副", "85.00"),
        ("防火门顺序器", ["双开"], "个", "140.00"),
        ("窗户限位器", ["通用"], "个", "15.00"),
    ],
    "绿化工具": [
        ("割草机刀片", ["18 寸", "21 寸"], "片", "55.00"),
        ("园林水管", ["6 分 30m"], "卷", "95.00"),
        ("喷头", ["旋转式", "散射式"], "个", "18.00"),
        ("修枝剪", ["手动 8 寸"], "把", "48.00"),
    ],
    "垃圾处理": [
        ("分类垃圾桶", ["240L 绿色", "240L 灰色", "120L 红色"], "个", "220.00"),
        ("垃圾桶轮子", ["8 寸"], "个", "25.00"),
        ("厨余垃圾袋", ["可降解 80×100"], "卷", "28.00"),
    ],
    "安防器材": [
        ("监控摄像头", ["200 万 枪机", "400 万 半球"], "台", "380.00"),
        ("硬盘", ["4TB 监控级"], "块", "560.00"),
        ("门禁卡", ["IC 卡"], "张", "3.50"),
        ("道闸杆", ["直杆 4m"], "根", "180.00"),
        ("对讲机电池", ["通用 2000mAh"], "块", "65.00"),
    ],
}


def seed(*, scale=1, stdout=None):
    stores = User.objects.get(username="stores")
    items = _catalogue()
    for code, name in (("JLG", "翠湖花园物资仓库"), ("HMC", "华贸中心物资仓库")):
        property_ = Property.objects.get(code=code)
        room, created = Storeroom.objects.get_or_create(
            property=property_, code="MAIN", defaults={"name": name}
        )
        if created:
            _stock(room, items, stores, low_every=9 if code == "JLG" else 13)
            _issues(room, items, stores)
    _suppliers()
    _orders(stores)
    from . import demo_planning

    demo_planning.seed(stores)
    if scale > 1:
        from . import demo_bulk

        demo_bulk.seed(scale, stdout)
    if stdout:
        stdout.write(
            f"procurement: {Item.objects.count()} items, {Storeroom.objects.count()} storerooms, "
            f"{Supplier.objects.count()} suppliers"
        )


def _catalogue():
    number, items = 0, []
    for category_name, entries in CATALOGUE.items():
        category, _created = ItemCategory.objects.get_or_create(name=category_name, parent=None)
        for name, specifications, unit, price in entries:
            for specification in specifications:
                number += 1
                item, _created = Item.objects.get_or_create(
                    code=f"WZ{number:04d}",
                    defaults={
                        "name": name,
                        "specification": specification,
                        "unit": unit,
                        "category": category,
                        "standard_price": Decimal(price),
                    },
                )
                items.append(item)
    return items


def _stock(room, items, by, low_every):
    """Opening balances and levels; every ``low_every``-th item sits below its minimum."""
    for index, item in enumerate(items):
        minimum = Decimal(5 + index % 10)
        StockLevel.objects.get_or_create(
            item=item, storeroom=room, defaults={"minimum": minimum, "maximum": minimum * 6}
        )
        quantity = minimum - 2 if index % low_every == 0 else minimum * 3
        if quantity > 0:
            services.post_movement(
                item,
                room,
                quantity,
                MovementKind.OPENING,
                by=by,
                unit_cost=item.standard_price,
                reference="期初",
            )


def _issues(room, items, by):
    from staff.models import Department

    department = Department.objects.filter(name="工程部").first()
    if department is None:
        return
    issue = StockIssue.objects.create(storeroom=room, department=department, purpose="日常维修领料")
    for item in items[1:4]:
        StockIssueLine.objects.create(issue=issue, item=item, quantity=Decimal(2))
    services.post_issue(issue, by=by)
    draft = StockIssue.objects.create(
        storeroom=room, department=department, purpose="更换地下车库灯管"
    )
    StockIssueLine.objects.create(issue=draft, item=items[0], quantity=Decimal(1))


# name, the first 17 characters of its credit code, categories, status, contact
SUPPLIERS = [
    ("上海明亮电气有限公司", "91310115MA1H7A2B3", ["电气材料"], "approved", "钱经理"),
    ("浦东顺达水暖建材商行", "92310115MA1K8C4D5", ["水暖配件", "五金工具"], "approved", "孙老板"),
    ("洁美清洁用品有限公司", "91310104MA1F2E3G4", ["清洁用品"], "approved", "何女士"),
    ("安消消防器材有限公司", "91310112MA1G5H6J7", ["消防器材"], "candidate", "冯工"),
    ("诚信劳保用品店", "92310106MA1L9M8N7", ["劳保用品"], "suspended", "周先生"),
]


def _suppliers():
    from datetime import timedelta

    from django.utils import timezone

    from .models import DocumentKind, SupplierDocument
    from .validators import credit_code_check_character

    today = timezone.localdate()
    for index, (name, first17, categories, status, contact) in enumerate(SUPPLIERS):
        supplier, created = Supplier.objects.get_or_create(
            credit_code=first17 + credit_code_check_character(first17),
            defaults={
                "name": name,
                "contact": contact,
                "phone": f"021-6{index}88 99{index}0",
                "status": status,
                "status_reason": "交货多次延误，暂停合作" if status == "suspended" else "",
            },
        )
        if not created:
            continue
        supplier.categories.set(ItemCategory.objects.filter(name__in=categories))
        SupplierDocument.objects.create(
            supplier=supplier,
            kind=DocumentKind.LICENCE,
            number=supplier.credit_code,
            issued_on=today - timedelta(days=2000),
        )
        # The first supplier's permit runs out in three weeks: the reminder fires.
        SupplierDocument.objects.create(
            supplier=supplier,
            kind=DocumentKind.PERMIT,
            number=f"XK-{index:04d}",
            issued_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=21 if index == 0 else 400 + index * 30),
        )


def _orders(by):
    """Orders in every state at JLG, through the services; one is past its promised date."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from .models import PurchaseOrder, PurchaseOrderLine

    room = Storeroom.objects.get(property__code="JLG", code="MAIN")
    if PurchaseOrder.objects.filter(storeroom=room).exists():
        return
    today = timezone.localdate()
    supplier = Supplier.objects.get(name="上海明亮电气有限公司")
    items = list(Item.objects.filter(category__name="电气材料").order_by("code")[:6])
    plans = [
        ("draft", 10),
        ("approved", 7),
        ("ordered", -3),
        ("partial", -10),
        ("received", -20),
        ("closed", -40),
        ("cancelled", 5),
    ]
    for index, (target, days) in enumerate(plans):
        order = PurchaseOrder.objects.create(
            supplier=supplier, storeroom=room, promised_on=today + timedelta(days=days)
        )
        lines = [
            PurchaseOrderLine.objects.create(
                order=order, item=item, quantity=10, unit_price=item.standard_price
            )
            for item in items[index % 3 : index % 3 + 2]
        ]
        if target == "draft":
            continue
        if target == "cancelled":
            services.cancel_order(order, by=by, reason="需求取消")
            continue
        services.approve_order(order, by=by)
        if target == "approved":
            continue
        services.place_order(order, by=by)
        # Demo history: the order went out two weeks before its promised date.
        placed_at = timezone.now() + timedelta(days=days - 14)
        PurchaseOrder.objects.filter(pk=order.pk).update(ordered_at=placed_at)
        order.refresh_from_db()
        if target == "ordered":
            continue
        received_on = today + timedelta(days=days + (2 if target == "partial" else 0))
        if target == "partial":
            delivery = {lines[0]: (10, 9, "1 支外观破损"), lines[1]: (4, 4, "")}
        else:
            delivery = dict.fromkeys(lines, (10, 10, ""))
        services.receive(order, delivery, by=by, token=uuid.uuid4(), received_on=received_on)
        if target == "closed":
            services.close_order(order, by=by)
