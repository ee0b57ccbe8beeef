"""Numbers as people read them, in both languages: quantities without trailing zeros, money
as ¥ with two decimals, both grouped by thousands; lists joined as the language lists; one
date and one date-and-time format per language."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core.numbers import format_money, format_quantity, join_list
from core.tables import MoneyColumn, QuantityColumn
from procurement.tables import StockBalanceTable

LANGUAGES = ["en", "zh-hans"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("16.000"), "16"),
        (Decimal("2.500"), "2.5"),
        (Decimal("0.125"), "0.125"),
        (Decimal("12345.500"), "12,345.5"),
        (Decimal("783774"), "783,774"),
        (Decimal("-1200.000"), "-1,200"),
        (Decimal("1E+3"), "1,000"),
        (2.5, "2.5"),
        (7, "7"),
        (None, "—"),
        ("", "—"),
        ("n/a", "n/a"),
    ],
)
def test_quantity(language, value, expected):
    with translation.override(language):
        assert format_quantity(value) == expected
        rendered = Template("{% load houqin %}{{ v|quantity }}").render(Context({"v": value}))
        assert rendered == expected


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("115470"), "¥115,470.00"),
        (Decimal("370"), "¥370.00"),
        (Decimal("0.5"), "¥0.50"),
        (Decimal("1234567.891"), "¥1,234,567.89"),
        (Decimal("-1005.5"), "-¥1,005.50"),
        (Decimal("-0.001"), "¥0.00"),
        (None, "—"),
    ],
)
def test_money(language, value, expected):
    with translation.override(language):
        assert format_money(value) == expected
        rendered = Template("{% load houqin %}{{ v|money }}").render(Context({"v": value}))
        assert rendered == expected


def test_counts_in_templates_are_grouped_in_both_languages():
    for language in LANGUAGES:
        with translation.override(language):
            assert Template("{{ n }}").render(Context({"n": 783774})) == "783,774"


def test_lists_are_joined_as_the_language_lists():
    with translation.override("en"):
        assert join_list(["pump", "lift", "gate"]) == "pump, lift, gate"
        assert (
            Template("{% load houqin %}{{ v|join_list }}").render(Context({"v": ["a", "b"]}))
            == "a, b"
        )
    with translation.override("zh-hans"):
        assert join_list(["水泵", "电梯", "道闸"]) == "水泵、电梯、道闸"


def test_one_date_and_one_date_time_format_per_language():
    day = datetime.date(2026, 12, 7)
    moment = datetime.datetime(2026, 12, 7, 14, 5)
    expected = {
        "en": ("7 Dec 2026", "7 Dec 2026, 14:05"),
        "zh-hans": ("2026年12月7日", "2026年12月7日 14:05"),
    }
    for language, (date_text, moment_text) in expected.items():
        with translation.override(language):
            for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
                assert formats.date_format(day, name) == date_text
            for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
                assert formats.date_format(moment, name) == moment_text
            assert Template("{{ d }}").render(Context({"d": day})) == date_text
            # What a browser's date field sends is still read.
            assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


def test_decimal_model_fields_become_quantity_and_money_columns():
    columns = StockBalanceTable.base_columns
    assert isinstance(columns["quantity"], QuantityColumn)
    assert isinstance(columns["value"], MoneyColumn)
    assert isinstance(columns["average"], MoneyColumn)
    assert columns["quantity"].attrs["td"]["class"] == "text-end"
    # Headers start with a capital, whether the model or the column names them.
    with translation.override("en"):
        assert str(columns["average"].verbose_name) == "Average cost"


@pytest.mark.django_db
def test_list_cells_show_quantities_and_money_and_exports_keep_numbers(client):
    from procurement.models import StockBalance
    from tests.factories import UserFactory
    from tests.procurement.factories import ItemFactory, StoreroomFactory

    room = StoreroomFactory()
    item = ItemFactory()
    StockBalance.objects.create(
        item=item, storeroom=room, quantity=Decimal("1600.500"), value=Decimal("115470")
    )
    user = UserFactory(groups=["director"], properties=[room.property], language="en")
    client.force_login(user)
    html = client.get("/procurement/stock/").content.decode()
    assert "1,600.5" in html and "¥115,470.00" in html and "1600.500" not in html
    table = StockBalanceTable(StockBalance.objects.all())
    _header, row = list(table.as_values())
    assert Decimal("1600.500") in row and Decimal("115470.00") in row
