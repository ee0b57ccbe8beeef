"""Roles are Django groups with model permissions, kept in step with this table after migrate.

A grant names an app (or ``*`` for every duty area), a model (or ``*``) and actions. Grants
use patterns so that a model added by a later issue is covered without editing this file;
a role that needs finer rights gets a model-specific line.

The code is the truth for the built-in roles: after every migrate each one holds exactly the
permissions of its grants, so narrowing a grant here takes effect everywhere. To give some
people more, an administrator creates an extra group in Django admin (those are left alone).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DIRECTOR = "director"
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
        ),
    ),
    Role(
        "facilities_supervisor",
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
        "technician",
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
    ),
    Role(
        "stores",
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
        "cleaning_supervisor",
        _("Cleaning supervisor"),
        (
            ("cleaning", "*", ALL),
            *SUPERVISOR_STAFF,
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
    ),
    Role(
        "security_supervisor",
        _("Security supervisor"),
        (
            ("safety", "*", ALL),
            *SUPERVISOR_STAFF,
            *FAULT_REPORTING,
            *_reference(VIEW),
        ),
    ),
    Role("guard", _("Guard"), (("safety", "*", VIEW), *FAULT_REPORTING, *_reference(VIEW))),
    Role(
        "hr",
        _("HR"),
        (
            ("staff", "*", ALL),
            ("staff", "employee", ("reveal_id_number",)),
            *_reference(VIEW),
        ),
    ),
    Role(
        "customer_service",
        _("Customer service"),
        (("liaison", "*", ALL), *FAULT_REPORTING, *_reference(VIEW)),
    ),
    Role("viewer", _("Viewer"), (("*", "*", VIEW), *_reference(VIEW))),
)
ROLE_LABELS = {role.name: role.label for role in ROLES}


def role_names(user) -> frozenset[str]:
    """The user's role (group) names, read once per request."""
    names = getattr(user, "_houqin_roles", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._houqin_roles = names
    return names


def can_open_area(user, app_label: str) -> bool:
    """A duty area is open to a user whose role covers it, or who holds any permission in it
    (granted in admin); superusers open every area."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_module_perms(app_label):
        return True
    names = role_names(user)
    return any(
        app in ("*", app_label)
        for role in ROLES
        if role.name in names
        for app, _model, _actions in role.grants
    )


def role_label(group_name: str) -> str:
    return ROLE_LABELS.get(group_name, group_name)


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
