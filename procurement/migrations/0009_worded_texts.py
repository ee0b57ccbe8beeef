"""Sentences procurement wrote on its records become messages worded in the reader's
language (``core.texts``): a plan line's "Below minimum: …" (and the requisition line it
became), the purpose "Purchase plan …" of the requisition an approved plan became, and a
requisition's budget warning. Each was stored in the language of whoever acted. Sentences
that match the wording, English or Chinese, become ``<field>_key`` + ``<field>_params``,
the field keeping the facts; anything else was typed by someone and stays as it is.
"""

import re
from decimal import Decimal, InvalidOperation

import django.core.serializers.json
from django.db import migrations, models

import core.texts

BATCH = 1000
# The wordings as they were stored, English and Chinese (frozen here: later translations must
# not change what this migration recognises). A number was written as Decimal.normalize()
# gave it ("2", "2.5", "1E+1"); money as "¥1,234.50".
NUMBER = r"-?\d+(?:\.\d+)?(?:E[+-]?\d+)?"
MONEY = r"¥-?[\d,]+(?:\.\d+)?"
BELOW_MINIMUM = [
    re.compile(rf"^Below minimum: (?P<on_hand>{NUMBER}) left, minimum (?P<minimum>{NUMBER})$"),
    re.compile(rf"^低于最低库存：剩余 (?P<on_hand>{NUMBER})，最低库存 (?P<minimum>{NUMBER})$"),
]
PLAN_PURPOSE = [
    re.compile(r"^Purchase plan (?P<plan>.+)$", re.S),
    re.compile(r"^采购计划 (?P<plan>.+)$", re.S),
]
OVER_BUDGET = [
    re.compile(
        rf"^(?P<category>.+): (?P<left>{MONEY}) left in the (?P<year>\d{{4}}) budget, "
        rf"this requisition needs (?P<need>{MONEY})\.$"
    ),
    re.compile(
        rf"^(?P<category>.+)：(?P<year>\d{{4}}) 年度预算剩余 (?P<left>{MONEY})，"
        rf"本请购单需要 (?P<need>{MONEY})。$"
    ),
]
KEYS = {
    "below_minimum": "procurement.below_minimum",
    "plan": "procurement.plan_requisition",
    "over_budget": "procurement.over_budget",
}


def _number(text):
    """A stored number as the facts keep it ("10", "2.5"), or None."""
    try:
        value = Decimal(text.replace(",", "").replace("¥", ""))
    except InvalidOperation:
        return None
    return f"{value.normalize():f}" if value.is_finite() else None


def _match(patterns, text):
    for pattern in patterns:
        match = pattern.match(text or "")
        if match is not None:
            return match
    return None


def below_minimum(text):
    """The facts of a "below minimum" reason, or None."""
    match = _match(BELOW_MINIMUM, text)
    if match is None:
        return None
    params = {"on_hand": _number(match["on_hand"]), "minimum": _number(match["minimum"])}
    return params if None not in params.values() else None


def plan_purpose(text):
    match = _match(PLAN_PURPOSE, text)
    return {"plan": match["plan"].strip()} if match is not None else None


def over_budget(text):
    """The facts of a budget warning, one set per line, or None unless every line fits."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    found = []
    for line in lines:
        match = _match(OVER_BUDGET, line.strip())
        if match is None:
            return None
        left, need = _number(match["left"]), _number(match["need"])
        if left is None or need is None:
            return None
        found.append(
            {"category": match["category"], "left": left, "year": int(match["year"]), "need": need}
        )
    return found or None


def facts_text(params):
    """The facts in one line, as core.texts.facts_text writes them."""
    if isinstance(params, list):
        return "; ".join(facts_text(p) for p in params)
    return ", ".join(str(v) for v in params.values() if v not in ("", None))


def _convert(queryset, field, read, key, limit=200):
    """Key every row of ``queryset`` whose ``field`` ``read`` recognises; the field keeps
    the facts (cut to ``limit``)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        last = rows[-1].pk
        changed = []
        for row in rows:
            params = read(getattr(row, field))
            if params is None:
                continue
            setattr(row, f"{field}_key", key)
            setattr(row, f"{field}_params", params)
            text = facts_text(params)
            setattr(row, field, text[:limit] if limit else text)
            changed.append(row)
        queryset.model.objects.bulk_update(changed, [field, f"{field}_key", f"{field}_params"])


def to_messages(apps, schema_editor):
    PurchasePlanLine = apps.get_model("procurement", "PurchasePlanLine")
    RequisitionLine = apps.get_model("procurement", "RequisitionLine")
    for name in ("Requisition", "HistoricalRequisition"):
        model = apps.get_model("procurement", name)
        # Only a requisition made from a plan had its purpose written by the app.
        _convert(
            model.objects.filter(plan__isnull=False, purpose_key=""),
            "purpose",
            plan_purpose,
            KEYS["plan"],
        )
        _convert(
            model.objects.filter(budget_warning_key="").exclude(budget_warning=""),
            "budget_warning",
            over_budget,
            KEYS["over_budget"],
            limit=None,
        )
    _convert(
        PurchasePlanLine.objects.filter(reason_key=""),
        "reason",
        below_minimum,
        KEYS["below_minimum"],
    )
    _convert(
        RequisitionLine.objects.filter(note_key="", requisition__plan__isnull=False),
        "note",
        below_minimum,
        KEYS["below_minimum"],
    )


# --- and back: the sentences again, in Chinese (the default language) -------------------------


def _quantity(value):
    return f"{Decimal(str(value)).normalize():f}"


def _money(value):
    return f"¥{Decimal(str(value)):,.2f}"


WORDING = {
    KEYS["below_minimum"]: lambda p: (
        f"低于最低库存：剩余 {_quantity(p['on_hand'])}，最低库存 {_quantity(p['minimum'])}"
    ),
    KEYS["plan"]: lambda p: f"采购计划 {p['plan']}",
    KEYS["over_budget"]: lambda p: (
        f"{p['category']}：{p['year']} 年度预算剩余 {_money(p['left'])}，"
        f"本请购单需要 {_money(p['need'])}。"
    ),
}


def sentence(key, params):
    """The Chinese sentence of ``key`` with ``params`` (a list: one line each), or None."""
    word = WORDING.get(key)
    if word is None:
        return None
    try:
        if isinstance(params, list):
            return "\n".join(word(p) for p in params)
        return word(params)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None


def _back(queryset, field, limit=200):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        last = rows[-1].pk
        changed = []
        for row in rows:
            text = sentence(getattr(row, f"{field}_key"), getattr(row, f"{field}_params"))
            if text is None:
                continue
            setattr(row, field, text[:limit] if limit else text)
            setattr(row, f"{field}_key", "")
            setattr(row, f"{field}_params", {})
            changed.append(row)
        queryset.model.objects.bulk_update(changed, [field, f"{field}_key", f"{field}_params"])


def to_sentences(apps, schema_editor):
    for name in ("Requisition", "HistoricalRequisition"):
        model = apps.get_model("procurement", name)
        _back(model.objects.exclude(purpose_key=""), "purpose")
        _back(model.objects.exclude(budget_warning_key=""), "budget_warning", limit=None)
    PurchasePlanLine = apps.get_model("procurement", "PurchasePlanLine")
    RequisitionLine = apps.get_model("procurement", "RequisitionLine")
    StockMovement = apps.get_model("procurement", "StockMovement")
    _back(PurchasePlanLine.objects.exclude(reason_key=""), "reason")
    _back(RequisitionLine.objects.exclude(note_key=""), "note")
    # Notes of other apps' messages (facilities words its own back first, see its 0012).
    _back(StockMovement.objects.exclude(note_key=""), "note")


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
        ("procurement", "0008_help_texts_in_english"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrequisition",
            name="budget_warning_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="historicalrequisition",
            name="budget_warning_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="historicalrequisition",
            name="purpose_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="historicalrequisition",
            name="purpose_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="purchaseplanline",
            name="reason_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="purchaseplanline",
            name="reason_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="requisition",
            name="budget_warning_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="requisition",
            name="budget_warning_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="requisition",
            name="purpose_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="requisition",
            name="purpose_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="requisitionline",
            name="note_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="requisitionline",
            name="note_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="note_key",
            field=core.texts.KeyField(
                blank=True, default="", editable=False, max_length=60, verbose_name="message"
            ),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="note_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="facts of the message",
            ),
        ),
        migrations.RunPython(settled(to_messages), settled(to_sentences)),
    ]
