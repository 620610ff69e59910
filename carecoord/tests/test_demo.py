import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Membership, Role, School, User

pytestmark = pytest.mark.django_db


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_command_is_idempotent(capsys):
    call_command("seed_demo", "--pupils", "20")
    first = _counts()
    call_command("seed_demo", "--pupils", "20")
    assert _counts() == first
    assert "Carecoord-demo-2026" in capsys.readouterr().out


def test_demo_has_four_schools_a_login_per_role_and_partners():
    call_command("seed_demo", "--pupils", "20", "--quiet")
    assert School.objects.count() == 4
    for school in School.objects.all():
        roles = set(Membership.objects.filter(school=school).values_list("role", flat=True))
        # A PO/SO school has an intern begeleider where a VO school has a zorgcoördinator.
        counterpart = Role.ZORGCOORDINATOR if school.is_primary else Role.INTERN_BEGELEIDER
        assert roles == set(Role.values) - {counterpart}
    assert User.objects.filter(organisation__isnull=False).count() >= 5
    coordinator = User.objects.get(email="zorgcoordinator@dewaard.test")
    assert coordinator.check_password("Carecoord-demo-2026")
    assert coordinator.memberships.values("school").distinct().count() == 2


def test_demo_logins_that_need_a_second_factor_sign_in_with_the_documented_key(client):
    from carecoord.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from carecoord.testing import totp_code

    call_command("seed_demo", "--pupils", "20", "--quiet")
    response = client.post("/account/login/", {"login": "zorgcoordinator@dewaard.test", "password": DEMO_PASSWORD})
    assert response["Location"] == "/account/2fa/authenticate/"
    assert client.post("/account/2fa/authenticate/", {"code": totp_code(DEMO_TOTP_SECRET)}).status_code == 302
    client.post("/account/2fa/trust/", {"action": "skip"})
    assert client.get("/leerlingen/").status_code == 200
    # A mentor needs no second factor and has no device.
    assert not User.objects.get(email="mentor@dewaard.test").authenticator_set.exists()
