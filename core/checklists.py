"""Checklists: typed items and their answers, for any app that asks questions on the floor.

An item is a check (OK / not OK), a number within a range, a text, a photo, or a weighted
score (points out of the item's weight; the scored items of one checklist add up to 100, as
cleaning and safety inspections are marked). An app keeps its items and answers in its own
tables by subclassing :class:`ChecklistItemBase` (a template's or a plan's steps) and
:class:`Answer` (the steps as asked on one occasion, and what was found).

The steps shared by every app live here too: :func:`apply_answers` records what was entered
and judges it, :func:`open_follow_up` turns a failed answer into its follow-up record (a
repair order, a rectification …) in one locked step, :class:`AnswersForm` is the phone form
of a checklist, and :class:`ChecklistFormSet` edits a checklist's items.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .uploads import MB, PHOTOS, UploadValidator

MAX_NUMBER = Decimal("1000000000")
TOTAL_WEIGHT = 100


class ChecklistKind(models.TextChoices):
    CHECK = "check", _("Check (OK / not OK)")
    NUMBER = "number", _("Number within a range")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")
    SCORE = "score", _("Score (weighted)")


class ChecklistItemBase(models.Model):
    """One step of a checklist: what to check, and what counts as passing."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("check"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChecklistKind.choices, default=ChecklistKind.CHECK
    )
    minimum = models.DecimalField(
        pgettext_lazy("range", "minimum"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("For a score: the points needed to pass (empty: full marks)."),
    )
    maximum = models.DecimalField(
        pgettext_lazy("range", "maximum"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        null=True,
        blank=True,
        help_text=_("A score's points; the scores of one checklist add up to 100."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    STEP_FIELDS = ("position", "text", "kind", "minimum", "maximum", "unit", "weight")

    def __str__(self):
        return self.text

    def step(self):
        """The step as asked (for copying a template's into a plan, a plan's into an order,
        a point's into a round)."""
        return {name: getattr(self, name) for name in self.STEP_FIELDS}

    @classmethod
    def item_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(kind__in=ChecklistKind.values), name=f"{prefix}_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name=f"{prefix}_range_ordered",
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ChecklistKind.NUMBER)
                | Q(kind=ChecklistKind.SCORE, maximum__isnull=True)
                | Q(minimum__isnull=True, maximum__isnull=True),
                name=f"{prefix}_range_for_numbers",
                violation_error_message=_("Only number checks have a range."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=ChecklistKind.SCORE,
                    weight__isnull=False,
                    weight__gte=1,
                    weight__lte=TOTAL_WEIGHT,
                )
                & (Q(minimum__isnull=True) | Q(minimum__gte=0, minimum__lte=F("weight")))
                | (~Q(kind=ChecklistKind.SCORE) & Q(weight__isnull=True)),
                name=f"{prefix}_weight_for_scores",
                violation_error_message=_(
                    "A score has a weight of 1 to 100 points (and a pass mark within it); "
                    "other kinds have none."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        if self.kind not in (ChecklistKind.NUMBER, ChecklistKind.SCORE):
            self.minimum = self.maximum = None
        if self.kind == ChecklistKind.SCORE:
            self.maximum = None
            if not self.weight:
                raise ValidationError({"weight": _("Give a scored item its points (1–100).")})
            if self.weight > TOTAL_WEIGHT:
                raise ValidationError({"weight": _("A score has at most 100 points.")})
            if self.minimum is not None and not 0 <= self.minimum <= self.weight:
                raise ValidationError(
                    {"minimum": _("The pass mark is between 0 and the item's points.")}
                )
        else:
            self.weight = None
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("The minimum cannot be above the maximum.")})

    def describe_range(self):
        if self.kind == ChecklistKind.SCORE:
            if self.weight is None:
                return ""
            if self.minimum is not None:
                return gettext("%(points)d points, pass at %(mark)s") % {
                    "points": self.weight,
                    "mark": f"{self.minimum.normalize():f}",
                }
            return gettext("%(points)d points") % {"points": self.weight}
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"{low.normalize():f}–{high.normalize():f}{unit}"
        if low is not None:
            return f"≥ {low.normalize():f}{unit}"
        if high is not None:
            return f"≤ {high.normalize():f}{unit}"
        return ""


# Photos taken on the floor: JPEG or PNG, checked by content, up to 8 MB.
PHOTO_VALIDATOR = UploadValidator(kinds=PHOTOS, max_bytes=8 * MB)


class Answer(ChecklistItemBase):
    """A checklist step (or an inspection reading) as asked, and what was found."""

    checked_ok = models.BooleanField(_("OK"), null=True, blank=True)
    number = models.DecimalField(
        pgettext_lazy("reading", "value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    photo = models.FileField(
        _("photo"), upload_to="checks/%Y/%m/", blank=True, validators=[PHOTO_VALIDATOR]
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta(ChecklistItemBase.Meta):
        abstract = True

    @classmethod
    def answer_constraints(cls, prefix):
        return [
            *cls.item_constraints(prefix),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(
                    kind=ChecklistKind.SCORE,
                    weight__isnull=False,
                    score__gte=0,
                    score__lte=F("weight"),
                ),
                name=f"{prefix}_score_within_weight",
                violation_error_message=_("A score is between 0 and the item's points."),
            ),
        ]

    @property
    def answered(self):
        return self.passed is not None

    def evaluate(self):
        """Whether the answer passes (None: not answered yet)."""
        if self.kind == ChecklistKind.CHECK:
            return self.checked_ok
        if self.kind == ChecklistKind.NUMBER:
            if self.number is None:
                return None
            return (self.minimum is None or self.number >= self.minimum) and (
                self.maximum is None or self.number <= self.maximum
            )
        if self.kind == ChecklistKind.SCORE:
            if self.score is None:
                return None
            mark = self.minimum if self.minimum is not None else self.weight
            return self.score >= mark
        if self.kind == ChecklistKind.TEXT:
            return True if self.answer.strip() else None
        return True if self.photo else None

    def describe_answer(self):
        if self.kind == ChecklistKind.NUMBER and self.number is not None:
            return f"{self.number.normalize():f} {self.unit}".strip()
        if self.kind == ChecklistKind.CHECK and self.checked_ok is not None:
            return str(_("OK") if self.checked_ok else _("Not OK"))
        if self.kind == ChecklistKind.SCORE and self.score is not None:
            return f"{self.score.normalize():f} / {self.weight}"
        return self.answer


def total_score(answers):
    """The marks of a scored checklist: the points given over the points asked (out of the
    scored items only), or ``None`` when no scored item is answered."""
    scored = [a for a in answers if a.kind == ChecklistKind.SCORE and a.score is not None]
    if not scored:
        return None
    return sum((a.score for a in scored), Decimal(0))


def check_weights(items):
    """Scored items of one checklist add up to 100 (a checklist without scores is fine)."""
    weights = [item.weight or 0 for item in items if item.kind == ChecklistKind.SCORE]
    if weights and sum(weights) != TOTAL_WEIGHT:
        raise ValidationError(
            _("The scored items add up to %(total)d points; they must add up to 100.")
            % {"total": sum(weights)},
            code="weights",
        )


def _decimal(value, step, label, limit=MAX_NUMBER):
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= limit:
        raise ValidationError(_("%(check)s: give a number.") % {"check": label})
    return number.quantize(step)


def apply_answers(steps, answers, *, exclude):
    """Put ``answers`` (step id → ``checked_ok``, ``number``, ``answer``, ``photo``,
    ``score``) on checklist steps or readings, judge each and save them. Returns the changed
    steps and those that failed."""
    now = timezone.now()
    changed, failed = [], []
    for step in steps:
        values = answers.get(step.pk)
        if not values:
            continue
        if step.kind == ChecklistKind.CHECK:
            step.checked_ok = values.get("checked_ok")
        elif step.kind == ChecklistKind.NUMBER:
            number = values.get("number")
            step.number = None if number is None else _decimal(number, Decimal("0.001"), step.text)
        elif step.kind == ChecklistKind.SCORE:
            score = values.get("score")
            if score is not None:
                score = _decimal(score, Decimal("0.1"), step.text)
                if not 0 <= score <= (step.weight or 0):
                    raise ValidationError(
                        _("%(check)s: give between 0 and %(points)d points.")
                        % {"check": step.text, "points": step.weight or 0}
                    )
            step.score = score
        elif step.kind == ChecklistKind.TEXT:
            step.answer = (values.get("answer") or "").strip()[:500]
        elif values.get("photo"):
            step.photo = values["photo"]
            step.full_clean(exclude=exclude)
            step.save()
        step.passed = step.evaluate()
        step.recorded_at = now if step.passed is not None else None
        changed.append(step)
        if step.passed is False:
            failed.append(step)
    if changed:
        type(changed[0]).objects.bulk_update(
            changed, ["checked_ok", "number", "answer", "score", "passed", "recorded_at"]
        )
    return changed, failed


@transaction.atomic
def open_follow_up(
    answer,
    make,
    *,
    field="follow_up",
    related=(),
    not_failed=None,
    already=None,
):
    """A failed answer opens its follow-up record in one locked step: the answer is locked,
    one that did not fail or already has its follow-up is refused, ``make(answer)`` creates
    the record (a repair order, a rectification …) and the answer is linked to it.
    Returns the record."""
    answer = (
        type(answer)
        .objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=answer.pk)
    )
    if answer.passed is not False:
        raise ValidationError(not_failed or _("Only a failed item opens a follow-up."))
    if getattr(answer, f"{field}_id"):
        raise ValidationError(already or _("This item already has its follow-up."))
    record = make(answer)
    setattr(answer, field, record)
    answer.save(update_fields=[field])
    return record


# --- forms ------------------------------------------------------------------------------------


class ChecklistFormSet(forms.BaseInlineFormSet):
    """A checklist's items: ranges only for numbers, points only for scores, and the scores
    adding up to 100."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        ]
        check_weights(kept)


class AnswersForm(forms.Form):
    """One field per checklist step of an order (or reading of a round), named after it.

    Each field carries the value the page showed (a hidden initial), and only the steps whose
    value was changed on this page are saved: two people filling in one checklist on two
    phones do not wipe each other's answers.
    """

    OK_CHOICES = [("", "—"), ("yes", _("OK")), ("no", _("Not OK"))]

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = list(results)
        for result in self.results:
            name = f"r{result.pk}"
            if result.kind == ChecklistKind.CHECK:
                field = forms.ChoiceField(choices=self.OK_CHOICES, required=False)
                initial = {True: "yes", False: "no"}.get(result.checked_ok, "")
            elif result.kind == ChecklistKind.NUMBER:
                field = forms.DecimalField(required=False, max_digits=12, decimal_places=3)
                initial = result.number
            elif result.kind == ChecklistKind.SCORE:
                field = forms.DecimalField(
                    required=False,
                    max_digits=5,
                    decimal_places=1,
                    min_value=0,
                    max_value=result.weight or 0,
                )
                initial = result.score
            elif result.kind == ChecklistKind.TEXT:
                field = forms.CharField(required=False, max_length=500)
                initial = result.answer
            else:
                field = forms.FileField(
                    required=False,
                    validators=[PHOTO_VALIDATOR],
                    widget=forms.ClearableFileInput(
                        attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
                    ),
                )
                initial = None
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else css
            field.label = result.text
            field.help_text = result.describe_range()
            field.show_hidden_initial = not isinstance(field, forms.FileField)
            self.fields[name] = field
            self.initial[name] = initial
            result.field_name = name

    def answers(self):
        """What was entered, in the form :func:`apply_answers` takes."""
        answers = {}
        changed = set(self.changed_data)
        for result in self.results:
            if result.field_name not in changed:
                continue
            value = self.cleaned_data.get(result.field_name)
            if result.kind == ChecklistKind.CHECK:
                answers[result.pk] = {"checked_ok": {"yes": True, "no": False}.get(value)}
            elif result.kind == ChecklistKind.NUMBER:
                answers[result.pk] = {"number": value}
            elif result.kind == ChecklistKind.SCORE:
                answers[result.pk] = {"score": value}
            elif result.kind == ChecklistKind.TEXT:
                answers[result.pk] = {"answer": value or ""}
            elif value:
                answers[result.pk] = {"photo": value}
        return answers
