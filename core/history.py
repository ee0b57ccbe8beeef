"""Change history (django-simple-history) shown on detail pages: who changed what, when."""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey
from django.utils.translation import gettext_lazy as _

from .texts import key_field_of, worded

MASK = "••••••"
HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def history_entries(obj, limit=20):
    """The latest ``limit`` history records of ``obj``, each with its field changes.

    A fixed number of queries: the records (with their users), plus one per foreign-key
    model whose values changed, to show names rather than ids.
    """
    manager = getattr(obj, "history", None)
    if manager is None:
        return []
    records = list(
        manager.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    model = type(obj)
    entries, fk_ids = [], defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            worded = set()
            for change in record.diff_against(previous).changes:
                base = worded_base(model, change.field)
                if base is not None:
                    # A message of the app (core.texts): one change of the field it words,
                    # in the reader's language, whether the facts or the key changed.
                    if base not in worded:
                        worded.add(base)
                        changes.append(
                            [
                                model._meta.get_field(base),
                                _worded(model, previous, base),
                                _worded(model, record, base),
                            ]
                        )
                    continue
                try:
                    field = model._meta.get_field(change.field)
                except FieldDoesNotExist:
                    continue
                changes.append([field, change.old, change.new])
                if isinstance(field, ForeignKey):
                    fk_ids[field.related_model].update(
                        v for v in (change.old, change.new) if v is not None
                    )
        entries.append(
            {
                "when": record.history_date,
                "user": record.history_user,
                "action": HISTORY_TYPES.get(record.history_type, record.history_type),
                "reason": record.history_change_reason,
                "changes": changes,
            }
        )
    names = {related: related._default_manager.in_bulk(ids) for related, ids in fk_ids.items()}
    masked = set(getattr(model, "history_masked_fields", ()))
    for entry in entries:
        entry["changes"] = [
            (
                field.verbose_name,
                *(
                    (MASK, MASK)
                    if field.name in masked
                    else (_display(field, old, names), _display(field, new, names))
                ),
            )
            for field, old, new in entry["changes"]
        ]
    return entries


def worded_base(model, name):
    """The field a message of the app words, when ``name`` is it or its key or facts."""
    for base in (name, name.removesuffix("_key"), name.removesuffix("_params")):
        if base and key_field_of(model, base) is not None:
            return base
    return None


def _worded(model, record, base):
    key_field = key_field_of(model, base)
    key = getattr(record, key_field.attname, "")
    value = getattr(record, base)
    if not key:
        return value
    params = getattr(record, f"{base}_params", None)
    return worded(f"{key_field.prefix}{key}", params, fallback=value)


def _display(field, value, names):
    if value is None or value == "":
        return "—"
    if isinstance(field, ForeignKey):
        return str(names.get(field.related_model, {}).get(value, value))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
