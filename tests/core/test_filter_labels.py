"""Issue 12: the empty choice of a list filter reads "All" (全部), not "---------"."""

from http import HTTPStatus

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = ("/procurement/requisitions/", "/procurement/counts/", "/staff/employees/")


@pytest.mark.parametrize(("language", "all_label"), [("en", "All"), ("zh-hans", "全部")])
def test_the_empty_choice_of_every_filter_is_all(client, property_a, language, all_label):
    client.force_login(UserFactory(groups=["director"], language=language))
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        labels = [
            str(field.empty_label)
            for field in response.context["filter"].form.fields.values()
            if getattr(field, "empty_label", None) is not None
        ]
        assert labels and set(labels) == {all_label}, url
        page = response.content.decode()
        assert "---------" not in page, url
        assert f'<option value="" selected>{all_label}</option>' in page, url
