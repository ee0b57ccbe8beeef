"""Exports of every list and report, written once: CSV with a byte-order mark, typed XLSX.

A list's export is its table: the same columns, headed by their verbose names in the
reader's language, over the same filtered, sorted and scoped rows (``TableExport``). Cells
are typed values, not the page's HTML: local date-times without microseconds, dates, numbers
(Decimal stays Decimal), choices as their labels, empty cells empty, and text that a
spreadsheet would take for a formula prefixed with an apostrophe. A table's
``value_<column>`` method (or ``render_<column>``) still decides a cell where it has one, so
what the page masks (an ID number, by need to know) the export masks too.

Rows are read in chunks (``QuerySet.iterator``), with the related rows the columns show
joined or prefetched, so an export costs the same few queries for ten rows or for a million.

Views get it through ``ExportMixin`` (core's list and report views use it): a small set
(``EXPORT_SYNC_MAX_ROWS``, 5,000 rows by default) is answered at once, the CSV streamed; a
larger one becomes an ``ExportJob`` that a Celery task (``core.tasks.run_export``) writes in
the background, rebuilding the rows with the list view itself for the job's user
(``job_view``), then e-mails the user a link. Files are kept ``EXPORT_RETENTION_DAYS``.
"""

import csv
import html
import io
import logging
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import urlsplit

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.files import File
from django.core.files.storage import storages
from django.db import models
from django.db.models.query import ModelIterable
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRow
from import_export.formats import base_formats

from .tables import WordedColumn, cell_caller, choice_labels

logger = logging.getLogger(__name__)

EXPORT_PARAM = "_export"
CHUNK_SIZE = 2000
# Spreadsheets read these first characters as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Query-string parameters that are not part of what a list shows.
NOT_FILTERS = ("page", EXPORT_PARAM)


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    content_type: str


CSV = Format("csv", "CSV", "text/csv; charset=utf-8")
XLSX = Format("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
FORMATS = {fmt.key: fmt for fmt in (CSV, XLSX)}


def sync_max_rows() -> int:
    """Exports up to this many rows are answered in the request; larger ones are jobs."""
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", 5000)


def retention_days() -> int:
    return getattr(settings, "EXPORT_RETENTION_DAYS", 7)


def max_active_jobs() -> int:
    """How many exports one user may have queued or running at once."""
    return getattr(settings, "EXPORT_MAX_ACTIVE_JOBS", 3)


def export_storage():
    return storages["default"]


# --- cells ------------------------------------------------------------------------------------


def guard_formula(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """A typed value for a spreadsheet cell: None for empty, local naive date-times to the
    second, dates, times and numbers as they are, everything else as guarded text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, (date, time, Decimal, int, float)):
        return value
    if isinstance(value, SafeData):  # a render_ method's HTML: keep its text
        value = html.unescape(strip_tags(value)).strip()
        return guard_formula(" ".join(value.split())) or None
    return guard_formula(str(value))


def cell_text(value) -> str:
    """A cell's value as CSV text (``value`` already went through ``cell_value``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


# --- columns ----------------------------------------------------------------------------------


def _parts(accessor) -> list[str]:
    return [part for piece in str(accessor).split("__") for part in piece.split(".") if part]


def _resolve(record, parts, *, display=True):
    """Follow ``parts`` from ``record`` (a model instance or a dict), as django-tables2's
    accessors do: a choice field gives its label, a method is called, a gap gives None."""
    value = record
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
            continue
        if display and index == last and isinstance(value, models.Model):
            label = getattr(value, f"get_{part}_display", None)
            if label is not None:
                return label()
        value = getattr(value, part, None)
        if (
            callable(value)
            and not isinstance(value, models.Manager)
            and not getattr(value, "do_not_call_in_templates", False)
        ):
            value = value()
    return value


def _is_typed(column) -> bool:
    """Whether a cell of ``column`` is its plain value: django-tables2's own columns only
    format the value (links, dates) or join a relation, which the export does itself. A
    template column, or a column class of ours with its own value/render, decides its cell."""
    kind = type(column)
    if kind.__module__.startswith("django_tables2."):
        return kind is not tables.TemplateColumn
    return kind.value is tables.Column.value and kind.render is tables.Column.render


@dataclass
class ExportColumn:
    name: str
    header: str
    get: object  # record -> cell value


def _column(table, model, bound_column) -> ExportColumn:
    name, column = bound_column.name, bound_column.column
    parts = _parts(bound_column.accessor)
    labels = choice_labels(model, parts)

    def resolve(record):
        if labels is None:
            return _resolve(record, parts)
        value = _resolve(record, parts, display=False)
        return labels.get(value, value) if value is not None else None

    custom = getattr(table, f"value_{name}", None) or getattr(table, f"render_{name}", None)
    worded = custom is None and isinstance(column, WordedColumn)
    if custom is None and not _is_typed(column):
        custom = column.value
    empty = column.empty_values

    if worded:
        # A message the app wrote, in the reader's language (core.texts).

        def get(record):
            return cell_value(column.worded(record, name) or None)

    elif custom is not None:
        call = cell_caller(custom)

        def get(record):
            try:
                value = resolve(record)
            except Exception:  # a column over no attribute: its method decides, as on the page
                value = None
            if value in empty:
                return None
            arguments = {
                "value": value,
                "record": record,
                "column": column,
                "bound_column": bound_column,
                "table": table,
            }
            arguments["bound_row"] = BoundRow(record, table)
            return cell_value(call(arguments))

    elif isinstance(column, tables.ManyToManyColumn):

        def get(record):
            related = _resolve(record, parts)
            if related is None:
                return None
            items = column.filter(related)
            return cell_value(column.separator.join(column.transform(item) for item in items))

    else:

        def get(record):
            return cell_value(resolve(record))

    return ExportColumn(name, str(capfirst(bound_column.header)), get)


def _relations(model, parts):
    """(select_related path, prefetch_related path) a column over ``parts`` needs."""
    joined = []
    for part in parts:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break  # a plain field, or a generic relation
        if field.many_to_many or field.one_to_many:
            return None, "__".join([*joined, part])
        joined.append(part)
        model = field.related_model
    return ("__".join(joined) or None), None


# --- the export of one table ------------------------------------------------------------------


class TableExport:
    """The export of a django-tables2 table over all its rows (not only the page's)."""

    def __init__(self, table, title=""):
        self.table = table
        self.title = str(title)
        model = getattr(table.data, "model", None) or getattr(table._meta, "model", None)
        self.columns = [
            _column(table, model, bound_column)
            for bound_column in table.columns.iterall()
            if not bound_column.column.exclude_from_export
        ]
        self.data = table.data.data  # a QuerySet (ordered as the table) or a list
        if isinstance(self.data, models.QuerySet):
            self.data = self._with_relations(self.data)

    def _with_relations(self, queryset):
        query = queryset.query
        if (
            queryset._iterable_class is not ModelIterable
            or query.is_sliced
            or query.deferred_loading != (frozenset(), True)  # only()/defer(): as it is
        ):
            return queryset
        select, prefetch = set(), set()
        for bound_column in self.table.columns.iterall():
            column = bound_column.column
            custom = hasattr(self.table, f"value_{bound_column.name}") or hasattr(
                self.table, f"render_{bound_column.name}"
            )
            if custom or column.exclude_from_export or not _is_typed(column):
                continue
            joined, many = _relations(queryset.model, _parts(bound_column.accessor))
            if joined:
                select.add(joined)
            if many:
                prefetch.add(many)
        if select and queryset.query.select_related is not True:
            queryset = queryset.select_related(*sorted(select))
        if prefetch:
            queryset = queryset.prefetch_related(*sorted(prefetch))
        return queryset

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def count(self) -> int:
        if isinstance(self.data, models.QuerySet):
            return self.data.count()
        return len(self.data)

    def records(self):
        if isinstance(self.data, models.QuerySet):
            return self.data.iterator(chunk_size=CHUNK_SIZE)
        return iter(self.data)

    def rows(self):
        getters = [column.get for column in self.columns]
        for record in self.records():
            yield [get(record) for get in getters]

    # --- writers ------------------------------------------------------------------------------

    def csv_lines(self, progress=None):
        return csv_lines(self.headers, self.rows(), progress)

    def write_csv(self, target, progress=None):
        """Write the CSV, UTF-8 with a BOM, to the binary file ``target``."""
        for line in self.csv_lines(progress):
            target.write(line.encode("utf-8"))

    def write_xlsx(self, target, progress=None):
        """Write a one-sheet workbook (write-only, so memory stays flat) to ``target``."""
        write_xlsx(target, self.title, self.headers, self.rows(), progress)

    def write(self, fmt, target, progress=None):
        if fmt == XLSX.key:
            self.write_xlsx(target, progress)
        else:
            self.write_csv(target, progress)


def csv_lines(headers, rows, progress=None):
    """The CSV text, a line at a time, starting with the byte-order mark that makes Excel (on
    a Chinese Windows too) read it as UTF-8; ``rows`` hold cells typed by ``cell_value``."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    done = 0
    for row in rows:
        yield writer.writerow([cell_text(value) for value in row])
        done += 1
        if progress is not None and done % CHUNK_SIZE == 0:
            progress(done)
    if progress is not None and done % CHUNK_SIZE:
        progress(done)


class _Echo:
    """A file-like object whose write returns the line: csv.writer then yields text."""

    def write(self, value):
        return value


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"


MONEY_FORMAT = "#,##0.00"


def write_xlsx(target, title, headers, rows, progress=None):
    """Write ``rows`` (cells typed by ``cell_value``) under ``headers`` as a one-sheet
    workbook to ``target``: the sheet named ``title``, the header row bold and frozen,
    columns as wide as their text (a Chinese character counting two). Write-only, so memory
    stays flat whatever the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    sample = list(islice(rows, 200))  # column widths are set before the first row
    for index, width in enumerate(column_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    done = 0
    for row in chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in row])
        done += 1
        if progress is not None and done % CHUNK_SIZE == 0:
            progress(done)
    if progress is not None and done % CHUNK_SIZE:
        progress(done)
    workbook.save(target)


def _number_format(value):
    """The spreadsheet format a typed value is shown with, or None for the default."""
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, time):
        return TIME_FORMAT
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == -2:
        return MONEY_FORMAT  # money is a Decimal with two places
    return None


def _xlsx_cell(sheet, value, cell_class):
    number_format = _number_format(value)
    if number_format is None:
        return value
    cell = cell_class(sheet, value=value)
    cell.number_format = number_format
    return cell


def text_width(text: str) -> int:
    """Display width in spreadsheet characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_widths(headers, rows, minimum=6, maximum=60):
    widths = [text_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row):
            if isinstance(value, datetime):
                width = 19
            elif isinstance(value, date):
                width = 10
            elif _number_format(value) == MONEY_FORMAT:
                width = text_width(f"{value:,}")
            else:
                width = text_width(cell_text(value))
            widths[index] = max(widths[index], width)
    return [min(max(width + 2, minimum), maximum) for width in widths]


INVALID_SHEET_CHARACTERS = "[]:*?/\\"


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if char in INVALID_SHEET_CHARACTERS else char for char in title)
    cleaned = " ".join(cleaned.split()).strip("'")[:31].strip()
    return cleaned or "Sheet1"


# --- django-import-export (admin) --------------------------------------------------------------


# The admin's export formats, written by the same writers as the lists' exports. The admin
# asks every field for its native value (``HouqinAdmin.get_data_for_export``), typed here.


def admin_cell(value):
    """A cell of the admin's export, which its import reads back: yes/no as 1/0 (the import
    takes "是" or "Yes" for no), the rest as the lists' cells (a would-be formula guarded
    by an apostrophe, which the import takes off again: core.resources.FormulaSafeResource)."""
    if isinstance(value, bool):
        return int(value)
    return cell_value(value)


def _typed_rows(dataset):
    return ([admin_cell(value) for value in row] for row in dataset)


class AdminCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return "".join(csv_lines(dataset.headers or [], _typed_rows(dataset)))


class AdminXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        target = io.BytesIO()
        write_xlsx(target, dataset.title or "", dataset.headers or [], _typed_rows(dataset))
        return target.getvalue()


ADMIN_EXPORT_FORMATS = [AdminCSV, AdminXLSX]


def filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{fmt}"


def response(export: TableExport, fmt: str, name: str):
    """The export as a download: a CSV streamed line by line, an XLSX built in memory."""
    if fmt == XLSX.key:
        answer = HttpResponse(content_type=XLSX.content_type)
        export.write_xlsx(answer)
    else:
        answer = StreamingHttpResponse(
            _in_language(export.csv_lines()), content_type=CSV.content_type
        )
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    answer["Cache-Control"] = "private, no-cache"
    return answer


def _in_language(lines):
    """Stream ``lines`` in the language and time zone of the request that asked for them
    (the response is iterated after the view returns)."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    with translation.override(language), timezone.override(zone):
        yield from lines


# --- views ------------------------------------------------------------------------------------


class ExportMixin:
    """CSV/Excel export for a view with a django-tables2 table (core's list and report views).

    The view builds its own rows (``get_export_table``), for a request or for a job's user,
    so an export holds exactly the rows and cells the page would show that user."""

    export_formats = ("csv", "xlsx")
    export_trigger_param = EXPORT_PARAM

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get(self.export_trigger_param)
        if fmt in self.export_formats:
            return self.export_response(fmt)
        return super().get(request, *args, **kwargs)

    def export_title(self) -> str:
        model = getattr(self, "model", None)
        if model is not None:
            return str(capfirst(model._meta.verbose_name_plural))
        return str(getattr(self, "title", "") or "")

    def get_export_filename(self, export_format):
        return filename("export", export_format)

    def prepare_export(self):
        """Whatever the view's ``get`` computes before its table (the filters …)."""

    def get_export_table(self):
        """The view's table over all the rows the page would list, sorted as asked."""
        self.prepare_export()
        self.table_pagination = False
        return self.get_table(**self.get_table_kwargs())

    def get_export(self):
        return TableExport(self.get_export_table(), self.export_title())

    def export_response(self, fmt):
        export = self.get_export()
        if export.count() > sync_max_rows():
            # Too many for a web worker; the export menu offers to prepare it instead (a
            # GET, as this is, must not start a job).
            messages.info(
                self.request,
                _(
                    "This list is too long to download at once. Choose the format in the "
                    "Export menu to have it prepared in the background."
                ),
            )
            query = self.request.GET.copy()
            query.pop(self.export_trigger_param, None)
            return HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}")
        return response(export, fmt, self.get_export_filename(fmt))

    def export_query(self) -> str:
        query = self.request.GET.copy()
        for key in NOT_FILTERS:
            query.pop(key, None)
        return query.urlencode()

    def get_export_links(self, row_count=None):
        """The export menu: links for a small set, a form that starts a job for a large one."""
        query = self.export_query()
        background = row_count is not None and row_count > sync_max_rows()
        links = []
        for key in self.export_formats:
            separator = "&" if query else ""
            links.append(
                {
                    "format": key,
                    "label": FORMATS[key].label if key in FORMATS else key.upper(),
                    "url": f"?{query}{separator}{self.export_trigger_param}={key}",
                }
            )
        return {
            "links": links,
            "background": background,
            "path": self.request.path,
            "query": query,
            "row_count": row_count,
        }


def table_row_count(table):
    paginator = getattr(table, "paginator", None)
    if paginator is not None:
        return paginator.count
    try:
        return len(table.data)
    except TypeError:
        return None


# --- jobs -------------------------------------------------------------------------------------


def export_view_class(path: str):
    """The export-capable view class that ``path`` leads to, with its resolver match, or
    (None, None)."""
    if not path.startswith("/") or "?" in path or len(path) > 500:
        return None, None
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ExportMixin):
        return None, None
    return view_class, match


def job_request(user, path: str, query: str):
    """A GET of ``path?query`` by ``user``, as the list page received it."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    site = urlsplit(settings.SITE_URL)
    request.META = {
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": query,
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "wsgi.url_scheme": site.scheme or "http",
    }
    request.user = user
    request.LANGUAGE_CODE = translation.get_language()
    request._messages = _NoMessages()
    return request


class _NoMessages(list):
    """Messages a view adds while a job builds its rows go nowhere: no one is looking."""

    def add(self, level, message, extra_tags=""):
        self.append(message)


def job_view(user, path: str, query: str):
    """The list view at ``path``, set up for ``user`` with the filters of ``query``; raises
    Http404-like ``LookupError`` for a path that is no export, PermissionDenied when the
    user may not see the list."""
    view_class, match = export_view_class(path)
    if view_class is None:
        raise LookupError(path)
    request = job_request(user, path, query)
    request.resolver_match = match
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    # A login deactivated since the job was queued sees nothing (has_perm alone is False
    # for an inactive user, but a view open to every signed-in user would not ask).
    if not user.is_active or not view.has_permission():
        raise PermissionDenied
    return view


def create_job(user, path: str, query: str, fmt: str):
    """A queued ExportJob of the list at ``path`` (checked like a request of that page), its
    task sent once the transaction commits."""
    from django.db import transaction

    from .models import ExportJob

    view = job_view(user, path, query)
    query = QueryDict(query, mutable=True)
    for key in NOT_FILTERS:
        query.pop(key, None)
    job = ExportJob.objects.create(
        user=user,
        title=view.export_title()[:200],
        view_name=resolve(path).view_name,
        path=path,
        query=query.urlencode(),
        format=fmt,
        language=translation.get_language() or "",
    )
    transaction.on_commit(lambda: queue_job(job.pk))
    return job


def queue_job(job_id):
    from .models import ExportJob
    from .tasks import run_export

    try:
        run_export.delay(job_id)
    except Exception as exc:  # the broker is down: say so on the job page, not with a 500
        logger.exception("Export %s could not be queued", job_id)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:1000],
            finished_at=timezone.now(),
        )


def run_job(job_id):
    """Write the file of a queued job (claimed first, so a doubled task writes it once),
    recording progress every chunk, then e-mail its owner a link."""
    from .models import ExportJob

    Status = ExportJob.Status
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    language = job.user.language or job.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            view = job_view(job.user, job.path, job.query)
            export = view.get_export()
            job.row_count = export.count()
            job.save(update_fields=["row_count"])

            def progress(done):
                ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

            with tempfile.TemporaryFile() as handle:
                export.write(job.format, handle, progress)
                handle.seek(0)
                name = f"exports/{job.user_id}/{job.pk}-{view.get_export_filename(job.format)}"
                job.file = export_storage().save(name, File(handle))
    except PermissionDenied:
        return _fail(job, gettext("You may no longer see this list."))
    except LookupError:
        return _fail(job, gettext("This list no longer exists."))
    except Exception as exc:
        logger.exception("Export %s failed", job.pk)
        return _fail(job, f"{type(exc).__name__}: {exc}")
    job.rows_done = ExportJob.objects.values_list("rows_done", flat=True).get(pk=job.pk)
    job.status = Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "rows_done", "status", "finished_at"])
    send_ready_email(job, language)
    return job


def _fail(job, error):
    from .models import ExportJob

    job.status = ExportJob.Status.FAILED
    job.error = str(error)[:1000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def send_ready_email(job, language):
    from .emails import absolute_url, build

    if not job.user.email:
        return
    context = {
        "job": job,
        "url": absolute_url(job.get_absolute_url()),
        "user": job.user,
        "retention_days": retention_days(),
    }
    try:
        build("export-ready", context, [job.user.email], language).send()
    except Exception:  # the file is ready on the page whatever the mail server says
        logger.exception("Export %s: the e-mail could not be sent", job.pk)


def expire_jobs(now=None):
    """Delete the files of jobs older than the retention period; the jobs stay, expired.
    Returns how many jobs expired."""
    from .models import ExportJob

    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    storage = export_storage()
    expired = 0
    old = ExportJob.objects.filter(created_at__lt=cutoff).exclude(status=ExportJob.Status.EXPIRED)
    for job in old.iterator():
        if job.file:
            storage.delete(job.file)
        updated = ExportJob.objects.filter(pk=job.pk).exclude(status=ExportJob.Status.EXPIRED)
        expired += updated.update(status=ExportJob.Status.EXPIRED, file="")
    return expired


def jobs_url():
    return reverse("core:export_list")
