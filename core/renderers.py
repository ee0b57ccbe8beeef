"""A form renderer that writes Django's plain widgets in Python.

Django renders every widget through templates: a select of 20 options is 40 template
includes, and the filter bar of a list page was the largest part of its rendering time
(issue 11). :class:`FastRenderer` writes the markup of Django's own input, select, option
and multi-widget templates directly, to the character, and hands every other template
(crispy-forms' layouts, custom widgets, anything an app overrides) to the template engine as
before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
SELECTS = {f"{WIDGETS}select.html"}
MULTI = {f"{WIDGETS}multiwidget.html", f"{WIDGETS}splitdatetime.html"}


def _text(value):
    """``{{ value|stringformat:'s' }}`` with autoescaping: safe strings stay as they are."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs):
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _input(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>\n'
    )


def _option(option):
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != f"{WIDGETS}select_option.html":
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _render(widget):
    """The markup of one widget's context, or None when it is not one of Django's own."""
    template = widget.get("template_name")
    if template in INPUTS:
        return _input(widget)
    if template in SELECTS:
        return _select(widget)
    if template in MULTI:
        parts = []
        for sub in widget["subwidgets"]:
            html = _render(sub)
            if html is None:
                return None
            parts.append(html.strip())  # {% spaceless %}: no whitespace between the tags
        return "".join(parts) + "\n"
    return None


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if (
            request is None
            and isinstance(widget, dict)
            and widget.get("template_name") == (template_name)
        ):
            html = _render(widget)
            if html is not None:
                return mark_safe(html.strip())  # as BaseRenderer.render strips
        return super().render(template_name, context, request)
