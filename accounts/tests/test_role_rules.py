"""Who may get a role at a school, and what ends when the last one goes (issue 22, review of
29-11-2026): applicatiebeheer holds no school role; nobody gives themselves one; taking away
every role is leaving the school; someone still waiting for an invitation is never stranded;
an installation account is not switched off by a school; two beheerders inviting one new
address at once get a message, not an error page."""

import pytest
from django.core import mail

from accounts import services
from accounts.models import Invitation, Membership, Role, UserManager
from accounts.tests.factories import staff
from audit.models import Change
from carecoord import access
from concerns.models import ConcernAction
from concerns.tests.factories import ConcernFactory
from students.models import Student

pytestmark = pytest.mark.django_db


# --- Applicatiebeheer never holds a school role (it never sees pupil data) ------------------


def _invite_new_colleague(school, capture) -> str:
    """A new colleague invited as mentor; the path of the mailed link."""
    from urllib.parse import urlparse

    beheerder = staff(school, Role.BEHEERDER, email="beheer@x.test", name="Beheer A")
    with capture(execute=True):
        services.invitation_create(actor=beheerder, school=school, email="nieuw@x.test", name="Nieuw", roles=["mentor"])
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line).strip()
    parts = urlparse(link)
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"is_application_admin": True}, "Dit adres is een account van applicatiebeheer"),
        ({"is_staff": True, "is_active": False}, "alleen applicatiebeheer kan het weer inschakelen"),
    ],
)
def test_invitee_whose_account_changed_since_the_invitation_is_refused_and_nothing_is_set(
    client, school, organisation, change, reason, django_capture_on_commit_callbacks
):
    """The rules of giving roles are asked again at accepting, not only the school's type: an
    account made applicatiebeheer since (or an installation account switched off since)."""
    from accounts.models import User
    from accounts.tests.factories import PASSWORD, accept_invitation_link

    link = _invite_new_colleague(school, django_capture_on_commit_callbacks)
    User.objects.filter(email="nieuw@x.test").update(**change)
    response = accept_invitation_link(client, link)
    assert response.status_code == 200
    assert reason in response.text
    assert "Je uitnodiging is daarom niet aangenomen; neem contact op met Beheer A." in response.text
    invitation = Invitation.objects.get(user__email="nieuw@x.test")
    assert invitation.state == "open" and not Membership.objects.filter(user=invitation.user).exists()
    invitation.user.refresh_from_db()
    assert not invitation.user.check_password(PASSWORD) and invitation.user.is_active == change.get("is_active", True)
    assert not Change.objects.filter(kind__in=["accounts.invitation_accepted", "accounts.staff_reactivated"]).exists()


def test_invitee_whose_account_became_a_partners_is_refused(
    client, school, organisation, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from accounts.tests.factories import accept_invitation_link

    link = _invite_new_colleague(school, django_capture_on_commit_callbacks)
    User.objects.filter(email="nieuw@x.test").update(organisation=organisation)
    response = accept_invitation_link(client, link)
    assert response.status_code == 200 and "hoort bij een externe partner" in response.text
    assert not Membership.objects.filter(user__email="nieuw@x.test").exists()


def test_app_admin_cannot_appoint_itself_functioneel_beheerder(client, app_admin, school):
    client.force_login(app_admin)
    response = client.post(f"/regio/scholen/{school.pk}/", {"name": "Ik", "email": app_admin.email})
    assert response.status_code == 200
    assert "account van applicatiebeheer" in response.text
    assert 'value="regio@beheer.test"' in response.text  # what was typed stays
    assert not Membership.objects.filter(user=app_admin).exists()


def test_a_beheerder_cannot_give_the_app_admin_a_role(client, beheerder, app_admin, school):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/medewerkers/nieuw/", {"name": "R", "email": app_admin.email, "roles": [Role.ZORGCOORDINATOR]}
    )
    assert response.status_code == 200
    assert "account van applicatiebeheer" in response.context["form"].errors["email"][0]  # at the field
    assert not Membership.objects.filter(user=app_admin).exists()


def test_a_role_row_made_by_hand_opens_nothing_for_applicatiebeheer(app_admin, school, student):
    """The last line: a Membership written outside the services (the Django admin, a script)."""
    Membership.objects.create(user=app_admin, school=school, role=Role.ZORGCOORDINATOR)
    access.forget(app_admin)
    assert not Student.objects.visible_to(app_admin).filter(pk=student.pk).exists()
    assert not access.can(app_admin, "school.export_students", school)


# --- No role left: the leaver's steps --------------------------------------------------------


def test_taking_away_every_role_is_leaving_the_school(client, beheerder, mentor, coordinator, student):
    """ "Zet alles uit om iemand van deze school te halen": open work to the coordinator, and
    someone with no role anywhere is switched off, as with "Uitschakelen"."""
    concern = ConcernFactory(student=student, raised_by=mentor)
    action = ConcernAction.objects.create(concern=concern, description="Bellen", owner=mentor, created_by=coordinator)
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{mentor.pk}/", {}, follow=True)
    assert "is uitgeschakeld" in response.text
    mentor.refresh_from_db()
    action.refresh_from_db()
    assert not mentor.is_active and not mentor.memberships.exists()
    assert action.owner == coordinator
    assert Change.objects.filter(kind="accounts.staff_deactivated", object_id=mentor.pk).exists()


def test_a_leavers_withdrawn_invitation_is_in_the_log(beheerder, mentor, school):
    from accounts.services.invitations import _new_invitation

    invitation, _token = _new_invitation(user=mentor, actor=beheerder, school=school, roles=[Role.COACH])
    services.staff_deactivate(school=school, user=mentor, actor=beheerder)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    change = Change.objects.get(kind="accounts.staff_deactivated", object_id=mentor.pk)
    assert change.changes["open_invitations"] == [1, 0]


def test_a_school_does_not_switch_off_an_installation_account(client, beheerder, school):
    """Only the installation switches it on again (school_may_switch_on), so only it switches
    it off: the school takes its roles away."""
    tech = staff(school, Role.MENTOR, email="tech@carecoord.test", is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{tech.pk}/uitschakelen/")
    tech.refresh_from_db()
    assert tech.is_active and not tech.memberships.exists()


# --- Invitations ---------------------------------------------------------------------------


def test_an_address_waiting_at_another_school_gets_this_schools_invitation(
    client, beheerder, school, other_school, django_capture_on_commit_callbacks
):
    """School A invited someone, then withdrew it; school B invites the same address. Roles
    alone would leave them without a password and without a way to get one."""
    other_beheerder = staff(other_school, Role.BEHEERDER, email="beheer@b.test")
    user, invitation = services.invitation_create(
        actor=beheerder, school=school, email="wisselaar@x.test", name="W", roles=[Role.MENTOR]
    )
    services.invitation_revoke(invitation=invitation, actor=beheerder)
    mail.outbox.clear()
    client.force_login(other_beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/nieuw/", {"name": "W", "email": "wisselaar@x.test", "roles": [Role.COACH]})
    second = Invitation.objects.open().get(user=user)
    assert second.school == other_school and second.invited_roles == [Role.COACH]
    assert not Membership.objects.filter(user=user).exists()  # the roles come with accepting
    assert [m.to for m in mail.outbox] == [["wisselaar@x.test"]]


def test_two_invitations_of_one_new_address_at_once_end_in_a_message(client, beheerder, monkeypatch):
    """On PostgreSQL the row lock finds no row for a new address: the other beheerder's
    insert can come between. Simulated here by inserting it just before ours."""
    original = UserManager.create_user
    first = []

    def create_user(self, email, password=None, **extra):
        if not first:
            first.append(original(self, email, None, name="Door de andere beheerder"))
        return original(self, email, password, **extra)

    monkeypatch.setattr(UserManager, "create_user", create_user)
    client.force_login(beheerder)
    response = client.post(
        "/beheer/medewerkers/nieuw/", {"name": "Nieuw", "email": "nieuw@a.test", "roles": [Role.MENTOR]}
    )
    assert response.status_code == 200
    assert "zojuist door iemand anders uitgenodigd" in response.text
    assert 'value="nieuw@a.test"' in response.text


@pytest.mark.django_db(transaction=True)
def test_two_schools_taking_away_the_last_roles_at_once_switch_the_account_off(school, other_school):
    """Each school's removal counts the roles left elsewhere: without the row lock both saw
    the other's and nobody switched the account off (PostgreSQL; tried five times)."""
    import threading

    from django.db import connection, connections

    from accounts.models import User
    from carecoord.testing import IN_CI

    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the database is not PostgreSQL: the concurrency proof must run")
        pytest.skip("row locks need PostgreSQL")
    beheerders = [staff(s, Role.BEHEERDER, email=f"beheer{n}@x.test") for n, s in enumerate((school, other_school))]
    for trial in range(5):
        person = staff(school, Role.MENTOR, email=f"twee{trial}@x.test")
        Membership.objects.create(user=person, school=other_school, role=Role.COACH)
        barrier = threading.Barrier(2)

        def leave(at, by, person=person, barrier=barrier):
            try:
                barrier.wait()
                services.staff_deactivate(school=at, user=User.objects.get(pk=person.pk), actor=by)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=leave, args=args) for args in zip((school, other_school), beheerders, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        person.refresh_from_db()
        assert not person.is_active and not person.memberships.exists(), trial


@pytest.mark.django_db(transaction=True)
def test_accepting_while_being_switched_off_ends_switched_off_without_an_error(school):
    """The invitation is accepted and the person switched off at the same moment (five
    times): either order ends with no role and no access, and neither request fails."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    from accounts.models import User
    from accounts.services.invitations import _new_invitation, invitation_accept
    from accounts.tests.factories import PASSWORD
    from carecoord.testing import IN_CI

    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the database is not PostgreSQL: the concurrency proof must run")
        pytest.skip("row locks need PostgreSQL")
    beheerder = staff(school, Role.BEHEERDER, email="beheer@x.test")
    for trial in range(5):
        person = staff(school, Role.MENTOR, email=f"wissel{trial}@x.test")
        _invitation, token = _new_invitation(user=person, actor=beheerder, school=school, roles=[Role.COACH])
        barrier, failures = threading.Barrier(2), []

        def run(act, barrier=barrier, failures=failures):
            try:
                barrier.wait()
                act()
            except ValidationError:
                pass  # accepting after the switch-off: the invitation was withdrawn
            except Exception as exc:  # a deadlock, a lost lock: what must not happen
                failures.append(repr(exc))
            finally:
                connections.close_all()

        acts = [
            lambda person=person: services.staff_deactivate(
                school=school, user=User.objects.get(pk=person.pk), actor=beheerder
            ),
            lambda token=token: invitation_accept(token=token, password=PASSWORD),
        ]
        threads = [threading.Thread(target=run, args=(act,)) for act in acts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        person.refresh_from_db()
        assert failures == [], (trial, failures)
        assert not person.is_active and not person.memberships.exists(), trial


def _second_click_while_the_first_is_saved(client, school, first, second_click):
    """A double click: `first(beheerder, person)` runs in its own transaction and holds it a
    second, while `second_click(person)` (a request of the same beheerder) arrives. Returns
    the second response, redirects followed."""
    import threading
    import time

    from django.db import connection, connections, transaction

    from carecoord.testing import IN_CI

    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the database is not PostgreSQL: the concurrency proof must run")
        pytest.skip("row locks need PostgreSQL")
    beheerder = staff(school, Role.BEHEERDER, email="beheer@x.test")
    person = staff(school, Role.MENTOR, email="dubbel@x.test", name="Dubbel Klik")
    first_holds = threading.Event()

    def first_click():
        try:
            with transaction.atomic():
                first(beheerder, person)
                first_holds.set()
                time.sleep(1)  # the second click arrives before this one is saved
        finally:
            first_holds.set()
            connections.close_all()

    thread = threading.Thread(target=first_click)
    thread.start()
    first_holds.wait(timeout=30)
    client.force_login(beheerder)
    response = second_click(person)
    thread.join(timeout=30)
    return response


@pytest.mark.django_db(transaction=True)
def test_the_second_click_of_a_double_click_on_uitschakelen_ends_on_the_staff_list(client, school):
    """The first click's transaction still holds the person when the second one reads their
    roles: the second waits for it, finds no role left, and says so calmly (it was a 500)."""
    second = _second_click_while_the_first_is_saved(
        client,
        school,
        lambda beheerder, person: services.staff_deactivate(school=school, user=person, actor=beheerder),
        lambda person: client.post(f"/beheer/medewerkers/{person.pk}/uitschakelen/", follow=True),
    )
    assert second.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Dubbel Klik is al uitgeschakeld." in second.text


@pytest.mark.django_db(transaction=True)
def test_the_second_save_of_no_roles_in_a_double_click_ends_on_the_staff_list(client, school):
    """As with "Uitschakelen": the second save waits for the first at the person's row lock,
    finds no role left and says so calmly (it showed the form with "heeft geen rol")."""
    second = _second_click_while_the_first_is_saved(
        client,
        school,
        lambda beheerder, person: services.staff_roles_set(school=school, user=person, roles=[], actor=beheerder),
        lambda person: client.post(f"/beheer/medewerkers/{person.pk}/", {"school": school.pk}, follow=True),
    )
    assert second.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert "Dubbel Klik is al uitgeschakeld." in second.text
