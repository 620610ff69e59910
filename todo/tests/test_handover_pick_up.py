"""Work a leaver left while the school had no zorgcoördinator (none at all, or the
coordinator was the one who left) is not left with someone who can no longer open it: the
next person who becomes coordinator takes it over (accounts.services.people
`work_waiting_handed_on`; the `pick_up` of todo, meetings and concerns)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from concerns.models import ConcernAction
from concerns.tests.factories import ConcernFactory
from meetings.tests.factories import AgreementFactory, MeetingFactory
from todo.services import task_create

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + timedelta(days=3)


def _open_work(school, person, student, organiser):
    task = task_create(
        school=school, assignee=person, student=student, title="Ouders bellen", due_on=DUE,
        key=f"test:{student.pk}:{person.pk}", notify=False,
    )  # fmt: skip
    meeting = MeetingFactory(school=school, organiser=organiser, participants=[organiser, person])
    agreement = AgreementFactory(meeting=meeting, owner=person)
    action = ConcernAction.objects.create(
        concern=ConcernFactory(student=student, raised_by=organiser),
        description="Gesprek met ouders",
        owner=person,
        created_by=organiser,
    )
    return task, agreement, action


def _owners(*work):
    for item in work:
        item.refresh_from_db()
    return [getattr(item, "assignee", None) or item.owner for item in work]


def test_the_only_coordinators_work_waits_for_the_next_one(client, school, beheerder, coordinator, mentor, student):
    work = _open_work(school, coordinator, student, organiser=coordinator)
    client.force_login(beheerder)
    page = client.post(f"/beheer/medewerkers/{coordinator.pk}/uitschakelen/", follow=True)
    assert "Deze school heeft geen zorgcoördinator" in page.text  # the beheerder hears where the work is
    assert _owners(*work) == [coordinator] * 3  # nobody to give it to yet, and nothing lost
    # The beheerder makes a colleague the zorgcoördinator: the work is theirs now.
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {"roles": [Role.MENTOR, Role.ZORGCOORDINATOR]})
    assert _owners(*work) == [mentor] * 3
    task = work[0]
    assert task.done_at is None and task.key.endswith(f":{mentor.pk}")


def test_a_coordinator_added_by_address_takes_the_waiting_work(
    client, school, other_school, beheerder, coordinator, mentor, student
):
    work = _open_work(school, mentor, student, organiser=coordinator)
    coordinator.memberships.filter(role=Role.ZORGCOORDINATOR).delete()  # the school has none now
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    assert _owners(*work) == [mentor] * 3
    newcomer = staff(other_school, Role.ZORGCOORDINATOR, email="zc@b.test", name="Nieuwe Coördinator")
    client.post(
        "/beheer/medewerkers/nieuw/", {"name": newcomer.name, "email": newcomer.email, "roles": [Role.ZORGCOORDINATOR]}
    )
    assert _owners(*work) == [newcomer] * 3


def test_a_new_coordinator_takes_nothing_from_people_still_at_the_school(
    client, school, beheerder, coordinator, mentor, student, consented_partner
):
    mine = _open_work(school, mentor, student, organiser=coordinator)
    partners = _open_work(school, consented_partner, student, organiser=coordinator)
    other = staff(school, Role.MENTOR, email="m2@a.test", name="Mentor Twee")
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{other.pk}/", {"roles": [Role.MENTOR, Role.ZORGCOORDINATOR]})
    assert _owners(*mine) == [mentor] * 3  # still a mentor here
    assert _owners(*partners) == [consented_partner] * 3  # their organisation works with the school


def test_giving_another_role_than_coordinator_hands_nothing_on(client, school, beheerder, coordinator, mentor, student):
    work = _open_work(school, coordinator, student, organiser=coordinator)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{coordinator.pk}/uitschakelen/")
    client.post(f"/beheer/medewerkers/{mentor.pk}/", {"roles": [Role.MENTOR, Role.VERZUIMCOORDINATOR]})
    assert _owners(*work) == [coordinator] * 3


def test_an_ib_er_at_a_primary_school_takes_the_waiting_work(client, school, beheerder, mentor, student):
    """At a PO school the intern begeleider counts as its zorgcoördinator."""
    from accounts.models import SchoolType

    school.school_type = SchoolType.PO
    school.save(update_fields=["school_type"])
    ib = staff(school, Role.MENTOR, email="ib@a.test", name="Ib Er")
    work = _open_work(school, mentor, student, organiser=beheerder)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    assert _owners(*work) == [mentor] * 3
    client.post(f"/beheer/medewerkers/{ib.pk}/", {"roles": [Role.MENTOR, Role.INTERN_BEGELEIDER]})
    assert _owners(*work) == [ib] * 3


def test_a_school_that_becomes_primary_hands_the_waiting_work_to_its_ib_er(client, school, student, mentor):
    """A VO school where an IB'er counted for nothing becomes PO: the IB'er now counts as its
    zorgcoördinator and takes the work leavers left while it had none."""
    from accounts import services
    from accounts.models import SchoolType
    from accounts.tests.factories import UserFactory

    admin = UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)
    beheerder = staff(school, Role.BEHEERDER, email="beheer@a.test", name="Functioneel Beheerder")
    ib = staff(school, Role.INTERN_BEGELEIDER, email="ib@a.test", name="Ib Er")
    work = _open_work(school, mentor, student, organiser=beheerder)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    assert _owners(*work) == [mentor] * 3  # an IB'er at a VO school is nobody's coordinator
    services.school_edit(
        actor=admin, school=school, name=school.name, brin_code=school.brin_code, region=school.region,
        school_type=SchoolType.PO, holiday_region=school.holiday_region,
    )  # fmt: skip
    assert _owners(*work) == [ib] * 3


def test_a_coordinator_who_accepts_an_invitation_takes_the_waiting_work(
    client, school, beheerder, coordinator, mentor, student, django_capture_on_commit_callbacks
):
    from django.core import mail

    from accounts.tests.factories import PASSWORD, accept_invitation_link

    work = _open_work(school, coordinator, student, organiser=coordinator)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{coordinator.pk}/uitschakelen/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/medewerkers/nieuw/",
            {"name": "Nieuwe Coördinator", "email": "nieuw@a.test", "roles": [Role.ZORGCOORDINATOR]},
        )
    assert _owners(*work) == [coordinator] * 3  # invited, not yet arrived
    client.logout()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line).strip()
    accept_invitation_link(client, "/" + link.split("://", 1)[1].split("/", 1)[1], PASSWORD)
    newcomer = school.memberships.get(role=Role.ZORGCOORDINATOR).user
    assert newcomer.email == "nieuw@a.test"
    assert _owners(*work) == [newcomer] * 3
