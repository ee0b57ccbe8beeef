"""The shared CRUD checks for the staff pages that had none: appraisals, training records,
shifts and KPI templates."""

import datetime

from staff.access import SEE_ALL
from staff.models import Appraisal, Attendance, KPICriterion, KPITemplate, Shift
from tests.crud import CrudViewTests

from .factories import (
    AppraisalCycleFactory,
    EmployeeFactory,
    KPITemplateFactory,
    PositionFactory,
    PostFactory,
    ShiftTypeFactory,
    TrainingSessionFactory,
)


class TestAppraisalViews(CrudViewTests):
    """Appraisals are opened by a cycle, not created on a form: list, detail and delete."""

    model = Appraisal
    user_perms = (SEE_ALL,)

    def make_object(self, property_):
        return Appraisal.objects.create(
            cycle=AppraisalCycleFactory(property=property_),
            employee=EmployeeFactory(property=property_),
        )


class TestAttendanceViews(CrudViewTests):
    """Training records: a list (and its export) of who took which course."""

    model = Attendance
    user_perms = (SEE_ALL,)

    def make_object(self, property_):
        return Attendance.objects.create(
            session=TrainingSessionFactory(property=property_, capacity=50),
            employee=EmployeeFactory(property=property_),
        )


class TestShiftViews(CrudViewTests):
    model = Shift

    def make_object(self, property_):
        shift = Shift(
            employee=EmployeeFactory(property=property_),
            post=PostFactory(property=property_),
            shift_type=ShiftTypeFactory(),
            date=datetime.date(2026, 11, 2),
        )
        shift.set_span()
        shift.save()
        return shift

    def form_data(self, property_):
        return {
            "employee": EmployeeFactory(property=property_).pk,
            "post": PostFactory(property=property_).pk,
            "shift_type": ShiftTypeFactory().pk,
            "date": "2026-11-03",
        }

    def edit_data(self, obj):
        return {
            "employee": obj.employee_id,
            "post": obj.post_id,
            "shift_type": obj.shift_type_id,
            "date": "2026-11-04",
        }


def criteria(*rows, initial=0):
    """The POST of a template's criteria: the formset's management form and its rows."""
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"criteria-{index}-{name}": value for name, value in row.items()})
    return data


class TestKPITemplateViews(CrudViewTests):
    model = KPITemplate
    factory = KPITemplateFactory
    scoped = False
    creates_in_property = False

    def make_object(self, property_):
        return KPITemplateFactory()

    def form_data(self, property_):
        return {
            "position": PositionFactory().pk,
            "note": "季度考核",
            **criteria(
                {"name": "工作质量", "weight": "70", "order": "1"},
                {"name": "出勤", "weight": "30", "order": "2"},
            ),
        }

    def edit_data(self, obj):
        rows = [
            {"id": c.pk, "template": obj.pk, "name": c.name, "weight": "50", "order": c.order}
            for c in KPICriterion.objects.filter(template=obj).order_by("order")
        ]
        return {"position": obj.position_id, "note": "改", **criteria(*rows, initial=len(rows))}
