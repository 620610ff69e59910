"""Who sees which concern (issue 5): the raiser's view, handlers, partners with consent,
Meldcode cases for the coordinator and the aandachtsfunctionaris only."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, partner, staff
from concerns.models import ConcernStatus
from students.models import Consent, FileAccess
from students.tests.factories import ConsentFactory, PartnerLinkFactory, SchoolClassFactory

from .factories import ConcernFactory, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def leerplicht(school):
    return OrganisationFactory(name="Leerplicht A", kind=OrganisationKind.LEERPLICHT, schools=[school])


@pytest.fixture
def categories(school, leerplicht):
    return route(school, leerplicht)


@pytest.fixture
def concern(student, mentor, categories):
    return ConcernFactory(student=student, category=categories["gedrag"], raised_by=mentor)


@pytest.fixture
def meldcode_case(student, mentor, categories):
    return ConcernFactory(student=student, category=categories["veiligheid"], raised_by=mentor)


@pytest.fixture
def verzuim(student, mentor, categories):
    return ConcernFactory(student=student, category=categories["verzuim"], raised_by=mentor)


def status_of(client, concern):
    return client.get(concern.get_absolute_url()).status_code


def test_mentor_sees_their_own_concerns_only_in_mijn_meldingen(client, school, student, mentor, concern):
    colleague = staff(school, Role.MENTOR, email="m2@a.test")
    ConcernFactory(student=student, category=concern.category, raised_by=colleague, observation="Van collega")
    client.force_login(mentor)
    page = client.get("/zorg/meldingen/mijn/")
    assert list(page.context["page"]) == [concern]


def test_mentor_cannot_open_a_colleagues_concern(client, school, student, concern):
    colleague = staff(school, Role.MENTOR, email="m2@a.test")
    student.school_class.mentors.add(colleague)  # even as mentor of the same pupil
    client.force_login(colleague)
    assert status_of(client, concern) == 404


def test_raiser_sees_status_and_feedback_not_the_triage(client, mentor, concern, coordinator):
    from concerns import services

    services.concern_action_add(concern=concern, description="Gesprek met vader", actor=coordinator)
    client.force_login(mentor)
    page = client.get(concern.get_absolute_url())
    assert page.status_code == 200
    assert "Je zorgmelding over Daan Jansen" in page.text
    assert "Gesprek met vader" not in page.text
    # Status and feedback about the pupil: a read, logged as the raiser's view (issue 15).
    assert list(FileAccess.objects.filter(user=mentor).values_list("section", flat=True)) == ["zorgmelding (melder)"]


@pytest.mark.denies("concern.view_full")
def test_raiser_cannot_use_the_triage_forms(client, mentor, concern):
    client.force_login(mentor)
    response = client.post(f"/zorg/meldingen/{concern.pk}/afronden/", {"feedback": "zelf afgerond"})
    assert response.status_code == 403
    assert client.post(f"/zorg/meldingen/{concern.pk}/acties/", {"description": "x"}).status_code == 403


def test_meldcode_case_shows_the_raiser_only_in_behandeling(client, mentor, meldcode_case, aandachtsfunctionaris):
    from concerns import services

    services.meldcode_step_record(
        concern=meldcode_case,
        step=1,
        occurred_on=timezone.localdate(),
        participants="AF",
        notes="Letsel gezien; geheime notitie",
        actor=aandachtsfunctionaris,
    )
    client.force_login(mentor)
    page = client.get(meldcode_case.get_absolute_url())
    assert page.status_code == 200
    assert "in behandeling" in page.text
    assert "geheime notitie" not in page.text
    assert "Signalen in kaart" not in page.text
    mine = client.get("/zorg/meldingen/mijn/").text
    assert "in behandeling" in mine


def test_meldcode_case_is_invisible_to_the_mentor_of_the_class_who_did_not_raise_it(
    client, school, student, meldcode_case
):
    colleague = staff(school, Role.MENTOR, email="m2@a.test")
    student.school_class.mentors.add(colleague)
    client.force_login(colleague)
    assert status_of(client, meldcode_case) == 404
    file = client.get(student.get_absolute_url())
    assert "meldcode" not in file.context["sections"]
    assert "Meldcode" not in file.text


def test_meldcode_case_is_invisible_to_partners_even_with_consent_and_a_link(
    client, student, meldcode_case, leerplicht, coordinator
):
    officer = partner(leerplicht)
    PartnerLinkFactory(student=student, organisation=leerplicht, linked_by=coordinator)
    ConsentFactory(student=student, organisation=leerplicht, recorded_by=coordinator)
    meldcode_case.handler_organisation = leerplicht  # even if it were ever routed there
    meldcode_case.save()
    client.force_login(officer)
    assert status_of(client, meldcode_case) == 404
    assert client.get("/zorg/meldingen/").context["page"].paginator.count == 0


def test_meldcode_case_is_invisible_to_a_handler_by_role_and_the_school_leader(
    client, school, meldcode_case, schoolleider
):
    meldcode_case.handler_role = Role.VERZUIMCOORDINATOR  # a wrongly routed case stays hidden
    meldcode_case.save()
    for user in (staff(school, Role.VERZUIMCOORDINATOR), schoolleider):
        client.force_login(user)
        assert status_of(client, meldcode_case) == 404


def test_aandachtsfunctionaris_sees_meldcode_cases_and_the_pupils_meldcode_file(
    client, student, meldcode_case, concern, aandachtsfunctionaris
):
    client.force_login(aandachtsfunctionaris)
    assert status_of(client, meldcode_case) == 200
    assert status_of(client, concern) == 404  # an ordinary concern is not theirs
    file = client.get(student.get_absolute_url())
    assert file.status_code == 200
    assert file.context["sections"] == {"administratie", "meldcode"}
    assert "Veiligheid" in file.text  # the Meldcode panel


def test_coordinator_sees_everything_and_the_read_is_logged(client, coordinator, concern, meldcode_case):
    client.force_login(coordinator)
    assert status_of(client, concern) == 200
    assert status_of(client, meldcode_case) == 200
    assert FileAccess.objects.filter(user=coordinator, student=concern.student).count() == 2


def test_coordinator_of_another_school_gets_404(client, other_coordinator, concern):
    client.force_login(other_coordinator)
    assert status_of(client, concern) == 404


def test_partner_sees_a_concern_routed_to_them_with_consent(client, verzuim, leerplicht, coordinator, student):
    officer = partner(leerplicht)
    ConsentFactory(student=student, organisation=leerplicht, recorded_by=coordinator)
    client.force_login(officer)
    assert status_of(client, verzuim) == 200
    assert [c["pk"] for c in client.get("/zorg/meldingen/").context["page"]] == [verzuim.pk]


def test_partner_without_consent_gets_404(client, verzuim, leerplicht):
    client.force_login(partner(leerplicht))
    assert status_of(client, verzuim) == 404


def test_partner_loses_the_concern_when_consent_is_withdrawn(client, verzuim, leerplicht, coordinator, student):
    officer = partner(leerplicht)
    consent = ConsentFactory(student=student, organisation=leerplicht, recorded_by=coordinator)
    client.force_login(officer)
    assert status_of(client, verzuim) == 200
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    assert status_of(client, verzuim) == 404


def test_partner_with_consent_but_not_the_handler_gets_404(client, concern, coordinator, student):
    smw = OrganisationFactory(kind=OrganisationKind.SMW, schools=[student.school])
    ConsentFactory(student=student, organisation=smw, recorded_by=coordinator)
    client.force_login(partner(smw))
    assert status_of(client, concern) == 404


@pytest.mark.denies("concern.triage")
def test_handler_by_role_sees_the_concern_and_may_add_actions_but_not_close(client, school, concern):
    verzuim_coordinator = staff(school, Role.VERZUIMCOORDINATOR)
    concern.handler_role = Role.VERZUIMCOORDINATOR
    concern.save()
    client.force_login(verzuim_coordinator)
    assert status_of(client, concern) == 200
    added = client.post(f"/zorg/meldingen/{concern.pk}/acties/", {"description": "Ouders bellen"})
    assert added.status_code == 302
    assert client.post(f"/zorg/meldingen/{concern.pk}/afronden/", {"feedback": "klaar"}).status_code == 403
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_PROGRESS


@pytest.mark.denies("school.view_concern_figures", "school.manage_concern_categories")
def test_mentor_and_partner_cannot_see_figures_or_manage_the_route(client, mentor, leerplicht):
    for user in (mentor, partner(leerplicht)):
        client.force_login(user)
        assert client.get("/zorg/meldingen/cijfers/").status_code == 403
        assert client.get("/zorg/zorgroute/").status_code == 403


def test_school_leader_sees_figures_but_no_concern(client, schoolleider, concern):
    client.force_login(schoolleider)
    assert client.get("/zorg/meldingen/cijfers/").status_code == 200
    assert status_of(client, concern) == 404
    assert client.get("/zorg/meldingen/").context["page"].paginator.count == 0


@pytest.mark.denies("school.raise_concern")
def test_partner_cannot_raise_a_concern(client, leerplicht):
    client.force_login(partner(leerplicht))
    assert client.get("/zorg/meldingen/nieuw/").status_code == 403


def test_zorg_timeline_events_are_for_the_coordinator_only(client, mentor, coordinator, concern, student):
    from students.timeline import timeline_add

    timeline_add(
        student=student,
        kind="concerns.raised",
        actor=mentor,
        concern_id=concern.pk,
        category="Gedrag",
        raised_by=mentor.name,
    )
    client.force_login(mentor)
    assert "Zorgmelding Gedrag" not in client.get(student.get_absolute_url()).text
    client.force_login(coordinator)
    assert "Zorgmelding Gedrag" in client.get(student.get_absolute_url()).text


def test_a_mentor_of_another_class_with_an_old_concern_still_sees_it(client, school, concern, mentor, student):
    # Moving the pupil to another class does not take away what the mentor raised.
    student.school_class = SchoolClassFactory(school=school, name="3X1")
    student.save()
    client.force_login(mentor)
    assert status_of(client, concern) == 200


def test_a_concern_assigned_to_a_non_care_role_is_refused_and_not_broadcast(
    client, coordinator, schoolleider, student, school
):
    """Review finding: assigning to "role: schoolleider" let the school leader read the concern."""
    from concerns import services
    from concerns.tests.factories import ConcernFactory

    concern = ConcernFactory(student=student, school=school, raised_by=coordinator)
    with pytest.raises(ValidationError):
        services.concern_assign(concern=concern, actor=coordinator, handler_role="schoolleider")
    # Even a row that says so (old data) does not open it to every school leader.
    type(concern).objects.filter(pk=concern.pk).update(handler_role="schoolleider")
    client.force_login(schoolleider)
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_raiser_does_not_learn_that_a_concern_became_a_meldcode_case(client, mentor, coordinator, student, school):
    from concerns.tests.factories import ConcernCategoryFactory, ConcernFactory

    concern = ConcernFactory(student=student, school=school, raised_by=mentor)
    secret = ConcernCategoryFactory(school=school, name="Vermoeden kindermishandeling", follows_meldcode=True)
    type(concern).objects.filter(pk=concern.pk).update(category=secret, is_meldcode=True)
    client.force_login(mentor)
    for url in (concern.get_absolute_url(), "/zorg/meldingen/mijn/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "kindermishandeling" not in page.text


@pytest.mark.denies("concern.record_meldcode_step")
def test_coordinator_cannot_record_a_meldcode_step_on_an_ordinary_concern(client, coordinator, concern):
    from concerns.models import MeldcodeStep

    client.force_login(coordinator)
    step = {"step": 1, "occurred_on": timezone.localdate().strftime("%d-%m-%Y"), "participants": "Ik", "notes": "x"}
    assert client.post(f"/zorg/meldingen/{concern.pk}/meldcode/", step).status_code == 403
    assert not MeldcodeStep.objects.exists()


@pytest.mark.denies("school.concern_inbox")
def test_staff_of_another_school_have_no_inbox_here(school, other_coordinator, coordinator):
    """Anyone with a role at the school has an inbox (it lists only what they handle); the
    rule refuses everyone else. No request reaches it: the current school is always one
    where the user has a role."""
    from carecoord import access

    assert not access.can(other_coordinator, "school.concern_inbox", school)
    assert access.can(coordinator, "school.concern_inbox", school)


@pytest.mark.denies("school.view_unsuppressed_figures")
def test_school_leader_sees_the_figures_with_small_numbers_suppressed(client, schoolleider, coordinator, concern):
    # One concern: for the leader "< 5", never the 1 (a "Meldcode 1" names a pupil).
    client.force_login(schoolleider)
    html = client.get("/zorg/meldingen/cijfers/").content.decode()
    assert "&lt; 5" in html
    assert 'data-testid="fig-total">1<' not in html
    client.force_login(coordinator)
    assert 'data-testid="fig-total">1<' in client.get("/zorg/meldingen/cijfers/").content.decode()
