"""Plan templates and maintenance plans through their pages: the shared CRUD checks, the
checklist lines edited with the record, the next dates, applying a template to equipment,
and lists that neither break on junk filters nor grow in queries with their rows."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from facilities.models import (
    ChecklistItem,
    ChecklistKind,
    EquipmentStatus,
    FrequencyUnit,
    MaintenancePlan,
    PlanTemplate,
    PlanTemplateItem,
)
from tests.crud import CrudViewTests, form_errors
from tests.factories import PropertyFactory, UserFactory
from tests.procurement.factories import SupplierFactory
from tests.staff.factories import EmployeeFactory

from .factories import (
    ChecklistItemFactory,
    EquipmentCategoryFactory,
    EquipmentFactory,
    MaintenancePlanFactory,
    PlanTemplateFactory,
)


def lines(prefix="items", *rows, initial=0):
    """The POST of an inline formset: its management form and ``rows`` (dicts of fields)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def supervisor(*properties):
    return UserFactory(groups=["facilities_supervisor"], properties=list(properties))


# --- the shared CRUD checks ------------------------------------------------------------------


class TestPlanTemplateViews(CrudViewTests):
    model = PlanTemplate
    factory = PlanTemplateFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return PlanTemplateFactory()

    def form_data(self, property_):
        return {
            "category": EquipmentCategoryFactory().pk,
            "code": "boiler-yearly",
            "title": "锅炉年度检验",
            "basis": "TSG G7002",
            "unit": "years",
            "interval": "1",
            "mode": "fixed",
            "lead_days": "10",
            "active": "on",
            **lines("items"),
        }


class TestMaintenancePlanViews(CrudViewTests):
    model = MaintenancePlan
    factory = MaintenancePlanFactory

    def make_object(self, property_):
        return MaintenancePlanFactory(equipment__property=property_)

    def form_data(self, property_):
        return {
            "equipment": EquipmentFactory(property=property_).pk,
            "title": "水泵月度保养",
            "unit": "months",
            "interval": "1",
            "mode": "fixed",
            "lead_days": "3",
            "starts_on": "2026-03-01",
            "active": "on",
            **lines("items"),
        }

    def edit_data(self, obj):
        return {
            **self.form_data(self.property_of(obj)),
            "starts_on": obj.starts_on.isoformat(),
            "next_due": obj.next_due.isoformat(),
        }


# --- templates ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestPlanTemplatePages:
    def test_the_checklist_is_saved_with_the_template(self, client):
        client.force_login(supervisor(PropertyFactory()))
        page = client.get(reverse("facilities:plantemplate_add"))
        assert page.context["lines"].prefix == "items"
        response = client.post(
            reverse("facilities:plantemplate_add"),
            {
                "category": EquipmentCategoryFactory().pk,
                "code": "pump-weekly",
                "title": "水泵周检",
                "unit": "weekdays",
                "interval": "1",
                "weekdays": ["0", "3"],
                "mode": "fixed",
                "lead_days": "1",
                "active": "on",
                **lines(
                    "items",
                    {"position": "1", "text": "无异响", "kind": "check"},
                    {
                        "position": "2",
                        "text": "出口压力",
                        "kind": "number",
                        "minimum": "0.2",
                        "maximum": "0.6",
                        "unit": "MPa",
                    },
                ),
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        template = PlanTemplate.objects.get(code="pump-weekly")
        assert template.weekdays == 0b1001  # Monday and Thursday
        assert [(i.text, i.kind) for i in template.items.all()] == [
            ("无异响", "check"),
            ("出口压力", "number"),
        ]
        detail = client.get(template.get_absolute_url())
        assert detail.context["can_apply"]
        assert "0.2–0.6 MPa" in detail.content.decode()

    def test_a_weekday_schedule_without_a_day_is_refused(self, client):
        client.force_login(supervisor(PropertyFactory()))
        response = client.post(
            reverse("facilities:plantemplate_add"),
            {
                "category": EquipmentCategoryFactory().pk,
                "code": "no-days",
                "title": "无日",
                "unit": "weekdays",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "1",
                **lines("items"),
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not PlanTemplate.objects.filter(code="no-days").exists()

    def test_a_bad_checklist_line_saves_nothing(self, client):
        client.force_login(supervisor(PropertyFactory()))
        response = client.post(
            reverse("facilities:plantemplate_add"),
            {
                "category": EquipmentCategoryFactory().pk,
                "code": "bad-range",
                "title": "范围错",
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "1",
                **lines(
                    "items",
                    {
                        "position": "1",
                        "text": "压力",
                        "kind": "number",
                        "minimum": "5",
                        "maximum": "1",
                    },
                ),
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert not PlanTemplate.objects.filter(code="bad-range").exists()
        assert not PlanTemplateItem.objects.filter(text="压力").exists()

    def test_a_missing_management_form_is_an_error_not_a_500(self, client):
        client.force_login(supervisor(PropertyFactory()))
        response = client.post(
            reverse("facilities:plantemplate_add"),
            {
                "category": EquipmentCategoryFactory().pk,
                "code": "no-mgmt",
                "title": "x",
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "1",
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert not PlanTemplate.objects.filter(code="no-mgmt").exists()

    def test_a_technician_sees_templates_but_does_not_change_them(self, client):
        template = PlanTemplateFactory()
        client.force_login(UserFactory(groups=["technician"], properties=[PropertyFactory()]))
        page = client.get(template.get_absolute_url())
        assert page.status_code == HTTPStatus.OK
        assert not page.context["can_apply"]
        assert "plantemplate_apply" not in page.content.decode()
        assert client.get(reverse("facilities:plantemplate_add")).status_code == 403
        url = reverse("facilities:plantemplate_apply", args=[template.pk])
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
        assert client.post(url, {"starts_on": "2026-01-01"}).status_code == 403


@pytest.mark.django_db
class TestApplyTemplate:
    @pytest.fixture
    def setting(self):
        home, other = PropertyFactory(), PropertyFactory()
        water = EquipmentCategoryFactory(code="water-test", name="给排水")
        template = PlanTemplateFactory(category=water, unit=FrequencyUnit.MONTHS, interval=3)
        PlanTemplateItem.objects.create(template=template, position=1, text="阀门无渗漏")
        PlanTemplateItem.objects.create(
            template=template, position=2, text="压力", kind=ChecklistKind.NUMBER, maximum=1
        )
        pumps = [EquipmentFactory(property=home, category=water) for _ in range(3)]
        return {
            "home": home,
            "template": template,
            "pumps": pumps,
            "retired": EquipmentFactory(
                property=home, category=water, status=EquipmentStatus.RETIRED
            ),
            "theirs": EquipmentFactory(property=other, category=water),
            "elsewhere": EquipmentFactory(property=home),  # another category
            "user": supervisor(home),
        }

    def url(self, template):
        return reverse("facilities:plantemplate_apply", args=[template.pk])

    def test_the_choices_are_the_users_equipment_of_the_category(self, client, setting):
        client.force_login(setting["user"])
        page = client.get(self.url(setting["template"]))
        assert page.status_code == HTTPStatus.OK
        offered = set(page.context["form"].fields["equipment"].queryset)
        assert offered == set(setting["pumps"])
        assert page.context["form"].initial["starts_on"] == timezone.localdate()

    def test_plans_are_created_for_the_chosen_equipment_only_once(self, client, setting):
        client.force_login(setting["user"])
        template, pumps = setting["template"], setting["pumps"]
        chosen = pumps[:2]
        first = timezone.localdate() + datetime.timedelta(days=7)
        response = client.post(
            self.url(template),
            {"equipment": [e.pk for e in chosen], "starts_on": first.isoformat()},
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert response.url == template.get_absolute_url()
        plans = MaintenancePlan.objects.filter(template=template)
        assert {p.equipment for p in plans} == set(chosen)
        for plan in plans:
            assert plan.next_due == plan.starts_on == first
            assert (plan.unit, plan.interval) == ("months", 3)
            assert [i.text for i in plan.items.all()] == ["阀门无渗漏", "压力"]
        # Again, with one already planned: refused as a choice no longer offered.
        again = client.post(
            self.url(template),
            {"equipment": [chosen[0].pk, pumps[2].pk], "starts_on": first.isoformat()},
        )
        assert again.status_code == HTTPStatus.OK
        assert "equipment" in again.context["form"].errors
        assert MaintenancePlan.objects.filter(template=template).count() == 2
        # The one left alone is still offered, the planned ones are not.
        assert set(again.context["form"].fields["equipment"].queryset) == {pumps[2]}

    def test_equipment_not_offered_is_refused(self, client, setting):
        client.force_login(setting["user"])
        template = setting["template"]
        for key in ("theirs", "retired", "elsewhere"):
            response = client.post(
                self.url(template),
                {"equipment": [setting[key].pk], "starts_on": "2026-04-01"},
            )
            assert response.status_code == HTTPStatus.OK, key
            assert "equipment" in response.context["form"].errors, key
        assert not MaintenancePlan.objects.filter(template=template).exists()

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"equipment": "abc", "starts_on": "2026-04-01"},
            {"equipment": "-1", "starts_on": "never"},
            {"starts_on": "2026-02-30"},
        ],
    )
    def test_junk_is_a_form_error(self, client, setting, data):
        client.force_login(setting["user"])
        response = client.post(self.url(setting["template"]), data)
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not MaintenancePlan.objects.exists()

    def test_an_id_beyond_64_bits_is_a_form_error(self, client, setting):
        client.force_login(setting["user"])
        response = client.post(
            self.url(setting["template"]),
            {"equipment": "99999999999999999999", "starts_on": "2026-04-01"},
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors

    def test_an_inactive_template_makes_no_plans(self, client, setting):
        client.force_login(setting["user"])
        template = setting["template"]
        template.active = False
        template.save()
        assert "plantemplate_apply" not in client.get(template.get_absolute_url()).content.decode()
        client.post(
            self.url(template),
            {"equipment": [setting["pumps"][0].pk], "starts_on": "2026-04-01"},
        )
        assert not MaintenancePlan.objects.filter(template=template).exists()

    def test_an_unknown_template_is_a_404(self, client, setting):
        client.force_login(setting["user"])
        url = reverse("facilities:plantemplate_apply", args=[999999])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    def test_an_anonymous_user_is_sent_to_log_in(self, client, setting):
        response = client.get(self.url(setting["template"]))
        assert response.status_code == HTTPStatus.FOUND
        assert "/accounts/login/" in response["Location"]


# --- plans -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestMaintenancePlanPages:
    def test_the_formset_prefix_is_items(self, client):
        client.force_login(supervisor(PropertyFactory()))
        page = client.get(reverse("facilities:maintenanceplan_add"))
        assert page.status_code == HTTPStatus.OK
        assert page.context["lines"].prefix == "items"
        assert 'name="items-TOTAL_FORMS"' in page.content.decode()

    def test_a_new_plan_takes_its_first_date_and_its_checklist(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        pump = EquipmentFactory(property=home)
        response = client.post(
            reverse("facilities:maintenanceplan_add"),
            {
                "equipment": pump.pk,
                "title": "水泵保养",
                "unit": "weeks",
                "interval": "2",
                "mode": "floating",
                "lead_days": "2",
                "starts_on": "2026-05-04",
                "estimated_hours": "1.5",
                **lines(
                    "items",
                    {
                        "position": "1",
                        "text": "轴承温度",
                        "kind": "number",
                        "maximum": "70",
                        "unit": "℃",
                    },
                    {"position": "0", "text": "", "kind": "check"},  # an untouched extra row
                ),
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan = MaintenancePlan.objects.get(equipment=pump)
        # First due in the past: the plan counts on from today rather than opening months
        # of back-dated orders (every 2 weeks from Monday 4 May 2026).
        today = timezone.localdate()
        assert plan.starts_on == datetime.date(2026, 5, 4)
        assert today <= plan.next_due < today + datetime.timedelta(days=14)
        assert (plan.next_due - plan.starts_on).days % 14 == 0
        assert [(i.text, i.maximum) for i in plan.items.all()] == [("轴承温度", 70)]

    def test_a_new_plan_with_a_template_and_no_lines_copies_its_checklist(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        template = PlanTemplateFactory()
        PlanTemplateItem.objects.create(template=template, position=1, text="外观检查")
        pump = EquipmentFactory(property=home)
        response = client.post(
            reverse("facilities:maintenanceplan_add"),
            {
                "equipment": pump.pk,
                "template": template.pk,
                "title": "按模板",
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "3",
                "starts_on": "2026-05-01",
                **lines("items"),
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan = MaintenancePlan.objects.get(equipment=pump)
        assert plan.template == template
        assert [i.text for i in plan.items.all()] == ["外观检查"]

    def test_checklist_lines_are_changed_and_deleted_with_the_plan(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(equipment__property=home)
        keep = ChecklistItemFactory(plan=plan, position=1, text="旧检查")
        drop = ChecklistItemFactory(plan=plan, position=2, text="删除我")
        response = client.post(
            reverse("facilities:maintenanceplan_edit", args=[plan.pk]),
            {
                "title": plan.title,
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "0",
                "starts_on": plan.starts_on.isoformat(),
                "next_due": plan.next_due.isoformat(),
                **lines(
                    "items",
                    {
                        "id": keep.pk,
                        "plan": plan.pk,
                        "position": "1",
                        "text": "新检查",
                        "kind": "check",
                    },
                    {
                        "id": drop.pk,
                        "plan": plan.pk,
                        "position": "2",
                        "text": drop.text,
                        "kind": "check",
                        "DELETE": "on",
                    },
                    {"position": "3", "text": "加一项", "kind": "text"},
                    initial=2,
                ),
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        assert [i.text for i in plan.items.all()] == ["新检查", "加一项"]

    def test_an_edit_does_not_move_the_plan_to_other_equipment(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(equipment__property=home)
        equipment = plan.equipment
        response = client.post(
            reverse("facilities:maintenanceplan_edit", args=[plan.pk]),
            {
                "equipment": EquipmentFactory(property=home).pk,
                "title": "改名",
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "0",
                "starts_on": plan.starts_on.isoformat(),
                "next_due": plan.next_due.isoformat(),
                **lines("items"),
            },
        )
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan.refresh_from_db()
        assert plan.equipment == equipment and plan.title == "改名"

    def edit(self, client, plan, **change):
        return client.post(
            reverse("facilities:maintenanceplan_edit", args=[plan.pk]),
            {
                "title": plan.title,
                "unit": plan.unit,
                "interval": str(plan.interval),
                "mode": plan.mode,
                "lead_days": str(plan.lead_days),
                "starts_on": plan.starts_on.isoformat(),
                "next_due": plan.next_due.isoformat(),
                **lines("items"),
                **change,
            },
        )

    def test_a_plan_is_switched_off(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(equipment__property=home, template=PlanTemplateFactory())
        response = self.edit(client, plan)  # "active" not sent: unticked
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan.refresh_from_db()
        assert not plan.active

    def test_a_plan_from_a_deactivated_template_can_still_be_edited(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        template = PlanTemplateFactory()
        plan = MaintenancePlanFactory(equipment__property=home, template=template)
        template.active = False
        template.save()
        response = self.edit(client, plan, title="改名")
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan.refresh_from_db()
        assert plan.title == "改名" and plan.template == template

    def test_the_plan_of_retired_equipment_can_still_be_switched_off(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(equipment__property=home)
        plan.equipment.status = EquipmentStatus.RETIRED
        plan.equipment.save()
        response = self.edit(client, plan)
        assert response.status_code == HTTPStatus.FOUND, form_errors(response)
        plan.refresh_from_db()
        assert not plan.active

    def test_an_assignee_of_another_property_is_refused(self, client):
        home, other = PropertyFactory(), PropertyFactory()
        client.force_login(supervisor(home, other))
        response = client.post(
            reverse("facilities:maintenanceplan_add"),
            {
                "equipment": EquipmentFactory(property=home).pk,
                "assignee": EmployeeFactory(property=other).pk,
                "title": "x",
                "unit": "months",
                "interval": "1",
                "mode": "fixed",
                "lead_days": "0",
                "starts_on": "2026-05-01",
                **lines("items"),
            },
        )
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors
        assert not MaintenancePlan.objects.exists()

    @pytest.mark.parametrize(
        "change",
        [
            {"interval": "0"},
            {"interval": "367"},
            {"interval": "-1"},
            {"lead_days": "91"},
            {"lead_days": "99999999999"},
            {"starts_on": "2026-13-01"},
            {"next_due": "2025-01-01"},  # before the first date
            {"estimated_hours": "NaN"},
            {"estimated_hours": "Infinity"},
            {"estimated_hours": "1e30"},
            {"unit": "fortnights"},
            {"mode": "??"},
        ],
    )
    def test_bad_values_are_form_errors(self, client, change):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        data = {
            "equipment": EquipmentFactory(property=home).pk,
            "title": "x",
            "unit": "months",
            "interval": "1",
            "mode": "fixed",
            "lead_days": "0",
            "starts_on": "2026-05-01",
            **lines("items"),
            **change,
        }
        response = client.post(reverse("facilities:maintenanceplan_add"), data)
        assert response.status_code == HTTPStatus.OK
        assert not MaintenancePlan.objects.exists()

    def test_the_plan_page_shows_the_next_dates(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(
            equipment__property=home,
            unit=FrequencyUnit.MONTHS,
            interval=1,
            starts_on=datetime.date(2026, 1, 31),
            next_due=datetime.date(2026, 3, 31),
        )
        ChecklistItemFactory(plan=plan, text="润滑")
        response = client.get(plan.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        expected = [
            datetime.date(2026, 3, 31),
            datetime.date(2026, 4, 30),
            datetime.date(2026, 5, 31),
            datetime.date(2026, 6, 30),
            datetime.date(2026, 7, 31),
            datetime.date(2026, 8, 31),
        ]
        assert response.context["upcoming"] == expected
        body = response.content.decode()
        for day in expected:
            assert date_format(day, "SHORT_DATE_FORMAT") in body
        assert "润滑" in body
        assert response.context["schedule"] == plan.describe_schedule()

    def test_a_floating_plan_projects_its_dates_from_the_next_one(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        # Completed late once: the next date moved off the first date's series.
        plan = MaintenancePlanFactory(
            equipment__property=home,
            mode="floating",
            starts_on=datetime.date(2026, 1, 10),
            next_due=datetime.date(2026, 3, 15),
        )
        response = client.get(plan.get_absolute_url())
        assert response.context["floating"]
        assert response.context["upcoming"][:3] == [
            datetime.date(2026, 3, 15),
            datetime.date(2026, 4, 15),
            datetime.date(2026, 5, 15),
        ]

    def test_an_overdue_plan_says_so(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        past = timezone.localdate() - datetime.timedelta(days=40)
        plan = MaintenancePlanFactory(equipment__property=home, starts_on=past, next_due=past)
        response = client.get(plan.get_absolute_url())
        assert response.context["overdue"]
        assert "alert-danger" in response.content.decode()
        plan.active = False
        plan.save()
        assert not client.get(plan.get_absolute_url()).context["overdue"]

    def test_the_plan_page_lists_its_work_orders(self, client):
        from facilities import services

        home = PropertyFactory()
        user = supervisor(home)
        client.force_login(user)
        plan = MaintenancePlanFactory(equipment__property=home)
        order = services.open_work_order(
            title=plan.title,
            by=user,
            equipment=plan.equipment,
            kind="preventive",
            source="plan",
            plan=plan,
            due_on=plan.next_due,
        )
        response = client.get(plan.get_absolute_url())
        assert order.number in response.content.decode()

    def test_another_propertys_plan_is_a_404(self, client):
        plan = MaintenancePlanFactory()
        client.force_login(supervisor(PropertyFactory()))
        for action in ("detail", "edit", "delete"):
            url = reverse(f"facilities:maintenanceplan_{action}", args=[plan.pk])
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert MaintenancePlan.objects.filter(pk=plan.pk).exists()

    def test_a_guard_gets_no_plans(self, client):
        home = PropertyFactory()
        plan = MaintenancePlanFactory(equipment__property=home)
        client.force_login(UserFactory(groups=["guard"], properties=[home]))
        assert client.get(reverse("facilities:maintenanceplan_list")).status_code == 403
        assert client.get(plan.get_absolute_url()).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.django_db
class TestPlanList:
    def test_the_overdue_filter(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        today = timezone.localdate()
        late = MaintenancePlanFactory(
            equipment__property=home,
            starts_on=today - datetime.timedelta(days=10),
            next_due=today - datetime.timedelta(days=1),
        )
        soon = MaintenancePlanFactory(
            equipment__property=home, starts_on=today, next_due=today + datetime.timedelta(days=5)
        )
        url = reverse("facilities:maintenanceplan_list")
        overdue = client.get(url, {"overdue": "true"})
        assert [r.record for r in overdue.context["table"].page.object_list] == [late]
        not_overdue = client.get(url, {"overdue": "false"})
        assert [r.record for r in not_overdue.context["table"].page.object_list] == [soon]

    @pytest.mark.parametrize(
        "query",
        [
            {"overdue": "maybe", "page": "-1"},
            {"unit": "zzz", "mode": "??", "active": "perhaps"},
            {"property": "abc", "category": "99999999999999999999", "assignee": "-3"},
            {"contractor": "x", "sort": "-nothing", "per_page": "100000"},
            {"q": "\x00" * 3},
            {"page": "99999"},
        ],
    )
    def test_junk_filters_are_never_a_500(self, client, query):
        home = PropertyFactory()
        MaintenancePlanFactory(equipment__property=home)
        client.force_login(supervisor(home))
        response = client.get(reverse("facilities:maintenanceplan_list"), query)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)

    def test_the_query_count_does_not_grow_with_rows(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        contractor = SupplierFactory()

        def add(count):
            for n in range(count):
                if n % 3 == 0:
                    MaintenancePlanFactory(
                        equipment__property=home, assignee=EmployeeFactory(property=home)
                    )
                elif n % 3 == 1:
                    MaintenancePlanFactory(equipment__property=home, contractor=contractor)
                else:
                    MaintenancePlanFactory(
                        equipment__property=home,
                        unit=FrequencyUnit.WEEKDAYS,
                        weekdays=0b101,
                    )

        url = reverse("facilities:maintenanceplan_list")
        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(url).context["table"].page.object_list) == 3
        add(12)
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(url).context["table"].page.object_list) == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

    def test_the_template_list_query_count_does_not_grow_with_rows(self, client):
        client.force_login(supervisor(PropertyFactory()))
        url = reverse("facilities:plantemplate_list")
        for _ in range(3):
            PlanTemplateFactory()
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for _ in range(12):
            PlanTemplateFactory(category=EquipmentCategoryFactory(code=f"c{_}"))
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

    def test_the_plan_page_query_count_does_not_grow_with_its_checklist(self, client):
        home = PropertyFactory()
        client.force_login(supervisor(home))
        plan = MaintenancePlanFactory(equipment__property=home)
        for _ in range(3):
            ChecklistItemFactory(plan=plan)
        client.get(plan.get_absolute_url())
        with CaptureQueriesContext(connection) as few:
            client.get(plan.get_absolute_url())
        for _ in range(12):
            ChecklistItemFactory(plan=plan, kind=ChecklistKind.NUMBER, minimum=1, maximum=2)
        with CaptureQueriesContext(connection) as many:
            client.get(plan.get_absolute_url())
        assert ChecklistItem.objects.filter(plan=plan).count() == 15
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
