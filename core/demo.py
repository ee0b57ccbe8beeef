"""core's part of ``seed_demo``: two properties with their location trees and the demo logins.

Idempotent: records are found by their natural keys (codes, usernames) and created only
when missing, so running it twice changes nothing.
"""

from django.contrib.auth.models import Group

from .models import Location, LocationKind, Property, PropertyKind, User
from .roles import (
    CLEANER,
    CLEANING_SUPERVISOR,
    CUSTOMER_SERVICE,
    DIRECTOR,
    FACILITIES_SUPERVISOR,
    GUARD,
    HR,
    SECURITY_SUPERVISOR,
    STORES,
    TECHNICIAN,
    get_role,
)

DEMO_PASSWORD = "demo"
EMAIL_DOMAIN = "houqin.example.com"

PROPERTIES = [
    {
        "code": "JLG",
        "name": "翠湖花园",
        "kind": PropertyKind.RESIDENTIAL,
        "address": "上海市浦东新区翠湖路 88 号",
        "phone": "021-5888 1234",
    },
    {
        "code": "HMC",
        "name": "华贸中心",
        "kind": PropertyKind.OFFICE,
        "address": "上海市静安区华贸路 1 号",
        "phone": "021-6222 5678",
    },
]

# username, family+given name, role (group), property codes ("*" = all), language
USERS = [
    ("director", "王", "建国", DIRECTOR, "*", "zh-hans"),
    ("facilities", "李", "明", FACILITIES_SUPERVISOR, "JLG HMC", "en"),
    ("technician", "张", "伟", TECHNICIAN, "JLG", "zh-hans"),
    ("stores", "陈", "静", STORES, "JLG HMC", "zh-hans"),
    ("cleaning", "刘", "芳", CLEANING_SUPERVISOR, "JLG", "zh-hans"),
    ("cleaner", "黄", "秀英", CLEANER, "JLG", "zh-hans"),
    ("security", "赵", "强", SECURITY_SUPERVISOR, "JLG HMC", "zh-hans"),
    ("guard", "孙", "磊", GUARD, "HMC", "zh-hans"),
    ("hr", "周", "敏", HR, "JLG HMC", "en"),
    ("service", "吴", "丽", CUSTOMER_SERVICE, "JLG", "zh-hans"),
]


def _location(property_, code, name, kind, parent=None, note=""):
    location = Location.objects.filter(property=property_, code=code).first()
    if location is None:
        location = Location.objects.create(
            property=property_, code=code, name=name, kind=kind, parent=parent, note=note
        )
    return location


def _residential_tree(property_, scale):
    for b in range(1, 3 * scale + 1):
        building = _location(property_, f"B{b:02d}", f"{b}号楼", LocationKind.BUILDING)
        basement = _location(property_, f"B{b:02d}-B1", "B1", LocationKind.FLOOR, building)
        _location(property_, f"B{b:02d}-B1-PUMP", "水泵房", LocationKind.SPACE, basement)
        _location(property_, f"B{b:02d}-B1-POWER", "配电房", LocationKind.SPACE, basement)
        for f in range(1, 7):
            floor = _location(
                property_, f"B{b:02d}-F{f:02d}", f"{f}F", LocationKind.FLOOR, building
            )
            if f == 1:
                _location(property_, f"B{b:02d}-F01-LOBBY", "大堂", LocationKind.SPACE, floor)
            _location(property_, f"B{b:02d}-F{f:02d}-HALL", "电梯厅", LocationKind.SPACE, floor)
    garden = _location(property_, "GARDEN", "中心花园", LocationKind.OUTDOOR)
    _location(property_, "GARDEN-PLAY", "儿童游乐区", LocationKind.SPACE, garden)
    _location(property_, "GARDEN-POND", "景观水池", LocationKind.SPACE, garden)
    gate = _location(property_, "GATE", "南大门", LocationKind.OUTDOOR)
    _location(property_, "GATE-GUARD", "门岗", LocationKind.SPACE, gate)
    parking = _location(property_, "PARKING", "地面停车场", LocationKind.OUTDOOR)
    _location(property_, "PARKING-WASTE", "垃圾分类站", LocationKind.SPACE, parking)


def _office_tree(property_, scale):
    for tower in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(1, scale)]:
        building = _location(property_, f"T{tower}", f"{tower}座", LocationKind.BUILDING)
        b2 = _location(property_, f"T{tower}-B2", "B2", LocationKind.FLOOR, building)
        b1 = _location(property_, f"T{tower}-B1", "B1", LocationKind.FLOOR, building)
        _location(property_, f"T{tower}-B2-CHILLER", "冷水机房", LocationKind.SPACE, b2)
        _location(property_, f"T{tower}-B2-PUMP", "消防泵房", LocationKind.SPACE, b2)
        _location(property_, f"T{tower}-B1-POWER", "高低压配电室", LocationKind.SPACE, b1)
        for f in range(1, 13):
            floor = _location(
                property_, f"T{tower}-F{f:02d}", f"{f}F", LocationKind.FLOOR, building
            )
            if f == 1:
                _location(property_, f"T{tower}-F01-LOBBY", "大堂", LocationKind.SPACE, floor)
                _location(property_, f"T{tower}-F01-FCC", "消防控制室", LocationKind.SPACE, floor)
            _location(property_, f"T{tower}-F{f:02d}-WC", "公共卫生间", LocationKind.SPACE, floor)
    plaza = _location(property_, "PLAZA", "前广场", LocationKind.OUTDOOR)
    _location(property_, "PLAZA-GATE", "车库出入口", LocationKind.SPACE, plaza)


def _users(properties):
    all_properties = list(properties.values())
    for username, family, given, role, codes, language in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "language": language,
                "email": f"{username}@{EMAIL_DOMAIN}",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=get_role(role).name))
        user.properties.add(
            *(all_properties if codes == "*" else [properties[c] for c in codes.split()])
        )
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "email": f"admin@{EMAIL_DOMAIN}",
            "first_name": "Admin",
            "language": "zh-hans",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])


def seed(*, scale=1, stdout=None):
    properties = {}
    for data in PROPERTIES:
        code = data["code"]
        properties[code], _created = Property.objects.get_or_create(code=code, defaults=data)
    # The hand-made demo is the same at every scale; a larger scale adds bulk properties.
    _residential_tree(properties["JLG"], 1)
    _office_tree(properties["HMC"], 1)
    _users(properties)
    if scale > 1:
        from . import demo_bulk

        demo_bulk.seed(scale, stdout)
    if stdout:
        stdout.write(
            f"core: {Property.objects.count()} properties, {Location.objects.count()} locations, "
            f"{User.objects.count()} users"
        )
