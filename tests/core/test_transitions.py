"""core.workflow: one transition() for every declared status machine.

The core function on real records (the status saved, the history user, exactly one timeline
event, the refusal in the user's language, the row lock and, on PostgreSQL, two steps from the
same status at once); every declared transition of every app allowed from its sources and
refused from every other status, through the database; and the timeline on detail pages.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cleaning.models import GreeningTask, Rectification
from core.models import TimelineEvent
from core.workflow import (
    Transition,
    Workflow,
    allowed,
    save_with_history,
    step,
    workflow_for,
    workflows,
)
from core.workflow import (
    transition as take,
)
from facilities.models import (
    WORK_ORDER,
    EventKind,
    InspectionRound,
    InspectionRoute,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderStatus,
)
from procurement import services
from procurement.models import (
    PURCHASE_ORDER,
    REQUISITION,
    STOCK_COUNT,
    GoodsReceipt,
    OrderStatus,
    PurchaseOrder,
    PurchasePlan,
    RequestForQuotation,
    Requisition,
    RequisitionStatus,
    StockCount,
    StockIssue,
    SupplierReturn,
)
from safety.models import AccessCard, CorrectiveAction, Hazard, Incident, Visitor
from staff.models import Application, Appraisal, JobOpening
from tests.cleaning.factories_greening import GreeningTaskFactory
from tests.facilities.factories import WorkOrderFactory
from tests.facilities.test_concurrency import race, require_postgresql
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    PurchasePlanFactory,
    RequisitionFactory,
    StockIssueFactory,
    StoreroomFactory,
    SupplierFactory,
)
from tests.staff.factories import (
    ApplicationFactory,
    AppraisalCycleFactory,
    EmployeeFactory,
    JobOpeningFactory,
)


def events_of(obj):
    return TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def last_history_user(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first().history_user


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def draft_order(db):
    return PurchaseOrderFactory()


# --- the core function ------------------------------------------------------------------------


@pytest.mark.django_db
class TestTransition:
    def test_the_target_status_and_the_values_are_saved_with_the_history_user(
        self, draft_order, user
    ):
        now = timezone.now()

        returned = take(draft_order, "approve", by=user, approved_by=user, approved_at=now)

        order = PurchaseOrder.objects.get(pk=draft_order.pk)
        assert (order.status, order.approved_by, order.approved_at) == (
            OrderStatus.APPROVED,
            user,
            now,
        )
        assert returned.status == OrderStatus.APPROVED and returned.pk == order.pk
        assert last_history_user(order) == user

    def test_exactly_one_timeline_event_per_transition(self, draft_order, user):
        placer = UserFactory()
        take(draft_order, "approve", by=user, text="预算内")
        take(draft_order, "place", by=placer)

        events = list(events_of(draft_order))
        assert [(e.action, e.status_from, e.status_to, e.by, e.text) for e in events] == [
            ("approve", OrderStatus.DRAFT, OrderStatus.APPROVED, user, "预算内"),
            ("place", OrderStatus.APPROVED, OrderStatus.ORDERED, placer, ""),
        ]

    def test_a_step_not_in_the_table_is_refused_in_english(self, draft_order, user):
        PurchaseOrder.objects.filter(pk=draft_order.pk).update(status=OrderStatus.RECEIVED)
        history = draft_order.history.count()

        with translation.override("en"), pytest.raises(ValidationError) as refused:
            take(draft_order, "approve", by=user)

        assert refused.value.messages == [
            "This purchase order is “Received” and cannot be approved."
        ]
        draft_order.refresh_from_db()
        assert draft_order.status == OrderStatus.RECEIVED
        assert not events_of(draft_order).exists()
        assert draft_order.history.count() == history

    def test_the_refusal_names_the_status_and_the_action_in_chinese(self, draft_order, user):
        PurchaseOrder.objects.filter(pk=draft_order.pk).update(status=OrderStatus.RECEIVED)
        with translation.override("zh-hans"):
            received = str(OrderStatus.RECEIVED.label)
            approved = str(PURCHASE_ORDER["approve"].label)
            with pytest.raises(ValidationError) as refused:
                take(draft_order, "approve", by=user)
        (message,) = refused.value.messages
        assert received != "Received"  # the catalogue has it
        assert f"“{received}”" in message and approved in message
        assert "Received" not in message

    def test_a_translated_refusal_reads_whole_in_chinese(self, user):
        order = WorkOrderFactory()
        WorkOrder.objects.filter(pk=order.pk).update(
            status=WorkOrderStatus.CANCELLED, cancel_reason="重复报修"
        )
        with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
            take(order, "start", by=user)
        assert refused.value.messages == ["状态为“已取消”的工单不能开工。"]
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            take(order, "start", by=user)
        assert refused.value.messages == ["A work order that is “Cancelled” cannot be started."]

    def test_the_row_is_read_again_under_a_lock(self, draft_order, user):
        stale = PurchaseOrder.objects.get(pk=draft_order.pk)
        take(draft_order, "approve", by=user)

        with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
            take(stale, "approve", by=user)  # stale says draft; the row says approved

        assert stale.status == OrderStatus.DRAFT
        assert events_of(draft_order).count() == 1
        if connection.vendor == "postgresql":
            [read] = [q["sql"] for q in queries if "procurement_purchaseorder" in q["sql"]]
            assert read.endswith('FOR UPDATE OF "procurement_purchaseorder"')

    def test_step_saves_the_callers_fields_in_the_same_write(self, draft_order, user):
        with transaction.atomic():
            order = PURCHASE_ORDER.lock(draft_order)
            order.note = "加急"
            step(order, "approve", by=user, fields=["note"], approved_by=user)
        order = PurchaseOrder.objects.get(pk=draft_order.pk)
        assert (order.status, order.note, order.approved_by) == (
            OrderStatus.APPROVED,
            "加急",
            user,
        )
        latest = order.history.order_by("-history_id").first()
        assert (latest.status, latest.note, latest.history_user) == ("approved", "加急", user)
        assert order.history.count() == 2  # created, then one change

    def test_a_timeline_of_its_own_is_written_instead(self, user):
        order = WorkOrderFactory()
        take(order, "start", by=user, started_at=timezone.now())
        event = WorkOrderEvent.objects.get(work_order=order)
        assert (event.kind, event.status_from, event.status_to, event.by) == (
            EventKind.STATUS,
            WorkOrderStatus.NEW,
            WorkOrderStatus.IN_PROGRESS,
            user,
        )
        assert not events_of(order).exists()

    def test_allowed_follows_the_table_and_the_permission(self, draft_order, user):
        director = UserFactory(groups=["director"])
        assert allowed(draft_order, "approve") and not allowed(draft_order, "place")
        assert not allowed(draft_order, "approve", user)  # no permission to change orders
        assert allowed(draft_order, "approve", director)
        assert PURCHASE_ORDER.available(draft_order, director) == {
            "approve": True,
            "place": False,
            "receive_part": False,
            "receive": False,
            "close": False,
            "cancel": True,
        }

    def test_unknown_actions_and_models_without_a_workflow_are_errors(self, draft_order, user):
        with pytest.raises(ValueError, match="no action 'ship'"):
            take(draft_order, "ship", by=user)
        with pytest.raises(ImproperlyConfigured):
            take(PropertyFactory(), "approve", by=user)
        assert workflow_for(PurchaseOrder) is PURCHASE_ORDER
        assert workflow_for(draft_order) is PURCHASE_ORDER

    def test_a_table_naming_an_unknown_status_is_refused_when_declared(self):
        with pytest.raises(ImproperlyConfigured, match="unknown statuses"):
            Workflow(Requisition, transitions={"x": Transition(("sent",), "draft", "x")})
        with pytest.raises(ImproperlyConfigured, match="already has a workflow"):
            Workflow(Requisition, transitions={})

    def test_save_with_history_saves_the_fields_named_and_the_time(self, user):
        requisition = RequisitionFactory()
        before = requisition.updated_at
        requisition.purpose, requisition.decision_note = "新用途", "不保存"
        save_with_history(requisition, user, ["purpose"])
        requisition.refresh_from_db()
        assert (requisition.purpose, requisition.decision_note) == ("新用途", "")
        assert requisition.updated_at > before
        assert last_history_user(requisition) == user

    def test_a_deleted_record_takes_its_timeline_with_it(self, user):
        plan = PurchasePlanFactory()
        PurchasePlan.objects.filter(pk=plan.pk).update(status="submitted")
        take(plan, "send_back", by=user, return_reason="太多")
        assert events_of(plan).count() == 1
        plan.delete()
        assert not TimelineEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_steps_from_the_same_status_at_once_cannot_both_succeed():
    require_postgresql()
    order = PurchaseOrderFactory()
    approvers = [UserFactory(), UserFactory()]

    outcomes = race(2, lambda: take(order, "approve", by=approvers.pop()).status)

    assert sorted(outcomes) == ["approved", "refused"]
    assert events_of(order).count() == 1
    assert order.history.filter(status="approved").count() == 1


# --- every declared transition, from every status, through the database -----------------------

# Values that keep the database's rules for every status of a record (a reason for a
# cancelled order, a result for a reviewed appraisal …), so any status can be set directly.


def make_work_order():
    return WorkOrderFactory(
        cancel_reason="重复", hold_reason="等配件", rating=4, completed_at=timezone.now()
    )


def make_rfq():
    return RequestForQuotation.objects.create(
        property=PropertyFactory(),
        title="询价",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
        awarded_to=SupplierFactory(),
    )


def make_supplier_return():
    order = PurchaseOrderFactory()
    receipt = GoodsReceipt.objects.create(order=order, token=uuid.uuid4())
    return SupplierReturn.objects.create(
        receipt=receipt, supplier=order.supplier, returned_on=timezone.localdate()
    )


def make_count():
    return StockCount.objects.create(
        storeroom=StoreroomFactory(), scheduled_for=timezone.localdate(), snapshot_at=timezone.now()
    )


def make_round():
    route = InspectionRoute.objects.create(
        property=PropertyFactory(),
        name="日巡",
        unit="days",
        interval=1,
        starts_on=timezone.localdate(),
        next_due=timezone.localdate(),
    )
    return InspectionRound.objects.create(
        route=route, due_on=timezone.localdate(), completed_at=timezone.now()
    )


def make_appraisal():
    cycle = AppraisalCycleFactory()
    return Appraisal.objects.create(
        cycle=cycle,
        employee=EmployeeFactory(property=cycle.property),
        final_score=Decimal("80"),
        rating="B",
    )


def make_rectification():
    from cleaning.models import Rectification
    from tests.cleaning.test_crud_pages import failed_inspection

    rectification = failed_inspection(PropertyFactory()).rectification
    # A closed rectification keeps when it was closed (a database check).
    Rectification.objects.filter(pk=rectification.pk).update(closed_at=timezone.now())
    return rectification


def make_hazard():
    from tests.safety.factories_hazards import HazardFactory

    # Every status's facts (a rectification note and after-photo, a verification time).
    return HazardFactory(
        rectification_note="已清理", after_photo="safety/after.jpg", verified_at=timezone.now()
    )


def make_incident():
    from tests.safety.factories_hazards import IncidentFactory

    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    return IncidentFactory(
        occurred_at=now - 5 * hour,
        reported_at=now - 4 * hour,
        responded_at=now - 3 * hour,
        on_scene_at=now - 2 * hour,
        resolved_at=now - hour,
        reviewed_at=now,
        root_cause="水管老化",
    )


def make_corrective_action():
    from tests.safety.factories_hazards import CorrectiveActionFactory

    return CorrectiveActionFactory(done_at=timezone.now(), verified_at=timezone.now())


def make_access_card():
    from tests.safety.factories_visitors import AccessCardFactory

    return AccessCardFactory()


def make_visitor(status="expected"):
    """A visitor's times follow its status (database checks): none until they arrive, the
    time in while on site, both once they left."""
    from tests.safety.factories_visitors import VisitorFactory

    now = timezone.now()
    arrived = now - datetime.timedelta(hours=1) if status in ("on_site", "left") else None
    left = now if status == "left" else None
    return VisitorFactory(status=status, arrived_at=arrived, left_at=left)


MAKERS = {
    WorkOrder: make_work_order,
    Rectification: make_rectification,
    InspectionRound: make_round,
    PurchasePlan: PurchasePlanFactory,
    Requisition: lambda: RequisitionFactory(decision_note="理由"),
    PurchaseOrder: lambda: PurchaseOrderFactory(cancel_reason="理由"),
    RequestForQuotation: make_rfq,
    SupplierReturn: make_supplier_return,
    StockIssue: lambda: StockIssueFactory(issued_at=timezone.now()),
    StockCount: make_count,
    Application: lambda: ApplicationFactory(closed_reason="理由"),
    JobOpening: JobOpeningFactory,
    Appraisal: make_appraisal,
    GreeningTask: lambda: GreeningTaskFactory(done_at=timezone.now()),
    Hazard: make_hazard,
    Incident: make_incident,
    CorrectiveAction: make_corrective_action,
    AccessCard: make_access_card,
    Visitor: make_visitor,
}
CASES = [
    pytest.param(workflow, action, status, id=f"{workflow.model.__name__}-{action}-{status}")
    for workflow in workflows()
    for action in workflow.transitions
    for status in workflow.statuses
]


def test_every_workflow_model_is_covered():
    assert {workflow.model for workflow in workflows()} == set(MAKERS)


def step_events(workflow, obj):
    if workflow is WORK_ORDER:
        return WorkOrderEvent.objects.filter(work_order=obj, kind=EventKind.STATUS)
    return events_of(obj)


# Records whose facts depend on their status (a database check per status) are made in that
# status; a step that must write a fact of its target status is given it.
MADE_IN_STATUS = {Visitor}
STEP_VALUES = {
    (Visitor, "arrive"): lambda: {"arrived_at": timezone.now()},
    (Visitor, "leave"): lambda: {"left_at": timezone.now()},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("workflow", "action", "status"), CASES)
def test_each_transition_from_each_status(workflow, action, status, user):
    if workflow.model in MADE_IN_STATUS:
        record = MAKERS[workflow.model](status)
    else:
        record = MAKERS[workflow.model]()
        workflow.model.objects.filter(pk=record.pk).update(**{workflow.field: status})
    record.refresh_from_db()
    sources, target = workflow[action].sources, workflow[action].target
    values = STEP_VALUES.get((workflow.model, action), dict)()

    if status in sources:
        take(record, action, by=user, **values)
        record.refresh_from_db()
        assert getattr(record, workflow.field) == target
        [event] = step_events(workflow, record)
        assert (event.status_from, event.status_to, event.by) == (status, target, user)
        assert last_history_user(record) == user
    else:
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            take(record, action, by=user, **values)
        (message,) = refused.value.messages
        assert f"“{workflow.status_label(status)}”" in message
        assert str(workflow[action].label) in message
        record.refresh_from_db()
        assert getattr(record, workflow.field) == status
        assert not step_events(workflow, record).exists()


# --- the timeline on detail pages -------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(is_superuser=True, is_staff=True, username="boss")
    client.force_login(admin)
    return client


def add_steps(workflow, obj, count):
    for n in range(count):
        workflow.record(
            obj,
            "cancel",
            by=UserFactory(first_name=f"记录人{n}"),
            status_from="draft",
            status_to="draft",
            text=f"第{n}步",
        )


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("workflow", "make"),
    [
        pytest.param(REQUISITION, lambda: RequisitionFactory(), id="requisition"),
        pytest.param(PURCHASE_ORDER, lambda: PurchaseOrderFactory(), id="order"),
        pytest.param(STOCK_COUNT, make_count, id="count"),
    ],
)
def test_the_timeline_is_on_the_detail_page_in_constant_queries(admin_client, workflow, make):
    obj = make()
    url = obj.get_absolute_url()
    add_steps(workflow, obj, 1)
    few, page = page_queries(admin_client, url)
    assert 'id="timeline"' in page and "第0步" in page and "记录人0" in page

    add_steps(workflow, obj, 5)
    many, page = page_queries(admin_client, url)

    assert many == few
    assert all(f"第{n}步" in page for n in range(5))


@pytest.mark.django_db
def test_a_requisitions_way_is_on_its_page(admin_client, property_a):
    requester, approver = UserFactory(first_name="申请人"), UserFactory(is_superuser=True)
    requisition = RequisitionFactory(property=property_a, requested_by=requester)
    requisition.lines.create(item=ItemFactory(), quantity=1, estimated_price=Decimal("10"))
    services.submit_requisition(requisition, by=requester)
    services.approve_requisition(requisition, by=approver)

    response = admin_client.get(requisition.get_absolute_url())
    page = response.content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert timeline.index("Submitted") < timeline.index("Approved")
    assert "Draft → Submitted" in timeline and "申请人" in timeline
    assert Requisition.objects.get(pk=requisition.pk).status == RequisitionStatus.APPROVED
