import datetime

import factory
from django.utils import timezone

from safety.models import AccessCard, HolderKind, IdType, Visitor, VisitorStatus
from tests.factories import PropertyFactory


class VisitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visitor

    property = factory.SubFactory(PropertyFactory)
    name = factory.Sequence(lambda n: f"访客{n}")
    phone = "13812345678"
    host_name = "王先生"
    purpose = "送快递"
    id_type = IdType.RESIDENT_ID
    id_last_four = "123X"
    plate = "沪A12345"
    badge = factory.Sequence(lambda n: f"V{n:03d}")
    status = VisitorStatus.EXPECTED
    expected_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=2))


class AccessCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessCard

    property = factory.SubFactory(PropertyFactory)
    number = factory.Sequence(lambda n: f"C{n:05d}")
    holder_name = factory.Sequence(lambda n: f"业主{n}")
    holder_kind = HolderKind.OWNER
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
