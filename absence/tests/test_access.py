"""Who sees absence: coordinators and the verzuimcoördinator of the school; leerplicht for
signalled pupils of linked schools (a legal basis, not consent); nobody else."""

import pytest

from absence.models import AbsenceSignal, SignalLevel
from absence.services import signals_compute
from accounts.models import Role
from accounts.tests.factories import staff
from carecoord import access
from carecoord.access.sections import Section
from students.tests.factories import StudentFactory

from .factories import FRIDAY, absent, monday

pytestmark = pytest.mark.django_db


def signalled(*students):
    for pupil in students:
        absent(pupil, monday(0), 600)
    signals_compute(as_of=FRIDAY, notify=False)
    for pupil in students:
        assert AbsenceSignal.objects.get(student=pupil).level == SignalLevel.EARLY


def overview_pupils(client, user):
    client.force_login(user)
    response = client.get("/verzuim/")
    assert response.status_code == 200
    return {signal["student_id"] for signal in response.context["page"]}


def test_leerplicht_sees_signalled_pupils_of_linked_schools_only(
    client, leerplicht_user, leerplicht_org, student, school_class, other_student, other_school
):
    quiet = StudentFactory(school_class=school_class)  # same school, no signal
    absent(quiet, monday(0), 60)
    signalled(student, other_student)  # other_student's school is not linked to this leerplicht
    assert overview_pupils(client, leerplicht_user) == {student.pk}
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 200
    assert client.get(f"/verzuim/leerling/{quiet.pk}/").status_code == 404
    assert client.get(f"/verzuim/leerling/{other_student.pk}/").status_code == 404


def test_leerplicht_sees_administration_and_absence_not_care(leerplicht_user, student):
    signalled(student)
    assert access.file_sections(leerplicht_user, student) == {Section.ADMINISTRATIE, Section.VERZUIM}


def test_leerplicht_loses_the_pupil_when_the_signal_ends(client, leerplicht_user, student):
    signalled(student)
    client.force_login(leerplicht_user)
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 200
    signals_compute(as_of=FRIDAY.replace(month=6), notify=False)  # weeks later: the window is empty
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 404
    assert client.get(student.get_absolute_url()).status_code == 404


def test_leerplicht_of_a_linked_school_sees_that_schools_pupils_too(
    client, leerplicht_user, leerplicht_org, student, other_student, other_school
):
    leerplicht_org.schools.add(other_school)
    signalled(student, other_student)
    client.force_login(leerplicht_user)
    client.post("/school/wisselen/", {"school": other_school.pk})
    assert overview_pupils(client, leerplicht_user) == {other_student.pk}


@pytest.mark.denies("student.add_absence_step", "student.record_absence")
def test_leerplicht_cannot_record_steps_or_absence(client, leerplicht_user, student):
    signalled(student)
    client.force_login(leerplicht_user)
    assert client.get(f"/verzuim/leerling/{student.pk}/stap/").status_code == 403
    assert client.get(f"/verzuim/leerling/{student.pk}/registreren/").status_code == 403
    assert client.get("/verzuim/import/").status_code == 403


def test_other_partner_with_consent_cannot_see_absence(client, consented_partner, student):
    signalled(student)
    client.force_login(consented_partner)
    assert client.get("/verzuim/").status_code == 403
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 403  # sees the pupil, not this part


@pytest.mark.denies("school.view_absence")
def test_mentor_cannot_see_absence(client, mentor, student):
    signalled(student)
    client.force_login(mentor)
    assert client.get("/verzuim/").status_code == 403
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 403


def test_school_leader_cannot_see_absence(client, schoolleider, student):
    signalled(student)
    client.force_login(schoolleider)
    assert client.get("/verzuim/").status_code == 403


def test_coordinator_of_another_school_gets_404(client, other_coordinator, student):
    signalled(student)
    client.force_login(other_coordinator)
    assert client.get(f"/verzuim/leerling/{student.pk}/").status_code == 404


def test_verzuimcoordinator_can_see_and_act(client, verzuimcoordinator, student):
    signalled(student)
    assert overview_pupils(client, verzuimcoordinator) == {student.pk}
    assert client.get(f"/verzuim/leerling/{student.pk}/stap/").status_code == 200
    assert client.get("/verzuim/import/").status_code == 200
    assert client.get("/verzuim/drempels/").status_code == 200


@pytest.mark.denies("school.manage_absence_policy")
def test_beheerder_cannot_change_thresholds(client, beheerder, student):
    client.force_login(beheerder)
    assert client.get("/verzuim/drempels/").status_code == 403


def test_menu_shows_absence_to_leerplicht_and_coordinator_only(client, leerplicht_user, coordinator, mentor, school):
    for user, expected in ((leerplicht_user, True), (coordinator, True), (mentor, False)):
        client.force_login(user)
        assert ('href="/verzuim/"' in client.get("/").text) is expected


def test_reading_a_pupils_absence_is_logged(client, verzuimcoordinator, student):
    from students.models import FileAccess

    signalled(student)
    client.force_login(verzuimcoordinator)
    client.get(f"/verzuim/leerling/{student.pk}/")
    assert FileAccess.objects.filter(user=verzuimcoordinator, student=student, section="verzuim").count() == 1


def test_aandachtsfunctionaris_without_coordinator_role_cannot_see_absence(client, school, student):
    signalled(student)
    af = staff(school, Role.AANDACHTSFUNCTIONARIS, email="af2@a.test")
    client.force_login(af)
    assert client.get("/verzuim/").status_code == 403
