"""Onboarding without the Django admin: applicatiebeheer adds schools and partners and
invites a school's first functioneel beheerder; the beheerder invites staff; an invitation
works once and expires; a leaver is switched off at once. Every change is in the log."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, OrganisationKind, Role, School, User
from accounts.tests.factories import accept_invitation_link, link_secret, open_invitation_link
from audit.models import Change

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-22"


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if "/uitnodiging/" in line).strip()


def _path(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_app_admin_creates_a_school_and_invites_its_first_beheerder(
    client, app_admin, django_capture_on_commit_callbacks
):
    client.force_login(app_admin)
    response = client.post(
        "/regio/scholen/nieuw/",
        {
            "name": "Nieuwe School",
            "school_type": "vo",
            "brin_code": "33cc",
            "region": "Koers VO",
            "holiday_region": "zuid",
        },
    )
    school = School.objects.get(brin_code="33CC")
    assert response.status_code == 302
    assert response["Location"] == f"/regio/scholen/{school.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/regio/scholen/{school.pk}/", {"name": "Fien Beheer", "email": "fien@nieuw.test"})
    invitation = Invitation.objects.get(school=school)
    assert invitation.invited_roles == [Role.BEHEERDER]
    assert not Membership.objects.filter(school=school).exists()  # only on accepting
    assert len(mail.outbox) == 1 and "Nieuwe School" in mail.outbox[0].body
    kinds = set(Change.objects.values_list("kind", flat=True))
    assert {"region.school_created", "accounts.invitation_sent"} <= kinds
    log = client.get("/regio/logboek/")
    assert "School toegevoegd" in log.text and "Uitnodiging verstuurd" in log.text


def test_a_duplicate_brin_is_refused_with_a_message(client, app_admin, school):
    client.force_login(app_admin)
    response = client.post(
        "/regio/scholen/nieuw/",
        {
            "name": "Dubbel",
            "school_type": "vo",
            "brin_code": school.brin_code.lower(),
            "region": "",
            "holiday_region": "midden",
        },
    )
    assert response.status_code == 200
    assert "Er is al een school met BRIN-code" in response.text
    assert 'value="Dubbel"' in response.text
    assert School.objects.count() == 1


def test_app_admin_creates_a_partner_with_kind_and_schools(client, app_admin, school, other_school):
    client.force_login(app_admin)
    response = client.post(
        "/regio/partners/nieuw/",
        {"name": "Jongerenwerk Diverz", "kind": OrganisationKind.JONGERENWERK, "schools": [school.pk, other_school.pk]},
    )
    organisation = Organisation.objects.get(name="Jongerenwerk Diverz")
    assert response.status_code == 302
    assert set(organisation.schools.all()) == {school, other_school}
    assert Change.objects.filter(kind="region.organisation_created", school__isnull=True).exists()


def test_a_partner_linked_to_a_school_twice_is_refused(app_admin, school):
    from django.core.exceptions import ValidationError

    from accounts import services

    with pytest.raises(ValidationError):
        services.organisation_save(actor=app_admin, name="Dubbel", kind="smw", schools=[school, school])
    assert not Organisation.objects.filter(name="Dubbel").exists()


def test_partner_contact_invites_their_own_professional(
    client, app_admin, organisation, school, django_capture_on_commit_callbacks
):
    client.force_login(app_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/regio/partners/{organisation.pk}/", {"contact-name": "Kim Contact", "contact-email": "kim@jt.test"}
        )
    organisation.refresh_from_db()
    contact = organisation.contact
    assert contact.email == "kim@jt.test" and contact.organisation == organisation
    accept_invitation_link(client, _path(_link(mail.outbox[-1])), PASSWORD)
    contact.refresh_from_db()  # the password it chose
    client.force_login(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/partner/professionals/", {"name": "Pim Pro", "email": "pim@jt.test"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/partner/professionals/"
    assert User.objects.get(email="pim@jt.test").organisation == organisation


@pytest.mark.denies("organisation.invite_professionals")
def test_partner_who_is_not_the_contact_cannot_invite(client, partner_user):
    client.force_login(partner_user)
    assert client.post("/partner/professionals/", {"name": "X", "email": "x@jt.test"}).status_code == 403
    assert not User.objects.filter(email="x@jt.test").exists()


def test_beheerder_invites_staff_who_accept_once(client, beheerder, school, django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/medewerkers/nieuw/", {"name": "Nieuwe Mentor", "email": "Nieuw@A.test", "roles": [Role.MENTOR]}
        )
    user = User.objects.get(email="nieuw@a.test")
    assert not user.has_usable_password() and not user.memberships.exists()
    link = _path(_link(mail.outbox[0]))
    client.logout()
    assert open_invitation_link(client, link).status_code == 200
    response = accept_invitation_link(client, link, PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert set(user.memberships.values_list("role", flat=True)) == {Role.MENTOR}
    # Works once: a second use sets nothing.
    again = accept_invitation_link(client, link, "Ander-wachtwoord-99")
    assert again.status_code == 410
    assert "al gebruikt" in again.text and "no-store" in again["Cache-Control"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def _invited(actor, school, capture, email="t@a.test") -> str:
    """Invite `email` as mentor; the path of the mailed link."""
    from accounts import services

    with capture(execute=True):
        services.invitation_create(actor=actor, school=school, email=email, name="Tess Nieuw", roles=[Role.MENTOR])
    return _path(_link(mail.outbox[-1]))


def _choose(client, page, password=PASSWORD):
    """Post the form of an invitation page opened before (its own hidden invitation field)."""
    return client.post(
        "/uitnodiging/welkom/",
        {"new_password1": password, "new_password2": password, "invitation": page.context["invitation"].pk},
    )


def test_invitation_token_leaves_the_address_before_the_form(
    client, beheerder, school, django_capture_on_commit_callbacks
):
    """Access logs and Referer headers hold paths: the secret goes to the session (as in
    Django's password reset), the page and its form have an address without it."""
    link = _invited(beheerder, school, django_capture_on_commit_callbacks)
    token = link_secret(link)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/uitnodiging/welkom/"
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Tess Nieuw, je bent uitgenodigd" in page.text
    # The password rules say "je", as the page does (Django's Dutch says "Uw").
    assert "Je wachtwoord moet minstens 10 tekens lang zijn." in page.text and "Uw wachtwoord" not in page.text
    assert token not in page.text
    assert '<form method="post"' in page.text  # posts to its own address, the placeholder
    # One address for every link: no browser keeps an answer (an old link's "verlopen" page
    # showed for the next, valid one).
    assert "no-store" in page["Cache-Control"] and "no-store" in response["Cache-Control"]
    done = _choose(client, page)
    assert done.status_code == 302 and done["Location"] == "/account/login/"
    user = User.objects.get(email="t@a.test")
    assert user.check_password(PASSWORD) and user.memberships.filter(role=Role.MENTOR).exists()
    assert "invitation_token" not in client.session  # used: gone from the session


def test_a_post_to_the_links_own_address_sets_nothing(client, beheerder, school, django_capture_on_commit_callbacks):
    link = _invited(beheerder, school, django_capture_on_commit_callbacks)
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/uitnodiging/welkom/"
    assert not User.objects.get(email="t@a.test").has_usable_password()


def test_invitee_can_open_the_link_twice_or_in_two_tabs(client, beheerder, school, django_capture_on_commit_callbacks):
    link = _invited(beheerder, school, django_capture_on_commit_callbacks)
    first = open_invitation_link(client, link)
    second = open_invitation_link(client, link)  # the same mail opened again, in a second tab
    assert first.status_code == second.status_code == 200
    assert _choose(client, second).status_code == 302
    user = User.objects.get(email="t@a.test")
    assert user.check_password(PASSWORD)
    # The first tab afterwards: the secret left the session with its use; nothing is set.
    late = _choose(client, first, "Ander-wachtwoord-99")
    assert late.status_code == 410 and "Open de link uit je e-mail opnieuw" in late.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert "al gebruikt" in open_invitation_link(client, link).text


def test_a_page_of_an_invitation_replaced_in_the_session_sets_nothing(
    client, beheerder, school, django_capture_on_commit_callbacks
):
    """Two invitations opened in one browser (a shared school computer): the session holds the
    last one; the page of the first must not set the password of the second."""
    first_link = _invited(beheerder, school, django_capture_on_commit_callbacks, email="eerste@a.test")
    second_link = _invited(beheerder, school, django_capture_on_commit_callbacks, email="tweede@a.test")
    first = open_invitation_link(client, first_link)
    second = open_invitation_link(client, second_link)
    response = _choose(client, first)
    assert response.status_code == 410 and "Open de link uit je e-mail opnieuw" in response.text
    assert not any(User.objects.get(email=e).has_usable_password() for e in ("eerste@a.test", "tweede@a.test"))
    assert _choose(client, second).status_code == 302
    assert User.objects.get(email="tweede@a.test").check_password(PASSWORD)
    assert not User.objects.get(email="eerste@a.test").has_usable_password()


def test_a_page_whose_session_ended_asks_to_open_the_link_again(
    client, beheerder, school, django_capture_on_commit_callbacks, settings
):
    link = _invited(beheerder, school, django_capture_on_commit_callbacks)
    page = open_invitation_link(client, link)
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # 30 minutes idle, or the browser closed
    response = _choose(client, page)
    assert response.status_code == 410 and "Open de link uit je e-mail opnieuw" in response.text
    assert not User.objects.get(email="t@a.test").has_usable_password()
    assert open_invitation_link(client, link).status_code == 200  # the link itself still works


def test_signed_in_colleague_who_opens_the_link_sets_the_invitees_password_not_their_own(
    client, beheerder, mentor, school, django_capture_on_commit_callbacks
):
    """The invitation is of the invited account, whoever is signed in on the browser."""
    from accounts.tests.factories import PASSWORD as MENTOR_PASSWORD

    link = _invited(beheerder, school, django_capture_on_commit_callbacks)
    roles_before = set(mentor.memberships.values_list("school_id", "role"))
    client.force_login(mentor)
    response = accept_invitation_link(client, link, PASSWORD)
    assert response.status_code == 302
    invited = User.objects.get(email="t@a.test")
    assert invited.check_password(PASSWORD) and invited.memberships.filter(role=Role.MENTOR).exists()
    mentor.refresh_from_db()
    assert mentor.check_password(MENTOR_PASSWORD) and not mentor.check_password(PASSWORD)
    assert set(mentor.memberships.values_list("school_id", "role")) == roles_before
    assert client.session["_auth_user_id"] == str(mentor.pk)  # still signed in as themselves
    assert "invitation_token" not in client.session


def test_an_invitation_expires_after_seven_days(client, beheerder, django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/nieuw/", {"name": "Laat", "email": "laat@a.test", "roles": [Role.COACH]})
    invitation = Invitation.objects.get(user__email="laat@a.test")
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = accept_invitation_link(client, _path(_link(mail.outbox[0])), PASSWORD)
    assert response.status_code == 410
    assert "verlopen" in response.text
    assert not User.objects.get(email="laat@a.test").has_usable_password()


def test_resend_makes_a_new_link_and_revoke_stops_it(client, beheerder, django_capture_on_commit_callbacks):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/nieuw/", {"name": "Twee", "email": "twee@a.test", "roles": [Role.MENTOR]})
    invitation = Invitation.objects.get(user__email="twee@a.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/")
    assert len(mail.outbox) == 2
    old, new = _path(_link(mail.outbox[0])), _path(_link(mail.outbox[1]))
    assert old != new
    client.post(f"/beheer/uitnodigingen/{invitation.pk}/intrekken/")
    client.logout()
    assert open_invitation_link(client, old).status_code == 410
    assert f"ingetrokken. Vraag {beheerder.name} om een nieuwe." in open_invitation_link(client, new).text
    assert set(Change.objects.values_list("kind", flat=True)) >= {
        "accounts.invitation_resent",
        "accounts.invitation_revoked",
    }


@pytest.mark.denies("invitation.manage")
def test_beheerder_of_another_school_cannot_revoke(client, beheerder, other_beheerder, school):
    from accounts import services
    from carecoord import access

    _user, invitation = services.invitation_create(
        actor=beheerder, school=school, email="x@a.test", name="X", roles=[Role.MENTOR]
    )
    client.force_login(other_beheerder)
    assert client.post(f"/beheer/uitnodigingen/{invitation.pk}/intrekken/").status_code == 404
    assert client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and invitation.times_sent == 1
    assert not access.can(other_beheerder, "invitation.manage", invitation)


def test_invitation_to_an_existing_account_adds_the_role(client, beheerder, school, other_coordinator):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/medewerkers/nieuw/", {"name": "X", "email": other_coordinator.email, "roles": [Role.MENTOR]}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=other_coordinator, school=school, role=Role.MENTOR).exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, beheerder, mentor, school):
    other = client.__class__()
    other.force_login(mentor)
    assert other.get("/").status_code == 200
    client.force_login(beheerder)
    response = client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert not mentor.is_active
    assert not mentor.memberships.exists()
    assert other.get("/").status_code == 302  # to the sign-in page
    assert Change.objects.filter(kind="accounts.staff_deactivated", object_id=mentor.pk).exists()


@pytest.mark.denies("user.deactivate")
def test_beheerder_cannot_deactivate_themselves(client, beheerder):
    client.force_login(beheerder)
    assert client.post(f"/beheer/medewerkers/{beheerder.pk}/uitschakelen/").status_code == 403
    beheerder.refresh_from_db()
    assert beheerder.is_active


def test_a_leavers_open_concern_actions_go_to_the_coordinator(client, beheerder, mentor, coordinator, student):
    from concerns.models import ConcernAction
    from concerns.tests.factories import ConcernFactory

    concern = ConcernFactory(student=student, raised_by=mentor)
    action = ConcernAction.objects.create(concern=concern, description="Bellen", owner=mentor, created_by=coordinator)
    client.force_login(beheerder)
    client.post(f"/beheer/medewerkers/{mentor.pk}/uitschakelen/")
    action.refresh_from_db()
    assert action.owner == coordinator


@pytest.mark.denies("region.manage")
def test_beheerder_cannot_reach_applicatiebeheer(client, beheerder):
    client.force_login(beheerder)
    assert client.get("/regio/").status_code == 403
    response = client.post("/regio/scholen/nieuw/", {"name": "X", "brin_code": "44DD", "holiday_region": "noord"})
    assert response.status_code == 403
    assert not School.objects.filter(brin_code="44DD").exists()


def _invite(actor, school, n, roles=(Role.MENTOR,)):
    from accounts import services

    for i in range(n):
        services.invitation_create(
            actor=actor, school=school, email=f"lijst{school.pk}-{i}@a.test", name=f"L {i}", roles=roles
        )


def test_region_pages_query_count_does_not_grow(client, app_admin):
    from accounts import services
    from accounts.tests.factories import SchoolFactory
    from carecoord.access.region import first_administrator_roles
    from carecoord.testing import query_count

    def grow(n, start):
        for i in range(start, start + n):
            school = SchoolFactory(name=f"Regio {i}", brin_code=f"{i:02d}RG")
            # Applicatiebeheer invites a school's first functioneel beheerder (only that).
            _invite(app_admin, school, 2, roles=first_administrator_roles())
            services.organisation_save(actor=app_admin, name=f"Partner {i}", kind="smw", schools=[school])

    client.force_login(app_admin)
    grow(2, 10)
    few = {url: query_count(client, url) for url in ("/regio/", "/regio/logboek/")}
    grow(12, 20)
    assert {url: query_count(client, url) for url in few} == few


def test_staff_list_query_count_does_not_grow_with_invitations(client, beheerder, school):
    from carecoord.testing import query_count

    client.force_login(beheerder)
    _invite(beheerder, school, 2)
    few = query_count(client, "/beheer/medewerkers/")
    _invite_more = 15
    from accounts import services

    for i in range(_invite_more):
        services.invitation_create(
            actor=beheerder, school=school, email=f"meer{i}@a.test", name=f"M {i}", roles=[Role.COACH, Role.MENTOR]
        )
    assert query_count(client, "/beheer/medewerkers/") == few
    assert client.get("/beheer/medewerkers/").text.count("Opnieuw versturen") == 17
