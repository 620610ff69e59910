"""An invitation is a grant of access by its sender: it counts while the sender may send it
(carecoord.access.accounts.sender_backs), not only on the day it was sent. A school's
functioneel beheerder who left or lost the role, an applicatiebeheerder switched off or no
longer applicatiebeheer, a partner's contact person replaced or switched off: their open
invitations are refused at accepting, the page says so before a password is typed, the lists
mark them, and someone who may invite now sends them again on their own name."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Invitation, Membership, Organisation, Role, User
from accounts.services.invitations import token_hash
from accounts.tests.factories import PASSWORD, UserFactory, accept_invitation, partner, staff
from audit.models import Change
from carecoord import access
from carecoord.links import link_path
from carecoord.testing import query_count

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = ("accounts.invitation_accepted", "accounts.staff_reactivated", "accounts.professional_reactivated")


@pytest.fixture
def second_beheerder(school):
    return staff(school, Role.BEHEERDER, email="beheer2@a.test", name="Bea Beheer")


def _staff_invitation(beheerder, school, email="nieuw@a.test") -> Invitation:
    return services.invitation_create(
        actor=beheerder, school=school, email=email, name="Nina Nieuw", roles=[Role.MENTOR]
    )[1]


def _administrator_invitation(app_admin, school, email="fien@a.test") -> Invitation:
    from carecoord.access.region import first_administrator_roles

    return services.invitation_create(
        actor=app_admin, school=school, email=email, name="Fien Beheer", roles=first_administrator_roles()
    )[1]


def _professional_invitation(contact, organisation, email="pim@jeugdteam.test") -> Invitation:
    return services.invitation_create(actor=contact, organisation=organisation, email=email, name="Pim Pro")[1]


def _link(invitation) -> str:
    """The path of the invitation's mailed link (a token the test knows: only the mail holds it)."""
    token = f"token-{invitation.pk}"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
    return link_path("invitation_accept", token)


def _try_to_accept(client, invitation):
    """Open the link and post a password as the invitee would (the page's own invitation
    field, as the form has it): the response to the POST, or to the GET if there is no form."""
    page = client.get(_link(invitation), follow=True)
    if page.status_code != 200:
        return page
    return client.post(
        page.request["PATH_INFO"],
        {"new_password1": PASSWORD, "new_password2": PASSWORD, "invitation": invitation.pk},
    )


def _nothing_set(invitation):
    invitation.refresh_from_db()
    assert invitation.state == "open"  # still open: sent again, it works
    user = User.objects.get(pk=invitation.user_id)
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not Change.objects.filter(kind__in=NOT_ACCEPTED).exists()


def _sender_loses_the_right(how, sender, school, second_beheerder):
    if how == "left":
        services.staff_deactivate(school=school, user=sender, actor=second_beheerder)
    else:  # still works there, no longer functioneel beheerder
        services.staff_roles_set(school=school, user=sender, roles=[Role.MENTOR], actor=second_beheerder)


# --- Accepting: refused, nothing written -------------------------------------------------------


@pytest.mark.parametrize("how", ["left", "no_longer_beheerder"])
def test_invitee_of_a_beheerder_who_lost_the_right_cannot_accept(client, beheerder, second_beheerder, school, how):
    invitation = _staff_invitation(beheerder, school)
    _sender_loses_the_right(how, beheerder, school, second_beheerder)
    response = _try_to_accept(client, invitation)
    assert response.status_code == 403
    assert (
        "Functioneel Beheerder heeft je uitgenodigd, maar mag dat niet meer. Vraag de functioneel beheerder van "
        "School A om de uitnodiging opnieuw te versturen." in response.text
    )
    _nothing_set(invitation)
    # The service refuses on its own too (a page opened before the sender lost the right).
    with pytest.raises(ValidationError, match="maar mag dat niet meer"):
        accept_invitation(invitation)
    _nothing_set(invitation)


@pytest.mark.parametrize("change", [{"is_active": False}, {"is_application_admin": False}])
def test_first_beheerder_invited_by_someone_no_longer_applicatiebeheer_cannot_accept(client, app_admin, school, change):
    invitation = _administrator_invitation(app_admin, school)
    User.objects.filter(pk=app_admin.pk).update(**change)
    response = _try_to_accept(client, invitation)
    assert response.status_code == 403
    assert (
        "Regio Beheer heeft je uitgenodigd, maar mag dat niet meer. Vraag applicatiebeheer of een functioneel "
        "beheerder van School A om de uitnodiging opnieuw te versturen." in response.text
    )
    _nothing_set(invitation)
    with pytest.raises(ValidationError, match="maar mag dat niet meer"):
        accept_invitation(invitation)


@pytest.mark.parametrize("how", ["replaced", "switched_off"])
def test_professional_invited_by_a_former_contact_person_cannot_accept(
    client, app_admin, contact, organisation, school, how
):
    invitation = _professional_invitation(contact, organisation)
    if how == "replaced":
        successor = partner(organisation, email="opvolger@jeugdteam.test", name="Olga Opvolger")
        services.organisation_save(
            actor=app_admin,
            organisation=organisation,
            name=organisation.name,
            kind=organisation.kind,
            schools=[school],
            contact=successor,
        )
    else:
        services.professional_deactivate(user=contact, actor=app_admin)
    response = _try_to_accept(client, invitation)
    assert response.status_code == 403
    assert (
        "Kim Contact heeft je uitgenodigd, maar mag dat niet meer. Vraag de contactpersoon van Jeugdteam A om de "
        "uitnodiging opnieuw te versturen." in response.text
    )
    _nothing_set(invitation)
    with pytest.raises(ValidationError, match="maar mag dat niet meer"):
        accept_invitation(invitation)


def test_an_invitation_whose_sender_still_may_invite_is_accepted(client, app_admin, school):
    """The rule refuses what it should and no more: the first beheerder, invited by an
    applicatiebeheerder who still is one, gets in (the staff and partner kinds: test_onboarding)."""
    invitation = _administrator_invitation(app_admin, school)
    response = _try_to_accept(client, invitation)
    assert response.status_code == 302 and response["Location"] == "/account/login/"
    assert Membership.objects.filter(user=invitation.user, school=school, role=Role.BEHEERDER).exists()


def test_the_page_says_so_before_a_password_is_typed(client, beheerder, second_beheerder, school):
    invitation = _staff_invitation(beheerder, school)
    _sender_loses_the_right("left", beheerder, school, second_beheerder)
    page = client.get(_link(invitation), follow=True)
    assert page.status_code == 403
    assert "Deze uitnodiging werkt niet (meer)" in page.text
    assert "Vraag de functioneel beheerder van School A om de uitnodiging opnieuw te versturen." in page.text
    assert "new_password1" not in page.text  # no form to fill in for nothing
    assert "no-store" in page["Cache-Control"]


def test_an_expired_invitation_of_a_beheerder_who_left_names_whom_to_ask(client, beheerder, second_beheerder, school):
    from datetime import timedelta

    from django.utils import timezone

    invitation = _staff_invitation(beheerder, school)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    _sender_loses_the_right("left", beheerder, school, second_beheerder)
    page = client.get(_link(invitation), follow=True)
    assert page.status_code == 410
    assert "verlopen. Vraag de functioneel beheerder van School A om die opnieuw te versturen." in page.text
    assert "Functioneel Beheerder" not in page.text  # who left cannot send it again


# --- Sending it again: the grant becomes the current beheerder's ------------------------------


def test_beheerder_who_resends_it_becomes_its_sender_and_the_new_link_works(
    client, beheerder, second_beheerder, school, app_admin, django_capture_on_commit_callbacks
):
    invitation = _staff_invitation(beheerder, school)
    _sender_loses_the_right("left", beheerder, school, second_beheerder)
    client.force_login(second_beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.invited_by == second_beheerder and invitation.times_sent == 2
    resent = Change.objects.get(kind="accounts.invitation_resent", object_id=invitation.pk)
    assert resent.actor == second_beheerder
    assert resent.changes["invited_by"] == [beheerder.pk, second_beheerder.pk]
    assert "Bea Beheer nodigt je uit" in mail.outbox[-1].body
    client.logout()
    response = _try_to_accept(client, invitation)
    assert response.status_code == 302 and response["Location"] == "/account/login/"
    assert set(Membership.objects.filter(user=invitation.user).values_list("role", flat=True)) == {Role.MENTOR}
    # The onboarding log names the new sender.
    client.force_login(app_admin)
    log = client.get("/regio/logboek/").text
    assert "uitgenodigd door" in log and "Bea Beheer (beheer2@a.test)" in log


def test_contact_person_who_resends_a_predecessors_invitation_becomes_its_sender(client, contact, organisation):
    invitation = _professional_invitation(contact, organisation)
    successor = partner(organisation, email="opvolger@jeugdteam.test", name="Olga Opvolger")
    Organisation.objects.filter(pk=organisation.pk).update(contact=successor)
    client.force_login(successor)
    client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/")
    invitation.refresh_from_db()
    assert invitation.invited_by == successor
    from carecoord.access.accounts import sender_backs

    assert sender_backs(invitation)


def test_applicatiebeheer_resending_a_staff_invitation_keeps_a_sender_who_still_may(
    beheerder, second_beheerder, school, app_admin
):
    """Applicatiebeheer may resend any invitation but invites no staff: the beheerder's grant
    stays; once nobody backs it, resending is refused (the link would not work)."""
    invitation = _staff_invitation(beheerder, school)
    services.invitation_resend(invitation=invitation, actor=app_admin)
    invitation.refresh_from_db()
    assert invitation.invited_by == beheerder and invitation.times_sent == 2
    _sender_loses_the_right("left", beheerder, school, second_beheerder)
    with pytest.raises(ValidationError, match="de link zou niet werken"):
        services.invitation_resend(invitation=invitation, actor=app_admin)
    invitation.refresh_from_db()
    assert invitation.invited_by == beheerder and invitation.times_sent == 2


@pytest.mark.denies("invitation.manage")
def test_former_beheerder_cannot_rescue_their_own_invitation(client, beheerder, second_beheerder, school):
    invitation = _staff_invitation(beheerder, school)
    _sender_loses_the_right("no_longer_beheerder", beheerder, school, second_beheerder)
    client.force_login(beheerder)  # still a mentor here
    assert client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.times_sent == 1 and invitation.invited_by == beheerder
    access.forget(beheerder)
    assert not access.can(beheerder, "invitation.manage", invitation)


# --- The lists mark such an invitation ---------------------------------------------------------

MARK = "die niet meer mag uitnodigen"


def test_staff_list_marks_an_invitation_whose_sender_lost_the_right(client, beheerder, second_beheerder, school):
    _staff_invitation(beheerder, school, email="van-wie-wegging@a.test")
    _staff_invitation(second_beheerder, school, email="van-wie-blijft@a.test")
    _sender_loses_the_right("left", beheerder, school, second_beheerder)
    client.force_login(second_beheerder)
    page = client.get("/beheer/medewerkers/")
    marked = [i.user.email for i in page.context["invitations"] if i.sender_cannot_invite]
    assert marked == ["van-wie-wegging@a.test"]
    assert page.text.count(MARK) == 1
    assert "Verstuurd door Functioneel Beheerder, die niet meer mag uitnodigen." in page.text
    # Sent again by the beheerder: no longer marked.
    client.post(f"/beheer/uitnodigingen/{Invitation.objects.get(user__email='van-wie-wegging@a.test').pk}/opnieuw/")
    assert MARK not in client.get("/beheer/medewerkers/").text


def test_region_school_page_marks_a_first_beheerder_invitation_of_a_switched_off_applicatiebeheerder(
    client, app_admin, school
):
    _administrator_invitation(app_admin, school)
    colleague = UserFactory(email="regio2@beheer.test", name="Rob Regio", is_application_admin=True)
    client.force_login(colleague)
    assert MARK not in client.get(f"/regio/scholen/{school.pk}/").text
    User.objects.filter(pk=app_admin.pk).update(is_active=False)
    assert (
        "Verstuurd door Regio Beheer, die niet meer mag uitnodigen." in client.get(f"/regio/scholen/{school.pk}/").text
    )


def test_professionals_pages_mark_an_invitation_of_a_former_contact_person(
    client, app_admin, contact, organisation, school
):
    _professional_invitation(contact, organisation)
    successor = partner(organisation, email="opvolger@jeugdteam.test", name="Olga Opvolger")
    Organisation.objects.filter(pk=organisation.pk).update(contact=successor)
    client.force_login(successor)
    page = client.get("/partner/professionals/")
    assert "Verstuurd door Kim Contact, die niet meer mag uitnodigen." in page.text
    row = next(row for row in page.context["people"] if row.person.email == "pim@jeugdteam.test")
    assert row.invited and row.invitation_not_backed
    assert "verstuur de uitnodiging hieronder opnieuw" in page.text
    client.force_login(app_admin)
    assert MARK in client.get(f"/regio/partners/{organisation.pk}/").text


# --- No query per row -------------------------------------------------------------------------


def test_invitation_lists_query_count_does_not_grow_with_invitations_and_senders(
    client, app_admin, beheerder, contact, organisation, school
):
    """Every list of invitations, with senders who may invite and senders who may not, each
    sending a few: the count at a few equals the count at many (the senders' roles are read
    for the whole list at once)."""
    from accounts.services.region import staff_deactivate

    def grow(start, n):
        for i in range(start, start + n):
            # A school's beheerder who stays, one who leaves; each invites two colleagues.
            stays = staff(school, Role.BEHEERDER, email=f"blijft{i}@a.test", name=f"Blijft {i}")
            leaves = staff(school, Role.BEHEERDER, Role.MENTOR, email=f"gaat{i}@a.test", name=f"Gaat {i}")
            for sender in (stays, leaves):
                for j in range(2):
                    _staff_invitation(sender, school, email=f"n{i}-{j}-{sender.pk}@a.test")
            staff_deactivate(school=school, user=leaves, actor=beheerder)
            # Applicatiebeheerders inviting a functioneel beheerder, one of them switched off since.
            for active in (True, False):
                admin = UserFactory(email=f"regio{i}-{active}@beheer.test", is_application_admin=True)
                _administrator_invitation(admin, school, email=f"fb{i}-{active}@a.test")
                admin.is_active = active
                admin.save(update_fields=["is_active"])
            # A former contact person's invitation, and the current one's.
            former = partner(organisation, email=f"oud{i}@jeugdteam.test")
            Organisation.objects.filter(pk=organisation.pk).update(contact=former)
            organisation.contact = former  # the contact person then …
            _professional_invitation(former, organisation, email=f"pro-oud{i}@jeugdteam.test")
            Organisation.objects.filter(pk=organisation.pk).update(contact=contact)
            organisation.contact = contact  # … and now
            _professional_invitation(contact, organisation, email=f"pro{i}@jeugdteam.test")

    pages = {
        beheerder: ["/beheer/medewerkers/"],
        app_admin: [f"/regio/scholen/{school.pk}/", f"/regio/partners/{organisation.pk}/"],
        contact: ["/partner/professionals/"],
    }

    def counts():
        found = {}
        for user, urls in pages.items():
            client.force_login(user)
            found.update({url: query_count(client, url) for url in urls})
        return found

    grow(0, 1)
    few = counts()
    grow(1, 8)
    assert counts() == few
    client.force_login(beheerder)
    page = client.get("/beheer/medewerkers/").text
    assert page.count(MARK) == 9 * 2 + 9  # the leavers' staff invitations and the switched-off admins'
    client.force_login(contact)
    assert client.get("/partner/professionals/").text.count(MARK) == 9


@pytest.mark.parametrize("who", ["other school's beheerder", "mentor", "applicatiebeheer for a mentor"])
def test_the_service_refuses_an_invitation_its_sender_may_not_send(school, other_beheerder, mentor, app_admin, who):
    # The pages ask the rule first; the service asks it too (a queued import, another caller).
    actor = {"other school's beheerder": other_beheerder, "mentor": mentor, "applicatiebeheer for a mentor": app_admin}
    with pytest.raises(ValidationError, match="Je mag geen uitnodigingen \\(meer\\) versturen voor School A"):
        _staff_invitation(actor[who], school)
    assert not User.objects.filter(email="nieuw@a.test").exists() and not Invitation.objects.exists()


def test_the_service_refuses_a_professional_invitation_of_someone_not_the_contact_person(
    contact, organisation, partner_user
):
    with pytest.raises(ValidationError, match="versturen voor Jeugdteam A"):
        _professional_invitation(partner_user, organisation)
    assert not Invitation.objects.exists()
    assert _professional_invitation(contact, organisation).invited_by == contact


def test_a_staff_import_whose_sender_lost_the_right_before_it_ran_writes_nothing(beheerder, second_beheerder, school):
    from accounts.staff_import import StaffImport

    rows = [{"email": "nieuw@a.test", "name": "Nina Nieuw", "roles": [Role.MENTOR], "classes": []}]
    Membership.objects.filter(user=beheerder, role=Role.BEHEERDER).delete()  # after the preview
    access.forget(beheerder)
    with pytest.raises(ValidationError, match="nieuw@a.test: Je mag geen uitnodigingen"):
        StaffImport().apply(school=school, rows=rows, actor=beheerder, options={})
    assert not User.objects.filter(email="nieuw@a.test").exists()
