"""Workflows: the declared status machine of a model, and the one way its status changes.

Each app declares its tables in ``<app>/models/workflows.py`` (loaded with the models)::

    REQUISITION = Workflow(
        Requisition,
        transitions={
            "submit": Transition(
                (S.DRAFT,), S.SUBMITTED, pgettext_lazy("workflow action", "submitted"),
                permission="procurement.change_requisition",
            ),
            ...
        },
    )

and its services keep their domain checks (amounts, budgets, who may approve) but move the
status only through :func:`transition` (it locks the row) or, when they already hold the lock
and have set fields of their own, :func:`step`. Either refuses a step the table does not
allow from the current status with a message in the user's language, sets the target
status, saves with the acting user as simple-history's user, and writes exactly one timeline
event: a ``core.TimelineEvent``, unless the workflow declares its own writer (work orders
keep ``facilities.WorkOrderEvent``). Templates show a step's button when
``transitions.<action>`` (from the generic detail view: :meth:`Workflow.available`) is true.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from .texts import stored

_WORKFLOWS = {}


@dataclass(frozen=True)
class Transition:
    """An action: the statuses it may start from, the status it leads to, its label (the
    action as a past participle, "approved": it is read in refusals and in the timeline) and,
    optionally, the permission a user needs to be offered it."""

    sources: tuple[str, ...]
    target: str
    label: str
    permission: str | None = None


def save_with_history(obj, by, fields=None):
    """Save ``obj`` (only ``fields``, and its ``updated_at``, when given) with ``by`` as the
    user simple-history records for the change."""
    obj._history_user = by
    if fields is None:
        obj.save()
        return obj
    fields = list(dict.fromkeys(fields))
    if "updated_at" not in fields and any(f.name == "updated_at" for f in obj._meta.fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    return obj


class Workflow:
    """The allowed transitions of ``model``'s ``field`` (action → :class:`Transition`).

    ``timeline`` writes a step's event, called as ``timeline(obj, action=…, by=…,
    status_from=…, status_to=…, text=…, text_key=…, text_params=…, at=…)``; by default a
    ``core.TimelineEvent``. A step's ``text`` is what a person wrote (a reason, a note);
    ``text_key`` and ``text_params`` are a message of the app (``core.texts``), stored as its
    key and facts and worded in each reader's language; a step may have both.
    ``refusal`` replaces the generic refusal; it may name ``%(model)s``, ``%(status)s``,
    ``%(action)s`` and ``%(target)s``.
    """

    def __init__(self, model, *, transitions, field="status", timeline=None, refusal=None):
        self.model, self.field = model, field
        self.transitions = dict(transitions)
        self.timeline, self.refusal = timeline, refusal
        statuses = {value for value, _label in model._meta.get_field(field).flatchoices}
        for action, step in self.transitions.items():
            unknown = {*step.sources, step.target} - statuses
            if unknown or not step.sources:
                raise ImproperlyConfigured(
                    f"{model.__name__} workflow, {action!r}: unknown statuses {sorted(unknown)}"
                )
        if model in _WORKFLOWS:
            raise ImproperlyConfigured(f"{model.__name__} already has a workflow.")
        _WORKFLOWS[model] = self
        if timeline is None:
            post_delete.connect(
                _forget_timeline, sender=model, weak=False, dispatch_uid=f"workflow:{model._meta}"
            )

    def __repr__(self):
        return f"<Workflow {self.model._meta.label}.{self.field}: {', '.join(self.transitions)}>"

    def __getitem__(self, action):
        try:
            return self.transitions[action]
        except KeyError:
            raise ValueError(f"{self.model.__name__} has no action {action!r}.") from None

    @property
    def statuses(self):
        return [value for value, _label in self.model._meta.get_field(self.field).flatchoices]

    def status_label(self, value):
        return dict(self.model._meta.get_field(self.field).flatchoices).get(value, value)

    def status_of(self, obj):
        return getattr(obj, self.field)

    # --- asking --------------------------------------------------------------------------

    def allowed(self, obj, action, user=None):
        """May ``action`` be taken on ``obj`` now (and, given a ``user``, by them)?"""
        step = self[action]
        if self.status_of(obj) not in step.sources:
            return False
        return user is None or step.permission is None or user.has_perm(step.permission)

    def available(self, obj, user=None):
        """Every action → whether it may be taken now (by ``user``): for the buttons."""
        return {action: self.allowed(obj, action, user) for action in self.transitions}

    def action_to(self, target):
        """The action that leads to ``target``, when exactly one does."""
        actions = [action for action, step in self.transitions.items() if step.target == target]
        return actions[0] if len(actions) == 1 else None

    def refusal_message(self, obj, action):
        step = self[action]
        template = self.refusal or _("This %(model)s is “%(status)s” and cannot be %(action)s.")
        return template % {
            "model": self.model._meta.verbose_name,
            "status": self.status_label(self.status_of(obj)),
            "action": step.label,
            "target": self.status_label(step.target),
        }

    def check(self, obj, action):
        """The transition, or a ValidationError naming the current status and the action."""
        step = self[action]
        if self.status_of(obj) not in step.sources:
            raise ValidationError(self.refusal_message(obj, action), code="transition")
        return step

    # --- doing ---------------------------------------------------------------------------

    def lock(self, obj, *related):
        """``obj`` (or the record with this pk) read again from the database, its row locked
        until the transaction ends; only its own row, so that nullable relations in
        ``related`` can be joined."""
        manager = self.model._default_manager
        pk = obj.pk if isinstance(obj, self.model) else obj
        return manager.select_for_update(of=("self",)).select_related(*related).get(pk=pk)

    def step(
        self,
        obj,
        action,
        *,
        by,
        fields=(),
        text="",
        text_key="",
        text_params=None,
        at=None,
        **values,
    ):
        """Move ``obj`` (locked by the caller, in its transaction) along ``action``: check it
        is allowed, set ``values`` and the target status, save them and ``fields`` (already
        set by the caller) with the history user, and write one timeline event."""
        text_key, text_params = stored(text_key, text_params)
        step = self.check(obj, action)
        for name, value in values.items():
            setattr(obj, name, value)
        before = self.status_of(obj)
        setattr(obj, self.field, step.target)
        save_with_history(obj, by, [self.field, *fields, *values])
        self.record(
            obj,
            action,
            by=by,
            status_from=before,
            status_to=step.target,
            text=text,
            text_key=text_key,
            text_params=text_params,
            at=at,
        )
        return obj

    def transition(
        self, obj, action, *, by, text="", text_key="", text_params=None, related=(), **values
    ):
        """Lock ``obj``'s row, then :meth:`step`. Returns the locked, saved instance."""
        self[action]
        with transaction.atomic():
            locked = self.lock(obj, *related)
            return self.step(
                locked,
                action,
                by=by,
                text=text,
                text_key=text_key,
                text_params=text_params,
                **values,
            )

    def record(
        self,
        obj,
        action,
        *,
        by,
        status_from="",
        status_to="",
        text="",
        text_key="",
        text_params=None,
        at=None,
    ):
        """Write the timeline event of a step (also for a record created at a later status,
        such as the requisition an approved plan becomes)."""
        at = at or timezone.now()
        text = str(text or "")
        text_key, text_params = stored(text_key, text_params)
        if self.timeline is not None:
            return self.timeline(
                obj,
                action=action,
                by=by,
                status_from=status_from,
                status_to=status_to,
                text=text,
                text_key=text_key,
                text_params=text_params,
                at=at,
            )
        from .models import TimelineEvent

        return TimelineEvent.objects.create(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=obj.pk,
            action=action,
            status_from=status_from,
            status_to=status_to,
            by=by,
            at=at,
            text=text,
            text_key=text_key,
            text_params=text_params,
        )

    # --- reading -------------------------------------------------------------------------

    def events(self, obj):
        """``obj``'s timeline (core.TimelineEvent), oldest first, each with the labels of its
        action and statuses: one query."""
        from .models import TimelineEvent

        events = list(
            TimelineEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=obj.pk
            ).select_related("by")
        )
        for event in events:
            step = self.transitions.get(event.action)
            event.label = step.label if step is not None else event.action
            event.from_label = self.status_label(event.status_from) if event.status_from else ""
            event.to_label = self.status_label(event.status_to) if event.status_to else ""
        return events


def _forget_timeline(sender, instance, **kwargs):
    from .models import TimelineEvent

    TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


def workflow_for(model_or_obj):
    """The workflow declared for a model (or an instance's model), or None."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return _WORKFLOWS.get(model._meta.concrete_model)


def workflows():
    return list(_WORKFLOWS.values())


def _workflow(obj):
    workflow = workflow_for(obj)
    if workflow is None:
        raise ImproperlyConfigured(f"{type(obj).__name__} has no workflow.")
    return workflow


def transition(obj, action, *, by, text="", text_key="", text_params=None, related=(), **values):
    """Take ``action`` on ``obj``: lock its row, refuse it unless its workflow allows it from
    the current status, set ``values`` and the target status, save with ``by`` as the
    history user, and write one timeline event (with what the person wrote, ``text``, and/or
    a message of the app, ``text_key`` and its facts ``text_params``). Returns the locked,
    saved instance."""
    return _workflow(obj).transition(
        obj,
        action,
        by=by,
        text=text,
        text_key=text_key,
        text_params=text_params,
        related=related,
        **values,
    )


def step(obj, action, *, by, fields=(), text="", text_key="", text_params=None, at=None, **values):
    """:func:`transition` for a service that already holds ``obj``'s lock and has set
    ``fields`` of its own, to be saved in the same write."""
    return _workflow(obj).step(
        obj,
        action,
        by=by,
        fields=fields,
        text=text,
        text_key=text_key,
        text_params=text_params,
        at=at,
        **values,
    )


def allowed(obj, action, user=None):
    """May ``action`` be taken on ``obj`` now (and by ``user``, when given)?"""
    return _workflow(obj).allowed(obj, action, user)
