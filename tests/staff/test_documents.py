"""Staff's documents: the week's roster (A4 landscape, a legend of its shift codes) and an
employee's certificate list, as pages and as PDFs."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from staff import services
from staff.models import Shift
from tests.documents import compact, needs_pdf, pdf_text
from tests.factories import PropertyFactory, UserFactory

from .factories import (
    CertificateFactory,
    CertificateTypeFactory,
    EmployeeFactory,
    PostFactory,
    ShiftTypeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    home = PropertyFactory(name="华贸中心", code="HMC")
    gate = PostFactory(property=home, name="南门")
    day = ShiftTypeFactory(name="白班", code="D", start=datetime.time(8), end=datetime.time(20))
    night = ShiftTypeFactory(name="夜班", code="N", start=datetime.time(20), end=datetime.time(8))
    gate.shift_types.add(day, night)
    guard = EmployeeFactory(property=home, name="王建国")
    CertificateFactory(employee=guard, type=CertificateTypeFactory(name="保安员证"), number="BA-7")
    hr = UserFactory(groups=["hr"], properties=[home])
    monday = timezone.localdate() + datetime.timedelta(days=7)
    monday -= datetime.timedelta(days=monday.weekday())
    sunday = monday + datetime.timedelta(days=6)
    services.assign_shifts([Shift(employee=guard, post=gate, shift_type=day, date=sunday)], by=hr)
    return {"home": home, "guard": guard, "hr": hr, "monday": monday, "sunday": sunday}


def roster_url(site, kind="print", **params):
    params = {"property": site["home"].pk, "week": site["monday"].isoformat(), **params}
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse(f'staff:roster_{kind}')}?{query}"


class TestRoster:
    def test_the_week_in_landscape_with_sunday_and_a_legend(self, client, site):
        client.force_login(site["hr"])
        response = client.get(roster_url(site))
        assert response.status_code == HTTPStatus.OK
        body = response.content.decode()
        assert "A4 landscape" in body
        assert "王建国" in body and "<strong>D</strong>" in body
        assert response.context["days"][-1] == site["sunday"]  # the Sunday column is there
        legend = body[body.index('id="legend"') :]
        assert "白班 08:00–20:00" in legend and "夜班 20:00–08:00" in legend
        assert "<form" not in body

    def test_the_roster_page_links_the_document(self, client, site):
        client.force_login(site["hr"])
        page = client.get(
            reverse("staff:roster"),
            {"property": site["home"].pk, "week": site["monday"].isoformat()},
        ).content.decode()
        assert reverse("staff:roster_print") in page and reverse("staff:roster_pdf") in page

    def test_another_property_is_404_and_no_permission_403(self, client, site):
        client.force_login(UserFactory(groups=["hr"], properties=[PropertyFactory()]))
        assert client.get(roster_url(site)).status_code == 404
        assert client.get(roster_url(site, property="abc")).status_code == 404
        client.force_login(UserFactory(properties=[site["home"]]))
        assert client.get(roster_url(site)).status_code == 403

    def test_the_roster_pdf(self, client, site):
        needs_pdf()
        client.force_login(site["hr"])
        text = compact(pdf_text(client.get(roster_url(site, "pdf"))))
        assert "王建国" in text and "白班" in text and "华贸中心" in text


class TestCertificateList:
    def url(self, employee, kind="print"):
        return reverse(f"staff:employee_certificates_{kind}", args=[employee.pk])

    def test_the_list(self, client, site):
        client.force_login(site["hr"])
        body = client.get(self.url(site["guard"])).content.decode()
        assert "保安员证" in body and "BA-7" in body and "王建国" in body
        assert "11010519491231002X" not in body  # no ID-card number on the list
        detail = client.get(site["guard"].get_absolute_url()).content.decode()
        assert self.url(site["guard"]) in detail

    def test_another_property_is_404_and_no_permission_403(self, client, site):
        client.force_login(UserFactory(groups=["hr"], properties=[PropertyFactory()]))
        assert client.get(self.url(site["guard"])).status_code == 404
        client.force_login(UserFactory(groups=["guard"], properties=[site["home"]]))
        assert client.get(self.url(site["guard"])).status_code == 403

    def test_the_pdf(self, client, site):
        needs_pdf()
        client.force_login(site["hr"])
        text = compact(pdf_text(client.get(self.url(site["guard"], "pdf"))))
        assert "保安员证" in text and "BA-7" in text
