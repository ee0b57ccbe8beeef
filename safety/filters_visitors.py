from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ConditionFilter, HouqinFilterSet

from .models import AccessCard, CardStatus, Visitor, VisitorStatus
from .models.visitors import SEE_PHONE


def expected_today():
    return Q(status=VisitorStatus.EXPECTED, expected_at__date=timezone.localdate())


def expiring_soon():
    today = timezone.localdate()
    return Q(status=CardStatus.ACTIVE, expires_on__lte=today + timedelta(days=30))


class VisitorFilter(HouqinFilterSet):
    # The phone is searched only for who may see it: a masked number must not be found by
    # guessing its hidden digits.
    search_fields = ("name", "plate", "badge", "host_name", "purpose")
    expected_today = ConditionFilter(expected_today, label=_("Expected today"))

    class Meta:
        model = Visitor
        fields = ["property", "status", "id_type", "unit"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.has_perm(SEE_PHONE):
            self.search_fields = (*type(self).search_fields, "phone")


class AccessCardFilter(HouqinFilterSet):
    search_fields = ("number", "holder_name", "unit__full_name")
    expiring_soon = ConditionFilter(expiring_soon, label=_("Expiring within 30 days"))

    class Meta:
        model = AccessCard
        fields = ["property", "status", "holder_kind"]
