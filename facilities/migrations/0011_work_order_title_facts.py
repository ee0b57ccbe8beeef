"""Generated work-order titles become facts worded in the reader's language.

Until now a fault report, a failed check and an out-of-range reading stored their title as a
sentence in the language of whoever opened the order ("故障：…", "Out of range: …"). Titles that
match those sentences, in either language, become ``title_key`` + ``title_params`` with
``title`` keeping only the facts; any other title was typed by someone and stays as it is.
"""

import re

from django.db import migrations, models

# The wordings as they were stored, Chinese and English (frozen here: later translations
# must not change what this migration recognises).
PATTERNS = {
    "fault": [re.compile(r"^故障[：:]\s*(?P<what>.+)$", re.S), re.compile(r"^Fault: (?P<what>.+)$", re.S)],
    "failed_check": [
        re.compile(r"^检查不合格维修[：:]\s*(?P<check>.+)$", re.S),
        re.compile(r"^Repair after a failed check: (?P<check>.+)$", re.S),
    ],
    "reading": [
        re.compile(r"^读数超限[：:]\s*(?P<rest>.+)$", re.S),
        re.compile(r"^Out of range: (?P<rest>.+)$", re.S),
    ],
}
# Only orders from the matching source are read as generated, except faults: the demo and
# older code opened fault orders by hand with the same wording.
SOURCES = {"failed_check": {"follow_up"}, "reading": {"reading"}}
SEPARATORS = ("，", ", ")


def _reading_facts(rest, reading):
    """Point and reading of an out-of-range title: from the linked reading when it still
    says the same, else split at the first separator."""
    if reading is not None:
        for separator in SEPARATORS:
            if rest == f"{reading.point.name}{separator}{reading.text}":
                return {"point": reading.point.name, "reading": reading.text}
    for separator in SEPARATORS:
        point, found, text = rest.partition(separator)
        if found and point and text:
            return {"point": point, "reading": text}
    return None


def facts(title, source, reading=None):
    """``(key, params, facts_title)`` for a generated title, or None for a typed one."""
    for key, patterns in PATTERNS.items():
        if key in SOURCES and source not in SOURCES[key]:
            continue
        for pattern in patterns:
            match = pattern.match(title)
            if match is None:
                continue
            if key == "reading":
                params = _reading_facts(match["rest"].strip(), reading)
                if params is None:
                    return None
                return key, params, f"{params['point']}, {params['reading']}"[:160]
            params = {name: value.strip() for name, value in match.groupdict().items()}
            return key, params, next(iter(params.values()))[:160]
    return None


def to_facts(apps, schema_editor):
    WorkOrder = apps.get_model("facilities", "WorkOrder")
    Reading = apps.get_model("facilities", "Reading")
    ContentType = apps.get_model("contenttypes", "ContentType")
    reading_type = ContentType.objects.filter(app_label="facilities", model="reading").first()
    candidates = WorkOrder.objects.filter(title_key="").filter(
        models.Q(title__startswith="故障")
        | models.Q(title__startswith="Fault: ")
        | models.Q(title__startswith="检查不合格维修")
        | models.Q(title__startswith="Repair after a failed check: ")
        | models.Q(title__startswith="读数超限")
        | models.Q(title__startswith="Out of range: ")
    )
    last = 0
    while True:
        orders = list(candidates.filter(pk__gt=last).order_by("pk")[:1000])
        if not orders:
            break
        last = orders[-1].pk
        reading_ids = [
            o.source_id for o in orders if reading_type and o.source_type_id == reading_type.pk
        ]
        readings = Reading.objects.select_related("point").in_bulk(reading_ids)
        changed = []
        for order in orders:
            reading = (
                readings.get(order.source_id)
                if reading_type and order.source_type_id == reading_type.pk
                else None
            )
            found = facts(order.title, order.source, reading)
            if found is None:
                continue
            order.title_key, order.title_params, order.title = found
            changed.append(order)
        WorkOrder.objects.bulk_update(changed, ["title_key", "title_params", "title"])


def to_sentences(apps, schema_editor):
    """Back to stored sentences, in Chinese (the default language)."""
    WorkOrder = apps.get_model("facilities", "WorkOrder")
    wording = {
        "fault": "故障：{what}",
        "failed_check": "检查不合格维修：{check}",
        "reading": "读数超限：{point}，{reading}",
    }
    changed = []
    for order in WorkOrder.objects.exclude(title_key="").iterator():
        try:
            order.title = wording[order.title_key].format(**order.title_params)[:160]
        except (KeyError, IndexError):
            continue
        changed.append(order)
    WorkOrder.objects.bulk_update(changed, ["title"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0010_equipment_order'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalworkorder',
            name='title_key',
            field=models.CharField(blank=True, choices=[('fault', 'Fault: %(what)s'), ('failed_check', 'Repair after a failed check: %(check)s'), ('reading', 'Out of range: %(point)s, %(reading)s')], max_length=20, verbose_name='generated title'),
        ),
        migrations.AddField(
            model_name='historicalworkorder',
            name='title_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='facts of the generated title'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='title_key',
            field=models.CharField(blank=True, choices=[('fault', 'Fault: %(what)s'), ('failed_check', 'Repair after a failed check: %(check)s'), ('reading', 'Out of range: %(point)s, %(reading)s')], max_length=20, verbose_name='generated title'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='title_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='facts of the generated title'),
        ),
        migrations.RunPython(to_facts, to_sentences),
    ]
