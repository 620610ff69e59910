"""Who reaches what: a participant sees only their own child, only the portal, and only
while gezag, enrolment and the school's invitation hold; the school's side is the
zorgcoördinator's."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import services
from portal.models import Participant
from students.tests.factories import GuardianFactory, StudentFactory, born_years_ago

pytestmark = pytest.mark.django_db


def test_parent_sees_their_child(parent_client, student):
    page = parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert student.full_name in page
    assert "Toestemmingen" in page


def test_parent_gets_404_for_another_child_of_the_same_school(parent_client, school_class):
    other = StudentFactory(school_class=school_class, first_name="Sanne")
    response = parent_client.get(f"/ouders/kind/{other.pk}/")
    assert response.status_code == 404
    assert "Sanne" not in response.content.decode()


def test_parent_gets_404_for_a_child_of_another_school(parent_client, other_student):
    assert parent_client.get(f"/ouders/kind/{other_student.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/leerlingen/",
        "/leerlingen/{pk}/",
        "/zorg/meldingen/",
        "/overleg/",
        "/dossier/leerling/{pk}/documenten/",
        "/admin/",
    ],
)
def test_parent_gets_404_on_staff_pages(parent_client, student, path):
    response = parent_client.get(path.format(pk=student.pk))
    if path == "/":
        assert response.status_code == 302 and response["Location"] == "/ouders/"
        return
    assert response.status_code == 404
    assert student.first_name not in response.content.decode()


def test_staff_get_404_on_parent_pages(client, coordinator, student):
    client.force_login(coordinator)
    assert client.get(f"/ouders/kind/{student.pk}/").status_code == 404


def test_anonymous_goes_to_the_portal_sign_in(client, student):
    response = client.get(f"/ouders/kind/{student.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/ouders/inloggen/")


def test_guardian_without_gezag_is_not_invitable(student, coordinator):
    without = GuardianFactory(student=student, name="Zonder Gezag", email="zg@thuis.test", has_authority=False)
    with pytest.raises(ValidationError, match="geen gezag"):
        services.participant_invite(student=student, actor=coordinator, guardian=without)
    assert not Participant.objects.exists()


def test_pupil_under_16_is_not_invitable(student, coordinator):
    with pytest.raises(ValidationError, match="jonger dan 16"):
        services.participant_invite(student=student, actor=coordinator, email="daan@thuis.test")


def test_staff_address_cannot_become_a_participant(student, coordinator, mentor, guardian):
    with pytest.raises(ValidationError, match="medewerker"):
        services.participant_invite(student=student, actor=coordinator, guardian=guardian, email=mentor.email)


def test_access_ends_when_gezag_ends(parent_client, guardian, student):
    guardian.has_authority = False
    guardian.save()
    assert parent_client.get(f"/ouders/kind/{student.pk}/").status_code == 404


def test_access_ends_when_the_pupil_leaves(parent_client, student):
    student.left_on = timezone.localdate()
    student.save()
    assert parent_client.get(f"/ouders/kind/{student.pk}/").status_code == 404


def test_access_ends_when_the_coordinator_revokes_it(parent_client, participant, student, coordinator, client):
    from django.test import Client

    staff = Client()
    staff.force_login(coordinator)
    assert staff.post(f"/ouders/beheer/toegang/{participant.pk}/intrekken/").status_code == 302
    assert parent_client.get(f"/ouders/kind/{student.pk}/").status_code == 404
    participant.refresh_from_db()
    assert participant.revoked_by == coordinator


@pytest.mark.denies("participant.revoke")
def test_beheerder_cannot_revoke(client, beheerder, participant):
    client.force_login(beheerder)
    assert client.post(f"/ouders/beheer/toegang/{participant.pk}/intrekken/").status_code == 403
    participant.refresh_from_db()
    assert participant.revoked_at is None


def test_other_schools_coordinator_gets_404_on_revoke(client, other_coordinator, participant):
    client.force_login(other_coordinator)
    assert client.post(f"/ouders/beheer/toegang/{participant.pk}/intrekken/").status_code == 404


def test_coordinator_invites_from_the_pupil_file(client, coordinator, student, guardian):
    client.force_login(coordinator)
    assert "Ouderportaal" in client.get(f"/leerlingen/{student.pk}/").content.decode()
    response = client.post(f"/ouders/beheer/leerling/{student.pk}/", {"who": str(guardian.pk), "email": ""})
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.user.email == "ouder@thuis.test" and participant.guardian == guardian


def test_invite_form_keeps_input_and_explains(client, coordinator, student):
    without = GuardianFactory(student=student, name="Zonder Gezag", email="zg@thuis.test", has_authority=False)
    client.force_login(coordinator)
    response = client.post(f"/ouders/beheer/leerling/{student.pk}/", {"who": str(without.pk), "email": "x@thuis.test"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "geen gezag" in page and "x@thuis.test" in page


@pytest.mark.denies("student.invite_participant")
def test_beheerder_cannot_invite(client, beheerder, student, guardian):
    client.force_login(beheerder)
    assert client.get(f"/ouders/beheer/leerling/{student.pk}/").status_code == 403
    assert client.post(f"/ouders/beheer/leerling/{student.pk}/", {"who": str(guardian.pk)}).status_code == 403
    assert not Participant.objects.exists()


def test_mentor_gets_no_portal_panel(client, mentor, student):
    client.force_login(mentor)
    assert "Ouderportaal: uitnodigen" not in client.get(f"/leerlingen/{student.pk}/").content.decode()


def test_pupil_of_16_is_invited_and_sees_themselves(client, coordinator, school_class):
    pupil = StudentFactory(school_class=school_class, first_name="Fenna", date_of_birth=born_years_ago(16, 3))
    participant = services.participant_invite(student=pupil, actor=coordinator, email="fenna@thuis.test")
    assert participant.is_pupil
    client.force_login(participant.user)
    page = client.get(f"/ouders/kind/{pupil.pk}/").content.decode()
    assert "Fenna" in page and "de leerling zelf" in page


def test_one_guardian_sees_each_of_their_children_only(client, coordinator, school_class, guardian, participant):
    sister = StudentFactory(school_class=school_class, first_name="Zus")
    sister_guardian = GuardianFactory(student=sister, name=guardian.name, email=guardian.email)
    services.participant_invite(student=sister, actor=coordinator, guardian=sister_guardian)
    client.force_login(participant.user)
    page = client.get("/ouders/").content.decode()
    assert "Zus" in page and "Daan" in page


def test_invitation_expiry_is_seven_days(participant):
    invitation = participant.invitations.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_revoked_parent_still_reaches_no_staff_page(parent_client, participant, coordinator):
    services.participant_revoke(participant=participant, actor=coordinator)
    assert parent_client.get("/leerlingen/").status_code == 404
    assert "geen toegang tot gegevens van een leerling" in parent_client.get("/ouders/").content.decode()
