import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.demo import USERS
from core.models import Location, Property, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Property.objects.count(),
        Location.objects.count(),
        User.objects.count(),
        sum(u.groups.count() + u.properties.count() for u in User.objects.all()),
    )


def test_seed_demo_runs_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first[0] == 2 and first[1] > 50
    for username, *_rest in USERS:
        user = User.objects.get(username=username)
        assert user.check_password("demo") and user.email and user.groups.exists()
    director = User.objects.get(username="director")
    assert director.properties.count() == 2
    assert User.objects.get(username="guard").properties.get().code == "HMC"


@pytest.mark.slow
def test_seed_demo_scales(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    base = Location.objects.count()
    call_command("seed_demo", "--scale", "2")
    assert Location.objects.count() > base * 1.5


def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert Property.objects.count() == 2


def test_if_empty_leaves_an_existing_database_alone(settings, property_a):
    settings.DEBUG = True
    call_command("seed_demo", "--if-empty")
    assert list(Property.objects.all()) == [property_a]


@pytest.mark.slow
def test_seed_demo_at_scale_5(settings):
    """Benchmarks seed larger demos: every part must fit its own limits (a training session
    once took more guards than it holds)."""
    from staff.models import Attendance, Employee, TrainingSession

    settings.DEBUG = True
    call_command("seed_demo", "--scale", "5")
    assert Employee.objects.count() > 150
    for session in TrainingSession.objects.all():
        assert Attendance.objects.filter(session=session).count() <= session.capacity
