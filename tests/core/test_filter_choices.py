"""A filter's short pick list is read by one plain query, with the choices django-filter
gives: its "none" choice, the empty one ("All"), then the rows."""

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.filters import HouqinFilterSet, PlainModelChoiceIterator
from core.models import Location, Property

pytestmark = pytest.mark.django_db


class PlaceFilter(HouqinFilterSet):
    property = django_filters.ModelChoiceFilter(
        queryset=Property.objects.order_by("code"), null_label="(none)"
    )

    class Meta:
        model = Location
        fields = ["property"]


def test_the_choices_are_those_django_filter_gives_in_one_query(rf):
    first = Property.objects.create(name="甲", code="P1")
    second = Property.objects.create(name="乙", code="P2")
    field = PlaceFilter(data={}, request=None).form.fields["property"]

    assert field.iterator is PlainModelChoiceIterator
    with CaptureQueriesContext(connection) as queries:
        choices = [(str(value), str(label)) for value, label in field.widget.choices]
    assert choices == [
        ("null", "(none)"),
        ("", "All"),
        (str(first.pk), str(first)),
        (str(second.pk), str(second)),
    ]
    assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
    html = str(PlaceFilter(data={"property": second.pk}).form["property"])
    assert f'<option value="{second.pk}" selected>' in html
