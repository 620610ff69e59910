"""The onboarding log reads as a privacy officer expects (review of 29-11-2026): what happened
in words, the person it was about by name, role names, Ja/Nee, dates in Amsterdam time as
dd-mm-jjjj; never the stored codes and ids."""

import re

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import Role
from accounts.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def test_the_log_names_people_and_roles_and_shows_local_dates(client, beheerder, school):
    app_admin = UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)
    _user, invitation = services.invitation_create(
        actor=beheerder, school=school, email="nieuw@a.test", name="Nieuwe Collega", roles=[Role.MENTOR]
    )
    services.invitation_revoke(invitation=invitation, actor=beheerder)
    leaver = staff(school, Role.VERZUIMCOORDINATOR, name="Vera Verzuim", email="vera@a.test")
    services.staff_deactivate(school=school, user=leaver, actor=beheerder)
    client.force_login(app_admin)
    text = client.get("/regio/logboek/").text

    for shown in (
        "Uitnodiging verstuurd",
        "Uitnodiging ingetrokken",
        "Uit dienst op deze school",
        "Nieuwe Collega (nieuw@a.test)",
        "Vera Verzuim (vera@a.test)",
        "Verzuimcoördinator → —",
        "Ja → Nee",
    ):
        assert shown in text, shown
    invitation.refresh_from_db()
    revoked = timezone.localtime(invitation.revoked_at)
    assert f"— → {revoked:%d-%m-%Y %H:%M}" in text
    assert not re.search(r"accounts\.\w+|\d{4}-\d\d-\d\dT", text)
