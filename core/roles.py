"""Roles are Django groups with model permissions, kept in step with this table after migrate.

A grant names an app (or ``*`` for every duty area), a model (or ``*``) and actions. Grants
use patterns so that a model added by a later issue is covered without editing this file;
a role that needs finer rights gets a model-specific line.

The code is the truth for the built-in roles: after every migrate each one holds exactly the
permissions of its grants, so narrowing a grant here takes effect everywhere. To give some
people more, an administrator creates an extra group in Django admin (those are left alone).

Code names a role only through the constants below, and every helper that takes a role name
(``get_role``, ``role_label``, ``has_role``, ``users_in_roles``, ``core.scoping.Audience``) raises
``UnknownRole`` for a name that is not in the table: a typo is an error, never an empty list.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DIRECTOR = "director"
FACILITIES_SUPERVISOR = "facilities_supervisor"
TECHNICIAN = "technician"
STORES = "stores"
CLEANING_SUPERVISOR = "cleaning_supervisor"
CLEANER = "cleaner"
SECURITY_SUPERVISOR = "security_supervisor"
GUARD = "guard"
HR = "hr"
CUSTOMER_SERVICE = "customer_service"
VIEWER = "viewer"
AREA_APPS = ("staff", "procurement", "facilities", "cleaning", "safety", "liaison")
ALL = ("view", "add", "change", "delete")
VIEW = ("view",)
# core's shared reference data; users and digests stay with administrators.
REFERENCE = (("core", "property"), ("core", "location"))
# What every supervisor does for their own team in the staff area: roster it, record
# commendations and disciplinary notes, interview and review appraisals.
SUPERVISOR_STAFF = (
    ("staff", "*", VIEW),
    # Supervisors ask the stores for what their team needs (请购), and watch their budgets.
    ("procurement", "requisition", ("view", "add", "change")),
    ("procurement", "item", VIEW),
    ("procurement", "budget", VIEW),
    ("staff", "shift", ALL),
    ("staff", "post", ("view", "add", "change")),
    ("staff", "employeenote", ("view", "add", "change")),
    ("staff", "interview", ("view", "add", "change")),
    # Need-to-know (staff.access): their own department's staff records, not everyone's.
    ("staff", "employee", ("view_team_staff_records",)),
)
# Whoever walks the buildings reports what is broken (from the equipment's QR label).
FAULT_REPORTING = (
    ("facilities", "equipment", VIEW),
    ("facilities", "workorder", ("report_fault",)),
)
WORK_ORDER_ACTIONS = ("work_on_workorder", "verify_workorder", "report_fault")


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    grants: tuple[tuple[str, str, tuple[str, ...]], ...]
    # Taken back out of the grants (same form): "all of procurement but changing budgets".
    excludes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # Where the role's work is: the page its people land on after login (a URL name).
    # Office roles oversee from the dashboard; those on the floor start from My work.
    home: str = "core:dashboard"


def _reference(actions):
    return tuple((app, model, actions) for app, model in REFERENCE)


ROLES = (
    Role(
        DIRECTOR,
        _("Logistics director"),
        (
            ("*", "*", ALL),
            *_reference(ALL),
            ("core", "digest", VIEW),
            ("procurement", "purchaseplan", ("approve_purchaseplan",)),
            ("procurement", "requisition", ("approve_requisition", "approve_large_requisition")),
            ("procurement", "stockcount", ("approve_stockcount",)),
            ("facilities", "workorder", WORK_ORDER_ACTIONS),
            ("cleaning", "rectification", ("rectify_rectification",)),
            ("staff", "employee", ("view_all_staff_records",)),
            ("safety", "visitor", ("view_visitor_phone",)),
        ),
    ),
    Role(
        FACILITIES_SUPERVISOR,
        _("Facilities supervisor"),
        (
            ("facilities", "*", ALL),
            ("facilities", "workorder", WORK_ORDER_ACTIONS),
            ("procurement", "*", VIEW),
            *SUPERVISOR_STAFF,
            ("core", "location", ALL),
            ("core", "property", VIEW),
        ),
    ),
    Role(
        TECHNICIAN,
        _("Technician"),
        (
            ("facilities", "*", VIEW),
            # A technician carries out orders (checklists, parts, photos, notes), reports
            # faults and records downtime; verifying and planning stay with the supervisor.
            ("facilities", "workorder", ("work_on_workorder", "report_fault")),
            ("facilities", "downtime", ("view", "add", "change")),
            ("facilities", "inspectionround", ("view", "change")),
            *_reference(VIEW),
        ),
        home="core:my_work",
    ),
    Role(
        STORES,
        _("Stores & procurement"),
        (
            ("procurement", "*", ALL),
            ("procurement", "requisition", ("approve_requisition",)),
            *_reference(VIEW),
        ),
        # Budgets are the director's: whoever approves requisitions against them does not
        # set them.
        excludes=(("procurement", "budget", ("add", "change", "delete")),),
    ),
    Role(
        CLEANING_SUPERVISOR,
        _("Cleaning supervisor"),
        (
            ("cleaning", "*", ALL),
            ("cleaning", "rectification", ("rectify_rectification",)),
            # Haulers are suppliers; greening materials come from the stores.
            ("procurement", "supplier", VIEW),
            ("procurement", "storeroom", VIEW),
            *SUPERVISOR_STAFF,
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
    ),
    Role(
        CLEANER,
        _("Cleaner"),
        (
            ("cleaning", "*", VIEW),
            # A cleaner ticks off their tasks and marks their rectifications done; standards,
            # inspections and deadlines stay with the supervisor.
            ("cleaning", "cleaningtask", ("change",)),
            ("cleaning", "rectification", ("rectify_rectification",)),
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
        home="core:my_work",
    ),
    Role(
        SECURITY_SUPERVISOR,
        _("Security supervisor"),
        (
            ("safety", "*", ALL),
            ("safety", "visitor", ("view_visitor_phone",)),
            *SUPERVISOR_STAFF,
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
    ),
    Role(
        GUARD,
        _("Guard"),
        (
            ("safety", "*", VIEW),
            # At the gate a guard registers visitors and signs them in and out.
            ("safety", "visitor", ("add", "change")),
            # A guard records the scans of their patrol rounds; routes stay with the supervisor.
            ("safety", "scan", ("add",)),
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
    ),
    Role(
        HR,
        _("HR"),
        (
            ("staff", "*", ALL),
            ("staff", "employee", ("reveal_id_number", "view_all_staff_records")),
            *_reference(VIEW),
        ),
    ),
    Role(
        CUSTOMER_SERVICE,
        _("Customer service"),
        (("liaison", "*", ALL), *FAULT_REPORTING, *_reference(VIEW)),
    ),
    Role(VIEWER, _("Viewer"), (("*", "*", VIEW), *_reference(VIEW))),
)
ROLES_BY_NAME = {role.name: role for role in ROLES}


class UnknownRole(LookupError):
    """Code named a role that the table above does not define."""


def get_role(name: str) -> Role:
    """The built-in role called ``name``; ``UnknownRole`` if there is none."""
    try:
        return ROLES_BY_NAME[name]
    except (KeyError, TypeError):
        raise UnknownRole(
            f"{name!r} is not a Houqin role; the roles are: {', '.join(ROLES_BY_NAME)}."
        ) from None


def checked_role_names(*names: str) -> tuple[str, ...]:
    """``names``, each checked to be a built-in role (at least one)."""
    if not names:
        raise TypeError("Name at least one role.")
    return tuple(get_role(name).name for name in names)


def is_role(name: str) -> bool:
    """Whether a group is one of the built-in roles (administrators may add other groups)."""
    return name in ROLES_BY_NAME


def has_role(user, *names: str) -> bool:
    """Whether ``user`` holds one of these roles (each name must be a built-in role)."""
    wanted = checked_role_names(*names)
    return user.is_authenticated and not role_names(user).isdisjoint(wanted)


def users_in_roles(*names: str):
    """The users who hold one of these roles (each name must be a built-in role)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name__in=checked_role_names(*names))


def role_names(user) -> frozenset[str]:
    """The user's role (group) names: from the shared cache, once per request
    (core/authcache.py)."""
    if not user.is_authenticated:
        return frozenset()
    from .authcache import load

    return load(user)[1]


def permission_names(user) -> frozenset[str]:
    """The user's permissions ("app_label.codename"), once per request from the shared cache
    (core/authcache.py): the sidebar asks about a hundred of them, and ``has_perm`` walks
    every backend for each."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    from .authcache import load

    return load(user)[0]


def can_open_area(user, app_label: str) -> bool:
    """A duty area is open to a user whose role covers it, or who holds any permission in it
    (granted in admin); superusers open every area."""
    if not user.is_authenticated:
        return False
    if user.is_active and user.is_superuser:
        return True
    apps = getattr(user, "_houqin_permission_apps", None)
    if apps is None:
        apps = frozenset(name.partition(".")[0] for name in permission_names(user))
        user._houqin_permission_apps = apps
    if app_label in apps:
        return True
    names = role_names(user)
    return any(
        app in ("*", app_label)
        for role in ROLES
        if role.name in names
        for app, _model, _actions in role.grants
    )


def home_url_name(user) -> str:
    """The URL name of the user's home (``Role.home``): that of their first role in the table's
    order, so someone who both supervises and does the work keeps the supervisor's overview;
    a user with no built-in role lands on the dashboard."""
    names = role_names(user) if user.is_authenticated else frozenset()
    return next((role.home for role in ROLES if role.name in names), "core:dashboard")


def role_label(name: str) -> str:
    """The translated label of a built-in role."""
    return get_role(name).label


def _permissions_for(role, all_permissions):
    return _matching(role.grants, all_permissions) - _matching(role.excludes, all_permissions)


def _matching(grants, all_permissions):
    wanted = set()
    for app, model, actions in grants:
        apps = AREA_APPS if app == "*" else (app,)
        for perm in all_permissions:
            app_label = perm.content_type.app_label
            model_name = perm.content_type.model
            action = perm.codename.split("_", 1)[0]
            # An action is "view"/"add"/"change"/"delete", or the codename of a custom permission.
            standard = action in actions and perm.codename == f"{action}_{model_name}"
            if (
                app_label in apps
                and (model == "*" or model == model_name)
                and (standard or perm.codename in actions)
            ):
                wanted.add(perm.pk)
    return wanted


def sync_roles(**kwargs):
    """Create every role's group with exactly the permissions of its grants (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # post_migrate reaches core before later apps have their permissions: create them all now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    all_permissions = list(Permission.objects.select_related("content_type"))
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.name)
        wanted = _permissions_for(role, all_permissions)
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
