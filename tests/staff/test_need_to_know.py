"""Personal data follows need-to-know (staff.access), for every demo role, on every page that
shows staff records: lists, details, files, exports; and the helpers later features call.

The world mirrors the demo: two properties, the demo logins with their roles, properties and
linked employees, and a colleague in each department. Each person has a certificate (with
its scan), a note, an appraisal and a training record; four applications, each for an
opening of one department, three of them with an interview.
"""

import csv
import io
from datetime import timedelta
from http import HTTPStatus

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.roles import (
    CLEANING_SUPERVISOR,
    CUSTOMER_SERVICE,
    DIRECTOR,
    FACILITIES_SUPERVISOR,
    GUARD,
    HR,
    SECURITY_SUPERVISOR,
    STORES,
    TECHNICIAN,
)
from core.scoping import visible_records
from staff.access import may_see, visible_people
from staff.models import (
    Appraisal,
    Attendance,
    Certificate,
    Employee,
    EmployeeNote,
    Interview,
    NoteKind,
)
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    ApplicationFactory,
    AppraisalCycleFactory,
    CandidateFactory,
    CertificateFactory,
    DepartmentFactory,
    EmployeeFactory,
    EmployeeNoteFactory,
    InterviewFactory,
    JobOpeningFactory,
    PositionFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

EVERYONE = {
    "fac",
    "tech",
    "stores",
    "clean",
    "sec",
    "guard",
    "hr",
    "cleaner",
    "electrician",
    "jlg_guard",
}
# What each demo login may see of people's records; None: no staff pages at all (403).
PEOPLE = {
    "director": EVERYONE,
    "hr": EVERYONE,
    "facilities": {"fac", "tech", "electrician"},  # 工程部, at both properties
    "cleaning": {"clean", "cleaner"},  # 保洁部, at JLG
    "security": {"sec", "guard", "jlg_guard"},  # 安保部, at both properties
    "technician": None,
    "stores": None,
    "guard": None,
    "service": None,
}
# Applications: A 保洁部 at JLG, B 安保部 at JLG (the cleaning supervisor interviews),
# C 工程部 at JLG, D 工程部 at HMC. "walk_in" has not applied anywhere yet.
APPLICATIONS = {
    "director": {"A", "B", "C", "D"},
    "hr": {"A", "B", "C", "D"},
    "facilities": {"C", "D"},
    "cleaning": {"A", "B"},
    "security": {"B"},
    "technician": None,
    "stores": None,
    "guard": None,
    "service": None,
}
INTERVIEWED = {"A", "B", "D"}
# Exactly what each login sees through visible_people(), whatever their permissions: the
# rule that My work, the calendar and search will apply.
VISIBLE_PEOPLE = {
    **{user: people for user, people in PEOPLE.items() if people is not None},
    "technician": {"tech"},
    "stores": {"stores"},
    "guard": {"guard"},
    "service": set(),
}


class World:
    def __init__(self, media_root):
        self.jlg = PropertyFactory(code="JLG", name="翠湖花园")
        self.hmc = PropertyFactory(code="HMC", name="华贸中心")
        both = [self.jlg, self.hmc]
        departments = {
            key: DepartmentFactory(name=name)
            for key, name in (
                ("eng", "工程部"),
                ("clean", "保洁部"),
                ("sec", "安保部"),
                ("office", "综合办公室"),
                ("stores", "仓储采购部"),
            )
        }
        self.positions = {
            key: PositionFactory(name=f"{department.name}岗位", department=department)
            for key, department in departments.items()
        }
        # login, role, properties, employee label (None: no employee), property, department
        self.users, self.people = {}, {}
        for username, role, properties, label, home, department in (
            ("director", DIRECTOR, [], None, None, None),
            ("facilities", FACILITIES_SUPERVISOR, both, "fac", self.jlg, "eng"),
            ("technician", TECHNICIAN, [self.jlg], "tech", self.jlg, "eng"),
            ("stores", STORES, both, "stores", self.jlg, "stores"),
            ("cleaning", CLEANING_SUPERVISOR, [self.jlg], "clean", self.jlg, "clean"),
            ("security", SECURITY_SUPERVISOR, both, "sec", self.jlg, "sec"),
            ("guard", GUARD, [self.hmc], "guard", self.hmc, "sec"),
            ("hr", HR, both, "hr", self.jlg, "office"),
            ("service", CUSTOMER_SERVICE, [self.jlg], None, None, None),
        ):
            user = UserFactory(username=f"{username}_user", groups=[role], properties=properties)
            self.users[username] = user
            if label:
                self.people[label] = self._employee(label, home, department, user=user)
        for label, home, department in (
            ("cleaner", self.jlg, "clean"),
            ("electrician", self.hmc, "eng"),
            ("jlg_guard", self.jlg, "sec"),
        ):
            self.people[label] = self._employee(label, home, department)
        bosses = {"tech": "fac", "electrician": "fac", "cleaner": "clean", "jlg_guard": "sec"}
        bosses |= {"guard": "sec", "stores": "hr"}
        for label, boss in bosses.items():
            Employee.objects.filter(pk=self.people[label].pk).update(supervisor=self.people[boss])

        cycles = {p.pk: AppraisalCycleFactory(property=p) for p in both}
        sessions = {p.pk: TrainingSessionFactory(property=p, capacity=20) for p in both}
        self.certificates, self.notes, self.appraisals, self.attendances = {}, {}, {}, {}
        for label, person in self.people.items():
            certificate = CertificateFactory(employee=person)
            certificate.scan.save(f"{label}.pdf", ContentFile(b"%PDF-1.4 scan"))
            self.certificates[label] = certificate
            self.notes[label] = EmployeeNoteFactory(
                employee=person, kind=NoteKind.DISCIPLINARY, summary=f"note-{label}"
            )
            self.appraisals[label] = Appraisal.objects.create(
                cycle=cycles[person.property_id], employee=person
            )
            self.attendances[label] = Attendance.objects.create(
                session=sessions[person.property_id], employee=person
            )

        self.applications, self.candidates, self.interviews = {}, {}, {}
        for label, home, department in (
            ("A", self.jlg, "clean"),
            ("B", self.jlg, "sec"),
            ("C", self.jlg, "eng"),
            ("D", self.hmc, "eng"),
        ):
            candidate = CandidateFactory(name=f"candidate-{label}")
            candidate.resume.save(f"cv-{label}.pdf", ContentFile(b"%PDF-1.4 cv"))
            opening = JobOpeningFactory(property=home, position=self.positions[department])
            self.candidates[label] = candidate
            self.applications[label] = ApplicationFactory(opening=opening, candidate=candidate)
            if label in INTERVIEWED:
                self.interviews[label] = InterviewFactory(application=self.applications[label])
        self.interviews["B"].interviewers.add(self.people["clean"])
        self.walk_in = CandidateFactory(name="candidate-walk-in")
        self.walk_in.resume.save("cv-walk-in.pdf", ContentFile(b"%PDF-1.4 cv"))

    def _employee(self, label, home, department, user=None):
        return EmployeeFactory(
            name=f"person-{label}",
            property=home,
            position=self.positions[department],
            department=self.positions[department].department,
            phone="13900000000",
            user=user,
        )


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(tmp_path)


def _listed(client, url_name):
    response = client.get(reverse(url_name))
    if response.status_code != HTTPStatus.OK:
        return response.status_code, None
    return response.status_code, {
        row.record.pk for row in response.context["table"].page.object_list
    }


def _exported(client, url_name):
    """The data rows of the CSV and of the XLSX export (which must agree)."""
    response = client.get(reverse(url_name), {"_export": "csv"})
    assert response.status_code == HTTPStatus.OK
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1:]
    response = client.get(reverse(url_name), {"_export": "xlsx"})
    assert response.status_code == HTTPStatus.OK
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == len(rows)
    return rows


def _check(client, name, records, expected, *, detail=None, file=None):
    """The list, the CSV export, each detail page and each file of ``records`` (label →
    record) show exactly ``expected`` (labels), and answer 403 to a user without the
    permission (``expected`` None)."""
    status, listed = _listed(client, f"staff:{name}_list")
    if expected is None:
        assert status == HTTPStatus.FORBIDDEN, name
        assert client.get(reverse(f"staff:{name}_list"), {"_export": "csv"}).status_code == 403
    else:
        assert status == HTTPStatus.OK, name
        assert listed == {records[label].pk for label in expected}, name
        rows = _exported(client, f"staff:{name}_list")
        assert len(rows) == len(expected), (name, rows)
    for label, record in records.items():
        for url_name in filter(None, (detail, file)):
            code = client.get(reverse(url_name, args=[record.pk])).status_code
            if expected is None:
                want = HTTPStatus.FORBIDDEN
            else:
                want = HTTPStatus.OK if label in expected else HTTPStatus.NOT_FOUND
            assert code == want, (url_name, label, code)


@pytest.mark.parametrize("login", list(PEOPLE))
def test_each_role_sees_the_staff_records_it_needs_to_know(client, world, login):
    people = PEOPLE[login]
    client.force_login(world.users[login])
    _check(client, "employee", world.people, people, detail="staff:employee_detail")
    _check(
        client,
        "certificate",
        world.certificates,
        people,
        detail="staff:certificate_detail",
        file="staff:certificate_scan",
    )
    _check(client, "employeenote", world.notes, people, detail="staff:employeenote_detail")
    _check(client, "attendance", world.attendances, people)
    if people is None:
        # Whoever may not open appraisals still opens their own.
        own = world.people.get(
            {"technician": "tech", "stores": "stores", "guard": "guard"}.get(login)
        )
        for label, appraisal in world.appraisals.items():
            code = client.get(reverse("staff:appraisal_detail", args=[appraisal.pk])).status_code
            mine = own is not None and appraisal.employee_id == own.pk
            assert code == (HTTPStatus.OK if mine else HTTPStatus.FORBIDDEN), label
        assert client.get(reverse("staff:appraisal_list")).status_code == 403
    else:
        _check(client, "appraisal", world.appraisals, people, detail="staff:appraisal_detail")


@pytest.mark.parametrize("login", list(APPLICATIONS))
def test_each_role_sees_the_candidates_it_needs_to_know(client, world, login):
    expected = APPLICATIONS[login]
    client.force_login(world.users[login])
    _check(client, "application", world.applications, expected, detail="staff:application_detail")
    _check(
        client,
        "interview",
        world.interviews,
        None if expected is None else expected & INTERVIEWED,
        detail="staff:interview_detail",
    )
    candidates = {**world.candidates, "walk_in": world.walk_in}
    seen = None
    if expected is not None:
        # HR (and the director) also see whoever has not applied anywhere yet.
        seen = expected | ({"walk_in"} if login in ("director", "hr") else set())
    _check(
        client,
        "candidate",
        candidates,
        seen,
        detail="staff:candidate_detail",
        file="staff:candidate_resume",
    )


@pytest.mark.parametrize("login", list(VISIBLE_PEOPLE))
def test_visible_people_is_the_rule_later_features_apply(world, login):
    user = world.users[login]
    want = {world.people[label].pk for label in VISIBLE_PEOPLE[login]}
    assert set(visible_people(user).values_list("pk", flat=True)) == want
    for label, person in world.people.items():
        assert may_see(user, person) == (person.pk in want), label
        assert may_see(user, world.notes[label]) == (person.pk in want), label


def test_superusers_see_everything_and_anonymous_users_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    admin = UserFactory(is_superuser=True, is_staff=True)
    assert visible_people(admin).count() == len(world.people)
    assert visible_records(Interview.objects.all(), admin).count() == len(world.interviews)
    assert not visible_people(AnonymousUser()).exists()
    assert not visible_records(Certificate.objects.all(), AnonymousUser()).exists()


def test_a_supervisor_whose_login_is_linked_to_nobody_sees_no_ones_records(client, world):
    stranger = UserFactory(groups=[SECURITY_SUPERVISOR], properties=[world.jlg])
    client.force_login(stranger)
    assert _listed(client, "staff:employee_list") == (HTTPStatus.OK, set())
    guard = world.people["jlg_guard"]
    assert client.get(reverse("staff:employee_detail", args=[guard.pk])).status_code == 404


def test_an_appraisal_is_also_seen_by_its_reviewer(client, world):
    cleaning = world.users["cleaning"]
    reviewed = world.appraisals["jlg_guard"]
    Appraisal.objects.filter(pk=reviewed.pk).update(reviewer=cleaning)
    client.force_login(cleaning)
    assert client.get(reverse("staff:appraisal_detail", args=[reviewed.pk])).status_code == 200
    _status, listed = _listed(client, "staff:appraisal_list")
    assert listed == {world.appraisals[label].pk for label in ("clean", "cleaner", "jlg_guard")}
    # Reviewing one appraisal opens no other record of that person.
    guard = world.people["jlg_guard"]
    assert client.get(reverse("staff:employee_detail", args=[guard.pk])).status_code == 404


def test_pages_about_groups_list_only_the_people_the_user_may_see(client, world):
    """A cycle, a training session and an opening are not personal; the appraisals,
    attendees and candidates they list are."""
    client.force_login(world.users["cleaning"])
    cycle = world.appraisals["cleaner"].cycle
    page = client.get(reverse("staff:appraisalcycle_detail", args=[cycle.pk]))
    assert {a.employee.name for a in page.context["appraisals"]} == {
        "person-clean",
        "person-cleaner",
    }
    session = world.attendances["cleaner"].session
    page = client.get(reverse("staff:trainingsession_detail", args=[session.pk]))
    assert {a.employee.name for a in page.context["attendances"]} == {
        "person-clean",
        "person-cleaner",
    }
    assert "person-jlg_guard" not in page.content.decode()
    opening = world.applications["C"].opening  # 工程部: not the cleaning supervisor's
    page = client.get(reverse("staff:jobopening_detail", args=[opening.pk]))
    assert page.status_code == 200
    assert "candidate-C" not in page.content.decode()


def test_the_roster_shows_every_name_but_links_only_the_team(client, world):
    """Who works when is how the work is organised: every name and position is on the
    grid; only the records the user may open are linked, and no phone number is shown."""
    client.force_login(world.users["cleaning"])
    page = client.get(reverse("staff:roster"), {"property": world.jlg.pk})
    body = page.content.decode()
    guard, cleaner = world.people["jlg_guard"], world.people["cleaner"]
    assert "person-jlg_guard" in body and guard.get_absolute_url() not in body
    assert cleaner.get_absolute_url() in body
    assert "13900000000" not in body


def test_a_supervisor_files_notes_only_about_the_team(client, world):
    client.force_login(world.users["cleaning"])
    form = client.get(reverse("staff:employeenote_add")).context["form"]
    offered = set(form.fields["employee"].queryset.values_list("name", flat=True))
    assert offered == {"person-clean", "person-cleaner"}
    before = EmployeeNote.objects.count()
    response = client.post(
        reverse("staff:employeenote_add"),
        {
            "employee": world.people["jlg_guard"].pk,
            "kind": NoteKind.DISCIPLINARY,
            "date": timezone.localdate().isoformat(),
            "summary": "迟到",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "employee" in response.context["form"].errors
    assert EmployeeNote.objects.count() == before


def test_the_admin_and_its_history_follow_the_same_rule(client, world):
    cleaning = world.users["cleaning"]
    cleaning.is_staff = True
    cleaning.save(update_fields=["is_staff"])
    client.force_login(cleaning)
    guard, cleaner = world.people["jlg_guard"], world.people["cleaner"]
    for url in (
        f"/admin/staff/employee/{guard.pk}/change/",
        f"/admin/staff/employee/{guard.pk}/history/",
        f"/admin/staff/appraisal/{world.appraisals['jlg_guard'].pk}/history/",
        f"/admin/staff/candidate/{world.candidates['C'].pk}/history/",
    ):
        assert client.get(url).status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FOUND), url
    assert client.get(f"/admin/staff/employee/{cleaner.pk}/history/").status_code == 200
    listed = client.get("/admin/staff/employee/").context["cl"].result_list
    assert {e.name for e in listed} == {"person-clean", "person-cleaner"}


def test_the_dashboard_counts_the_records_behind_its_links(client, world):
    from staff.dashboard import staff_figures

    class Request:
        user = world.users["cleaning"]

    figures = {str(stat.label): stat.value for stat in staff_figures(Request())}
    assert figures["Employees"] == 2
    assert figures["Candidates in the pipeline"] == 2  # A and B
    Request.user = world.users["hr"]
    figures = {str(stat.label): stat.value for stat in staff_figures(Request())}
    assert figures["Employees"] == len(world.people)


# --- the demo itself: what the issue found ---------------------------------------------------


@pytest.fixture
def demo(settings, tmp_path):
    from core import demo as core_demo
    from staff import demo as staff_demo

    settings.MEDIA_ROOT = tmp_path
    core_demo.seed()
    staff_demo.seed()


def _department(username):
    return Employee.objects.get(user__username=username).department


def test_in_the_demo_cleaning_no_longer_opens_every_appraisal_or_candidate(client, demo):
    from core.models import User

    cleaning = User.objects.get(username="cleaning")
    client.force_login(cleaning)
    all_jlg = Appraisal.objects.filter(cycle__property__code="JLG")
    assert all_jlg.count() > 10
    _status, listed = _listed(client, "staff:appraisal_list")
    own_department = all_jlg.filter(employee__department=_department("cleaning"))
    assert listed == set(own_department.values_list("pk", flat=True)) and listed
    for appraisal in all_jlg.exclude(pk__in=listed):
        url = reverse("staff:appraisal_detail", args=[appraisal.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    from staff.models import Candidate

    for candidate in Candidate.objects.all():
        for name in ("staff:candidate_detail", "staff:candidate_resume"):
            assert client.get(reverse(name, args=[candidate.pk])).status_code == 404
    # The security supervisor runs that opening (安保部) and sees its candidates.
    client.force_login(User.objects.get(username="security"))
    _status, listed = _listed(client, "staff:candidate_list")
    assert listed == set(Candidate.objects.values_list("pk", flat=True)) and listed


def test_in_the_demo_every_staff_reminder_goes_to_someone_who_may_open_it(demo):
    """Reminders and their e-mails follow the rule: each recipient may open the record the
    reminder links to (HR, the person's supervisor, the reviewer, the person)."""
    from core.reminders import collect

    day = timezone.localdate()
    found = 0
    for offset in range(0, 100, 3):
        for recipient, reminders in collect(day + timedelta(days=offset)).items():
            for reminder in reminders:
                if not reminder.kind.key.startswith("staff."):
                    continue
                found += 1
                assert may_see(recipient, reminder.obj), (recipient, reminder.kind.key)
    assert found > 20


def test_hr_reaches_candidates_before_their_first_application(client, world):
    client.force_login(world.users["hr"])
    url = reverse("staff:candidate_detail", args=[world.walk_in.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.users["security"])
    assert client.get(url).status_code == 404


def test_another_departments_record_cannot_be_edited_either(client, world):
    """Supervisors record notes and interviews (they delete neither): only about the people
    they may see."""
    client.force_login(world.users["cleaning"])
    for name, mine, theirs in (
        ("employeenote", world.notes["cleaner"], world.notes["jlg_guard"]),
        # C: an opening of 工程部 at the supervisor's own property
        ("interview", world.interviews["A"], InterviewFactory(application=world.applications["C"])),
    ):
        assert client.get(reverse(f"staff:{name}_edit", args=[mine.pk])).status_code == 200
        url = reverse(f"staff:{name}_edit", args=[theirs.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        assert client.post(url, {"summary": "改", "comments": "改"}).status_code == 404, url
        theirs.refresh_from_db()
        assert getattr(theirs, "summary", "") != "改" and getattr(theirs, "comments", "") != "改"
