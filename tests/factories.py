"""Factories for core's models; each app adds its own module under tests/<app>/."""

import factory
from django.contrib.auth.models import Permission

from core.models import Location, LocationKind, Property, PropertyKind, User
from core.roles import checked_role_names


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"物业{n}")
    code = factory.Sequence(lambda n: f"P{n:03d}")
    kind = PropertyKind.RESIDENTIAL
    address = factory.Faker("address", locale="zh_CN")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    property = factory.SubFactory(PropertyFactory)
    kind = LocationKind.BUILDING
    code = factory.Sequence(lambda n: f"L{n:04d}")
    name = factory.Sequence(lambda n: f"{n}号楼")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    password = factory.django.Password("pw")

    @factory.post_generation
    def properties(self, create, extracted, **kwargs):
        if create and extracted:
            self.properties.add(*extracted)

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        """``perms=["core.view_location", ...]`` grants those permissions directly."""
        if create and extracted:
            for perm in extracted:
                app_label, codename = perm.split(".")
                self.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``groups=[DIRECTOR]`` puts the user in those roles (an unknown role name raises)."""
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=checked_role_names(*extracted)))
