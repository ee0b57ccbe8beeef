"""What every Houqin view is made of: a declared permission and property scoping."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from ..navigation import AREAS_BY_APP
from ..scoping import visible_records

# Declares a view open to any signed-in user (the dashboard, for instance).
AUTHENTICATED = "__authenticated__"
ACTION_PERMISSIONS = {
    "list": "view",
    "view": "view",
    "add": "add",
    "change": "change",
    "delete": "delete",
}


class PermissionMixin(PermissionRequiredMixin):
    """Every Houqin view declares ``permission_required`` (or ``AUTHENTICATED``).

    Object views derive it from ``model`` and their action. A signed-in user without the
    permission gets 403; an anonymous one never gets here (LoginRequiredMiddleware).
    """

    permission_required = None

    def get_permission_required(self):
        if self.permission_required == AUTHENTICATED:
            return ()
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare permission_required.")
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return tuple(self.permission_required)

    def has_permission(self):
        return self.request.user.is_authenticated and super().has_permission()


def query_id(request, name):
    """The id named ``name`` in the query string, or None when it is not one (a link typed
    or mangled by hand: "²", "abc", twenty digits)."""
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def model_url(model, action, *args):
    """The URL of a model's list/add (no args) or detail/edit/delete page, or None."""
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_{action}", args=args)
    except NoReverseMatch:
        return None


class ObjectMixin(PermissionMixin):
    """A view of one model: the permission follows from the action, records are scoped
    (``core.scoping.visible_records``)."""

    model = None
    action = None  # "view", "add", "change" or "delete"

    def get_permission_required(self):
        if self.permission_required is not None:
            return super().get_permission_required()
        opts = self.model._meta
        return (f"{opts.app_label}.{self.get_action()}_{opts.model_name}",)

    def get_action(self):
        return self.action

    def get_queryset(self):
        """The user's properties' records; for personal data, only those they need to know
        (so another property's record, or another department's appraisal, is a 404)."""
        return visible_records(super().get_queryset(), self.request.user)

    def user_can(self, action):
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def get_breadcrumbs(self):
        opts = self.model._meta
        crumbs = []
        area = AREAS_BY_APP.get(opts.app_label)
        if area:
            crumbs.append((area.label, area.url))
        crumbs.append((capfirst(opts.verbose_name_plural), model_url(self.model, "list")))
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk:
            crumbs.append((str(obj), obj.get_absolute_url()))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context.update(
            opts=opts,
            breadcrumbs=self.get_breadcrumbs(),
            list_url=model_url(self.model, "list"),
            add_url=model_url(self.model, "add") if self.user_can("add") else None,
            can_change=self.user_can("change"),
            can_delete=self.user_can("delete"),
        )
        return context
