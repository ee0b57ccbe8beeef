"""The shared kernel's records: logins, properties, the location tree, reminder digests and
the timeline of workflow steps."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dates import shown_day, shown_moment
from .numbers import join_list
from .texts import key_field, params_field, worded_text

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, hyphens and underscores only, starting with a letter or digit."),
)


_DETAIL_URLS = {}
_URL_PK = 987654321987  # a stand-in id, replaced by the real one


class HouqinModel(models.Model):
    """Base of every operational record: timestamps and the detail URL, defined once.

    Scoping fails closed: each subclass declares either ``property_lookup``, the ORM path
    from the record to its ``Property``, which the scoping helper (``core.scoping``) uses to
    show each user only their properties, or ``shared_reference = True`` for reference data
    that every property shares (departments, item categories …). A model that declares
    neither is refused by a system check (``core.checks``).

    ``personal_data = True`` marks records about a person (China's PIPL): after the property
    scope, views, the admin and exports show them only through the model's
    ``QuerySet.visible_to(user)``, its need-to-know rule (``core.scoping.visible_records``).
    """

    property_lookup: str | None = None
    shared_reference: bool = False
    personal_data: bool = False

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def get_absolute_url(self):
        # Reversed once per model (and script prefix), then the id put in: a list of 25 rows
        # otherwise walks the resolver 25 times.
        key = (type(self), get_script_prefix())
        pattern = _DETAIL_URLS.get(key)
        if pattern is None:
            name = f"{self._meta.app_label}:{self._meta.model_name}_detail"
            url = reverse(name, args=[_URL_PK]).replace("{", "{{").replace("}", "}}")
            pattern = _DETAIL_URLS[key] = url.replace(str(_URL_PK), "{pk}")
        return pattern.format(pk=int(self.pk))

    def check_same_property(self, *fields):
        """For ``clean()``: each of these foreign keys, when set, must point at a record of
        this record's own property (a location, a keeper, a supervisor …)."""
        errors = {}
        for name in fields:
            if getattr(self, f"{name}_id", None) is None or not self.property_id:
                continue
            if getattr(self, name).property_id != self.property_id:
                errors[name] = _("%(field)s belongs to another property.") % {
                    "field": capfirst(self._meta.get_field(name).verbose_name)
                }
        if errors:
            raise ValidationError(errors)


class PropertyKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    MIXED = "mixed", _("Mixed use")


class PropertyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Property(HouqinModel):
    """物业项目: a site the department keeps running."""

    property_lookup = "pk"

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[code_validator],
        help_text=_("Short unique code, e.g. JLG."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PropertyKind.choices, default=PropertyKind.RESIDENTIAL
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("service desk phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = PropertyQuerySet.as_manager()

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="core_property_code_unique",
                violation_error_message=_("Another property already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PropertyKind.values),
                name="core_property_kind_valid",
                violation_error_message=_("Choose a valid kind of property."),
            ),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A login. The person doing the work is a ``staff.Employee``, which may link to one."""

    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Screens and e-mails use this language; empty follows the browser."),
    )
    properties = models.ManyToManyField(
        Property,
        verbose_name=_("properties"),
        blank=True,
        related_name="users",
        help_text=_("The properties this user works on and sees."),
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="core_user_email_unique",
                violation_error_message=_("Another user already has this e-mail address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """Chinese names read family name first, with no space: 王建国; others "Amy Li"."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return " ".join(part for part in (first, last) if part)


class LocationKind(models.TextChoices):
    BUILDING = "building", _("Building")
    OUTDOOR = "outdoor", _("Outdoor area")
    FLOOR = "floor", _("Floor")
    SPACE = "space", _("Space")


ROOT_KINDS = (LocationKind.BUILDING, LocationKind.OUTDOOR)
# Which kinds of parent each kind of location may have.
ALLOWED_PARENT_KINDS = {
    LocationKind.FLOOR: (LocationKind.BUILDING,),
    LocationKind.SPACE: (LocationKind.BUILDING, LocationKind.FLOOR, LocationKind.OUTDOOR),
}
PATH_SEPARATOR = "/"
PATH_DIGITS = 10  # ids are zero-padded so that sorting by path lists the tree in order


def path_segment(pk):
    return f"{pk:0{PATH_DIGITS}d}{PATH_SEPARATOR}"


class LocationQuerySet(models.QuerySet):
    def for_property(self, property_):
        return self.filter(property=property_)

    def roots(self):
        return self.filter(parent__isnull=True)


class Location(HouqinModel):
    """One node of a property's tree: building or outdoor area → floor → space.

    ``path`` holds the zero-padded ids from the root down ("/0000000003/0000000017/"), so
    sorting by it lists the tree depth-first, ancestors are one
    ``pk__in`` query and descendants one ``startswith`` query, whatever the depth.
    ``full_name`` ("A栋 / 3F / 301") is kept with it so lists never walk the tree.
    """

    property_lookup = "property"

    property = models.ForeignKey(
        Property, verbose_name=_("property"), on_delete=models.PROTECT, related_name="locations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices)
    code = models.CharField(_("code"), max_length=30, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note"), max_length=255, blank=True)
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    full_name = models.CharField(_("full name"), max_length=500, editable=False)

    history = HistoricalRecords(excluded_fields=["path", "depth", "full_name"])
    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["path"]  # depth-first tree order, without joining the property
        constraints = [
            models.UniqueConstraint(
                "property",
                Lower("code"),
                name="core_location_code_unique_per_property",
                violation_error_message=_("This property already has a location with this code."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, kind__in=[k.value for k in ROOT_KINDS])
                    | Q(parent__isnull=False, kind__in=[LocationKind.FLOOR, LocationKind.SPACE])
                ),
                name="core_location_kind_matches_level",
                violation_error_message=_(
                    "Buildings and outdoor areas are top-level; floors and spaces need a parent."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="core_location_not_own_parent",
                violation_error_message=_("A location cannot be its own parent."),
            ),
        ]
        indexes = [models.Index(fields=["property", "path"])]

    def __str__(self):
        return self.full_name or self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        errors = self._tree_errors()
        if errors:
            raise ValidationError(errors)
        old_path, old_full_name = self.path, self.full_name
        if self.pk is None:
            # The path holds the node's own id, known only after the insert; the derived
            # fields are then written with a plain update so history records one creation.
            self.path = ""
            super().save(*args, **kwargs)
            self.path, self.depth, self.full_name = self._computed_path_and_name()
            Location.objects.filter(pk=self.pk).update(
                path=self.path, depth=self.depth, full_name=self.full_name
            )
            return
        self.path, self.depth, self.full_name = self._computed_path_and_name()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth", "full_name"}
        super().save(*args, **kwargs)
        if old_path and (old_path != self.path or old_full_name != self.full_name):
            self._rewrite_descendants(old_path)

    def ancestor_ids(self):
        ids = [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]
        return ids[:-1]

    def ancestors(self):
        """Root first; one query whatever the depth."""
        return Location.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def descendants(self):
        """Every location below this one; one query whatever the depth."""
        return Location.objects.filter(path__startswith=self.path).exclude(pk=self.pk)

    def clean(self):
        super().clean()
        errors = self._tree_errors()
        if self.parent_id is None:
            if self.kind and self.kind not in ROOT_KINDS:
                errors.setdefault("parent", _("A floor or space needs a parent location."))
        else:
            parent = self.parent
            if self.kind in ROOT_KINDS:
                errors.setdefault("parent", _("Buildings and outdoor areas have no parent."))
            elif parent.kind not in ALLOWED_PARENT_KINDS.get(self.kind, (parent.kind,)):
                errors.setdefault(
                    "parent",
                    _("A %(kind)s cannot be placed in a %(parent_kind)s.")
                    % {
                        "kind": self.get_kind_display().lower(),
                        "parent_kind": parent.get_kind_display().lower(),
                    },
                )
        if self.pk and self.kind:
            # A new kind must still be a valid parent for what is already inside.
            child_kinds = set(self.children.values_list("kind", flat=True))
            refused = sorted(
                LocationKind(kind).label
                for kind in child_kinds
                if self.kind not in ALLOWED_PARENT_KINDS.get(kind, ())
            )
            if refused:
                errors["kind"] = _(
                    "It contains locations that cannot be inside a %(kind)s: %(children)s."
                ) % {
                    "kind": self.get_kind_display().lower(),
                    "children": join_list(refused),
                }
        if errors:
            raise ValidationError(errors)

    def _tree_errors(self):
        """The rules save() enforces too, so no path (form, admin, import, code) can break the
        tree: no cycles, no parent in another property, no move to another property."""
        errors = {}
        if self.parent_id is not None:
            parent = self.parent
            if self.property_id and parent.property_id != self.property_id:
                errors["parent"] = _("The parent belongs to another property.")
            elif self.pk and (
                parent.pk == self.pk or (self.path and parent.path.startswith(self.path))
            ):
                errors["parent"] = _("A location cannot be moved under itself.")
        if self.pk:
            old_property_id = (
                Location.objects.filter(pk=self.pk).values_list("property_id", flat=True).first()
            )
            if old_property_id is not None and old_property_id != self.property_id:
                errors["property"] = _("A location cannot move to another property.")
        return errors

    def _computed_path_and_name(self):
        if self.parent_id:
            parent = self.parent
            return (
                f"{parent.path}{path_segment(self.pk)}",
                parent.depth + 1,
                f"{parent.full_name} / {self.name}",
            )
        return f"{PATH_SEPARATOR}{path_segment(self.pk)}", 0, self.name

    def _rewrite_descendants(self, old_path):
        """After a move or rename, bring the stored paths and names below this node up to date."""
        nodes = {self.pk: self}
        changed = []
        for node in (
            Location.objects.select_for_update()
            .filter(path__startswith=old_path)
            .exclude(pk=self.pk)
            .order_by("depth")
        ):
            parent = nodes[node.parent_id]
            node.path = f"{parent.path}{path_segment(node.pk)}"
            node.depth = parent.depth + 1
            node.full_name = f"{parent.full_name} / {node.name}"
            nodes[node.pk] = node
            changed.append(node)
        Location.objects.bulk_update(changed, ["path", "depth", "full_name"], batch_size=500)


class Severity(models.TextChoices):
    INFO = "info", _("For information")
    WARNING = "warning", _("Due soon")
    DANGER = "danger", _("Overdue")


class Digest(models.Model):
    """One reminder e-mail per user per day; the unique row is what stops a second send."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="digests",
    )
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        ordering = ["-date", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date"], name="core_digest_one_per_user_per_day"
            ),
        ]
        indexes = [models.Index(fields=["date", "sent_at"])]

    def __str__(self):
        return f"{self.user} {shown_day(self.date)}"


class DigestItem(models.Model):
    """One line of a digest: what the recipient was reminded of."""

    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("subject"), max_length=255)
    due = models.DateField(_("due"), null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["digest", "due"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.label


class TimelineEvent(models.Model):
    """One step of a record's workflow (``core.workflow``): the action, from which status to
    which, who and when, and what they wrote. Work orders keep their own timeline
    (``facilities.WorkOrderEvent``, with notes, parts and photos as well)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=40)
    status_from = models.CharField(_("from"), max_length=30, blank=True)
    status_to = models.CharField(_("to"), max_length=30, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    # What a person wrote with the step (a reason, a note) …
    text = models.TextField(_("text"), blank=True)
    # … and what the app says about it, worded in the reader's language (core.texts).
    text_key = key_field()
    text_params = params_field()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} · {self.action}"

    @property
    def shown_text(self):
        """The app's message in the reader's language, then what the person wrote."""
        return worded_text(self.text_key, self.text_params, self.text)


class CalendarFeed(models.Model):
    """A user's secret iCalendar address (``/calendar/feed/<token>.ics``), read by calendar
    apps that cannot log in: the token is the credential.

    Only a random key is stored. The token is that key signed with ``SECRET_KEY`` (an
    HMAC-SHA256, checked in constant time), so a copy of the database alone does not give
    anyone a working address, while the profile page can still show it again. Regenerating
    draws a new key (the old address stops working), revoking deletes the row; rotating
    ``SECRET_KEY`` ends every address.
    """

    SALT = "houqin.calendar-feed"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    key = models.CharField(_("key"), max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["user__username"]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("core:calendar_feed", args=[self.token])

    @classmethod
    def _signer(cls):
        from django.core.signing import Signer

        return Signer(salt=cls.SALT, sep=".")

    @property
    def token(self):
        return self._signer().sign(self.key)

    @classmethod
    def issue(cls, user):
        """A new address for ``user``; any previous one stops working."""
        import secrets

        cls.objects.filter(user=user).delete()
        return cls.objects.create(user=user, key=secrets.token_urlsafe(16))

    @classmethod
    def for_token(cls, token):
        """The active user's feed this token opens, or None (forged, revoked, replaced)."""
        from django.core.signing import BadSignature

        try:
            key = cls._signer().unsign(token)
        except BadSignature:
            return None
        return cls.objects.select_related("user").filter(key=key, user__is_active=True).first()


class ExportJob(models.Model):
    """A list exported in the background (``core.exports``): too many rows for a request.

    The job keeps what the list page was asked (its path and query string) and whose it is;
    the task rebuilds the rows with the list view itself for that user, so the file holds
    what the page would show them. The file lives in storage under ``exports/`` and is served
    only to its owner (never under MEDIA_URL); it is deleted after EXPORT_RETENTION_DAYS.
    The file's name is kept in a plain field: it is written by Houqin, not uploaded, so it
    is not an upload field (which ``core.uploads`` would check as one)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    title = models.CharField(_("list"), max_length=200)
    view_name = models.CharField(_("view"), max_length=200)
    path = models.CharField(_("path"), max_length=500)
    query = models.TextField(_("filters"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.CharField(_("file"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="core_export_user_created"),
            models.Index(fields=["status", "created_at"], name="core_export_status_created"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_format_display()}, {shown_moment(self.created_at)})"

    def get_absolute_url(self):
        return reverse("core:export_detail", args=[self.pk])

    @property
    def active(self):
        return self.status in self.ACTIVE

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.row_count:
            return 0
        return min(100, self.rows_done * 100 // self.row_count)

    @property
    def download_name(self):
        from pathlib import PurePosixPath

        return PurePosixPath(self.file).name.split("-", 1)[-1] if self.file else ""
