"""Sentences the app writes on records, stored as a key and its facts and worded in the
reader's language.

A record that the app describes in a sentence (a timeline step "Back in service", a stock
movement's "Unused, back from WO-2026-000123", a plan line's "Below minimum: 2 left, minimum
5", a generated work-order title) must not store that sentence in the language of whoever
acted: an English reader would see Chinese and the other way round. It stores the message's
key and its facts (``params``, JSON) instead, and every page, table, export, document and
e-mail words them in the active language at display time, numbers in the reader's locale.

Each app registers its messages in ``<app>/texts.py`` (``CoreConfig.ready`` imports those
modules, as it does ``hooks.py``)::

    BACK_IN_SERVICE = texts.register("facilities.back_in_service", _("Back in service"))
    RETURNED = texts.register(
        "facilities.part_returned",
        _("Returned to stock: %(item)s × %(quantity)s"),
        quantity=texts.quantity,
    )

and a model keeps the key and facts next to the free-text field they stand for:
``<field>_key`` (a :class:`KeyField`) and ``<field>_params`` (:func:`params_field`). The free
field keeps what a person typed (a timeline's ``text``) or, where it is required, the facts
that search should find (a title, a purpose). :func:`worded_field` (used by the generic
detail page, :class:`core.tables.WordedColumn` and the exports) shows the worded message, or
the free field when there is no key or the key and facts no longer fit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .numbers import format_money, format_quantity

KEY_LENGTH = 60


@dataclass(frozen=True)
class Message:
    """A registered message: its key, its wording (a lazy msgid with ``%(name)s``
    placeholders) and how some of its facts are worded (name → function of the stored
    value, e.g. :func:`quantity`)."""

    key: str
    text: str | Promise
    formats: Mapping[str, Callable] = field(default_factory=dict)

    def word(self, params):
        values = dict(params)
        for name, format_ in self.formats.items():
            if name in values and values[name] is not None:
                values[name] = format_(values[name])
        return str(self.text) % values


_MESSAGES: dict[str, Message] = {}


def register(key, text, **formats):
    """Register ``text`` (lazy) under ``key`` ("<app>.<name>"), with the functions that word
    some of its facts (:func:`quantity`, :func:`money`, :func:`day`, :func:`choice`).
    Returns the key. Registering a key twice with another wording is a programming error."""
    if not key or len(key) > KEY_LENGTH:
        raise ImproperlyConfigured(f"A message key is 1–{KEY_LENGTH} characters: {key!r}.")
    message = Message(key, text, dict(formats))
    existing = _MESSAGES.get(key)
    if existing is not None and existing.text != text:
        raise ImproperlyConfigured(f"The message {key!r} is registered twice.")
    _MESSAGES[key] = message
    return key


def register_choices(prefix, choices):
    """Register each label of a ``TextChoices`` class as the message ``prefix + value``
    (a choice that stands for a sentence: a downtime's reason, a generated title). Returns
    {value: key}."""
    return {value: register(f"{prefix}{value}", label) for value, label in choices.choices}


def message(key):
    """The registered :class:`Message` of ``key``, or None."""
    return _MESSAGES.get(key)


def messages():
    return dict(_MESSAGES)


# --- wording the facts -----------------------------------------------------------------------


def quantity(value):
    """A stored quantity ("2.500", 16) as the reader's locale writes it: 2.5, 12,345.5."""
    return format_quantity(_number(value))


def money(value):
    """A stored amount as ¥ with two decimals, grouped by thousands."""
    return format_money(_number(value))


def count(value):
    """A whole number grouped by thousands: 1,234."""
    return format_quantity(int(_number(value)))


def day(value):
    """A stored date ("2026-12-07") in the reader's date format."""
    if not isinstance(value, datetime.date):
        value = datetime.date.fromisoformat(str(value))
    return date_format(value, "DATE_FORMAT")


def choice(choices):
    """A function wording a stored choice value as its label in the reader's language."""
    labels = choices if isinstance(choices, Mapping) else dict(choices.choices)

    def label(value):
        return str(labels[value])  # an unknown value: a KeyError, so the fallback shows

    return label


def _number(value):
    if isinstance(value, bool):
        raise TypeError("not a number")
    if isinstance(value, (int, Decimal)):
        return value
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def worded(key, params=None, fallback=""):
    """The message ``key`` worded with ``params`` in the active language; ``fallback`` when
    there is no key, the key is not registered, or the facts do not fit its wording.
    ``params`` may be a list of fact sets: one line each."""
    message = _MESSAGES.get(key) if key else None
    if message is None:
        return fallback
    if params is None:
        params = {}
    try:
        if isinstance(params, list):
            if not params or not all(isinstance(p, Mapping) for p in params):
                return fallback
            return "\n".join(message.word(p) for p in params)
        if not isinstance(params, Mapping):
            return fallback
        return message.word(params)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return fallback


# --- storing the facts -----------------------------------------------------------------------


def fact(value):
    """One fact as JSON keeps it: a Decimal as its plain digits without trailing zeros
    ("2.5", never "2.500" or "1E+1"), a date as ISO, a record or a lazy text as its text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value.is_finite() else str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [fact(item) for item in value]
    if isinstance(value, Mapping):
        return {str(name): fact(item) for name, item in value.items()}
    return str(value)


def facts(params):
    """``params`` (a mapping, or a list of mappings) ready to store."""
    if params is None:
        return {}
    if isinstance(params, (list, tuple)):
        return [facts(p) for p in params]
    return {str(name): fact(value) for name, value in params.items()}


def stored(key, params=None):
    """``(key, facts)`` to store for ``key`` and ``params``; an unregistered key, or facts
    that do not word, is a programming error (raised at once, not shown as a blank later)."""
    if not key:
        return "", {}
    if key not in _MESSAGES:
        raise ImproperlyConfigured(f"No message is registered as {key!r}.")
    kept = facts(params)
    if worded(key, kept, fallback=None) is None:
        raise ValueError(f"The facts {kept!r} do not fit the message {key!r}.")
    return key, kept


def facts_text(params, limit=None):
    """The facts as one line ("2, 5"), for the free field that search reads."""
    if isinstance(params, list):
        text = "; ".join(facts_text(p) for p in params)
    else:
        text = ", ".join(str(value) for value in (params or {}).values() if value not in ("", None))
    return text[:limit] if limit else text


# --- fields ----------------------------------------------------------------------------------


class KeyField(models.CharField):
    """The key of a registered message, beside the free-text field it words (``<field>_key``
    next to ``<field>``). ``prefix`` is put before the stored value to find the message (a
    generated title stores "fault", registered as "facilities.title.fault")."""

    def __init__(self, *args, prefix="", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Written out whatever they are: this field's defaults differ from CharField's.
        kwargs.update(blank=self.blank, default=self.default, editable=self.editable)
        if self.prefix:
            kwargs["prefix"] = self.prefix
        return name, path, args, kwargs


def key_field(verbose_name=None, **kwargs):
    return KeyField(verbose_name or _("message"), **kwargs)


def params_field(verbose_name=None, **kwargs):
    """The facts of ``<field>_key``'s message (JSON)."""
    kwargs.setdefault("default", dict)
    kwargs.setdefault("blank", True)
    kwargs.setdefault("editable", False)
    kwargs.setdefault("encoder", DjangoJSONEncoder)
    return models.JSONField(verbose_name or _("facts of the message"), **kwargs)


def key_field_of(model, name):
    """The :class:`KeyField` that words ``model``'s field ``name``, or None."""
    try:
        key = model._meta.get_field(f"{name}_key")
    except FieldDoesNotExist:
        return None
    return key if isinstance(key, KeyField) else None


def worded_field(obj, name):
    """``obj``'s field ``name`` as the reader sees it: its message (``<name>_key`` and
    ``<name>_params``) worded in the active language, or the field as stored when it has
    none (or the message no longer fits)."""
    value = getattr(obj, name)
    key_field_ = key_field_of(type(obj), name)
    if key_field_ is None:
        return value
    key = getattr(obj, key_field_.attname, "")
    if not key:
        return value
    params = getattr(obj, f"{name}_params", None)
    return worded(f"{key_field_.prefix}{key}", params, fallback=value)


def worded_text(key, params, text=""):
    """A timeline entry's text: the app's message in the active language, then whatever a
    person typed with it, each on its own line."""
    return "\n".join(part for part in (worded(key, params), text) if part)
