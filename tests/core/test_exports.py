"""Exports of lists (core.exports): CSV that opens right in Chinese Excel, typed XLSX, and
background jobs for large lists, scoped and masked exactly like the page."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus

import django_tables2 as tables
import openpyxl
import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import exports
from core.models import ExportJob
from core.tasks import expire_exports_task, run_export
from facilities.models import WorkOrder
from tests.facilities.factories import WorkOrderFactory
from tests.factories import PropertyFactory, UserFactory
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

LIST = "facilities:workorder_list"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home():
    return PropertyFactory(code="AAA", name="Alpha Gardens")


@pytest.fixture
def away():
    return PropertyFactory(code="BBB", name="Beta Tower")


@pytest.fixture
def viewer(home):
    return UserFactory(
        username="viewer", properties=[home], perms=["facilities.view_workorder"], language="en"
    )


def csv_rows(response):
    assert response.status_code == HTTPStatus.OK, response
    assert response["Content-Type"].startswith("text/csv")
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def export(client, fmt, **params):
    return client.get(reverse(LIST), {**params, "_export": fmt})


# --- what a cell holds ------------------------------------------------------------------------


def test_csv_has_a_bom_localized_headers_local_times_empty_cells_and_no_formulas(
    client, home, viewer
):
    WorkOrderFactory(
        property=home,
        title='=HYPERLINK("http://evil")',
        resolve_by=datetime(2026, 12, 1, 16, 4, 21, 666576, tzinfo=UTC),
        due_on=None,
        assignee=None,
    )
    client.force_login(viewer)
    response = export(client, "csv")
    assert response.streaming  # streamed, not built in memory
    header, row = csv_rows(response)
    assert header[:2] == ["Number", "Title"]
    cells = dict(zip(header, row, strict=True))
    assert cells["Title"] == '\'=HYPERLINK("http://evil")'
    assert cells["Resolve by"] == "2026-12-02 00:04:21"  # Asia/Shanghai, to the second
    assert cells["Due"] == "" and cells["Assignee"] == ""  # empty, never "—"
    assert cells["Status"] == WorkOrder.objects.get().get_status_display()  # a label, not a code
    assert "—" not in row


def test_headers_and_choice_labels_follow_the_users_language(client, home):
    order = WorkOrderFactory(property=home)
    user = UserFactory(properties=[home], perms=["facilities.view_workorder"], language="zh-hans")
    client.force_login(user)
    header, row = csv_rows(export(client, "csv"))
    assert header[1] == "名称"  # "title" in zh_Hans
    from django.utils import translation

    with translation.override("zh-hans"):
        assert order.get_status_display() in row


def test_xlsx_has_typed_cells_a_named_sheet_a_frozen_header_and_wide_columns(client, home, viewer):
    WorkOrderFactory(
        property=home,
        title="二号楼电梯困人故障需要立即处理",
        due_on=date(2026, 12, 5),
        resolve_by=datetime(2026, 12, 1, 16, 4, 21, 666576, tzinfo=UTC),
    )
    client.force_login(viewer)
    response = export(client, "xlsx")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == exports.XLSX.content_type
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Work orders"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Due"].is_date and row["Due"].value == datetime(2026, 12, 5)
    assert row["Resolve by"].value == datetime(2026, 12, 2, 0, 4, 21)
    assert row["Assignee"].value is None
    title_column = sheet.column_dimensions[row["Title"].column_letter]
    assert title_column.width >= 2 * len("二号楼电梯困人故障需要立即处理")


def test_numbers_stay_numbers_and_sheet_names_are_ones_excel_accepts():
    class Lines(tables.Table):
        item = tables.Column()
        amount = tables.Column()

    table = Lines([{"item": "-1 乙醇", "amount": Decimal("1234.50")}, {"item": "", "amount": 7}])
    export = exports.TableExport(table, "Stock: [in/out]* per storeroom? and more than 31")
    handle = io.BytesIO()
    export.write_xlsx(handle)
    sheet = openpyxl.load_workbook(handle).active
    assert sheet.title == "Stock in out per storeroom and"
    assert len(sheet.title) <= 31
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == 1234.5
    assert sheet["A2"].value == "'-1 乙醇"  # guarded: a leading minus is a formula to Excel
    assert sheet["A3"].value is None and sheet["B3"].value == 7


def test_need_to_know_masking_holds_in_every_export(client, settings, home):
    employee = EmployeeFactory(property=home, id_number="11010519491231002X")
    supervisor = UserFactory(properties=[home], groups=["security_supervisor"], language="en")
    EmployeeFactory(property=home, department=employee.department, user=supervisor)
    client.force_login(supervisor)
    url = reverse("staff:employee_list")
    page = client.get(url).content.decode()
    assert "1101**********002X" in page and "11010519491231002X" not in page
    text = client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig")
    assert "1101**********002X" in text and "11010519491231002X" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content))
    values = [cell.value for row in sheet.active.iter_rows() for cell in row]
    assert "1101**********002X" in values and "11010519491231002X" not in values
    # The background job writes what the page shows that user, too.
    settings.EXPORT_SYNC_MAX_ROWS = 0
    job = exports.create_job(supervisor, url, "", "csv")
    run_export(job.pk)
    job.refresh_from_db()
    text = read(job).decode("utf-8-sig")
    assert job.status == ExportJob.Status.DONE
    assert "1101**********002X" in text and "11010519491231002X" not in text


# --- cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_of_an_export_does_not_grow_with_the_rows(client, home, viewer, fmt):
    client.force_login(viewer)
    WorkOrderFactory.create_batch(10, property=home, assignee=None)
    export(client, fmt).getvalue()  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        export(client, fmt).getvalue()
    from tests.staff.factories import EmployeeFactory as Employees

    for index in range(40):
        WorkOrderFactory(property=home, assignee=Employees(property=home) if index % 2 else None)
    with CaptureQueriesContext(connection) as many:
        body = export(client, fmt).getvalue()
    if fmt == "csv":
        assert len(body.decode("utf-8-sig").strip().splitlines()) == 51
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- background jobs --------------------------------------------------------------------------


def read(job):
    with storages["default"].open(job.file, "rb") as handle:
        return handle.read()


@pytest.fixture
def large(settings, home, away):
    """A list larger than what is exported in the request: 8 of home's orders, 3 of away's."""
    settings.EXPORT_SYNC_MAX_ROWS = 5
    mine = WorkOrderFactory.create_batch(6, property=home, priority="high")
    mine += WorkOrderFactory.create_batch(2, property=home, priority="low")
    WorkOrderFactory.create_batch(3, property=away, priority="high")
    return mine


def start(client, django_capture_on_commit_callbacks, monkeypatch, query="", fmt="csv"):
    """POST the export menu's form; run the task its commit queues (as a worker would)."""
    monkeypatch.setattr(run_export, "delay", lambda job_id: run_export(job_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("core:export_create"),
            {"path": reverse(LIST), "query": query, "format": fmt},
        )
    assert len(callbacks) == 1
    return response


def test_a_large_list_offers_a_background_export(client, large, viewer):
    client.force_login(viewer)
    response = client.get(reverse(LIST))
    links = response.context["export_links"]
    assert links["background"] and links["row_count"] == 8
    assert 'action="/exports/new/"' in response.content.decode()
    # A GET of the export itself never starts a job, nor builds a huge file in the request.
    redirect = export(client, "csv")
    assert redirect.status_code == HTTPStatus.FOUND
    assert not ExportJob.objects.exists()


def test_a_job_writes_the_pages_rows_records_progress_and_emails_a_link(
    client, large, viewer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    client.force_login(viewer)
    query = "priority=high&sort=number&page=3"
    with CaptureQueriesContext(connection) as queries:
        response = start(client, django_capture_on_commit_callbacks, monkeypatch, query)
    job = ExportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.user == viewer and job.query == "priority=high&sort=number"
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == job.rows_done == 6
    progress = [q for q in queries.captured_queries if 'SET "rows_done" =' in q["sql"]]
    assert len(progress) == 3  # after every chunk of two rows
    page = client.get(reverse(LIST), {"priority": "high", "sort": "number"})
    shown = [row.record.number for row in page.context["table"].page.object_list]
    _header, *rows = list(csv.reader(io.StringIO(read(job).decode("utf-8-sig"))))
    assert [row[0] for row in rows] == shown  # the same rows, in the same order
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [viewer.email]
    assert f"https://houqin.test/exports/{job.pk}/" in message.body
    detail = client.get(job.get_absolute_url())
    assert reverse("core:export_download", args=[job.pk]) in detail.content.decode()
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"].startswith("text/csv")
    assert b"".join(download.streaming_content) == read(job)


def test_a_job_holds_only_the_users_properties(
    client, large, viewer, away, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    start(client, django_capture_on_commit_callbacks, monkeypatch, fmt="xlsx")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.error
    sheet = openpyxl.load_workbook(io.BytesIO(read(job))).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {order.number for order in large}
    assert not numbers & set(
        WorkOrder.objects.filter(property=away).values_list("number", flat=True)
    )


def test_a_job_page_shows_progress_and_refreshes_without_inline_script(client, viewer):
    job = ExportJob.objects.create(
        user=viewer,
        title="Work orders",
        view_name=LIST,
        path="/facilities/work-orders/",
        format="csv",
        status=ExportJob.Status.RUNNING,
        row_count=200,
        rows_done=50,
    )
    client.force_login(viewer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<progress class="w-100" max="100" value="25"' in page
    assert 'hx-trigger="every 2s"' in page
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="export-status"')
    assert client.get(reverse("core:export_list")).status_code == HTTPStatus.OK


def test_another_users_job_is_not_found(client, viewer, home):
    job = ExportJob.objects.create(
        user=viewer,
        title="Work orders",
        view_name=LIST,
        path="/facilities/work-orders/",
        format="csv",
        status=ExportJob.Status.DONE,
        file="exports/1/x.csv",
    )
    storages["default"].save("exports/1/x.csv", ContentFile(b"secret"))
    other = UserFactory(properties=[home], perms=["facilities.view_workorder"])
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    download = reverse("core:export_download", args=[job.pk])
    assert client.get(download).status_code == HTTPStatus.NOT_FOUND
    assert job.title not in client.get(reverse("core:export_list")).content.decode()


def test_a_user_may_not_start_more_than_a_few_jobs(
    client, large, viewer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_MAX_ACTIVE_JOBS = 2
    for _ in range(2):
        ExportJob.objects.create(
            user=viewer, title="x", view_name=LIST, path="/facilities/work-orders/", format="csv"
        )
    client.force_login(viewer)
    response = client.post(
        reverse("core:export_create"),
        {"path": reverse(LIST), "query": "", "format": "csv"},
        follow=True,
    )
    assert ExportJob.objects.count() == 2
    assert "already have 2 exports" in response.content.decode()


def test_a_job_needs_the_lists_permission_and_a_real_list(client, home, viewer):
    client.force_login(UserFactory(properties=[home]))  # no permission on work orders
    data = {"path": reverse(LIST), "query": "", "format": "csv"}
    assert client.post(reverse("core:export_create"), data).status_code == HTTPStatus.FORBIDDEN
    client.force_login(viewer)
    for junk in (
        {**data, "path": "/"},  # a page with no export
        {**data, "path": "/no/such/page/"},
        {**data, "path": "https://evil.example/facilities/work-orders/"},
        {**data, "format": "exe"},
    ):
        assert client.post(reverse("core:export_create"), junk).status_code == 404, junk
    assert not ExportJob.objects.exists()


def test_garbage_in_the_query_string_never_fails(
    client, large, viewer, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    junk = {"property": "abc", "page": "-1", "sort": "';drop", "assignee": "9" * 20, "q": "\x00"}
    assert export(client, "csv", **junk).status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert export(client, "xlsx", **junk).status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    from urllib.parse import urlencode

    response = start(client, django_capture_on_commit_callbacks, monkeypatch, urlencode(junk))
    assert response.status_code == HTTPStatus.FOUND
    job = ExportJob.objects.get()
    assert job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    assert client.get(job.get_absolute_url()).status_code == HTTPStatus.OK


def test_old_export_files_are_deleted_and_their_jobs_expire(viewer, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    storage = storages["default"]
    old_name = storage.save("exports/1/old.csv", ContentFile(b"a"))
    new_name = storage.save("exports/1/new.csv", ContentFile(b"b"))
    common = {"user": viewer, "title": "x", "view_name": LIST, "path": "/", "format": "csv"}
    old = ExportJob.objects.create(
        **common,
        file=old_name,
        status=ExportJob.Status.DONE,
        created_at=timezone.now() - timedelta(days=8),
    )
    new = ExportJob.objects.create(**common, file=new_name, status=ExportJob.Status.DONE)
    assert expire_exports_task() == {"expired": 1}
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ExportJob.Status.EXPIRED and not old.file
    assert not storage.exists(old_name) and storage.exists(new_name)
    assert new.status == ExportJob.Status.DONE
    assert expire_exports_task() == {"expired": 0}  # a second run changes nothing


def test_the_expiry_runs_daily_from_beat():
    from django_celery_beat.models import PeriodicTask

    from core.apps import ensure_export_expiry_schedule

    ensure_export_expiry_schedule()
    ensure_export_expiry_schedule()
    assert PeriodicTask.objects.filter(task="core.tasks.expire_exports_task").count() == 1


def test_a_job_run_twice_writes_once(viewer, large, settings):
    job = exports.create_job(viewer, reverse(LIST), "", "csv")
    run_export(job.pk)
    assert run_export(job.pk) == {"job": job.pk, "status": "skipped"}
    assert len(mail.outbox) == 1


def test_a_job_whose_user_lost_the_permission_fails_cleanly(viewer, large):
    job = exports.create_job(viewer, reverse(LIST), "", "csv")
    viewer.user_permissions.clear()
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert len(mail.outbox) == 0


def test_a_job_of_a_login_deactivated_since_fails_cleanly(viewer, large):
    viewer.is_superuser = True  # permissions alone would let it through
    viewer.save()
    job = exports.create_job(viewer, reverse(LIST), "", "csv")
    viewer.is_active = False
    viewer.save()
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert len(mail.outbox) == 0


def test_every_list_and_report_exports_both_formats(client, home):
    """Each view with an export menu answers both formats for a superuser (headers only on an
    empty database: a column the export cannot read fails here, not in front of a user)."""
    from core.exports import ExportMixin
    from tests.core.test_url_security import URLS

    WorkOrderFactory(property=home)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    exported = 0
    for url, match in URLS:
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, ExportMixin) or "/1/" in url:
            continue
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"_export": fmt})
            assert response.status_code == HTTPStatus.OK, (url, fmt)
            body = response.getvalue()
            assert body.startswith(b"\xef\xbb\xbf" if fmt == "csv" else b"PK"), (url, fmt)
        exported += 1
    assert exported > 40


# --- Chinese Excel: byte-order mark, widths, money --------------------------------------------


def test_a_chinese_csv_opens_in_a_windows_spreadsheet(client, home):
    WorkOrderFactory(property=home, title="二号楼电梯困人", due_on=None)
    user = UserFactory(properties=[home], perms=["facilities.view_workorder"], language="zh-hans")
    client.force_login(user)
    body = export(client, "csv").getvalue()
    assert body.startswith(b"\xef\xbb\xbf")  # what tells Excel the file is UTF-8
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[1] == "名称" and row[1] == "二号楼电梯困人"
    assert "—" not in row


def test_xlsx_money_has_two_decimals_and_chinese_columns_are_wider():
    class Lines(tables.Table):
        name = tables.Column(verbose_name="Name")
        code = tables.Column(verbose_name="Code")
        price = tables.Column(verbose_name="Price")
        quantity = tables.Column(verbose_name="Quantity")
        when = tables.Column(verbose_name="When")

    table = Lines(
        [
            {
                "name": "不锈钢螺丝刀套装",
                "code": "SCREWDRIVERS",  # as many characters as the name, half as wide
                "price": Decimal("115470.00"),
                "quantity": Decimal("16.000"),
                "when": datetime(2026, 12, 1, 16, 4, 21, 666576, tzinfo=UTC),
            },
            {"name": "", "code": None, "price": None, "quantity": 3, "when": None},
        ]
    )
    handle = io.BytesIO()
    exports.TableExport(table, "库存：物料/明细").write_xlsx(handle)
    sheet = openpyxl.load_workbook(handle).active
    assert sheet.title == "库存：物料 明细"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["Name", "Code", "Price", "Quantity", "When"]
    _name, _code, price, quantity, when = sheet[2]
    assert price.data_type == "n" and price.value == 115470 and price.number_format == "#,##0.00"
    assert quantity.data_type == "n" and quantity.value == 16
    assert when.is_date and when.value == datetime(2026, 12, 2, 0, 4, 21)  # local, naive
    assert when.number_format == "yyyy-mm-dd hh:mm:ss"
    assert [cell.value for cell in sheet[3]] == [None, None, None, 3, None]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "AB"}
    assert widths["A"] >= 2 * len("不锈钢螺丝刀套装") > widths["B"] >= len("SCREWDRIVERS")


def test_time_cells_in_csv_are_to_the_second():
    from datetime import time

    assert exports.cell_text(exports.cell_value(time(8, 30, 5, 123))) == "08:30:05"
    assert exports.cell_text(exports.cell_value(date(2026, 12, 5))) == "2026-12-05"


# --- the admin's exports (django-import-export) -----------------------------------------------


@pytest.fixture
def admin_export(rf, home):
    from django.contrib import admin

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[WorkOrder]
    request = rf.get("/admin/facilities/workorder/export/")
    request.user = root

    def run(fmt):
        file_format = next(f for f in model_admin.get_export_formats() if f.__name__ == fmt)()
        queryset = model_admin.get_export_queryset(request)
        return model_admin.get_export_data(file_format, request, queryset)

    return run


def test_the_admin_exports_csv_with_a_bom_and_local_times(admin_export, home):
    WorkOrderFactory(
        property=home,
        title="二号楼电梯困人",
        resolve_by=datetime(2026, 12, 1, 16, 4, 21, 666576, tzinfo=UTC),
        due_on=None,
    )
    body = admin_export("AdminCSV")
    assert body.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(body.encode("utf-8").decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == "二号楼电梯困人"
    assert cells["resolve_by"] == "2026-12-02 00:04:21"
    assert cells["due_on"] == ""


def test_the_admin_exports_typed_xlsx_in_a_named_sheet(admin_export, home):
    WorkOrderFactory(
        property=home,
        title="二号楼电梯困人",
        resolve_by=datetime(2026, 12, 1, 16, 4, 21, 666576, tzinfo=UTC),
        due_on=date(2026, 12, 5),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(admin_export("AdminXLSX"))).active
    assert sheet.title == str(WorkOrder._meta.verbose_name_plural).capitalize()
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["resolve_by"].is_date and row["resolve_by"].value == datetime(2026, 12, 2, 0, 4, 21)
    assert row["due_on"].is_date and row["due_on"].value == datetime(2026, 12, 5)
    assert row["id"].data_type == "n"


def test_what_the_admin_exports_its_import_reads_back(rf, home):
    """Yes/no as 1/0 and a guarded "-20℃" come back as they were: exporting items, editing
    the sheet and importing it again changes nothing it should not."""
    import tablib
    from django.contrib import admin

    from procurement.models import Item
    from tests.procurement.factories import ItemFactory

    item = ItemFactory(active=True, specification="-20℃ 防冻")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[Item]
    request = rf.get("/admin/procurement/item/export/")
    request.user = root
    csv_format = next(f for f in model_admin.get_export_formats() if f.__name__ == "AdminCSV")()
    body = model_admin.get_export_data(csv_format, request, Item.objects.filter(pk=item.pk))
    header, row = list(csv.reader(io.StringIO(body.encode("utf-8").decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["active"] == "1" and cells["specification"] == "'-20℃ 防冻"

    [resource_class] = model_admin.get_resource_classes(request)
    resource = resource_class()
    dataset = tablib.Dataset(headers=header)
    dataset.append(row)
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    item.refresh_from_db()
    assert item.active is True and item.specification == "-20℃ 防冻"
