"""The hook registry: declared in each app's hooks.py, found one way, each call isolated."""

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.urls import reverse

from core import registry
from core.dashboard import Stat
from core.registry import (
    AUTOCOMPLETE,
    DASHBOARD,
    DEMO,
    NAV_LINKS,
    REMINDERS,
    collect,
    providers,
    registered,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_declares_its_hooks_in_hooks_py_only():
    declared = {p.app_label for p in registry.registry.providers}
    assert {"core", "staff", "procurement", "facilities"} <= declared
    for provider in registry.registry.providers:
        if provider.kind == NAV_LINKS:
            continue
        if provider.kind == AUTOCOMPLETE:
            # Data, not a function: a source offers a model of the app that declares it.
            assert provider.func.model._meta.app_label == provider.app_label, provider
            continue
        # Each provider lives in its own app (a module of it), declared by that app's hooks.py.
        assert provider.func.__module__.split(".")[0] == provider.app_label, provider
    for app_config in apps.get_app_configs():
        if app_config.name in declared:
            assert importlib.util.find_spec(f"{app_config.name}.hooks") is not None


def test_demo_seeds_run_in_dependency_order():
    order = [p.app_label for p in providers(DEMO)]
    assert order[:4] == ["core", "staff", "procurement", "facilities"]


def test_an_unknown_hook_kind_is_an_error():
    with pytest.raises(ValueError, match="Unknown hook kind"):
        registry.declare("tests", remindrs=[lambda day: []])


def test_a_failing_provider_is_logged_and_the_others_still_count(caplog):
    def broken(day):
        raise RuntimeError("bug in one app")

    def fine(day):
        return ["item"]

    errors = []
    with registered(REMINDERS, broken, fine, app_label="tests"):
        found = collect(REMINDERS, "2026-01-01", app_label="tests", errors=errors)
    assert found == ["item"]
    assert [p.func for p, _exc in errors] == [broken]
    assert "bug in one app" in caplog.text


def test_one_broken_dashboard_figure_does_not_break_the_dashboard(client, property_a):
    def broken(request):
        raise RuntimeError("tile bug")

    def extra(request):
        return [Stat("额外指标", 7)]

    client.force_login(UserFactory(groups=["director"]))
    with registered(DASHBOARD, broken, extra, app_label="staff"):
        response = client.get("/")
        area = client.get("/staff/")
    assert response.status_code == HTTPStatus.OK
    staff_tile = next(t for t in response.context["tiles"] if t["area"].app_label == "staff")
    labels = [str(s.label) for s in staff_tile["stats"]]
    assert "额外指标" in labels and len(labels) > 1  # staff's own figures are still there
    assert area.status_code == HTTPStatus.OK and "额外指标" in area.content.decode()


def test_sidebar_links_come_from_the_declared_nav_links(client):
    client.force_login(UserFactory(groups=["director"]))
    assert f'href="{reverse("core:location_list")}"' in client.get("/").content.decode()
    for area, name in (("facilities", "workorder_list"), ("procurement", "item_list")):
        html = client.get(f"/{area}/").content.decode()
        assert f'href="{reverse(f"{area}:{name}")}"' in html
