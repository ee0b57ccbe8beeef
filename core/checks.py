"""System checks that keep scoping closed: a model that does not say how it is scoped, or
says it wrongly, stops ``manage.py check``, ``runserver`` and ``migrate``, not a user later.

    houqin.E001  a HouqinModel declares neither property_lookup nor shared_reference
    houqin.E002  it declares both
    houqin.E003  its property_lookup does not lead to core.Property
    houqin.E004  its property_lookup crosses a to-many relation and its QuerySet has no
                 in_properties(ids) (the plain lookup would repeat or drop rows)
    houqin.E005  it holds personal data and its QuerySet has no visible_to(user)
"""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist


def check_scoping(app_configs=None, **kwargs):
    from .models import HouqinModel

    if app_configs is None:
        models = apps.get_models()
    else:
        models = [model for config in app_configs for model in config.get_models()]
    errors = []
    for model in models:
        if issubclass(model, HouqinModel) and not model._meta.proxy:
            errors.extend(scoping_errors(model))
    return errors


def scoping_errors(model):
    """The scoping errors of one concrete HouqinModel (an empty list when it is sound)."""
    lookup = model.property_lookup
    shared = model.shared_reference
    errors = []
    if not lookup and not shared:
        errors.append(
            checks.Error(
                f"{model._meta.label} declares neither property_lookup nor shared_reference.",
                hint=(
                    "Give the ORM path from the record to its core.Property "
                    '(property_lookup = "storeroom__property"), or, for reference data that '
                    "every property shares, shared_reference = True."
                ),
                obj=model,
                id="houqin.E001",
            )
        )
    elif lookup and shared:
        errors.append(
            checks.Error(
                f"{model._meta.label} declares both property_lookup and shared_reference.",
                hint="A record either belongs to a property or is shared by all: keep one.",
                obj=model,
                id="houqin.E002",
            )
        )
    elif lookup:
        errors.extend(_lookup_errors(model, lookup))
    if model.personal_data and not hasattr(model._default_manager.all(), "visible_to"):
        errors.append(
            checks.Error(
                f"{model._meta.label} holds personal data but its QuerySet has no visible_to().",
                hint="Give its QuerySet visible_to(user), the need-to-know rule of its records.",
                obj=model,
                id="houqin.E005",
            )
        )
    return errors


def _lookup_errors(model, lookup):
    from .models import Property

    target, to_many = model, False
    if lookup != "pk":
        for part in lookup.split("__"):
            try:
                field = target._meta.get_field(part)
            except FieldDoesNotExist:
                target = None
                break
            if not field.is_relation:
                target = None
                break
            to_many = to_many or field.many_to_many or field.one_to_many
            target = field.related_model
    if target is not Property:
        return [
            checks.Error(
                f"{model._meta.label}.property_lookup {lookup!r} does not lead to core.Property.",
                obj=model,
                id="houqin.E003",
            )
        ]
    if to_many and not hasattr(model._default_manager.all(), "in_properties"):
        return [
            checks.Error(
                f"{model._meta.label}.property_lookup {lookup!r} crosses a to-many relation.",
                hint="Give its QuerySet in_properties(ids), which scoping then uses.",
                obj=model,
                id="houqin.E004",
            )
        ]
    return []
