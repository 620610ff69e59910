"""Every request of a signed-in person reads them with their roles and schools in one query
(accounts.backends.AuthenticationBackend); what may sign them out still does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


def _reads(client, path="/leerlingen/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries]


def test_the_person_and_their_roles_come_in_one_query(client, coordinator):
    client.force_login(coordinator)
    response, sql = _reads(client)
    assert response.status_code == 200
    assert not [q for q in sql if q.startswith('SELECT "accounts_user"')], "the person read on their own"
    roles = [q for q in sql if "accounts_membership" in q and 'INNER JOIN "accounts_user"' in q]
    assert len(roles) == 1


def test_someone_switched_off_is_signed_out_although_their_roles_remain(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/leerlingen/").status_code == 200
    type(coordinator).objects.filter(pk=coordinator.pk).update(is_active=False)
    assert Membership.objects.filter(user=coordinator).exists()
    response = client.get("/leerlingen/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_changed_password_signs_the_other_sessions_out(client, coordinator):
    client.force_login(coordinator)
    coordinator.set_password("Een-ander-wachtwoord-2026")
    coordinator.save()
    assert client.get("/leerlingen/").status_code == 302


def test_a_partner_without_a_role_at_a_school_is_read_as_before(client, partner_user):
    partner = partner_user
    client.force_login(partner)
    assert not Membership.objects.filter(user=partner).exists()
    response, sql = _reads(client, "/")
    assert response.status_code == 200
    assert [q for q in sql if q.startswith('SELECT "accounts_user"')]
    assert len([q for q in sql if 'FROM "accounts_membership"' in q]) == 1, "no roles, asked once"


def test_an_application_admin_with_a_role_made_by_hand_still_opens_nothing(client, school, coordinator):
    from accounts.tests.factories import UserFactory

    admin = UserFactory(email="beheer@regio.test", is_application_admin=True)
    Membership.objects.create(user=admin, school=school, role=Role.ZORGCOORDINATOR)
    client.force_login(admin)
    response = client.get("/leerlingen/")
    assert response.status_code == 403, response.status_code
