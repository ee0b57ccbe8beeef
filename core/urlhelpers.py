from django.urls import path


def crud_urls(prefix, list_view, detail_view, edit_view, delete_view):
    """The five URLs of a model, named ``<model>_list``, ``_add``, ``_detail``, ``_edit``,
    ``_delete``, under ``/<prefix>/`` (DESIGN.md's URL scheme)."""
    name = list_view.model._meta.model_name
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/new/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]


def document_urls(prefix, view_class, name=None):
    """A document's two URLs under ``/<prefix>/``: ``print/`` (the page, for the browser's
    print) and ``pdf/``, named ``<name>_print`` and ``<name>_pdf`` (``name``: the model's
    name by default). ``prefix`` is the record's path, e.g. ``"orders/<int:pk>"``."""
    name = name or view_class.model._meta.model_name
    return [
        path(f"{prefix}/print/", view_class.as_view(), name=f"{name}_print"),
        path(f"{prefix}/pdf/", view_class.as_view(pdf=True), name=f"{name}_pdf"),
    ]
