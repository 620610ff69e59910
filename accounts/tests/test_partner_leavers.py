"""A partner professional who leaves is switched off by the organisation's contact person or
by applicatiebeheer, without the Django admin: sessions end on the next request, open
invitations stop, the change is in the onboarding log, and their open work is handed on
(a concern the organisation handles stays with the organisation)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Invitation, Organisation, User
from accounts.tests.factories import OrganisationFactory, partner
from audit.models import Change
from carecoord import access

pytestmark = pytest.mark.django_db

CONFIRM = "Deze professional uitschakelen?"


def _off(client, person, **data):
    return client.post(f"/partner/professionals/{person.pk}/uitschakelen/", data)


def test_contact_person_switches_off_a_professional_who_is_logged_out_on_the_next_request(
    client, contact, partner_user, app_admin
):
    other = client.__class__()
    other.force_login(partner_user)
    assert other.get("/partner/professionals/").status_code == 403  # signed in (not the contact)
    client.force_login(contact)
    page = client.get("/partner/professionals/")
    assert f'action="/partner/professionals/{partner_user.pk}/uitschakelen/"' in page.text
    assert f'action="/partner/professionals/{contact.pk}/uitschakelen/"' not in page.text  # not themselves
    assert CONFIRM in page.text  # the button asks first
    response = _off(client, partner_user)
    assert response.status_code == 302 and response["Location"] == "/partner/professionals/"
    partner_user.refresh_from_db()
    assert not partner_user.is_active
    assert "/login/" in other.get("/partner/professionals/")["Location"]  # to the sign-in page
    assert "uitgeschakeld" in client.get("/partner/professionals/").text
    change = Change.objects.get(kind="accounts.professional_deactivated", object_id=partner_user.pk)
    assert change.school is None and change.actor == contact and change.changes["is_active"] == [True, False]
    client.force_login(app_admin)
    assert "Professional uitgeschakeld" in client.get("/regio/logboek/").text


def test_switching_off_revokes_open_invitations(client, contact, organisation):
    from accounts import services

    invited, _invitation = services.invitation_create(
        actor=contact, organisation=organisation, email="nieuw@jeugdteam.test", name="Nog Niet"
    )
    client.force_login(contact)
    _off(client, invited)
    invitation = Invitation.objects.get(user=invited)
    assert invitation.revoked_at is not None and invitation.state == "revoked"
    assert Change.objects.get(kind="accounts.professional_deactivated").changes["open_invitations"] == [1, 0]


def test_a_get_switches_nobody_off(client, contact, partner_user):
    client.force_login(contact)
    assert client.get(f"/partner/professionals/{partner_user.pk}/uitschakelen/").status_code == 405
    partner_user.refresh_from_db()
    assert partner_user.is_active


def test_app_admin_switches_off_the_contact_person_from_the_organisation_page(
    client, app_admin, contact, partner_user, organisation
):
    client.force_login(app_admin)
    page = client.get(f"/regio/partners/{organisation.pk}/")
    assert contact.email in page.text and partner_user.email in page.text
    assert f'action="/partner/professionals/{contact.pk}/uitschakelen/"' in page.text
    response = _off(client, contact, next=f"/regio/partners/{organisation.pk}/")
    assert response["Location"] == f"/regio/partners/{organisation.pk}/"
    contact.refresh_from_db()
    organisation.refresh_from_db()
    assert not contact.is_active
    assert organisation.contact is None  # nobody invites on behalf of the organisation any more
    assert Change.objects.get(kind="accounts.professional_deactivated").changes["contact"] == [True, False]


def test_a_professionals_open_work_is_handed_on_and_the_organisations_concern_stays(
    client, school, coordinator, contact, consented_partner, organisation, student
):
    from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory
    from meetings.tests.factories import AgreementFactory, MeetingFactory
    from todo.models import Task
    from todo.services import task_create

    task = task_create(
        school=school,
        assignee=consented_partner,
        student=student,
        title="Huisbezoek plannen",
        due_on=timezone.localdate() + timedelta(days=2),
        key=f"test:{student.pk}:{consented_partner.pk}",
        notify=False,
    )
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator, consented_partner])
    agreement = AgreementFactory(meeting=meeting, owner=consented_partner)
    category = ConcernCategoryFactory(
        school=school, handler_kind="organisatie", handler_role="", handler_organisation=organisation
    )
    concern = ConcernFactory(student=student, category=category, raised_by=coordinator)
    client.force_login(contact)
    _off(client, consented_partner)
    task.refresh_from_db()
    agreement.refresh_from_db()
    concern.refresh_from_db()
    assert task.assignee == coordinator and task.done_at is None
    assert agreement.owner == coordinator
    assert concern.handler_organisation == organisation and concern.handler is None
    assert not Task.objects.filter(assignee=consented_partner, done_at__isnull=True).exists()


@pytest.mark.denies("organisation.deactivate_professional")
def test_contact_person_cannot_switch_off_themselves(client, contact):
    client.force_login(contact)
    assert _off(client, contact).status_code == 403
    contact.refresh_from_db()
    assert contact.is_active


@pytest.mark.denies("organisation.deactivate_professional")
def test_professional_who_is_not_the_contact_cannot_switch_off_a_colleague(client, contact, partner_user):
    client.force_login(partner_user)
    assert _off(client, contact).status_code == 403
    contact.refresh_from_db()
    assert contact.is_active


@pytest.mark.denies("organisation.deactivate_professional")
def test_contact_of_another_organisation_gets_404(client, school, partner_user):
    stranger_org = OrganisationFactory(name="SMW B", schools=[school])
    stranger = partner(stranger_org, email="contact@smw.test")
    Organisation.objects.filter(pk=stranger_org.pk).update(contact=stranger)
    stranger.refresh_from_db()
    client.force_login(stranger)
    assert _off(client, partner_user).status_code == 404
    partner_user.refresh_from_db()
    assert partner_user.is_active
    assert not access.can(stranger, "organisation.deactivate_professional", partner_user)


def test_school_staff_get_404(client, beheerder, partner_user):
    client.force_login(beheerder)
    assert _off(client, partner_user).status_code == 404
    assert User.objects.get(pk=partner_user.pk).is_active


def test_professionals_page_query_count_does_not_grow(client, contact, organisation):
    from carecoord.testing import query_count

    client.force_login(contact)
    for i in range(2):
        partner(organisation, email=f"pro{i}@jeugdteam.test")
    few = query_count(client, "/partner/professionals/")
    for i in range(2, 17):
        partner(organisation, email=f"pro{i}@jeugdteam.test")
    assert query_count(client, "/partner/professionals/") == few


def test_a_school_taken_off_the_organisation_gets_its_professionals_open_work(
    client, app_admin, school, other_school, other_coordinator, coordinator, consented_partner, organisation, student
):
    """Its professionals no longer reach that school's pupils: their open work there goes to its
    zorgcoördinator, as a leaver's would; their work at the schools still linked stays theirs."""
    from meetings.tests.factories import AgreementFactory, MeetingFactory
    from students.tests.factories import ConsentFactory, PartnerLinkFactory, StudentFactory
    from todo.services import task_create

    organisation.schools.add(other_school)
    due = timezone.localdate() + timedelta(days=2)
    here = task_create(
        school=school, assignee=consented_partner, student=student, title="Huisbezoek plannen", due_on=due,
        key=f"test:{student.pk}:{consented_partner.pk}", notify=False,
    )  # fmt: skip
    pupil_b = StudentFactory(school=other_school)
    PartnerLinkFactory(student=pupil_b, organisation=organisation, linked_by=other_coordinator)
    ConsentFactory(student=pupil_b, organisation=organisation, recorded_by=other_coordinator)
    there = task_create(
        school=other_school, assignee=consented_partner, student=pupil_b, title="Gesprek", due_on=due,
        key=f"test:{pupil_b.pk}:{consented_partner.pk}", notify=False,
    )  # fmt: skip
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator, consented_partner])
    agreement = AgreementFactory(meeting=meeting, owner=consented_partner)
    client.force_login(app_admin)
    response = client.post(
        f"/regio/partners/{organisation.pk}/",
        {"name": organisation.name, "kind": organisation.kind, "schools": [other_school.pk]},
        follow=True,
    )
    assert list(organisation.schools.all()) == [other_school]
    here.refresh_from_db()
    there.refresh_from_db()
    agreement.refresh_from_db()
    assert here.assignee == coordinator and here.done_at is None
    assert agreement.owner == coordinator
    assert there.assignee == consented_partner  # still a school of the organisation
    assert "werkt niet meer met School A" in response.text
    consented_partner.refresh_from_db()
    assert consented_partner.is_active  # they still work for the organisation


def test_saving_an_organisation_without_taking_a_school_off_hands_nothing_on(
    client, app_admin, school, coordinator, consented_partner, organisation, student
):
    from todo.services import task_create

    task = task_create(
        school=school, assignee=consented_partner, student=student, title="Huisbezoek plannen",
        due_on=timezone.localdate() + timedelta(days=2), key=f"test:{student.pk}:{consented_partner.pk}", notify=False,
    )  # fmt: skip
    client.force_login(app_admin)
    response = client.post(
        f"/regio/partners/{organisation.pk}/",
        {"name": "Jeugdteam Alblasserdam", "kind": organisation.kind, "schools": [school.pk]},
        follow=True,
    )
    task.refresh_from_db()
    assert task.assignee == consented_partner
    assert "werkt niet meer met" not in response.text
