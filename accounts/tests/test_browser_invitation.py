"""A new colleague opens the invitation in the mail, chooses a password and signs in. The
token leaves the address before the form (carecoord/links.py)."""

import re

import pytest
from django.core import mail

from accounts import services
from accounts.models import Role, User
from accounts.tests.factories import link_secret
from carecoord.testing import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Een-lang-wachtwoord-22"


def test_new_mentor_accepts_the_invitation_in_the_browser(page, beheerder, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=beheerder, school=school, email="tess@a.test", name="Tess Nieuw", roles=[Role.MENTOR]
        )
    link = re.search(r"http\S+/uitnodiging/\S+", mail.outbox[-1].body).group(0)
    token = link_secret(link)
    page.goto(page.base_url + link.split("testserver", 1)[1])
    page.wait_for_url("**/uitnodiging/welkom/")
    assert token not in page.url
    assert page.get_by_role("heading", name="Welkom bij Carecoord").is_visible()
    screenshot(page, "invitation-accept")
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(PASSWORD)
    page.get_by_role("button", name="Account activeren").click()
    page.wait_for_url("**/account/login/")
    assert page.get_by_text("Je account is klaar.").is_visible()
    user = User.objects.get(email="tess@a.test")
    assert user.check_password(PASSWORD) and user.memberships.filter(role=Role.MENTOR).exists()
