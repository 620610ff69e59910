"""Fixtures of the onboarding tests (applicatiebeheer, a partner organisation's contact person)."""

import pytest

from accounts.models import Organisation
from accounts.tests.factories import UserFactory, partner


@pytest.fixture
def app_admin():
    """Applicatiebeheer: a role of the installation, not of a school."""
    return UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)


@pytest.fixture
def contact(organisation):
    """The contact person of `organisation`, who invites and switches off its professionals."""
    person = partner(organisation, email="contact@jeugdteam.test", name="Kim Contact")
    Organisation.objects.filter(pk=organisation.pk).update(contact=person)
    organisation.refresh_from_db()
    return person
