"""Issue 12: the calendar's and the facilities figures' filters look like every list's
(label, Bootstrap control, "All" for no choice), in both languages."""

import re
from http import HTTPStatus

import pytest

from core.roles import DIRECTOR
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


def filter_form(client, url, form_id):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    match = re.search(rf'<form [^>]*id="{form_id}".*?</form>', page, re.S)
    assert match, form_id
    return match.group(0)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Property", "Area", "All properties", "All areas", "Filter")),
        ("zh-hans", ("物业项目", "业务板块", "全部物业项目", "全部业务板块", "筛选")),
    ],
)
def test_the_calendar_filter_is_styled(client, language, words):
    PropertyFactory()
    client.force_login(UserFactory(groups=[DIRECTOR], language=language))
    form = filter_form(client, "/calendar/?view=week", "calendar-filter")
    assert form.count('class="form-select"') == 2
    assert '<label for="id_property" class="form-label">' in form
    assert '<label for="id_area" class="form-label">' in form
    assert "card" in form.split(">", 1)[0]
    for word in words:
        assert word in form, word
    assert 'name="view" value="week"' in form  # the view chosen is kept


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Period", "Property", "Category", ">All<", "Last 12 months")),
        ("zh-hans", ("时间范围", "物业项目", "类别", ">全部<", "近 12 个月")),
    ],
)
def test_the_figures_filter_is_styled(client, language, words):
    PropertyFactory()
    client.force_login(UserFactory(groups=[DIRECTOR], language=language))
    for url in ("/facilities/figures/", "/facilities/figures/?category="):
        form = filter_form(client, url, "figures-filter")
        assert form.count('class="form-select"') == 3
        for name in ("months", "property", "category"):
            assert f'<label for="id_{name}" class="form-label">' in form
        assert "---------" not in form
        for word in words:
            assert word in form, word
        # Twelve months are shown, and chosen, when no period is asked for.
        assert '<option value="12" selected>' in form
