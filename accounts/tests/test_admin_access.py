"""No self-granted access: the Django admin gives no roles, no partner organisation and no
identity provider, and a superuser reads no pupil data."""

import pytest

from accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="root@t.nl", password="x", name="Root")
    client.force_login(user)
    return user


def _change_form(root, **extra):
    data = {
        "email": root.email,
        "name": root.name,
        "language": "nl",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-school": "",
        "memberships-0-role": Role.ZORGCOORDINATOR,
    }
    data.update(extra)
    return data


def test_the_admin_cannot_add_a_membership(client, root, school):
    response = client.post(
        f"/admin/accounts/user/{root.pk}/change/", _change_form(root, **{"memberships-0-school": school.pk})
    )
    assert response.status_code in (200, 302)
    assert not Membership.objects.filter(user=root).exists()
    assert client.get("/admin/accounts/membership/add/").status_code == 404


def test_the_admin_shows_roles_read_only(client, root, coordinator):
    page = client.get(f"/admin/accounts/user/{coordinator.pk}/change/")
    assert page.status_code == 200
    assert "Zorgcoördinator" in page.text
    assert 'name="memberships-0-role"' not in page.text


def test_the_admin_cannot_put_a_superuser_in_a_partner_organisation(client, root, organisation):
    client.post(f"/admin/accounts/user/{root.pk}/change/", _change_form(root, organisation=organisation.pk))
    root.refresh_from_db()
    assert root.organisation_id is None


def test_a_superuser_gets_404_on_a_pupil_file(client, root, student):
    assert client.get(student.get_absolute_url()).status_code == 404
    assert client.get(f"/leerlingen/{student.pk}/ingezien/").status_code == 404
    assert "Jansen" not in client.get("/leerlingen/").text


@pytest.mark.parametrize(
    "url",
    [
        "/admin/socialaccount/socialapp/add/",
        "/admin/socialaccount/socialaccount/",
        "/admin/mfa/authenticator/",
        "/admin/account/emailaddress/",
    ],
)
def test_identity_providers_and_second_factors_are_not_in_the_admin(client, root, url):
    assert client.get(url).status_code == 404


def test_an_identity_provider_in_the_database_is_ignored(client, mentor):
    """Only OIDC_PROVIDERS (the environment) counts: a row someone added elsewhere cannot
    become a way to sign in as a colleague."""
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="evil",
        name="Evil",
        client_id="x",
        settings={"server_url": "http://127.0.0.1:1"},
    )
    assert client.post("/account/oidc/evil/login/").status_code == 404
    assert "Evil" not in client.get("/account/login/").text


def test_the_admin_cannot_add_a_user_with_a_chosen_password(client, root, organisation):
    client.force_login(root)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "p@partner.test",
            "name": "P",
            "organisation": organisation.pk,
            "password1": "Xx-12345678",
            "password2": "Xx-12345678",
        },
    )
    assert response.status_code == 403
    assert not django_user_model_exists("p@partner.test")


def test_the_admin_cannot_set_someone_elses_password(client, root, partner_user):
    client.force_login(root)
    url = f"/admin/accounts/user/{partner_user.pk}/password/"
    assert client.get(url).status_code == 403
    client.post(url, {"password1": "Xx-12345678", "password2": "Xx-12345678"})
    partner_user.refresh_from_db()
    assert not partner_user.check_password("Xx-12345678")


def django_user_model_exists(email):
    from accounts.models import User

    return User.objects.filter(email=email).exists()
