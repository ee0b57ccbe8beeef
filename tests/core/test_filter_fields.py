"""A filter's field as the list page renders it: every control has a name for assistive
technology, the two halves of a date range included."""

import pytest
from django.utils import translation

from core.filters import render_filter_field
from staff.filters import ShiftFilter

pytestmark = pytest.mark.django_db


def test_each_half_of_a_date_range_is_named_and_the_label_points_at_the_first():
    html = render_filter_field(ShiftFilter(data={}).form["date"])
    assert '<label for="id_date_0" class="form-label">Date</label>' in html
    assert 'aria-label="Date, from"' in html and 'id="id_date_0"' in html
    assert 'aria-label="Date, to"' in html and 'id="id_date_1"' in html
    with translation.override("zh-hans"):
        html = render_filter_field(ShiftFilter(data={}).form["date"])
    assert 'aria-label="日期（起）"' in html and 'aria-label="日期（止）"' in html


def test_a_plain_filter_keeps_its_label():
    html = render_filter_field(ShiftFilter(data={}).form["shift_type"])
    assert '<label for="id_shift_type" class="form-label">' in html
