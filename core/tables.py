"""Tables for the generic list view (django-tables2): sortable, paginated, exportable.

django-tables2 renders every cell through several layers (accessor, signature inspection,
a template per date cell, attributes recomputed per cell): a third of a list page's time.
``HouqinTable.lean_body`` renders the rows of the page in one pass instead, with the same
result for the columns that lists use (plain, date and date-time, yes/no, linked, and
``render_<name>`` methods); any other kind of column is rendered by django-tables2 as before.
"""

import inspect
import re
from datetime import date, datetime

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import DecimalField
from django.utils import dateformat, formats, timezone
from django.utils.html import conditional_escape, escape, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_tables2.columns import library
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import A, AttributeDict, call_with_appropriate, computed_values

from .numbers import format_money, format_quantity
from .texts import key_field_of, worded_field

PER_PAGE = 25
MAX_PER_PAGE = 200


class NumberColumn(tables.Column):
    """A right-aligned figure shown as people read it; exports keep the number itself."""

    attrs = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    show = staticmethod(format_quantity)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", self.attrs)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return self.show(value)

    def value(self, value):
        return value


@library.register
class QuantityColumn(NumberColumn):
    """A quantity: 16, 2.5, 12,345.5 (model fields with three decimals become one)."""

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, DecimalField) and field.decimal_places == 3:
            return cls(**kwargs)
        return None


@library.register
class MoneyColumn(NumberColumn):
    """An amount of money: ¥115,470.00 (model fields of two decimals and at least 14 digits,
    Houqin's money fields, become one)."""

    show = staticmethod(format_money)

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, DecimalField) and field.decimal_places == 2 and field.max_digits >= 14:
            return cls(**kwargs)
        return None


class HouqinTable(tables.Table):
    """Base of every list table. A page size from the query string is kept within reason.
    Headers start with a capital, whether a model field or the column names them."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for column in cls.base_columns.values():
            if column.verbose_name:
                column.verbose_name = capfirst(column.verbose_name)

    class Meta:
        template_name = "tables/houqin.html"
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
        empty_text = _("Nothing to show.")
        per_page = PER_PAGE

    def as_values(self, exclude_columns=None):
        """Rows as django-tables2 exports them, each cell typed and guarded as Houqin's
        exports are (``core.exports.cell_value``: a would-be formula gets an apostrophe).
        Houqin's own exports use ``core.exports.TableExport``, which reads rows in chunks."""
        from .exports import cell_value

        for row in super().as_values(exclude_columns):
            yield [cell_value(value) for value in row]

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = min(max(per_page or PER_PAGE, 1), MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    def lean_body(self):
        """The ``<tr>`` rows of the current page as one string (see the module's note).

        Each cell also carries its column's header as ``data-label``, and an empty cell (one
        showing the column's default) ``data-empty``: on a phone the stylesheet shows each row
        as a card of "label: value" lines without the empty ones, from this same markup."""
        columns = list(self.columns)
        cells = [_cell_renderer(self, column) for column in columns]
        tds = [_td_start(column) for column in columns]
        defaults = [str(_as_html(column.default, column.column.localize)) for column in columns]
        row_attrs = _prepared(self.row_attrs)
        out = []
        for counter, row in enumerate(self.paginated_rows):
            record = row.record
            attrs = row_attrs({"table": self, "record": record})
            parity = "odd" if counter % 2 else "even"
            attrs["class"] = f"{attrs['class']} {parity}" if attrs.get("class") else parity
            out.append(f"<tr {AttributeDict(attrs).as_html()}>")
            for td, cell, default in zip(tds, cells, defaults, strict=True):
                html = cell(row, record)
                empty = " data-empty" if html == default else ""
                out.append(f"{td}{empty}>{html}</td>")
            out.append("</tr>")
        return mark_safe("".join(out))

    # The header and the pager, as django-tables2's bootstrap5 template wrote them: its
    # ``querystring_replace`` tag re-encodes the query string once per link.

    def _query(self, key, value):
        request = getattr(self, "request", None)
        params = dict(request.GET) if request is not None else {}
        params[key] = value
        return escape("?" + urlencode(params, doseq=True))

    def lean_head(self):
        out = [f"<thead {_attrs_html(self.attrs, 'thead')}><tr>"]
        field = self.prefixed_order_by_field
        for column in self.columns:
            header = conditional_escape(column.header)
            th = column.attrs["th"].as_html()
            if column.orderable:
                href = self._query(field, column.order_by_alias.next)
                header = f'<a href="{href}">{header}</a>'
            out.append(f'<th {th} scope="col">{header}</th>')
        out.append("</tr></thead>")
        return mark_safe("".join(out))

    def lean_pagination(self):
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages <= 1:
            return ""
        field = self.prefixed_page_field
        # (gettext outside the f-strings: makemessages does not read inside them)
        label, previous, following = (
            _("Pages"),
            pgettext("page", "previous"),
            pgettext("page", "next"),
        )
        out = [f'<nav aria-label="{escape(label)}"><ul class="pagination justify-content-center">']
        if page.has_previous():
            out.append(
                '<li class="previous page-item">'
                f'<a href="{self._query(field, page.previous_page_number())}" class="page-link">'
                f'<span aria-hidden="true">&laquo;</span> {escape(previous)}'
                "</a></li>"
            )
        if page.has_previous() or page.has_next():
            for number in table_page_range(page, self.paginator):
                active = " active" if page.number == number else ""
                href = "" if number == "..." else f' href="{self._query(field, number)}"'
                out.append(
                    f'<li class="page-item{active}"><a class="page-link"{href}>'
                    f"{conditional_escape(formats.localize(number))}</a></li>"
                )
        if page.has_next():
            out.append(
                '<li class="next page-item">'
                f'<a href="{self._query(field, page.next_page_number())}" class="page-link">'
                f'{escape(following)} <span aria-hidden="true">&raquo;</span>'
                "</a></li>"
            )
        out.append("</ul></nav>")
        return mark_safe("".join(out))


def _attrs_html(attrs, key):
    value = attrs.get(key) if attrs else None
    return AttributeDict(value).as_html() if value else ""


def _prepared(attrs):
    """``attrs`` (values or callables of ``table`` and/or ``record``) as one function of
    those arguments, with each callable's signature read once, not once per row."""
    fixed, computed = {}, []
    for key, value in attrs.items():
        if callable(value):
            wanted = tuple(inspect.signature(value).parameters)
            computed.append((key, value, wanted))
        else:
            fixed[key] = value
    if not computed:
        return lambda arguments: dict(fixed)
    if any(not set(wanted) <= {"table", "record"} for _key, _value, wanted in computed):
        return lambda arguments: computed_values(attrs, kwargs=arguments)

    def compute(arguments):
        result = dict(fixed)
        for key, func, wanted in computed:
            result[key] = func(**{name: arguments[name] for name in wanted})
        return result

    return compute


@library.register
class WordedColumn(tables.Column):
    """A free-text field that a message of the app may fill (``<field>_key`` beside it,
    ``core.texts``): shown, and exported, worded in the reader's language; a typed value as
    typed. Model fields with such a key become one."""

    @classmethod
    def from_field(cls, field, **kwargs):
        model = getattr(field, "model", None)
        if model is not None and key_field_of(model, field.name) is not None:
            return cls(**kwargs)
        return None

    def worded(self, record, name):
        """The cell's text for ``record`` (the field at the end of the column's accessor)."""
        *path, field = A(self.accessor or name).bits
        owner = record
        for part in path:
            owner = getattr(owner, part, None)
            if owner is None:
                return None
        return worded_field(owner, field)

    def render(self, record, bound_column):
        return self.worded(record, bound_column.name)

    def value(self, record, bound_column):
        return self.worded(record, bound_column.name)


LEAN_COLUMNS = (
    WordedColumn,
    tables.Column,
    tables.DateColumn,
    tables.DateTimeColumn,
    tables.BooleanColumn,
    QuantityColumn,
    MoneyColumn,
)


# --- what the page's rows and the exports share -----------------------------------------------


def model_field(model, parts):
    """The model field at the end of ``parts``, or None (an annotation, a method …)."""
    field = None
    for part in parts:
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    return field


def choice_labels(model, parts):
    """The labels of the choice field at ``parts`` in the active language, once per table or export:
    Django's ``get_FOO_display`` rebuilds (and translates) the whole choice list per call."""
    field = model_field(model, parts) if model is not None else None
    if field is None or not field.choices or field.is_relation:
        return None
    try:
        return {value: str(label) for value, label in field.flatchoices}
    except TypeError:  # an unhashable choice value: let get_FOO_display do it
        return None


CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def cell_caller(method):
    """Call ``method`` (a table's value_/render_ method, a column's value) with the cell
    arguments it takes, worked out once rather than per cell."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return lambda arguments: call_with_appropriate(method, arguments)
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return lambda arguments: method(**arguments)
    names = [p.name for p in parameters if p.name in CELL_ARGUMENTS]
    return lambda arguments: method(**{name: arguments[name] for name in names})


def _td_open(bound_column):
    if any(callable(value) for value in bound_column.column.attrs.get("td", {}).values()):
        return None  # attributes computed per cell: django-tables2 renders this table's cells
    attrs = bound_column.attrs.get("td", AttributeDict())
    html = AttributeDict(attrs).as_html() if attrs else ""
    return f"<td {html}>" if html else "<td>"


def _td_start(bound_column):
    """``<td`` with the column's attributes and its header as ``data-label``, not yet closed."""
    td = _td_open(bound_column) or "<td>"
    label = escape(strip_tags(str(bound_column.header)).strip())
    return f'{td[:-1]} data-label="{label}"'


def _cell_renderer(table, bound_column):
    """A function ``(bound_row, record)`` → the cell's HTML, built once per column."""
    column = bound_column.column
    name = bound_column.name
    slow = lambda row, record: _as_html(row.get_cell(name), column.localize)  # noqa: E731
    if type(column) not in LEAN_COLUMNS or _td_open(bound_column) is None:
        return slow
    accessor = A(bound_column.accessor)
    # A choice field shows its label, as django-tables2 does (labels read once per table).
    labels = choice_labels(getattr(table._meta, "model", None), accessor.bits)
    custom = getattr(table, f"render_{name}", None)
    call = cell_caller(custom) if custom is not None else None
    empty_values = column.empty_values
    date_format = _date_format(column)
    if date_format:
        # A date column renders its template even for an empty value, which then shows
        # the column's default.
        empty_values = (None, "")
    link = bound_column.link

    def cell(row, record):
        if call is None and type(column) is WordedColumn:
            # Worded before the empty check: a message may stand where the field is empty.
            content = column.worded(record, name)
            if content in empty_values:
                return _as_html(bound_column.default, column.localize)
            if link:
                content = link(
                    content,
                    value=content,
                    record=record,
                    column=column,
                    bound_column=bound_column,
                    bound_row=row,
                    table=table,
                )
            return _as_html(content, column.localize)
        try:
            value = accessor.resolve(record)
            if labels is not None:
                value = labels.get(value, value)
        except Exception:
            return slow(row, record)  # django-tables2 knows the odd cases (a missing relation)
        if value in empty_values:
            return _as_html(bound_column.default, column.localize)
        arguments = {
            "value": value,
            "record": record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": table,
        }
        if call is not None:
            content = call(arguments)
        elif type(column) is tables.BooleanColumn:
            content = column.render(value, record, bound_column)
        elif isinstance(column, NumberColumn):
            content = column.show(value)
        elif date_format and isinstance(value, date):
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.localtime(value)
            content = dateformat.format(value, formats.get_format(date_format))
        else:
            content = value
        if link:
            content = link(content, **arguments)
        return _as_html(content, column.localize)

    return cell


def _date_format(column):
    """The format of a DateColumn or DateTimeColumn (kept only in its template)."""
    if type(column) not in (tables.DateColumn, tables.DateTimeColumn):
        return None
    match = re.search(r'date:"([^"]+)"', column.template_code or "")
    if match is None:
        raise ValueError(f"Unexpected template of {type(column).__name__}: {column.template_code}")
    return match[1]


def _as_html(value, localize=None):
    """What ``{{ cell }}`` renders: local time, localised numbers and dates, escaped."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if localize is None or localize:
        value = formats.localize(value, use_l10n=localize)
    return conditional_escape(value)


def make_table(model, columns):
    """A table over ``columns`` of ``model``; the first column links to the detail page."""
    meta = type("Meta", (HouqinTable.Meta,), {"model": model, "fields": tuple(columns)})
    first = model_field(model, columns[0].split("__"))
    if isinstance(first, models.DateTimeField):  # a log's time: local and short, as elsewhere
        link = tables.DateTimeColumn(linkify=True, format="SHORT_DATETIME_FORMAT")
    elif isinstance(first, models.DateField):
        link = tables.DateColumn(linkify=True, format="SHORT_DATE_FORMAT")
    else:
        link = tables.Column(linkify=True)
    return type(f"{model.__name__}Table", (HouqinTable,), {columns[0]: link, "Meta": meta})
