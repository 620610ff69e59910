"""The school's read log does not tell a functional administrator which pupil has a Meldcode
case: a read of such a case is shown as a plain "zorgmelding" to roles that may not know of
the Meldcode (carecoord/access/concerns.py `read_log_section`)."""

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from students.selectors import log_read


@pytest.fixture
def reads(school, student, coordinator):
    log_read(user=coordinator, students=[student], section="zorgmelding (Meldcode)")
    log_read(user=coordinator, students=[student], section="zorgmelding (Zorgmeldingen)")


def test_beheerder_sees_every_concern_read_as_zorgmelding(client, beheerder, reads):
    client.force_login(beheerder)
    response = client.get("/leerlingen/leesregistratie/")
    assert response.status_code == 200
    assert "Meldcode" not in response.text
    assert response.text.count("<td>zorgmelding") == 2
    # The filter offers the neutral part only, and finds both reads.
    assert 'value="zorgmelding"' in response.text
    assert 'value="zorgmelding (Meldcode)"' not in response.text
    filtered = client.get("/leerlingen/leesregistratie/", {"section": "zorgmelding"})
    assert filtered.text.count("<td>zorgmelding") == 2
    # Asking for the stored part by its name finds nothing (else the count would tell).
    guessed = client.get("/leerlingen/leesregistratie/", {"section": "zorgmelding (Meldcode)"})
    assert "<td>zorgmelding" not in guessed.text


def test_beheerder_sees_no_meldcode_in_a_pupils_read_log(client, beheerder, student, reads):
    client.force_login(beheerder)
    response = client.get(f"/leerlingen/{student.pk}/ingezien/")
    assert response.status_code == 200
    assert "Meldcode" not in response.text


def test_beheerder_who_is_also_aandachtsfunctionaris_sees_the_meldcode_part(client, school, beheerder, reads):
    MembershipFactory(user=beheerder, school=school, role=Role.AANDACHTSFUNCTIONARIS)
    client.force_login(beheerder)
    response = client.get("/leerlingen/leesregistratie/")
    assert "zorgmelding (Meldcode)" in response.text
