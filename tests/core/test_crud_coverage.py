"""Every model with pages built by core's generic views has its shared CRUD test, so no list
or detail page escapes the checks of permission (403) and scoping (404)."""

import pkgutil
from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from tests.crud import CrudViewTests

GENERIC_VIEWS = (ObjectListView, ObjectDetailView, ObjectEditView, ObjectDeleteView)
CRUD_SUFFIXES = ("_list", "_detail", "_add", "_create", "_edit", "_delete")


def _patterns(resolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def models_with_crud_pages():
    """model → the URL names of its generic list/detail/add/edit/delete pages."""
    found = {}
    for pattern in _patterns(get_resolver()):
        view = getattr(pattern.callback, "view_class", None)
        if (
            pattern.name
            and pattern.name.endswith(CRUD_SUFFIXES)
            and view is not None
            and issubclass(view, GENERIC_VIEWS)
        ):
            found.setdefault(view.model, []).append(pattern.name)
    return found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def models_with_crud_tests():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and ".browser" not in module.name:
            import_module(module.name)
    return {cls.model for cls in _subclasses(CrudViewTests) if cls.model is not None}


def test_the_walk_finds_the_apps_crud_pages():
    from core.models import Location
    from staff.models import Appraisal, Employee

    pages = models_with_crud_pages()
    assert {Location, Employee, Appraisal} <= set(pages)
    assert "location_edit" in pages[Location]


def test_every_model_with_crud_pages_has_its_crud_view_tests():
    tested = models_with_crud_tests()
    missing = sorted(
        f"{model._meta.label} ({', '.join(names)})"
        for model, names in models_with_crud_pages().items()
        if model not in tested
    )
    assert missing == [], "add a CrudViewTests subclass for: " + "; ".join(missing)
