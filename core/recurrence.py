"""Recurrence: schedules, and the one generator of dated records from them.

A schedule is a series anchored on a date: every N days, weeks, months or years, or on chosen
weekdays (every N weeks). Each occurrence is computed from the anchor, never from the
previous one, so a monthly series anchored on the 31st comes back to the 31st after February.
A *fixed* series keeps to its anchor whatever happens; a *floating* one re-anchors on the day
its last record was done (a water tank cleaned late is next due six months after it was
actually cleaned).

:class:`Generator` turns due sources (a maintenance plan, an inspection route, a storeroom's
count schedule, a cleaning standard …) into their dated records (a work order, a round, a
count sheet …). A subclass says which sources are due, how one is locked, and how a batch of
records is made; the generator supplies the rest, once for every app:

- idempotent per (source, due date): the source row is locked, the dates already made are
  skipped (a unique constraint on the records backs it up), so a doubled run makes nothing;
- catching up: after days without a run each missed date gets its record, dated on its day,
  at most ``max_catch_up`` per source per run (the rest follow in the next run);
- isolated: sources go in batches of ``batch_size``, each batch one transaction; a batch
  that fails is run again one source at a time, so a source that fails is logged while the
  others still run;
- batched: a batch's sources are locked, looked up and made in one call each
  (:meth:`Generator.lock_many`, :meth:`Generator.existing_many`,
  :meth:`Generator.create_many`), so the cost per record does not grow with the data.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.utils import get_history_manager_for_model

from .dates import LATEST

logger = logging.getLogger(__name__)

MAX_INTERVAL = 366
MAX_LEAD_DAYS = 90
# The longest step of each unit (a plan repeating every 366 years is a typing mistake).
MAX_STEP = {"days": 366, "weeks": 104, "months": 120, "years": 10, "weekdays": 52}


class FrequencyUnit(models.TextChoices):
    DAYS = "days", pgettext_lazy("repeat every", "Days")
    WEEKS = "weeks", _("Weeks")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")
    WEEKDAYS = "weekdays", _("Chosen weekdays")


class ScheduleMode(models.TextChoices):
    FIXED = "fixed", _("Fixed: from the schedule")
    FLOATING = "floating", _("Floating: from the last completion")


WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
ALL_WEEKDAYS = (1 << 7) - 1
# Average length of a step of each unit, to estimate where in a series a date falls.
_STEP_DAYS = {"days": 1, "weeks": 7, "months": 30.436875, "years": 365.2425}


def weekday_set(mask):
    """The weekdays (0 = Monday) of a bit mask."""
    return [day for day in range(7) if mask & (1 << day)]


def weekday_mask(days):
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


@dataclass(frozen=True)
class Recurrence:
    """A series' rule, without its anchor: pure date arithmetic, no database."""

    unit: str = FrequencyUnit.MONTHS
    interval: int = 1
    weekdays: int = 0

    def occurrence(self, anchor, k):
        """The k-th date of the series anchored on ``anchor`` (k = 0 is the anchor)."""
        if self.unit == FrequencyUnit.DAYS:
            return anchor + timedelta(days=k * self.interval)
        if self.unit in (FrequencyUnit.WEEKS, FrequencyUnit.WEEKDAYS):
            return anchor + timedelta(weeks=k * self.interval)
        if self.unit == FrequencyUnit.MONTHS:
            return anchor + relativedelta(months=k * self.interval)
        return anchor + relativedelta(years=k * self.interval)

    def first_on_or_after(self, anchor, day):
        """The first date of the series anchored on ``anchor`` that is not before ``day``."""
        if self.unit == FrequencyUnit.WEEKDAYS:
            return self._weekday_on_or_after(anchor, max(day, anchor))
        if day <= anchor:
            return anchor
        # Estimate k from the average length of a step, then correct (months vary in length).
        k = max(int((day - anchor).days / (_STEP_DAYS[self.unit] * self.interval)) - 1, 0)
        while self.occurrence(anchor, k) < day:
            k += 1
        while k > 0 and self.occurrence(anchor, k - 1) >= day:
            k -= 1
        return self.occurrence(anchor, k)

    def _weekday_on_or_after(self, anchor, day):
        days = set(weekday_set(self.weekdays)) or {anchor.weekday()}
        anchor_monday = anchor - timedelta(days=anchor.weekday())
        candidate = day
        for _step in range(7 * self.interval + 7):
            week = (candidate - anchor_monday).days // 7
            if candidate.weekday() in days and week % self.interval == 0:
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("no weekday chosen")  # unreachable: at least one day is chosen

    def aligned(self, anchor, day):
        """``day``, or for chosen weekdays the first chosen day from it: a date typed in by
        hand that falls on a day not chosen moves to the next one that is."""
        if self.unit == FrequencyUnit.WEEKDAYS:
            return self.first_on_or_after(anchor, day)
        return day

    def following(self, anchor, day):
        """The first date of the series strictly after ``day``."""
        return self.first_on_or_after(anchor, day + timedelta(days=1))

    def after_completion(self, completed_on):
        """A floating series' next date, counted from the day its last record was done."""
        if self.unit == FrequencyUnit.WEEKDAYS:
            return self.following(completed_on, completed_on)
        return self.occurrence(completed_on, 1)

    def dates(self, anchor, start, end):
        """The dates of the series in [start, end] (for calendars)."""
        day = self.first_on_or_after(anchor, start)
        while day <= end:
            yield day
            day = self.following(anchor, day)

    def describe(self):
        if self.unit == FrequencyUnit.WEEKDAYS:
            separator = pgettext("list separator", ", ")
            days = separator.join(str(WEEKDAY_NAMES[day]) for day in weekday_set(self.weekdays))
            if self.interval == 1:
                return _("Every %(days)s") % {"days": days}
            return _("Every %(n)d weeks on %(days)s") % {"n": self.interval, "days": days}
        label = {
            FrequencyUnit.DAYS: _("Every %(n)d days"),
            FrequencyUnit.WEEKS: _("Every %(n)d weeks"),
            FrequencyUnit.MONTHS: _("Every %(n)d months"),
            FrequencyUnit.YEARS: _("Every %(n)d years"),
        }[self.unit]
        return label % {"n": self.interval}


class Schedule(models.Model):
    """The fields of a recurring schedule, for any model that recurs (a plan template, a
    maintenance plan, an inspection route, a cleaning standard …)."""

    unit = models.CharField(
        _("repeat every"),
        max_length=10,
        choices=FrequencyUnit.choices,
        default=FrequencyUnit.MONTHS,
    )
    interval = models.PositiveSmallIntegerField(
        _("interval"),
        default=1,
        help_text=_("Every how many days, weeks, months or years (for weekdays: every N weeks)."),
    )
    weekdays = models.PositiveSmallIntegerField(
        _("weekdays"), default=0, help_text=_("For “chosen weekdays”: which days.")
    )
    mode = models.CharField(
        _("schedule"), max_length=10, choices=ScheduleMode.choices, default=ScheduleMode.FIXED
    )
    lead_days = models.PositiveSmallIntegerField(
        _("lead days"),
        default=3,
        help_text=_("The work order is created this many days before it is due."),
    )

    class Meta:
        abstract = True

    @classmethod
    def schedule_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(unit__in=FrequencyUnit.values),
                name=f"{prefix}_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ScheduleMode.values),
                name=f"{prefix}_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=MAX_INTERVAL),
                name=f"{prefix}_interval_range",
                violation_error_message=_("The interval is between 1 and 366."),
            ),
            models.CheckConstraint(
                condition=Q(lead_days__lte=MAX_LEAD_DAYS),
                name=f"{prefix}_lead_days_range",
                violation_error_message=_("Lead days are at most 90."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=0, weekdays__lte=ALL_WEEKDAYS)
                & (~Q(unit=FrequencyUnit.WEEKDAYS) | Q(weekdays__gt=0)),
                name=f"{prefix}_weekdays_chosen",
                violation_error_message=_("Choose at least one weekday."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.unit == FrequencyUnit.WEEKDAYS and not self.weekdays:
            raise ValidationError({"weekdays": _("Choose at least one weekday.")})
        if self.unit in MAX_STEP and self.interval and self.interval > MAX_STEP[self.unit]:
            raise ValidationError(
                {"interval": _("At most %(n)d for this unit.") % {"n": MAX_STEP[self.unit]}}
            )
        if self.unit != FrequencyUnit.WEEKDAYS:
            self.weekdays = 0

    @property
    def recurrence(self):
        return Recurrence(self.unit, self.interval, self.weekdays)

    @property
    def floating(self):
        return self.mode == ScheduleMode.FLOATING

    def describe_schedule(self):
        return self.recurrence.describe()

    # The series, as methods of the schedule (callers that hold a plan or a route).
    def occurrence(self, anchor, k):
        return self.recurrence.occurrence(anchor, k)

    def first_on_or_after(self, anchor, day):
        return self.recurrence.first_on_or_after(anchor, day)

    def aligned(self, anchor, day):
        return self.recurrence.aligned(anchor, day)

    def following(self, anchor, day):
        return self.recurrence.following(anchor, day)


# --- the generator ----------------------------------------------------------------------------


@dataclass
class Due:
    """What the generator works out for one locked source."""

    source: object
    dates: list  # the due dates to make a record for, oldest first (none made yet)


class Generator:
    """Make the dated records of every source due by a day; subclass per kind of record.

    A subclass sets ``name`` (for the logs) and implements :meth:`due_sources`,
    :meth:`lock`, :meth:`existing` and :meth:`create`; it overrides the small hooks
    (:meth:`skip`, :meth:`recurrence_of`, :meth:`anchor_of`, :meth:`lead_days_of`,
    :meth:`after`) where its source differs from a :class:`Schedule` with ``starts_on`` and
    ``next_due``.
    """

    name = "records"
    max_catch_up = 60  # records one source may get in one run; the rest follow next run
    next_field = "next_due"
    anchor_field = "starts_on"

    # --- what a subclass says -------------------------------------------------------------

    def due_sources(self, day):
        """The ids of the sources that may be due by ``day`` (one cheap query)."""
        raise NotImplementedError

    def lock(self, pk):
        """The source, locked for the transaction (``select_for_update(of=("self",))``),
        with what :meth:`create` needs selected."""
        raise NotImplementedError

    def existing(self, source, dates):
        """The dates among ``dates`` that already have their record (one query)."""
        raise NotImplementedError

    def create(self, source, dates):
        """Make the records of ``dates`` (in one batch where possible); returns them."""
        raise NotImplementedError

    def skip(self, source):
        """True when the source makes nothing now (inactive, waiting for its open record)."""
        return False

    def recurrence_of(self, source):
        return source.recurrence

    def floating(self, source):
        return getattr(source, "floating", False)

    def anchor_of(self, source):
        """Fixed series count from their first date; floating ones from their next date."""
        if self.floating(source):
            return getattr(source, self.next_field)
        return getattr(source, self.anchor_field)

    def lead_days_of(self, source):
        return getattr(source, "lead_days", 0) or 0

    def after(self, source, day):
        """The next date to keep once the due dates are made (by default the series' next)."""
        return getattr(source, self.next_field)

    # --- batches: a subclass that can lock, look up and make many sources at once -------

    def lock_many(self, pks):
        """The sources of ``pks`` locked for the transaction, in ``pk`` order (so two runs
        never wait on each other crosswise). By default one :meth:`lock` each; a subclass
        that sets ``batch_size`` locks them in one query."""
        return [self.lock(pk) for pk in sorted(pks)]

    def existing_many(self, wanted):
        """For ``wanted`` (a list of (source, dates)): source pk → the dates that already
        have their record. By default one :meth:`existing` each."""
        return {source.pk: self.existing(source, dates) for source, dates in wanted}

    def create_many(self, todo):
        """Make the records of ``todo`` (a list of (source, dates)); returns them. By
        default one :meth:`create` each."""
        made = []
        for source, dates in todo:
            made.extend(self.create(source, dates))
        return made

    def save_next(self, sources):
        """Keep the moved next dates of ``sources``: one save each, or, for a batch, one
        update (and one insert of their history where the model keeps one)."""
        if len(sources) <= 1:
            for source in sources:
                source.save(update_fields=[self.next_field, "updated_at"])
            return
        model = type(sources[0])
        now = timezone.now()
        # Most sources of a batch move to the same few dates (every daily series to
        # tomorrow): one UPDATE per date, not a CASE over every row (seconds at scale).
        by_value = {}
        for source in sources:
            source.updated_at = now
            by_value.setdefault(getattr(source, self.next_field), []).append(source.pk)
        for value, pks in by_value.items():
            model.objects.filter(pk__in=pks).update(**{self.next_field: value, "updated_at": now})
        if hasattr(model, "history"):
            get_history_manager_for_model(model).bulk_history_create(
                sources, update=True, default_date=now
            )

    # --- the loop, the same for every app -------------------------------------------------

    # Sources per transaction. 1 (the default) is one transaction per source; a subclass
    # whose :meth:`lock_many`, :meth:`existing_many` and :meth:`create_many` work in a few
    # queries for the whole batch raises it, so a catch-up over thousands of sources costs a
    # few dozen queries and commits instead of thousands.
    batch_size = 1

    def run(self, day):
        """Make every record due by ``day``. Sources go in batches of ``batch_size``, each
        one transaction; a batch that fails is run again one source at a time, so a source
        with bad data is logged and every other source still gets its records."""
        made = []
        pks = list(self.due_sources(day))
        size = max(1, self.batch_size)
        for start in range(0, len(pks), size):
            chunk = pks[start : start + size]
            if len(chunk) > 1:
                try:
                    made.extend(self.generate_batch(chunk, day))
                    continue
                except Exception:
                    logger.warning(
                        "A batch of %s failed; its sources are run one by one",
                        self.name,
                        exc_info=True,
                    )
            for pk in chunk:
                try:
                    made.extend(self.generate(pk, day))
                except Exception:  # one source's bad data must not stop every other source
                    logger.exception("Could not generate the %s of source %s", self.name, pk)
        return made

    @transaction.atomic
    def generate(self, pk, day):
        """The records of one source due by ``day``, under a lock on the source."""
        return self._generate([self.lock(pk)], day)

    @transaction.atomic
    def generate_batch(self, pks, day):
        """The records of the sources ``pks`` due by ``day``, under a lock on each."""
        return self._generate(self.lock_many(pks), day)

    def _generate(self, sources, day):
        wanted = []  # (source, its next date before, its due dates)
        for source in sources:
            before = getattr(source, self.next_field)
            if before is None or self.skip(source):
                continue
            wanted.append((source, before, self.due_dates(source, day)))
        asked = [(source, due) for source, _before, due in wanted if due]
        have = self.existing_many(asked) if asked else {}
        todo = []
        for source, due in asked:
            made_already = have.get(source.pk, set())
            dates = [d for d in due if d not in made_already]
            if dates:
                todo.append((source, dates))
        made = list(self.create_many(todo)) if todo else []
        moved = []
        for source, before, _due in wanted:
            setattr(source, self.next_field, self.after(source, day))
            if getattr(source, self.next_field) != before:
                moved.append(source)
        self.save_next(moved)
        return made

    def due_dates(self, source, day):
        """The dates due by ``day`` (within the lead days), oldest first, and the source's
        next date moved past them."""
        recurrence = self.recurrence_of(source)
        floating = self.floating(source)
        lead = timedelta(days=self.lead_days_of(source))
        current = recurrence.aligned(self.anchor_of(source), getattr(source, self.next_field))
        dates = []
        while current - lead <= day and len(dates) < self.max_catch_up and current <= LATEST:
            dates.append(current)
            # A floating series counts on from this date until a completion moves it.
            anchor = current if floating else self.anchor_of(source)
            current = recurrence.following(anchor, current)
            if floating:
                break
        setattr(source, self.next_field, current)
        return dates
