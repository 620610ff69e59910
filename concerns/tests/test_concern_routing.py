"""Routing by category, e-mail to the handler exactly once, double submit (issue 5)."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, partner, staff
from concerns import services
from concerns.models import Concern, ConcernStatus, HandlerKind
from notifications import tasks as notification_tasks
from notifications.models import Notification
from students.models import SupportStatus
from students.tests.factories import ConsentFactory

from .factories import ConcernCategoryFactory, form_data, route

pytestmark = pytest.mark.django_db


def submit(student, category, actor, key=None):
    return services.concern_submit(
        school=student.school,
        student=student,
        category=category,
        observation="Komt steeds te laat.",
        urgency=2,
        submission_key=key or uuid.uuid4(),
        actor=actor,
    )


def mailed_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_role_category_routes_to_everyone_with_that_role(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    second = staff(school, Role.ZORGCOORDINATOR, email="zc2@a.test")
    with django_capture_on_commit_callbacks(execute=True):
        concern, created = submit(student, route(school)["gedrag"], mentor)
    assert created
    assert (concern.handler_role, concern.handler_id, concern.handler_organisation_id) == (
        Role.ZORGCOORDINATOR,
        None,
        None,
    )
    assert concern.handler_label == "Zorgcoördinator"
    assert mailed_to() == sorted([coordinator.email, second.email])


def test_person_category_routes_to_that_person(school, student, mentor, django_capture_on_commit_callbacks):
    person = staff(school, Role.VERZUIMCOORDINATOR, email="vc@a.test")
    category = ConcernCategoryFactory(
        school=school, handler_kind=HandlerKind.PERSON, handler_role="", handler_user=person
    )
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, category, mentor)
    assert concern.handler == person
    assert mailed_to() == [person.email]


def test_person_who_left_the_school_falls_back_to_the_coordinators(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    person = staff(school, Role.VERZUIMCOORDINATOR, email="vc@a.test")
    category = ConcernCategoryFactory(
        school=school, handler_kind=HandlerKind.PERSON, handler_role="", handler_user=person
    )
    person.memberships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, category, mentor)
    assert (concern.handler_id, concern.handler_role) == (None, Role.ZORGCOORDINATOR)
    assert mailed_to() == [coordinator.email]


def test_organisation_category_routes_to_the_partner_when_consent_covers_it(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    leerplicht = OrganisationFactory(kind=OrganisationKind.LEERPLICHT, schools=[school])
    officer = partner(leerplicht, email="lp@partner.test")
    ConsentFactory(student=student, organisation=leerplicht, recorded_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, route(school, leerplicht)["verzuim"], mentor)
    assert concern.handler_organisation == leerplicht
    assert mailed_to() == [officer.email]


def test_partner_without_consent_is_not_mailed_the_coordinators_are(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    leerplicht = OrganisationFactory(kind=OrganisationKind.LEERPLICHT, schools=[school])
    partner(leerplicht, email="lp@partner.test")
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, route(school, leerplicht)["verzuim"], mentor)
    assert concern.handler_organisation == leerplicht
    assert mailed_to() == [coordinator.email]
    assert Notification.objects.get().kind == "concerns.concern_unreachable"


def test_meldcode_category_routes_to_the_aandachtsfunctionaris(
    school, student, mentor, aandachtsfunctionaris, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, route(school)["veiligheid"], mentor)
    assert concern.is_meldcode
    assert concern.handler_role == Role.AANDACHTSFUNCTIONARIS
    assert mailed_to() == [aandachtsfunctionaris.email]


def test_the_mail_is_queued_after_commit_and_sent_once_even_when_retried(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        concern, _ = submit(student, route(school)["gedrag"], mentor)
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.key == f"concern:{concern.pk}:routed:{coordinator.pk}"
    # A retried or redelivered task, and the routing run again: still one message.
    notification_tasks.notification_send.apply(args=[notification.pk])
    notification_tasks.notification_send.delay(notification.pk)
    assert services.concern_notify(concern_id=concern.pk, event="routed", actor_id=mentor.pk) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_a_rolled_back_concern_mails_nobody(school, student, mentor, coordinator, django_capture_on_commit_callbacks):
    from django.db import transaction

    def failing_request():
        with transaction.atomic():
            submit(student, route(school)["gedrag"], mentor)
            raise RuntimeError("the request failed after the concern was made")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_request()
    assert Concern.objects.count() == 0
    assert mail.outbox == []


def test_the_mail_names_no_pupil_and_no_detail_only_a_login_link(
    school, student, mentor, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = submit(student, route(school)["gedrag"], mentor)
    message = mail.outbox[0]
    text = message.subject + message.body
    for secret in (student.first_name, student.last_name, "Gedrag", "te laat", student.school_class.name):
        assert secret not in text
    assert f"http://testserver/zorg/meldingen/{concern.pk}/" in message.body


def test_the_same_form_posted_twice_makes_one_concern(client, school, student, mentor):
    data = form_data(student, route(school)["gedrag"])
    client.force_login(mentor)
    first = client.post("/zorg/meldingen/nieuw/", data)
    second = client.post("/zorg/meldingen/nieuw/", data)  # double click, back button, retry
    assert first.status_code == second.status_code == 302
    assert Concern.objects.count() == 1
    assert "al verstuurd" in client.get(second.url).text


def test_another_users_submission_key_is_refused(school, student, mentor):
    other = staff(school, Role.MENTOR, email="m2@a.test")
    key, gedrag = uuid.uuid4(), route(school)["gedrag"]
    submit(student, gedrag, mentor, key=key)
    with pytest.raises(ValidationError):
        submit(student, gedrag, other, key=key)
    assert Concern.objects.count() == 1


def test_raising_a_concern_marks_the_pupil_gesignaleerd_but_a_meldcode_case_does_not(school, student, mentor):
    categories = route(school)
    submit(student, categories["veiligheid"], mentor)
    student.refresh_from_db()
    assert student.support_status == SupportStatus.NONE  # the mentor sees nothing of a Meldcode case
    submit(student, categories["gedrag"], mentor)
    student.refresh_from_db()
    assert student.support_status == SupportStatus.SIGNALED


def test_a_new_concern_is_new_and_on_the_timeline(school, student, mentor):
    concern, _ = submit(student, route(school)["gedrag"], mentor)
    assert concern.status == ConcernStatus.NEW
    assert student.timeline.filter(kind="concerns.raised", section="zorg").exists()


@pytest.mark.worker
def test_a_real_worker_on_the_broker_sends_the_handler_mail(school, student, mentor, coordinator, celery_worker):
    from carecoord.testing import wait_until

    concern, _ = submit(student, route(school)["gedrag"], mentor)  # transactional test: committed now
    sent = wait_until(lambda: Notification.objects.filter(sent_at__isnull=False).exists(), timeout=20)
    assert sent
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert Notification.objects.get().key == f"concern:{concern.pk}:routed:{coordinator.pk}"
