"""The shared CRUD checks for every cleaning page."""

import datetime

from django.utils import timezone

from cleaning import services
from cleaning.models import (
    CleaningArea,
    CleaningInspection,
    CleaningStandard,
    CleaningTask,
    Rectification,
)
from tests.crud import CrudViewTests
from tests.factories import LocationFactory, UserFactory
from tests.staff.factories import EmployeeFactory, PostFactory

from .factories import DAY, CleaningAreaFactory, CleaningStandardFactory


def items_formset(*weights):
    data = {
        "items-TOTAL_FORMS": str(len(weights)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, weight in enumerate(weights):
        data.update(
            {
                f"items-{i}-position": str(i + 1),
                f"items-{i}-text": f"项目{i}",
                f"items-{i}-weight": str(weight),
            }
        )
    return data


class TestCleaningAreaViews(CrudViewTests):
    model = CleaningArea

    def make_object(self, property_):
        return CleaningAreaFactory(property=property_)

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "1号楼大堂",
            "location": LocationFactory(property=property_).pk,
            "kind": "lobby",
            "size_m2": "85.5",
            "cleaner": EmployeeFactory(property=property_).pk,
            "team": PostFactory(property=property_).pk,
            "active": "on",
        }


class TestCleaningStandardViews(CrudViewTests):
    model = CleaningStandard

    def make_object(self, property_):
        return CleaningStandardFactory(property=property_)

    def form_data(self, property_):
        return {
            "property": property_.pk,
            "name": "车库每周深度保洁",
            "kind": "garage",
            "unit": "weeks",
            "interval": "1",
            "times": "09:00",
            "window_hours": "4",
            "starts_on": "2026-11-23",
            "pass_mark": "85",
            "sop": "冲洗地面",
            "active": "on",
            **items_formset(60, 40),
        }

    def edit_data(self, obj):
        data = self.form_data(obj.property)
        data["next_due"] = "2026-11-24"
        # The existing items stay (3 of them, adding up to 100).
        for i, item in enumerate(obj.items.all()):
            data.update(
                {
                    f"items-{i}-id": str(item.pk),
                    f"items-{i}-standard": str(obj.pk),
                    f"items-{i}-position": str(item.position),
                    f"items-{i}-text": item.text,
                    f"items-{i}-weight": str(item.weight),
                }
            )
        count = obj.items.count()
        data.update({"items-TOTAL_FORMS": str(count), "items-INITIAL_FORMS": str(count)})
        return data


def make_task(property_):
    area = CleaningAreaFactory(property=property_)
    standard = CleaningStandardFactory(property=property_)
    start = timezone.now() - datetime.timedelta(hours=1)
    return CleaningTask.objects.create(
        area=area,
        standard=standard,
        due_on=timezone.localdate(),
        slot=1,
        window_start=start,
        window_end=start + datetime.timedelta(hours=3),
        assignee=area.cleaner,
    )


class TestCleaningTaskViews(CrudViewTests):
    """Tasks are made by the standards' schedule: list and detail."""

    model = CleaningTask

    def make_object(self, property_):
        return make_task(property_)


def inspection(property_, *, user=None):
    area = CleaningAreaFactory(property=property_)
    CleaningStandardFactory(property=property_)
    return services.start_inspection(
        area=area,
        inspector=EmployeeFactory(property=property_),
        inspected_at=timezone.now(),
        by=user or UserFactory(),
    )


class TestCleaningInspectionViews(CrudViewTests):
    model = CleaningInspection

    def make_object(self, property_):
        return inspection(property_)

    def form_data(self, property_):
        area = CleaningAreaFactory(property=property_)
        CleaningStandardFactory(property=property_)
        return {
            "area": area.pk,
            "inspector": EmployeeFactory(property=property_).pk,
            "inspected_at": "2026-11-23T10:00",
            "note": "例行检查",
        }

    def edit_data(self, obj):
        return {"inspected_at": "2026-11-23T11:00", "note": "改期"}


def failed_inspection(property_):
    found = inspection(property_)
    user = UserFactory()
    answers = list(found.answers.all())
    services.record_scores(
        found,
        {a.pk: {"score": a.weight} for a in answers[1:]} | {answers[0].pk: {"score": 0}},
        {answers[0].pk: {"note": "地面有水渍", "needs": "rectify", "photo": photo()}},
        by=user,
    )
    return services.submit_inspection(found, by=user)


def photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("dirty.jpg", buffer.getvalue(), content_type="image/jpeg")


class TestRectificationViews(CrudViewTests):
    """Rectifications are opened by failed inspections: list, detail and edit."""

    model = Rectification

    def make_object(self, property_):
        return failed_inspection(property_).rectification

    def edit_data(self, obj):
        return {"responsible": obj.responsible_id, "deadline": "2026-11-25T18:00"}


assert DAY  # the factories' day
