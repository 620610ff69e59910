import factory
from factory.django import DjangoModelFactory

from accounts.models import Invitation, Membership, Organisation, OrganisationKind, Role, School, User

PASSWORD = "Test-wachtwoord-123"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["brin_code"]

    name = factory.Sequence(lambda n: f"School {n}")
    brin_code = factory.Sequence(lambda n: f"{n:02d}ZZ")
    region = "Testregio"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.JEUGDTEAM

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.schools.add(*extracted)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.nl")
    name = factory.Faker("name", locale="nl_NL")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.MENTOR


def staff(school, *roles, **user_fields) -> User:
    """A user with `roles` at `school`."""
    user = UserFactory(**user_fields)
    for role in roles:
        MembershipFactory(user=user, school=school, role=role)
    return user


def partner(organisation, **user_fields) -> User:
    return UserFactory(organisation=organisation, **user_fields)


def accept_invitation(invitation: Invitation, password: str = PASSWORD) -> User:
    """Accept `invitation` as the invitee does through the mailed link (only the mail holds the
    link's token, so the test gives the invitation a token it knows)."""
    from accounts.services import invitation_accept
    from accounts.services.invitations import token_hash

    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash("een-bekend-token"))
    return invitation_accept(token="een-bekend-token", password=password)


def link_secret(link: str) -> str:
    """The secret of a mailed link (carecoord.links: in its query string)."""
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(link).query)["sleutel"][0]


def open_invitation_link(client, path: str):
    """Open a mailed invitation link as a browser does: the secret goes to the session and the
    redirect is followed to the page without it (carecoord.links)."""
    return client.get(path, follow=True)


def accept_invitation_link(client, path: str, password: str = PASSWORD):
    """Open the mailed link and post the form on the page it shows (the response to the POST);
    the page of a link that does not work is returned as it is."""
    page = open_invitation_link(client, path)
    if page.status_code != 200:
        return page
    return client.post(
        page.request["PATH_INFO"],
        {"new_password1": password, "new_password2": password, "invitation": page.context["invitation"].pk},
    )
