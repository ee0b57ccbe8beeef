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
