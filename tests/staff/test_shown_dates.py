"""Dates in the names of records (a shift, a training session, an interview, an inspection
round) and in the roster's day headers are written in the reader's date format, as every
other page writes them: "7 Dec 2026" in English, "2026年12月7日" in Chinese, never ISO."""

import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from facilities.models import InspectionRound, InspectionRoute
from staff.models import Shift
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    ApplicationFactory,
    CandidateFactory,
    CourseFactory,
    EmployeeFactory,
    InterviewFactory,
    PostFactory,
    ShiftTypeFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)
# 06:30 UTC is 14:30 in Shanghai: the name shows local time.
MOMENT = datetime.datetime(2026, 12, 7, 6, 30, tzinfo=ZoneInfo("UTC"))


def names(obj):
    with translation.override("en"):
        english = str(obj)
    with translation.override("zh-hans"):
        chinese = str(obj)
    return english, chinese


def test_the_names_of_dated_records_follow_the_readers_date_format():
    home = PropertyFactory()
    shift = Shift(
        employee=EmployeeFactory(property=home, name="王强"),
        post=PostFactory(property=home, name="南门"),
        shift_type=ShiftTypeFactory(code="D"),
        date=DAY,
    )
    english, chinese = names(shift)
    assert "7 Dec 2026 D" in english and "2026年12月7日 D" in chinese

    session = TrainingSessionFactory(course=CourseFactory(title="消防演练"), starts_at=MOMENT)
    assert names(session) == ("消防演练 · 7 Dec 2026", "消防演练 · 2026年12月7日")

    interview = InterviewFactory(
        application=ApplicationFactory(candidate=CandidateFactory(name="李娜")),
        scheduled_at=MOMENT,
    )
    assert names(interview) == ("李娜 · 7 Dec 2026, 14:30", "李娜 · 2026年12月7日 14:30")

    route = InspectionRoute.objects.create(
        property=home, name="泵房巡检", unit="days", interval=1, starts_on=DAY, next_due=DAY
    )
    round_ = InspectionRound.objects.create(route=route, due_on=DAY)
    assert names(round_) == ("泵房巡检 · 7 Dec 2026", "泵房巡检 · 2026年12月7日")
    for text in (*names(shift), *names(session), *names(interview), *names(round_)):
        assert "2026-12-07" not in text


@pytest.mark.parametrize(
    "language, header, iso", [("en", "7 Dec", "12/7"), ("zh-hans", "12月7日", "12/7")]
)
def test_the_rosters_day_headers_are_in_the_readers_format(client, language, header, iso):
    home = PropertyFactory()
    hr = UserFactory(groups=["hr"], properties=[home], language=language)
    client.force_login(hr)
    response = client.get("/staff/roster/", {"property": home.pk, "week": DAY.isoformat()})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    head = page[page.index("<thead") : page.index("</thead>")]
    assert header in head and f">{iso}<" not in head and f"<br>{iso}" not in head
