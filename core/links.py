"""Links between records: a record named on another's page is a link to its own page when
the reader may open it (its model's view permission), else its plain text. Templates use the
``record_link`` filter (``core.templatetags.houqin``), messages ``record_link`` itself."""

from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import escape, format_html

from .roles import permission_names


def record_url(obj, user):
    """The URL of ``obj``'s detail page if ``user`` may view its model, else None. Reads
    only the record itself (``get_absolute_url``) and the user's permissions, once a request."""
    if not isinstance(obj, models.Model) or obj.pk is None or user is None:
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    opts = obj._meta
    permission = f"{opts.app_label}.view_{opts.model_name}"
    if not user.is_superuser and permission not in permission_names(user):
        return None
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        return None
    try:
        return get_url()
    except NoReverseMatch:
        return None


def record_link(obj, user, text=None):
    """``obj`` as a link to its page (see ``record_url``), or its text (``text`` when given)
    escaped; "—" for no record."""
    if obj is None or obj == "":
        return "—"
    shown = obj if text is None else text
    url = record_url(obj, user)
    if url is None:
        return format_html("{}", shown)
    return format_html('<a href="{}">{}</a>', url, shown)


def linked_message(text, user, **values):
    """A message (``django.contrib.messages``) naming records as links: ``text`` is a
    translated string with ``%(name)s`` placeholders, escaped; each record in ``values``
    becomes ``record_link(record, user)``, anything else its escaped text.

    ``linked_message(_("Awarded: %(order)s."), request.user, order=order)``"""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    parts = {
        name: record_link(value, user) if isinstance(value, models.Model) else escape(value)
        for name, value in values.items()
    }
    return mark_safe(conditional_escape(text) % parts)
