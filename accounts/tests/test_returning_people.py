"""Someone who comes back (after leave, a returning intern, a professional back at their
organisation) is switched on again without the Django admin, and safely: the old password
stops working, they choose a new one from a link, their second factor stays, and the
change is in the onboarding log. Who may invite now is who may do this; nobody switches
themselves on."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services
from accounts.models import Invitation, Membership, Role, User
from accounts.tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    accept_invitation_link,
    open_invitation_link,
    partner,
    staff,
)
from accounts.tests.test_two_factor import code_step
from audit.models import Change
from carecoord.testing import TEST_TOTP_SECRET, give_totp, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
NEW = "Weer-terug-wachtwoord-77"


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def _signed_in(response) -> bool:
    return response.status_code == 302 and not response["Location"].startswith(LOGIN)


def _link(message, marker) -> str:
    line = next(line for line in message.body.splitlines() if marker in line).strip()
    return line.split("testserver", 1)[1]


def _switched_off_mentor(school, beheerder):
    mentor = staff(school, Role.MENTOR, email="terug@a.test", name="Tess Terug")
    assert services.staff_deactivate(school=school, user=mentor, actor=beheerder)
    mentor.refresh_from_db()
    assert not mentor.is_active and mentor.check_password(PASSWORD)
    return mentor


def _choose_password(client, path):
    form_page = client.get(path, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302, done.content[:2000]


# --- Staff ----------------------------------------------------------------------------------


def test_beheerder_switches_a_returning_colleague_on_by_inviting_their_address(
    client, beheerder, school, app_admin, django_capture_on_commit_callbacks
):
    returning = _switched_off_mentor(school, beheerder)
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/medewerkers/nieuw/",
            {"name": "Andere Naam", "email": "Terug@A.test", "roles": [Role.MENTOR, Role.COACH]},
            follow=True,
        )
    assert "weer ingeschakeld" in response.text and "nieuw wachtwoord" in response.text
    returning.refresh_from_db()
    assert returning.is_active and returning.name == "Tess Terug"
    assert not returning.has_usable_password()
    assert set(returning.memberships.values_list("role", flat=True)) == {Role.MENTOR, Role.COACH}
    assert not Invitation.objects.filter(user=returning).exists()
    change = Change.objects.get(kind="accounts.staff_reactivated", object_id=returning.pk)
    assert change.actor == beheerder and change.school == school
    assert change.changes["is_active"] == [False, True]
    assert change.changes["old_password_works"] == [True, False]

    [message] = mail.outbox
    assert message.to == ["terug@a.test"] and "Welkom terug" in message.subject
    # The link works seven days; after that they ask for a new one themselves (test_auth proves
    # that "Wachtwoord vergeten" answers an account switched on again).
    assert "Vraag dan op de inlogpagina een nieuwe aan (Wachtwoord vergeten)" in message.body
    client.logout()
    assert not _signed_in(_login(client, "terug@a.test", PASSWORD))  # the old password is refused
    _choose_password(client, _link(message, "/wachtwoord-instellen/"))
    client.logout()
    assert _signed_in(_login(client, "terug@a.test", NEW))
    assert client.get("/").status_code == 200

    client.force_login(app_admin)
    assert "Weer ingeschakeld" in client.get("/regio/logboek/").text


def test_a_returning_colleague_keeps_their_second_factor(client, beheerder, school, django_capture_on_commit_callbacks):
    returning = _switched_off_mentor(school, beheerder)
    give_totp(returning)
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/nieuw/", {"name": "T", "email": returning.email, "roles": [Role.MENTOR]})
    assert Authenticator.objects.filter(user=returning, type=Authenticator.Type.TOTP).exists()
    client.logout()
    _choose_password(client, _link(mail.outbox[0], "/wachtwoord-instellen/"))
    client.logout()
    assert _login(client, returning.email, NEW)["Location"] == "/account/2fa/authenticate/"
    assert code_step(client, totp_code(TEST_TOTP_SECRET))["Location"] == "/account/2fa/trust/"


def test_the_staff_import_switches_a_returning_colleague_on(
    client, beheerder, school, django_capture_on_commit_callbacks
):
    returning = _switched_off_mentor(school, beheerder)
    client.force_login(beheerder)
    data = "\n".join(["email;naam;rollen;klassen", "terug@a.test;Tess Terug;coach;", "nieuw@a.test;Nieuw;mentor;"])
    upload = client.post(
        "/beheer/medewerkers/import/",
        {"file": SimpleUploadedFile("medewerkers.csv", data.encode(), content_type="text/csv")},
    )
    preview = client.get(upload["Location"])
    assert preview.context["summary"] == {"invitations": 1, "role_additions": 1, "reactivations": 1, "pending": 0}
    assert "wordt weer ingeschakeld" in preview.text
    returning.refresh_from_db()
    assert not returning.is_active and returning.check_password(PASSWORD)  # nothing before confirming
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(upload["Location"])
    assert "weer is ingeschakeld" in done.text
    returning.refresh_from_db()
    assert returning.is_active and not returning.has_usable_password()
    assert Membership.objects.filter(user=returning, school=school, role=Role.COACH).exists()
    assert Change.objects.filter(kind="accounts.staff_reactivated", object_id=returning.pk).count() == 1
    message = next(m for m in mail.outbox if m.to == ["terug@a.test"])
    client.logout()
    assert not _signed_in(_login(client, "terug@a.test", PASSWORD))
    _choose_password(client, _link(message, "/wachtwoord-instellen/"))
    client.logout()
    assert _signed_in(_login(client, "terug@a.test", NEW))


def test_nobody_switches_their_own_account_on(beheerder, school):
    returning = _switched_off_mentor(school, beheerder)
    with pytest.raises(ValidationError):
        services.staff_add(school=school, user=returning, roles=[Role.MENTOR], actor=returning)
    returning.refresh_from_db()
    assert not returning.is_active and not returning.memberships.exists()


def test_a_school_does_not_switch_an_applicatiebeheer_account_on(beheerder, school):
    admin = UserFactory(email="oud-regio@beheer.test", is_application_admin=True, is_active=False)
    with pytest.raises(ValidationError, match="applicatiebeheer"):
        services.invitation_create(actor=beheerder, school=school, email=admin.email, name="X", roles=[Role.MENTOR])
    admin.refresh_from_db()
    assert not admin.is_active and not admin.memberships.exists()


@pytest.mark.denies("school.manage_users")
def test_coordinator_cannot_switch_a_colleague_on(client, coordinator, beheerder, school):
    returning = _switched_off_mentor(school, beheerder)
    client.force_login(coordinator)
    response = client.post("/beheer/medewerkers/nieuw/", {"name": "T", "email": returning.email, "roles": ["mentor"]})
    assert response.status_code == 403
    returning.refresh_from_db()
    assert not returning.is_active and returning.check_password(PASSWORD)
    assert not Change.objects.filter(kind="accounts.staff_reactivated").exists()


# --- Partner professionals ------------------------------------------------------------------


def test_contact_person_invites_a_returning_professional_who_accepts_and_signs_in_with_their_own_device(
    client, contact, partner_user, app_admin, django_capture_on_commit_callbacks
):
    give_totp(partner_user)
    services.professional_deactivate(user=partner_user, actor=contact)
    client.force_login(contact)
    page = client.get("/partner/professionals/")
    assert f'name="email" value="{partner_user.email}"' in page.text  # the one-click way back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/partner/professionals/", {"name": "Anders", "email": partner_user.email.upper()}, follow=True
        )
    assert "opnieuw uitgenodigd" in response.text
    invitation = Invitation.objects.get(user=partner_user, accepted_at__isnull=True, revoked_at__isnull=True)
    assert invitation.organisation_id == contact.organisation_id and invitation.invited_by == contact
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    partner_user.refresh_from_db()
    assert not partner_user.is_active  # switched on by accepting, not before
    assert not partner_user.has_usable_password()  # the old password stops working now
    assert Change.objects.get(kind="accounts.invitation_sent", object_id=invitation.pk).changes["returning"] == [
        None,
        True,
    ]
    row = client.get("/partner/professionals/").text.split(partner_user.email, 1)[1].split("</tr>", 1)[0]
    assert "uitgenodigd" in row and "komt terug" in row and 'name="email"' not in row

    [message] = mail.outbox
    assert message.to == [partner_user.email] and "Welkom terug" in message.body
    link = _link(message, "/uitnodiging/")
    client.logout()
    assert not _signed_in(_login(client, partner_user.email, PASSWORD))
    assert "Welkom terug bij Carecoord" in open_invitation_link(client, link).text
    assert accept_invitation_link(client, link, NEW).status_code == 302
    partner_user.refresh_from_db()
    assert partner_user.is_active and partner_user.check_password(NEW)
    change = Change.objects.get(kind="accounts.professional_reactivated", object_id=partner_user.pk)
    assert change.actor == contact and change.school is None and change.changes["is_active"] == [False, True]
    # Partners must use a second factor: the device they had is kept and asked for.
    assert _login(client, partner_user.email, NEW)["Location"] == "/account/2fa/authenticate/"
    assert code_step(client, totp_code(TEST_TOTP_SECRET))["Location"] == "/account/2fa/trust/"
    client.force_login(app_admin)
    assert "Professional weer ingeschakeld" in client.get("/regio/logboek/").text


def test_resending_a_leavers_old_invitation_also_ends_the_old_password(
    contact, organisation, django_capture_on_commit_callbacks
):
    """The invitation professional_deactivate revoked can be sent again ("Opnieuw versturen")."""
    invited, invitation = services.invitation_create(
        actor=contact, organisation=organisation, email="half@jeugdteam.test", name="Half"
    )
    invited.set_password(PASSWORD)  # e.g. set through the Django admin at some time
    invited.save()
    services.professional_deactivate(user=invited, actor=contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=contact)
    invited.refresh_from_db()
    assert not invited.is_active and not invited.has_usable_password()
    [message] = mail.outbox  # the resent one reaches the switched-off account
    assert message.to == ["half@jeugdteam.test"]
    change = Change.objects.get(kind="accounts.invitation_resent")
    assert change.changes["old_password_works"] == [True, False]


def test_app_admin_invites_a_returning_contact_person(client, app_admin, contact, organisation):
    services.professional_deactivate(user=contact, actor=app_admin)
    client.force_login(app_admin)
    page = client.get(f"/regio/partners/{organisation.pk}/")
    assert f'name="email" value="{contact.email}"' not in page.text  # that button posts the contact's page
    assert "Nodig dit adres opnieuw uit" in page.text
    client.post(f"/regio/partners/{organisation.pk}/", {"contact-name": "Kim", "contact-email": contact.email})
    organisation.refresh_from_db()
    contact.refresh_from_db()
    assert organisation.contact == contact and not contact.is_active
    assert Invitation.objects.open().filter(user=contact).exists()


def test_the_address_of_another_organisation_or_of_staff_stays_refused(
    client, contact, school, beheerder, django_capture_on_commit_callbacks
):
    other_org = OrganisationFactory(name="SMW B", schools=[school])
    stranger = partner(other_org, email="weg@smw.test")
    services.professional_deactivate(user=stranger, actor=UserFactory(is_application_admin=True))
    leaver = _switched_off_mentor(school, beheerder)
    client.force_login(contact)
    for person in (stranger, leaver):
        response = client.post("/partner/professionals/", {"name": "X", "email": person.email})
        assert response.status_code == 200
        assert "van een school of een andere organisatie" in response.text
        person.refresh_from_db()
        assert not person.is_active and person.check_password(PASSWORD)
    assert not Invitation.objects.filter(user__in=[stranger, leaver]).exists()


@pytest.mark.denies("organisation.invite_professionals")
def test_professional_who_is_not_the_contact_cannot_invite_a_colleague_back(client, contact, partner_user):
    services.professional_deactivate(user=contact, actor=UserFactory(is_application_admin=True))
    client.force_login(partner_user)
    response = client.post("/partner/professionals/", {"name": "K", "email": contact.email})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert not contact.is_active and contact.check_password(PASSWORD)
    assert not Invitation.objects.filter(user=contact).exists()


def test_a_professional_already_invited_back_is_not_invited_twice(contact, partner_user, organisation):
    services.professional_deactivate(user=partner_user, actor=contact)
    services.invitation_create(actor=contact, organisation=organisation, email=partner_user.email, name="P")
    with pytest.raises(ValidationError, match="al een uitnodiging open"):
        services.invitation_create(actor=contact, organisation=organisation, email=partner_user.email, name="P")
    assert Invitation.objects.filter(user=partner_user).count() == 1


def test_an_active_professional_is_still_refused_as_before(contact, partner_user, organisation):
    with pytest.raises(ValidationError, match="al een account bij deze organisatie"):
        services.invitation_create(actor=contact, organisation=organisation, email=partner_user.email, name="P")
    assert User.objects.get(pk=partner_user.pk).check_password(PASSWORD)


def _clock(monkeypatch, days):
    """Django's password-link tokens read the time here: `days` from now."""
    from datetime import datetime

    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: datetime.now() + timedelta(days=days))


def test_a_returning_colleagues_link_works_as_long_as_an_invitation(
    client, beheerder, school, monkeypatch, django_capture_on_commit_callbacks
):
    """A new colleague's invitation works seven days; the "welkom terug" link of one who
    comes back did one day (PASSWORD_RESET_TIMEOUT), though it is just as much the way in."""
    _switched_off_mentor(school, beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=beheerder, school=school, email="terug@a.test", name="Tess", roles=[Role.MENTOR]
        )
    [message] = mail.outbox
    assert "hij werkt zeven dagen:" in message.body
    path = _link(message, "/wachtwoord-instellen/")
    _clock(monkeypatch, 8)
    assert "new_password1" not in client.get(path, follow=True).text  # ran out after seven days
    _clock(monkeypatch, 6)
    _choose_password(client, path)
    assert _signed_in(_login(client, "terug@a.test", NEW))


def test_a_forgotten_password_link_still_works_one_day(client, mentor, monkeypatch):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(mentor.pk))
    path = f"/wachtwoord-instellen/{uid}/{default_token_generator.make_token(mentor)}/"
    _clock(monkeypatch, 2)
    assert "new_password1" not in client.get(path, follow=True).text
    _clock(monkeypatch, 0)
    assert "new_password1" in client.get(path, follow=True).text
