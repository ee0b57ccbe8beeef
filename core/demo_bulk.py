"""The volume behind ``seed_demo --scale N`` (N > 1), and the helpers every app's bulk seed
shares: how much of each thing a scale means, batched inserts, deterministic randomness and
dates spread over the past.

Scale 1 is the hand-made demo of each app's ``demo.py``. A larger scale adds, on top of it,
extra properties (P03, P04 …) that each app fills in bulk: at scale 100, 20 properties,
~20,000 employees and as much equipment, 200,000 work orders, 1,000,000 stock movements and
50,000 inspection rounds. Rows are built in Python (derived values computed here, never by
per-row services) and inserted with ``bulk_create`` in batches. Bulk rows get no history rows
(django-simple-history writes them from ``save()`` signals, which ``bulk_create`` does not
send); every later normal save of those records is recorded as usual.

Idempotent per property and app: an app fills a bulk property only when it holds none of
that app's records yet, so running the same scale twice adds nothing (a larger N over a
smaller one adds only the properties that are missing; seed an empty database for exact
figures). The same N gives the same data (``random.Random`` seeded by scale, property and
purpose; dates count back from the day it runs, as the hand-made demo's do).
"""

import json
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.db import connection, models
from django.utils import timezone

from .models import Location, LocationKind, Property, PropertyKind, User, path_segment

BATCH = 4000
YEARS_OF_HISTORY = 3
MAX_SCALE = 100

# What one unit of scale adds (at --scale 100: 100 times this).
PER_UNIT = {
    "employees": 200,
    "equipment": 200,
    "plans": 25,
    "work_orders": 2000,
    "movements": 10_000,
    "rounds": 500,
    "items": 30,
    "suppliers": 5,
    "purchase_orders": 30,
    "requisitions": 20,
    "cleaning_tasks": 1000,
    "cleaning_inspections": 100,
}

# The logins that work across the company see the bulk properties too (the director sees all).
COMPANY_LOGINS = ("director", "facilities", "stores", "hr")

NAMES = "锦绣 金桂 银杏 紫荆 碧水 晨曦 东方 滨江 望湖 书香 枫林 明珠 世纪 阳光 海棠 云顶 春申 绿洲"
DISTRICTS = "浦东新区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区"


def property_count(scale):
    """2 at scale 1, 3 from scale 2, 4 at scale 10 and 20 at scale 100."""
    if scale <= 1:
        return 2
    return 2 + math.ceil(18 * (scale - 1) / 99)


@dataclass(frozen=True)
class BulkProperty:
    """One bulk property and its share of the scale's volume."""

    property: Property
    index: int  # 3, 4 … (P03, P04 …)
    share: float  # of the whole bulk volume; the shares add up to 1
    scale: int

    def amount(self, what, minimum=1):
        """This property's part of ``what`` (a key of ``PER_UNIT``)."""
        return max(minimum, round(PER_UNIT[what] * self.scale * self.share))

    def rng(self, purpose):
        return rng(self.scale, self.property.code, purpose)

    @property
    def residential(self):
        return self.property.kind == PropertyKind.RESIDENTIAL


def rng(*parts):
    """A random generator that gives the same sequence for the same parts (scale, purpose …)."""
    return random.Random(":".join(str(p) for p in ("houqin-demo", *parts)))


def _shares(scale, count):
    generator = rng(scale, "shares")
    weights = [0.7 + 0.6 * generator.random() for _i in range(count)]
    total = sum(weights)
    return [w / total for w in weights]


def property_code(index):
    return f"P{index:02d}"


def bulk_properties(scale):
    """The bulk properties of ``scale`` that exist, with their shares (core creates them)."""
    count = property_count(scale) - 2
    if count <= 0:
        return []
    codes = [property_code(i) for i in range(3, 3 + count)]
    found = {p.code: p for p in Property.objects.filter(code__in=codes)}
    return [
        BulkProperty(found[code], index, share, scale)
        for index, code, share in zip(
            range(3, 3 + count), codes, _shares(scale, count), strict=True
        )
        if code in found
    ]


# --- inserting ---------------------------------------------------------------------------------


def insert(model, objects, batch_size=BATCH):
    """``bulk_create`` in batches; returns the objects (with their ids on PostgreSQL and on
    SQLite 3.35+, which return them from the insert)."""
    objects = list(objects)
    for start in range(0, len(objects), batch_size):
        model.objects.bulk_create(objects[start : start + batch_size], batch_size=batch_size)
    return objects


def copy_rows(model, rows):
    """Insert plain rows (dicts of column ``attname`` → database-ready value) the fastest way
    the database offers, for the big tables (movements, work orders, rounds): PostgreSQL's
    ``COPY``, elsewhere ``bulk_create`` in batches. Columns left out take the field's default;
    ``created_at``/``updated_at`` left out are now. No ids come back."""
    moment = now()
    spec = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        spec.append((field.attname, moment if auto else field.get_default()))
    if connection.vendor != "postgresql":
        with dated(model):
            insert(model, (model(**{c: row.get(c, d) for c, d in spec}) for row in rows))
        return
    column = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column[c]) for c, _d in spec)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    # COPY takes text: a JSON field's value (a work order's title facts) goes as JSON text.
    # With the field's own encoder: facts of a message (core.texts) may hold a Decimal.
    json_columns = {
        f.attname: f.encoder for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
    }

    def value(row, name, default):
        got = row.get(name, default)
        if name in json_columns and got is not None:
            return json.dumps(got, ensure_ascii=False, cls=json_columns[name])
        return got

    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([value(row, c, d) for c, d in spec])


@contextmanager
def dated(model):
    """Within the block, ``bulk_create`` keeps the ``created_at``/``updated_at`` the rows were
    given (a work order opened two years ago says so) instead of stamping them now. Only this
    model's own field objects change, and only for the block."""
    fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    fields += [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reserve_ids(model, count):
    """``count`` fresh primary keys for ``model`` (rows that must know their own id before the
    insert, like a location's path)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


# --- dates -------------------------------------------------------------------------------------


def now():
    return timezone.now().replace(microsecond=0)


def history_start(moment=None):
    """The first moment of the bulk history: three years back."""
    return (moment or now()) - timedelta(days=365 * YEARS_OF_HISTORY)


def moments(generator, count, start, end):
    """``count`` moments spread at random over [start, end), oldest first (whole seconds)."""
    first, last = int(start.timestamp()), int(end.timestamp())
    stamps = sorted(generator.randrange(first, max(first + 1, last)) for _i in range(count))
    return [datetime.fromtimestamp(s, tz=UTC) for s in stamps]


def local_day(moment):
    """The day of ``moment`` in the site's time zone (fast: called per generated row)."""
    return moment.astimezone(_zone()).date()


@cache
def _zone():
    return timezone.get_default_timezone()


# --- core's part: the bulk properties and their location trees -----------------------------------


def seed(scale, stdout=None):
    """The bulk properties (P03 …) with their location trees, and the company logins'
    access to them."""
    count = property_count(scale) - 2
    if count <= 0:
        return []
    generator = rng(scale, "properties")
    names, districts = NAMES.split(), DISTRICTS.split()
    new = []
    existing = set(Property.objects.values_list("code", flat=True))
    for index in range(3, 3 + count):
        code = property_code(index)
        if code in existing:
            continue
        residential = index % 3 != 0  # two in three are housing estates, the rest offices
        name = names[(index - 3) % len(names)] + ("花园" if residential else "大厦")
        if index - 3 >= len(names):
            name += f"{(index - 3) // len(names) + 1}期"
        new.append(
            Property(
                code=code,
                name=name,
                kind=PropertyKind.RESIDENTIAL if residential else PropertyKind.OFFICE,
                address=f"上海市{generator.choice(districts)}{name}路{generator.randint(1, 999)}号",
                phone=f"021-{generator.randint(5000, 6999)} {generator.randint(1000, 9999)}",
            )
        )
    insert(Property, new)
    properties = bulk_properties(scale)
    for bulk in properties:
        if not Location.objects.filter(property=bulk.property).exists():
            _tree(bulk)
    everyone = [b.property for b in properties]
    for user in User.objects.filter(username__in=COMPANY_LOGINS):
        user.properties.add(*everyone)
    return properties


def buildings_for(bulk):
    """How many buildings a bulk property has: enough to hold its share of the equipment
    (a housing block holds ~10 pieces, an office tower ~40)."""
    per_building = 10 if bulk.residential else 40
    return max(1, round(bulk.amount("equipment") / per_building))


def _tree(bulk):
    """Buildings → floors → spaces, as the hand-made trees have them; ids reserved first so
    each row is inserted with its path and full name."""
    nodes = []  # (code, name, kind, parent index or None)

    def add(code, name, kind, parent=None):
        nodes.append((code, name, kind, parent))
        return len(nodes) - 1

    floors = 6 if bulk.residential else 12
    for b in range(1, buildings_for(bulk) + 1):
        prefix = f"B{b:03d}"
        building = add(
            prefix, f"{b}号楼" if bulk.residential else f"{b}号塔楼", LocationKind.BUILDING
        )
        basement = add(f"{prefix}-B1", "B1", LocationKind.FLOOR, building)
        add(f"{prefix}-B1-PUMP", "水泵房", LocationKind.SPACE, basement)
        add(f"{prefix}-B1-POWER", "配电房", LocationKind.SPACE, basement)
        if not bulk.residential:
            add(f"{prefix}-B1-CHILLER", "冷水机房", LocationKind.SPACE, basement)
        for f in range(1, floors + 1):
            floor = add(f"{prefix}-F{f:02d}", f"{f}F", LocationKind.FLOOR, building)
            if f == 1:
                add(f"{prefix}-F01-LOBBY", "大堂", LocationKind.SPACE, floor)
            add(f"{prefix}-F{f:02d}-HALL", "电梯厅", LocationKind.SPACE, floor)
    site = add("SITE", "室外公共区域", LocationKind.OUTDOOR)
    add("GATE-GUARD", "门岗", LocationKind.SPACE, site)
    add("SITE-WASTE", "垃圾分类站", LocationKind.SPACE, site)
    ids = reserve_ids(Location, len(nodes))
    rows = []
    for pk, (code, name, kind, parent) in zip(ids, nodes, strict=True):
        if parent is None:
            path, depth, full_name = f"/{path_segment(pk)}", 0, name
        else:
            above = rows[parent]
            path = f"{above.path}{path_segment(pk)}"
            depth, full_name = above.depth + 1, f"{above.full_name} / {name}"
        rows.append(
            Location(
                id=pk,
                property=bulk.property,
                code=code,
                name=name,
                kind=kind,
                parent_id=ids[parent] if parent is not None else None,
                path=path,
                depth=depth,
                full_name=full_name,
            )
        )
    insert(Location, rows)
