"""The hazard loop: rectify with a note and a photo after, verified by someone other than
the owner (refused for the owner, in the service, the form's page and the database), a
failed verification back to rectifying, and the repair work order in one step."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import TimelineEvent
from safety import services
from safety.models import Hazard, HazardStatus
from tests.factories import UserFactory
from tests.staff.factories import EmployeeFactory

from .factories_hazards import HazardFactory, photo

pytestmark = pytest.mark.django_db

SUPERVISOR_PERMS = [
    "safety.view_hazard",
    "safety.change_hazard",
    "facilities.report_fault",
]


def supervisor(property_, **kwargs):
    return UserFactory(properties=[property_], perms=SUPERVISOR_PERMS, **kwargs)


def owned_hazard(property_):
    """A hazard whose owner has a login (with every hazard permission)."""
    owner_user = supervisor(property_)
    owner = EmployeeFactory(property=property_, user=owner_user)
    return HazardFactory(property=property_, owner=owner), owner_user


def rectified(hazard, by):
    services.start_rectifying(hazard, by=by)
    return services.ask_for_verification(hazard, by=by, note="已清理通道", after_photo=photo())


def test_the_loop_to_closed_by_another_person_with_its_timeline(property_a):
    hazard, owner_user = owned_hazard(property_a)
    checker = supervisor(property_a)
    rectified(hazard, owner_user)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING
    assert hazard.after_photo and hazard.rectification_note == "已清理通道"
    services.verify_hazard(hazard, by=checker, passed=True, note="复查合格")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert hazard.verified_by == checker and hazard.verified_at is not None
    actions = list(
        TimelineEvent.objects.filter(object_id=hazard.pk, content_type__model="hazard")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["start", "submit", "verify"]


def test_asking_for_verification_needs_a_note_and_a_photo_after(property_a):
    hazard, owner_user = owned_hazard(property_a)
    services.start_rectifying(hazard, by=owner_user)
    with pytest.raises(ValidationError):
        services.ask_for_verification(hazard, by=owner_user, note="  ", after_photo=photo())
    with pytest.raises(ValidationError):
        services.ask_for_verification(hazard, by=owner_user, note="done")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING


def test_the_owner_cannot_verify_by_login_or_by_employee_record(property_a):
    hazard, owner_user = owned_hazard(property_a)
    rectified(hazard, owner_user)
    with pytest.raises(ValidationError, match="owner"):
        services.verify_hazard(hazard, by=owner_user, passed=True)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING


def test_the_database_refuses_the_owner_as_verifier(property_a):
    hazard = HazardFactory(property=property_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hazard.objects.filter(pk=hazard.pk).update(verifier=hazard.owner)


def test_the_owners_verify_button_is_refused_over_http(client, property_a):
    hazard, owner_user = owned_hazard(property_a)
    rectified(hazard, owner_user)
    client.force_login(owner_user)
    response = client.post(f"/safety/hazards/{hazard.pk}/verify/", {"note": "ok"})
    assert response.status_code == HTTPStatus.FOUND
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING
    page = client.get(hazard.get_absolute_url())
    assert b"/verify/" not in page.content


def test_a_failed_verification_goes_back_to_rectifying_and_needs_a_reason(property_a):
    hazard, owner_user = owned_hazard(property_a)
    checker = supervisor(property_a)
    rectified(hazard, owner_user)
    with pytest.raises(ValidationError):
        services.verify_hazard(hazard, by=checker, passed=False, note="")
    services.verify_hazard(hazard, by=checker, passed=False, note="仍有杂物")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.rejections == 1
    rectified_again = services.ask_for_verification(hazard, by=owner_user, note="再次清理")
    assert rectified_again.status == HazardStatus.AWAITING  # the photo after is kept


def test_steps_out_of_order_are_refused(property_a):
    hazard, owner_user = owned_hazard(property_a)
    checker = supervisor(property_a)
    with pytest.raises(ValidationError):
        services.verify_hazard(hazard, by=checker, passed=True)
    rectified(hazard, owner_user)
    services.verify_hazard(hazard, by=checker, passed=True)
    with pytest.raises(ValidationError):
        services.start_rectifying(hazard, by=owner_user)


def test_a_repair_work_order_in_one_step(client, property_a):
    from facilities.models import WorkOrder, WorkOrderSource

    hazard = HazardFactory(property=property_a, grade="major")
    user = supervisor(property_a)
    client.force_login(user)
    response = client.post(f"/safety/hazards/{hazard.pk}/repair/")
    assert response.status_code == HTTPStatus.FOUND
    hazard.refresh_from_db()
    order = hazard.work_order
    assert order is not None and order.source == WorkOrderSource.HAZARD
    assert order.property_id == property_a.pk and order.location_id == hazard.location_id
    assert order.priority == "high"
    # The title keeps the facts and is worded in each reader's language.
    facts = f"{hazard.number}, {hazard.description}"
    assert order.title == facts and order.title_params == {"what": facts}
    with translation.override("en"):
        assert order.display_title == f"Fault: {facts}"
    again = client.post(f"/safety/hazards/{hazard.pk}/repair/")
    assert again.status_code == HTTPStatus.FOUND
    assert WorkOrder.objects.filter(source=WorkOrderSource.HAZARD).count() == 1


def test_another_propertys_hazard_actions_are_not_found(client, property_a, property_b):
    hazard = HazardFactory(property=property_b)
    client.force_login(supervisor(property_a))
    for action in ("start", "submit", "verify", "reject", "repair"):
        response = client.post(f"/safety/hazards/{hazard.pk}/{action}/", {"note": "x"})
        assert response.status_code == HTTPStatus.NOT_FOUND, action
    assert client.get(f"/safety/hazards/{hazard.pk}/photo/").status_code == HTTPStatus.NOT_FOUND


def test_a_guard_may_look_but_not_verify(client, property_a):
    hazard, owner_user = owned_hazard(property_a)
    rectified(hazard, owner_user)
    guard = UserFactory(properties=[property_a], perms=["safety.view_hazard"])
    client.force_login(guard)
    assert client.get(hazard.get_absolute_url()).status_code == HTTPStatus.OK
    response = client.post(f"/safety/hazards/{hazard.pk}/verify/")
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    "data",
    [
        {"note": "x" * 5000},
        {"note": "ok", "after_photo": "not a file"},
        {"note": "\x00"},
        {},
    ],
)
def test_hostile_input_to_the_actions_is_never_a_500(client, property_a, data):
    hazard, owner_user = owned_hazard(property_a)
    services.start_rectifying(hazard, by=owner_user)
    client.force_login(owner_user)
    for action in ("submit", "reject", "verify", "repair"):
        response = client.post(f"/safety/hazards/{hazard.pk}/{action}/", data)
        assert response.status_code == HTTPStatus.FOUND, action


def test_a_disguised_after_photo_is_refused(client, property_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hazard, owner_user = owned_hazard(property_a)
    services.start_rectifying(hazard, by=owner_user)
    client.force_login(owner_user)
    fake = SimpleUploadedFile("after.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(
        f"/safety/hazards/{hazard.pk}/submit/", {"note": "ok", "after_photo": fake}
    )
    assert response.status_code == HTTPStatus.FOUND
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and not hazard.after_photo


def test_the_form_refuses_an_owner_of_another_property(client, property_a, property_b):
    user = UserFactory(
        properties=[property_a, property_b], perms=["safety.add_hazard", "safety.view_hazard"]
    )
    client.force_login(user)
    response = client.post(
        "/safety/hazards/new/",
        {
            "property": property_a.pk,
            "source": "report",
            "found_at": "2026-11-20T09:30",
            "category": "gas",
            "grade": "general",
            "level": "blue",
            "description": "燃气表箱锈蚀",
            "owner": EmployeeFactory(property=property_b).pk,
            "deadline": "2026-11-27",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "owner" in response.context["form"].errors
    assert not Hazard.objects.exists()
