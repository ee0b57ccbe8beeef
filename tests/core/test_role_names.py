"""Roles are named by constants; naming a role that does not exist is an error, not an empty
audience or a silently missing group."""

import ast
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from core import roles
from core.roles import (
    DIRECTOR,
    GUARD,
    HR,
    ROLES,
    STORES,
    UnknownRole,
    checked_role_names,
    get_role,
    has_role,
    role_label,
    users_in_roles,
)
from core.scoping import Audience
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = ("core", "staff", "procurement", "facilities", "cleaning", "safety", "liaison", "config")
# Helpers that take role names: a literal name passed to them bypasses the constants.
ROLE_HELPERS = {
    "Audience",
    "get_role",
    "role_label",
    "has_role",
    "users_in_roles",
    "checked_role_names",
}


def test_every_role_has_a_constant_and_every_constant_a_role():
    constants = {
        value for name, value in vars(roles).items() if name.isupper() and isinstance(value, str)
    }
    names = {role.name for role in ROLES}
    assert names <= constants
    assert get_role(HR).name == HR
    assert str(role_label(GUARD)) == "Guard"


@pytest.mark.parametrize(
    "call",
    [
        lambda: get_role("Director"),
        lambda: role_label("security"),
        lambda: checked_role_names(DIRECTOR, "store"),
        lambda: has_role(UserFactory(), "hr_manager"),
        lambda: users_in_roles("janitor"),
        lambda: Audience(STORES, "directors"),
        lambda: UserFactory(groups=["superviser"]),
    ],
    ids=["get_role", "role_label", "checked", "has_role", "users_in_roles", "audience", "factory"],
)
def test_an_unknown_role_name_raises(call):
    with pytest.raises(UnknownRole, match="is not a Houqin role"):
        call()


def test_naming_no_role_at_all_is_an_error_too():
    with pytest.raises(TypeError):
        Audience()


def test_has_role_and_users_in_roles_follow_the_groups():
    property_ = PropertyFactory()
    hr = UserFactory(groups=[HR], properties=[property_])
    guard = UserFactory(groups=[GUARD], properties=[property_])
    assert has_role(hr, HR) and not has_role(hr, GUARD, DIRECTOR)
    assert set(users_in_roles(HR)) == {hr}
    assert set(users_in_roles(HR, GUARD)) == {hr, guard}
    assert [u.pk for u in Audience(HR).for_property(property_.pk)] == [hr.pk]


def test_the_role_admin_lists_groups_an_administrator_added(client):
    Group.objects.create(name="night shift")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/auth/group/")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "night shift" in body and "Logistics director" in body


def _literal_role_calls(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        literal_args = [
            arg for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if name in ROLE_HELPERS and literal_args:
            yield node.lineno, name
        for keyword in node.keywords:
            if keyword.arg and keyword.arg.startswith("groups__name"):
                yield node.lineno, keyword.arg


def test_code_names_roles_only_through_the_constants():
    """No ``Audience("hr")``, ``has_role(user, "director")`` or ``groups__name=`` in the
    apps: a typo there would silently match nobody."""
    root = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(root)}:{line} {name}"
                for line, name in _literal_role_calls(tree)
            ]
    # Only core.roles itself (users_in_roles) filters by group name, after checking the names.
    assert [entry for entry in found if not entry.startswith("core/roles.py:")] == []


def test_every_custom_permission_a_role_grants_exists():
    """A misspelt permission in the role table would grant nothing, silently."""
    from django.contrib.auth.models import Permission

    standard = {"view", "add", "change", "delete"}
    for role in ROLES:
        for app, model, actions in (*role.grants, *role.excludes):
            for action in set(actions) - standard:
                found = Permission.objects.filter(codename=action)
                if app != "*":
                    found = found.filter(content_type__app_label=app)
                if model != "*":
                    found = found.filter(content_type__model=model)
                assert found.exists(), (role.name, app, model, action)
