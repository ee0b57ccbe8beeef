from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.autocomplete import AutocompleteFormMixin
from core.dates import validate_record_date, validate_sane_date
from core.forms import PropertyFilteredSelect, ScopedModelForm
from core.models import User, code_validator
from core.roles import DIRECTOR, HR, users_in_roles
from core.scoping import scope_queryset, visible_property_ids, visible_records

from .models import (
    CLOSED_STAGES,
    Application,
    AppraisalCycle,
    Candidate,
    Certificate,
    CertificateType,
    Course,
    Department,
    Employee,
    EmployeeNote,
    Interview,
    InterviewCriterion,
    JobOpening,
    KPICriterion,
    KPITemplate,
    OpeningStatus,
    PlannedCourse,
    Position,
    Post,
    RotationPattern,
    Shift,
    ShiftType,
    Stage,
    TrainingPlan,
    TrainingSession,
)


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["name", "description"]


class PositionForm(ScopedModelForm):
    class Meta:
        model = Position
        fields = [
            "name",
            "department",
            "required_certificate_types",
            "required_courses",
            "description",
        ]
        widgets = {
            "required_certificate_types": forms.CheckboxSelectMultiple,
            "required_courses": forms.CheckboxSelectMultiple,
        }


class CertificateTypeForm(ScopedModelForm):
    class Meta:
        model = CertificateType
        fields = ["name", "issuing_authority", "description"]


class EmployeeForm(ScopedModelForm):
    class Meta:
        model = Employee
        fields = [
            "staff_no",
            "name",
            "phone",
            "id_number",
            "property",
            "department",
            "position",
            "supervisor",
            "hire_date",
            "status",
            "probation_end",
            "leave_start",
            "leave_end",
            "resigned_on",
            "emergency_contact",
            "emergency_phone",
            "user",
        ]
        widgets = {"supervisor": PropertyFilteredSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.has_perm("staff.reveal_id_number"):
            # Only HR sees (and so edits) ID-card numbers.
            del self.fields["id_number"]
        supervisors = self.fields["supervisor"].queryset.current().select_related("property")
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors
        # A login links to one employee at most, and only an ordinary login of a property the
        # editor works on: linking gives the login this person's appraisal rights.
        logins = User.objects.filter(
            is_active=True, is_superuser=False, employee__isnull=True
        ).exclude(pk__in=users_in_roles(DIRECTOR, HR).values("pk"))
        ids = visible_property_ids(self.user)
        if ids is not None:
            logins = logins.filter(properties__in=ids)
        self.fields["user"].queryset = (
            logins | User.objects.filter(pk=self.instance.user_id)
        ).distinct()

    def clean(self):
        data = super().clean()
        login, property_ = data.get("user"), data.get("property")
        if (
            login
            and property_
            and login.pk != self.instance.user_id
            and not (login.properties.filter(pk=property_.pk).exists())
        ):
            self.add_error("user", _("This login does not work on the employee's property."))
        return data


class CertificateForm(ScopedModelForm):
    class Meta:
        model = Certificate
        fields = [
            "employee",
            "type",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "next_review_on",
            "scan",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A record about someone is filed only by those who may see that person's records.
        self.fields["employee"].queryset = visible_records(
            self.fields["employee"].queryset.current(), self.user
        )


class EmployeeNoteForm(ScopedModelForm):
    class Meta:
        model = EmployeeNote
        fields = ["employee", "kind", "date", "summary", "details"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = visible_records(
            self.fields["employee"].queryset, self.user
        )


# --- recruitment ---------------------------------------------------------------------------


class JobOpeningForm(ScopedModelForm):
    class Meta:
        model = JobOpening
        fields = ["property", "position", "headcount", "reason", "status", "opened_on"]


class CandidateForm(ScopedModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "phone", "email", "source", "resume", "note"]


class ApplicationForm(ScopedModelForm):
    class Meta:
        model = Application
        fields = ["opening", "candidate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        openings = self.fields["opening"].queryset.select_related("position", "property")
        if self.instance.pk:
            # An application stays with its opening and candidate; the pipeline moves it.
            self.fields["opening"].disabled = True
            self.fields["candidate"].disabled = True
        else:
            openings = openings.filter(status=OpeningStatus.OPEN)
        self.fields["opening"].queryset = openings
        self.fields["candidate"].queryset = visible_records(
            self.fields["candidate"].queryset, self.user
        )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class HireForm(AutocompleteFormMixin, forms.Form):
    staff_no = forms.CharField(label=_("Staff number"), max_length=20, validators=[code_validator])
    hire_date = forms.DateField(
        label=_("Hire date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_record_date],
    )
    probation_end = forms.DateField(
        label=_("Probation ends"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_record_date],
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=Employee.objects.none(), required=False
    )

    def __init__(self, *args, opening, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = scope_queryset(
            Employee.objects.current().filter(property=opening.property_id), user
        )

    def clean(self):
        data = super().clean()
        hire_date, probation_end = data.get("hire_date"), data.get("probation_end")
        if hire_date and probation_end and probation_end < hire_date:
            self.add_error("probation_end", _("Probation cannot end before the hire date."))
        return data


class InterviewForm(ScopedModelForm):
    """The interview, with one 1–5 score field per active criterion."""

    class Meta:
        model = Interview
        fields = [
            "application",
            "scheduled_at",
            "place",
            "interviewers",
            "recommendation",
            "comments",
        ]
        widgets = {
            "scheduled_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "interviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        applications = visible_records(self.fields["application"].queryset, self.user)
        open_ones = applications.exclude(stage__in=CLOSED_STAGES)
        if self.instance.pk:  # an interview keeps its application, even once it is closed
            open_ones = open_ones | applications.filter(pk=self.instance.application_id)
        self.fields["application"].queryset = open_ones.select_related(
            "candidate", "opening__position", "opening__property"
        )
        self.fields["interviewers"].queryset = self.fields["interviewers"].queryset.current()
        existing = {}
        if self.instance.pk:
            existing = {s.criterion_id: s.score for s in self.instance.scores.all()}
        self.criteria = list(InterviewCriterion.objects.filter(active=True))
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=1,
                max_value=5,
                required=False,
                initial=existing.get(criterion.pk),
                help_text=_("1 (poor) to 5 (excellent)"),
            )

    def scores(self):
        return {c: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class InterviewCriterionForm(ScopedModelForm):
    class Meta:
        model = InterviewCriterion
        fields = ["name", "order", "active"]


# --- training ------------------------------------------------------------------------------


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = ["title", "category", "hours", "validity_months", "pass_score", "description"]


class TrainingSessionForm(ScopedModelForm):
    class Meta:
        model = TrainingSession
        fields = ["course", "property", "starts_at", "trainer", "place", "capacity"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class EnrolForm(forms.Form):
    employees = forms.ModelMultipleChoiceField(
        label=_("Employees"), queryset=Employee.objects.none()
    )

    def __init__(self, *args, session, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = scope_queryset(
            Employee.objects.current().filter(property=session.property_id), user
        ).exclude(attendances__session=session)


class TrainingPlanForm(ScopedModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["property", "year", "note"]


class PlannedCourseForm(ScopedModelForm):
    class Meta:
        model = PlannedCourse
        fields = ["plan", "course", "month", "participants"]


# --- appraisals ----------------------------------------------------------------------------


class AppraisalCycleForm(ScopedModelForm):
    class Meta:
        model = AppraisalCycle
        fields = ["property", "name", "kind", "period_start", "period_end", "deadline"]


class KPITemplateForm(ScopedModelForm):
    class Meta:
        model = KPITemplate
        fields = ["position", "note"]


class BaseCriteriaFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = sum(f.cleaned_data.get("weight") or 0 for f in kept)
        if total != 100:
            raise forms.ValidationError(
                _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
            )


CriteriaFormSet = forms.inlineformset_factory(
    KPITemplate,
    KPICriterion,
    formset=BaseCriteriaFormSet,
    fields=["name", "weight", "order"],
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ScoresForm(forms.Form):
    """One 0–100 field per criterion of an appraisal, and a comment."""

    comment = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, lines, initial_attr, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"score_{line.criterion_id}"] = forms.IntegerField(
                label=f"{line.criterion.name} ({line.criterion.weight}%)",
                min_value=0,
                max_value=100,
                initial=getattr(line, initial_attr),
            )
        self.order_fields([f"score_{line.criterion_id}" for line in lines] + ["comment"])

    def scores(self):
        return {
            line.criterion_id: self.cleaned_data[f"score_{line.criterion_id}"]
            for line in self.lines
        }


# --- rosters -------------------------------------------------------------------------------

DATE_INPUT = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "validators": [validate_sane_date],
}


class ShiftTypeForm(ScopedModelForm):
    class Meta:
        model = ShiftType
        fields = ["name", "code", "start", "end"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class PostForm(ScopedModelForm):
    class Meta:
        model = Post
        fields = [
            "property",
            "name",
            "location",
            "required_certificate_types",
            "shift_types",
            "headcount",
            "supervisor",
            "active",
        ]
        widgets = {
            "location": PropertyFilteredSelect,
            "supervisor": PropertyFilteredSelect,
            "required_certificate_types": forms.CheckboxSelectMultiple,
            "shift_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = self.fields["location"].queryset.select_related(
            "property"
        )
        self.fields["supervisor"].queryset = self.fields["supervisor"].queryset.current()


class RotationPatternForm(ScopedModelForm):
    class Meta:
        model = RotationPattern
        fields = ["name", "sequence"]


class ShiftForm(ScopedModelForm):
    class Meta:
        model = Shift
        fields = ["employee", "post", "shift_type", "date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = self.fields["employee"].queryset.current()
        self.fields["post"].queryset = self.fields["post"].queryset.filter(active=True)


WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class RosterFormMixin:
    def __init__(self, *args, property_, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = scope_queryset(
            Post.objects.filter(property=property_, active=True), user
        )
        if "employees" in self.fields:
            self.fields["employees"].queryset = scope_queryset(
                Employee.objects.current().filter(property=property_), user
            )
        if "employee" in self.fields:
            self.fields["employee"].queryset = scope_queryset(
                Employee.objects.current().filter(property=property_), user
            )
        for name in ("employees", "employee"):
            if name in self.fields:
                # Typed, and only this property's people are offered.
                self.fields[name].widget.attrs["data-property"] = property_.pk


class BulkAssignForm(RosterFormMixin, AutocompleteFormMixin, forms.Form):
    """Put several people on a post and shift over a range of days."""

    employees = forms.ModelMultipleChoiceField(
        label=_("Employees"), queryset=Employee.objects.none()
    )
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none())
    shift_type = forms.ModelChoiceField(label=_("Shift"), queryset=ShiftType.objects.all())
    start = forms.DateField(label=_("From"), **DATE_INPUT)
    end = forms.DateField(label=_("To"), **DATE_INPUT)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"),
        choices=WEEKDAYS,
        coerce=int,
        initial=[d for d, _label in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day cannot be before the first."))
            elif (end - start).days > 62:
                self.add_error("end", _("Assign at most nine weeks at a time."))
        return data

    def days(self):
        data = self.cleaned_data
        count = (data["end"] - data["start"]).days + 1
        days = [data["start"] + timedelta(days=n) for n in range(count)]
        return [d for d in days if d.weekday() in data["weekdays"]]


class RotationForm(RosterFormMixin, AutocompleteFormMixin, forms.Form):
    """Roll a rotation pattern out for one person."""

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none())
    pattern = forms.ModelChoiceField(label=_("Pattern"), queryset=RotationPattern.objects.all())
    start = forms.DateField(label=_("From"), **DATE_INPUT)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=62, initial=14)
