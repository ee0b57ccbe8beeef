import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safety.models import CorrectiveAction, Hazard, Incident
from tests.factories import LocationFactory, PropertyFactory
from tests.staff.factories import EmployeeFactory


def photo(name="after.jpg"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hazard

    property = factory.SubFactory(PropertyFactory)
    location = factory.SubFactory(LocationFactory, property=factory.SelfAttribute("..property"))
    category = "fire"
    grade = "general"
    level = "yellow"
    description = factory.Sequence(lambda n: f"消防通道堆放杂物{n}")
    owner = factory.SubFactory(EmployeeFactory, property=factory.SelfAttribute("..property"))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    property = factory.SubFactory(PropertyFactory)
    kind = "water"
    severity = "minor"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    reported_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    description = factory.Sequence(lambda n: f"地下车库漏水{n}")


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveAction

    incident = factory.SubFactory(IncidentFactory)
    description = factory.Sequence(lambda n: f"更换老化水管{n}")
    owner = factory.SubFactory(
        EmployeeFactory, property=factory.SelfAttribute("..incident.property")
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
