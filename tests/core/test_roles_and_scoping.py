import pytest
from django.contrib.auth.models import Group

from core.models import Location
from core.roles import ROLES, sync_roles
from core.scoping import scope_queryset, visible_property_ids
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_after_migrate_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.name for r in ROLES}
    director = UserFactory(groups=["director"])
    assert director.has_perm("core.change_location")
    technician = UserFactory(groups=["technician"])
    assert technician.has_perm("core.view_location")
    assert not technician.has_perm("core.change_location")
    viewer = UserFactory(groups=["viewer"])
    assert viewer.has_perm("core.view_property") and not viewer.has_perm("core.add_property")


def test_syncing_roles_resets_built_in_roles_and_leaves_other_groups_alone():
    guard = Group.objects.get(name="guard")
    extra = (
        Group.objects.get(name="director")
        .permissions.exclude(pk__in=guard.permissions.all())
        .first()
    )
    guard.permissions.add(extra)
    night_shift = Group.objects.create(name="night shift")
    night_shift.permissions.add(extra)
    sync_roles()
    assert extra not in Group.objects.get(name="guard").permissions.all()
    assert extra in night_shift.permissions.all()
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    sync_roles()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


def test_scoping_shows_only_the_users_properties(property_a, property_b):
    mine, theirs = LocationFactory(property=property_a), LocationFactory(property=property_b)
    user = UserFactory(properties=[property_a])
    assert list(scope_queryset(Location.objects.all(), user)) == [mine]
    assert visible_property_ids(user) == {property_a.pk}
    director = UserFactory(groups=["director"])
    assert set(scope_queryset(Location.objects.all(), director)) == {mine, theirs}
    assert visible_property_ids(director) is None


def test_a_user_without_properties_sees_nothing(property_a):
    LocationFactory(property=property_a)
    assert not scope_queryset(Location.objects.all(), UserFactory()).exists()
