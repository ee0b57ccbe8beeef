from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..filters import render_filter_field

register = template.Library()


@register.filter
def money(value):
    """CNY with two decimals, grouped by thousands: ¥1,234.50 (``core.numbers``)."""
    from core.numbers import format_money

    return format_money(value)


@register.filter
def quantity(value):
    """A quantity without trailing zeros, grouped by thousands: 16, 2.5, 12,345.5."""
    from core.numbers import format_quantity

    return format_quantity(value)


@register.filter
def worded(obj, name):
    """``obj``'s field ``name`` as the reader sees it: a message the app wrote there
    (``<name>_key`` and its facts, ``core.texts``) in the active language, else as typed."""
    from core.texts import worded_field

    if obj is None or obj == "":
        return ""
    return worded_field(obj, name)


@register.filter
def join_list(items):
    """Items joined as the active language lists them: "a, b" or "甲、乙"."""
    from core.numbers import join_list as join

    return join(items)


@register.filter
def is_bool(value):
    return isinstance(value, bool)


@register.filter
def hours(value):
    """A duration (timedelta) in hours with one decimal, in the active locale: 26.5 h."""
    if value is None or not hasattr(value, "total_seconds"):
        return "—"
    amount = Decimal(value.total_seconds()) / 3600
    return _("%(hours)s h") % {"hours": number_format(amount, 1, use_l10n=True)}


@register.filter
def when(value):
    """A date, or a moment in the current time zone: 2026-03-05, 2026-03-05 14:30."""
    from datetime import date, datetime

    from django.utils import formats, timezone

    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else value


@register.filter
def clock(value):
    """The time of day of a moment, in the current time zone: 14:30."""
    from datetime import datetime

    from django.utils import timezone

    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%H:%M}"


@register.filter
def badge(value):
    """A count of open items as the badge shows it: 99+ from the cap on."""
    from core.work import shown_count

    return shown_count(value) if isinstance(value, int) else value


@register.filter
def filter_field(bound_field):
    """A filter form's field as Bootstrap markup: label, control, errors. The list pages
    render it for every filter on every request, so it is built here in one pass rather
    than through crispy-forms' chain of templates (which cost more than the table)."""
    return render_filter_field(bound_field)


@register.filter
def record_link(value, user):
    """A record as a link to its page when ``user`` may view it, else its text:
    ``{{ order|record_link:user }}``. Any other value is shown as it is."""
    from django.db import models

    from core.links import record_link as link

    if not isinstance(value, models.Model):
        return value
    return link(value, user)


@register.filter
def capitals(value):
    """An amount in Chinese capitals (大写金额): 叁佰柒拾元整; empty if it is not one."""
    from core.money import amount_in_chinese_capitals

    try:
        return amount_in_chinese_capitals(value)
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("documents/buttons.html")
def document_buttons(name, *args, **query):
    """The "Print" and "PDF" buttons of a document (``core.documents``): ``name`` is the URL
    name without its suffix ("procurement:purchaseorder"), then the URL's arguments; keyword
    arguments go in the query string (the roster's property and week). When this server
    cannot make PDFs, the PDF button says what to install."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from core.documents import pdf_unavailable

    suffix = f"?{urlencode(query)}" if query else ""
    return {
        "print_url": reverse(f"{name}_print", args=args) + suffix,
        "pdf_url": reverse(f"{name}_pdf", args=args) + suffix,
        "pdf_hint": pdf_unavailable(),
    }


@register.simple_tag
def site_origin():
    """The scheme and host of SITE_URL, the address printed QR labels link to."""
    from urllib.parse import urlsplit

    from django.conf import settings

    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@register.simple_tag(takes_context=True)
def sidebar(context):
    """The sidebar (``includes/sidebar.html``), kept in the shared cache per user, language,
    page and badge count: its links, labels and permission checks cost a millisecond on
    every page. The key holds the generation of the user's roles and permissions
    (``core.authcache``), so a changed role shows its links on the next page."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import translation

    from core import authcache

    request = context.get("request")
    user = context.get("user")
    generation = authcache.generation_of(user) if user is not None else None
    if request is None or generation is None or not user.is_authenticated:
        return render_to_string("includes/sidebar.html", context.flatten(), request=request)
    match = getattr(request, "resolver_match", None)
    # the sidebar marks these pages of core as the current one; others by their area
    view = getattr(match, "view_name", "") or ""
    view = view if view in SIDEBAR_PAGES else ""
    count = context.get("my_work_count")
    count = count() if callable(count) else count
    key = ":".join(
        str(part)
        for part in (
            "sidebar",
            _sidebar_signature(),
            user.pk,
            generation,
            user.is_staff,
            user.is_superuser,
            translation.get_language(),
            getattr(match, "app_name", "") or "",
            view,
            count,
        )
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string("includes/sidebar.html", context.flatten(), request=request)
        cache.set(key, html, SIDEBAR_CACHE_SECONDS)
    return mark_safe(html)


SIDEBAR_CACHE_SECONDS = 300
SIDEBAR_PAGES = ("core:dashboard", "core:my_work", "core:calendar")
_SIGNATURE = []


def _sidebar_signature():
    """What the sidebar is made of in this code (its template, the areas and their links):
    a deployment that changes them does not show a sidebar cached before it."""
    if not _SIGNATURE:
        import hashlib

        from django.template.loader import get_template

        from core.navigation import AREAS, reference_links

        parts = [get_template("includes/sidebar.html").template.source]
        for area in AREAS:
            parts.append(area.app_label)
            parts.extend(f"{link.url_name}|{link.permission}|{link.group}" for link in area.links)
        parts.extend(link.url_name for link in reference_links())
        _SIGNATURE.append(hashlib.md5("\n".join(parts).encode()).hexdigest()[:12])
    return _SIGNATURE[0]
