"""Sentences facilities wrote on its records become messages worded in the reader's language
(``core.texts``): the work order timeline's own entries ("Details corrected.", "5 steps
recorded, 2 not passed.", "Follow-up order … opened for …", parts used and returned,
downtime started and "Back in service", a photo's stage) and the notes of the stock
movements of a work order (parts returned "Unused, back from WO-…", parts issued under the
order's generated title). Each was stored in the language of whoever acted. Texts that match
a wording, English or Chinese, become ``<field>_key`` + ``<field>_params``: a timeline entry
keeps in ``text`` only what a person typed with it (a photo's caption), a movement's note
keeps the facts. Anything else was typed by someone and stays as it is.
"""

import re
from decimal import Decimal, InvalidOperation

import django.core.serializers.json
from django.db import migrations, models

import core.texts

BATCH = 1000
NUMBER = r"-?\d+(?:\.\d+)?(?:E[+-]?\d+)?"
ORDER = r"WO-\d{4}-\d{6}"
# The wordings as they were stored, English and Chinese (frozen here: later translations must
# not change what this migration recognises), by the event kind that carried them.
EVENTS = {
    "note": [
        ("facilities.details_corrected", re.compile(r"^(?:Details corrected\.|工单信息已更正。)$")),
        (
            "facilities.follow_up_opened",
            re.compile(
                rf"^(?:Follow-up order (?P<number>{ORDER}) opened for “(?P<check>.+)”\."
                rf"|已为“(?P<check_zh>.+)”创建跟进工单 (?P<number_zh>{ORDER})。)$",
                re.S,
            ),
        ),
    ],
    "check": [
        (
            "facilities.checklist_recorded",
            re.compile(
                r"^(?:(?P<count>\d+) steps recorded, (?P<failed>\d+) not passed\."
                r"|已记录 (?P<count_zh>\d+) 项，其中 (?P<failed_zh>\d+) 项不合格。)$"
            ),
        ),
    ],
    "part": [
        (
            "facilities.part_returned",
            re.compile(
                rf"^(?:Returned to stock: |退库：)(?P<item>.+) × (?P<quantity>{NUMBER})$", re.S
            ),
        ),
    ],
    "downtime": [
        ("facilities.back_in_service", re.compile(r"^(?:Back in service|恢复运行)$")),
        ("facilities.downtime.failure", re.compile(r"^(?:Failure|故障)$")),
        ("facilities.downtime.planned", re.compile(r"^(?:Planned maintenance|计划维保)$")),
        (
            "facilities.downtime.external",
            re.compile(r"^(?:External \(power cut, supply …\)|外部原因（停电、断供…）)$"),
        ),
    ],
}
PHOTO_STAGES = {"before": ("Before", "作业前"), "after": ("After", "作业后")}
PART_USED = re.compile(rf"^(?P<item>.+) × (?P<quantity>{NUMBER})$", re.S)
BACK_FROM_ORDER = re.compile(
    rf"^(?:Unused, back from (?P<order>{ORDER})|未用完，由 (?P<order_zh>{ORDER}) 退库)$"
)
# A generated title as it was worded, to recognise an issue's note written from it.
TITLES = {
    "fault": ("Fault: {what}", "故障：{what}"),
    "failed_check": ("Repair after a failed check: {check}", "检查不合格维修：{check}"),
    "reading": ("Out of range: {point}, {reading}", "读数超限：{point}，{reading}"),
}


def _number(text):
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return f"{value.normalize():f}" if value.is_finite() else None


def _groups(match):
    """A match's named groups, the Chinese alternative's ("…_zh") under the English name."""
    found = {}
    for name, value in match.groupdict().items():
        if value is not None:
            found[name.removesuffix("_zh")] = value
    return found


def event_message(kind, text):
    """``(key, params, text left)`` for a timeline entry the app wrote, or None."""
    text = text or ""
    if kind == "photo":
        for stage, labels in PHOTO_STAGES.items():
            for label in labels:
                if text == label or text.startswith(label + " "):
                    return f"facilities.photo.{stage}", {}, text[len(label) :].strip()
        return None
    for key, pattern in EVENTS.get(kind, ()):
        match = pattern.match(text)
        if match is None:
            continue
        params = _groups(match)
        if key == "facilities.checklist_recorded":
            params = {"count": int(params["count"]), "failed": int(params["failed"])}
        elif key == "facilities.part_returned":
            params["quantity"] = _number(params["quantity"])
            if params["quantity"] is None:
                return None
        return key, params, ""
    if kind == "part":
        lines = []
        for piece in text.split("; "):
            match = PART_USED.match(piece)
            quantity = _number(match["quantity"]) if match is not None else None
            if quantity is None:
                return None
            lines.append({"item": match["item"], "quantity": quantity})
        return "facilities.part_used", lines, ""
    return None


def title_sentences(key, params):
    """A generated title's sentences, English and Chinese, as a movement's note kept them."""
    try:
        return {wording.format(**params)[:200] for wording in TITLES[key]}
    except (KeyError, IndexError):
        return set()


def _batches(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        last = rows[-1].pk
        yield rows


def to_messages(apps, schema_editor):
    WorkOrderEvent = apps.get_model("facilities", "WorkOrderEvent")
    WorkOrder = apps.get_model("facilities", "WorkOrder")
    StockMovement = apps.get_model("procurement", "StockMovement")
    events = WorkOrderEvent.objects.filter(
        text_key="", kind__in=["note", "check", "part", "downtime", "photo"]
    ).exclude(text="")
    for rows in _batches(events):
        changed = []
        for event in rows:
            found = event_message(event.kind, event.text)
            if found is not None:
                event.text_key, event.text_params, event.text = found
                changed.append(event)
        WorkOrderEvent.objects.bulk_update(changed, ["text", "text_key", "text_params"])

    returns = StockMovement.objects.filter(note_key="", kind="return").filter(
        models.Q(note__startswith="Unused, back from ") | models.Q(note__startswith="未用完")
    )
    for rows in _batches(returns):
        changed = []
        for movement in rows:
            match = BACK_FROM_ORDER.match(movement.note)
            if match is not None:
                number = _groups(match)["order"]
                movement.note_key, movement.note_params = (
                    "facilities.back_from_order",
                    {"order": number},
                )
                movement.note = number
                changed.append(movement)
        StockMovement.objects.bulk_update(changed, ["note", "note_key", "note_params"])

    # Parts issued to an order carried its title: a generated one in the language of the day.
    issues = StockMovement.objects.filter(note_key="", kind="issue").exclude(work_order_ref="")
    for rows in _batches(issues):
        orders = {
            order.number: order
            for order in WorkOrder.objects.filter(
                number__in={m.work_order_ref for m in rows}
            ).exclude(title_key="")
        }
        changed = []
        for movement in rows:
            order = orders.get(movement.work_order_ref)
            if order is None:
                continue
            facts = order.title[:200]
            if movement.note != facts and movement.note not in title_sentences(
                order.title_key, order.title_params
            ):
                continue
            movement.note_key = f"facilities.title.{order.title_key}"
            movement.note_params, movement.note = order.title_params, facts
            changed.append(movement)
        StockMovement.objects.bulk_update(changed, ["note", "note_key", "note_params"])


# --- and back: the sentences again, in Chinese (the default language) -------------------------


def _quantity(value):
    return f"{Decimal(str(value)).normalize():f}"


WORDING = {
    "facilities.details_corrected": lambda p: "工单信息已更正。",
    "facilities.checklist_recorded": lambda p: (
        f"已记录 {int(p['count'])} 项，其中 {int(p['failed'])} 项不合格。"
    ),
    "facilities.follow_up_opened": lambda p: f"已为“{p['check']}”创建跟进工单 {p['number']}。",
    "facilities.part_returned": lambda p: f"退库：{p['item']} × {_quantity(p['quantity'])}",
    "facilities.part_used": lambda p: f"{p['item']} × {_quantity(p['quantity'])}",
    "facilities.back_in_service": lambda p: "恢复运行",
    "facilities.downtime.failure": lambda p: "故障",
    "facilities.downtime.planned": lambda p: "计划维保",
    "facilities.downtime.external": lambda p: "外部原因（停电、断供…）",
    "facilities.photo.before": lambda p: "作业前",
    "facilities.photo.after": lambda p: "作业后",
    "facilities.back_from_order": lambda p: f"未用完，由 {p['order']} 退库",
}


def sentence(key, params):
    """The Chinese text of ``key`` with ``params`` (parts used: "; " between lines)."""
    if key.startswith("facilities.title."):
        wording = TITLES.get(key.removeprefix("facilities.title."))
        try:
            return wording[1].format(**params) if wording else None
        except (KeyError, IndexError, TypeError):
            return None
    word = WORDING.get(key)
    if word is None:
        return None
    try:
        if isinstance(params, list):
            return "; ".join(word(p) for p in params)
        return word(params or {})
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None


def to_sentences(apps, schema_editor):
    WorkOrderEvent = apps.get_model("facilities", "WorkOrderEvent")
    StockMovement = apps.get_model("procurement", "StockMovement")
    for rows in _batches(WorkOrderEvent.objects.exclude(text_key="")):
        changed = []
        for event in rows:
            text = sentence(event.text_key, event.text_params)
            if text is None:
                continue
            # A photo's stage went before its caption.
            event.text = f"{text} {event.text}".strip() if event.text else text
            event.text_key, event.text_params = "", {}
            changed.append(event)
        WorkOrderEvent.objects.bulk_update(changed, ["text", "text_key", "text_params"])
    movements = StockMovement.objects.filter(note_key__startswith="facilities.")
    for rows in _batches(movements):
        changed = []
        for movement in rows:
            text = sentence(movement.note_key, movement.note_params)
            if text is None:
                continue
            movement.note, movement.note_key, movement.note_params = text[:200], "", {}
            changed.append(movement)
        StockMovement.objects.bulk_update(changed, ["note", "note_key", "note_params"])


def settled(func):
    """``func``, then the deferred constraint checks of the rows it wrote run at once:
    PostgreSQL refuses to alter a table with pending trigger events in the same transaction
    (the reverse removes these fields right after rewriting the rows)."""

    def run(apps, schema_editor):
        func(apps, schema_editor)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0011_work_order_title_facts"),
        ("procurement", "0009_worded_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="workorderevent",
            name="text_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="workorderevent",
            name="text_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AlterField(
            model_name="historicalworkorder",
            name="title_key",
            field=core.texts.KeyField(
                blank=True,
                choices=[
                    ("fault", "Fault: %(what)s"),
                    ("failed_check", "Repair after a failed check: %(check)s"),
                    ("reading", "Out of range: %(point)s, %(reading)s"),
                ],
                default="",
                editable=True,
                max_length=20,
                prefix="facilities.title.",
                verbose_name="generated title",
            ),
        ),
        migrations.AlterField(
            model_name="workorder",
            name="title_key",
            field=core.texts.KeyField(
                blank=True,
                choices=[
                    ("fault", "Fault: %(what)s"),
                    ("failed_check", "Repair after a failed check: %(check)s"),
                    ("reading", "Out of range: %(point)s, %(reading)s"),
                ],
                default="",
                editable=True,
                max_length=20,
                prefix="facilities.title.",
                verbose_name="generated title",
            ),
        ),
        migrations.RunPython(settled(to_messages), settled(to_sentences)),
    ]
