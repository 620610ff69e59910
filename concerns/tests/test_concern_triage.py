"""Triage by the coordinator: handler, actions, category, closing with feedback (issue 5)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from concerns.models import ConcernAction, ConcernStatus, MeldcodeStep
from students.models import SupportStatus, TimelineEvent

from .factories import ConcernFactory, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(school):
    return route(school)


@pytest.fixture
def concern(student, mentor, categories):
    return ConcernFactory(student=student, category=categories["gedrag"], raised_by=mentor)


@pytest.fixture
def meldcode_case(student, mentor, categories):
    return ConcernFactory(student=student, category=categories["veiligheid"], raised_by=mentor)


def url(concern, action=""):
    return f"/zorg/meldingen/{concern.pk}/{action}"


def kinds(student):
    return list(TimelineEvent.objects.filter(student=student).order_by("pk").values_list("kind", flat=True))


def test_coordinator_assigns_a_handler_who_gets_one_mail(
    client, school, coordinator, concern, student, django_capture_on_commit_callbacks
):
    handler = staff(school, Role.VERZUIMCOORDINATOR, email="vc@a.test")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(concern, "behandelaar/"), {"handler": f"user:{handler.pk}"})
        client.post(url(concern, "behandelaar/"), {"handler": f"user:{handler.pk}"})  # same again: no change
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.handler == handler
    assert concern.status == ConcernStatus.IN_PROGRESS
    assert concern.first_action_at is not None
    assert [m.to for m in mail.outbox] == [[handler.email]]
    assert kinds(student) == ["students.support_status", "concerns.assigned"]
    student.refresh_from_db()
    assert student.support_status == SupportStatus.IN_BEGELEIDING


def test_triage_in_place_returns_the_concern_body_for_htmx(client, coordinator, concern):
    client.force_login(coordinator)
    response = client.post(
        url(concern, "acties/"),
        {"description": "Gesprek met ouders", "due_on": (timezone.localdate() + timedelta(days=7)).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Gesprek met ouders" in response.text
    assert "De actie is toegevoegd." in response.text


def test_coordinator_adds_an_action_with_a_due_date_and_marks_it_done(client, coordinator, concern, student):
    client.force_login(coordinator)
    due = timezone.localdate() + timedelta(days=3)
    client.post(url(concern, "acties/"), {"description": "Gesprek met ouders", "due_on": due.isoformat()})
    action = ConcernAction.objects.get()
    assert (action.description, action.due_on) == ("Gesprek met ouders", due)
    client.post(url(concern, f"acties/{action.pk}/gedaan/"))
    action.refresh_from_db()
    assert action.done_by == coordinator
    assert "concerns.action_done" in kinds(student)


def test_an_action_due_in_the_past_is_refused_and_the_text_kept(client, coordinator, concern):
    client.force_login(coordinator)
    response = client.post(
        url(concern, "acties/"),
        {"description": "Te laat bedacht", "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "Deze datum ligt in het verleden." in response.text
    assert 'value="Te laat bedacht"' in response.text
    assert ConcernAction.objects.count() == 0


def test_coordinator_closes_with_feedback_and_the_mentor_sees_it(
    client, coordinator, mentor, concern, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(concern, "afronden/"), {"feedback": "Ouders zijn gesproken, dank je!"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "Ouders zijn gesproken" not in mail.outbox[0].body
    client.force_login(mentor)
    mine = client.get("/zorg/meldingen/mijn/").text
    assert "Ouders zijn gesproken, dank je!" in mine
    assert "afgerond" in mine


def test_closing_without_feedback_says_so(client, coordinator, concern):
    client.force_login(coordinator)
    response = client.post(url(concern, "afronden/"), {"feedback": "   "})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text or "Vul dit veld in." in response.text
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_a_closed_concern_cannot_be_changed_with_a_clear_message(client, coordinator, concern):
    from concerns import services

    services.concern_close(concern=concern, feedback="Klaar.", actor=coordinator)
    client.force_login(coordinator)
    for action, data in [
        ("acties/", {"description": "Nog iets doen"}),
        ("afronden/", {"feedback": "Nog een keer"}),
        ("behandelaar/", {"handler": f"user:{coordinator.pk}"}),
    ]:
        response = client.post(url(concern, action), data, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 403), action
        if response.status_code == 200:
            assert "Deze melding is afgerond en kan niet meer worden gewijzigd." in response.text
    concern.refresh_from_db()
    assert concern.feedback == "Klaar."
    assert ConcernAction.objects.count() == 0


def test_a_closed_concern_edited_from_a_stale_page_keeps_nothing_lost(client, coordinator, concern):
    # Another tab closed it after this page was loaded: the action form answers with the message.
    from concerns import services

    services.concern_close(concern=concern, feedback="Klaar.", actor=coordinator)
    client.force_login(coordinator)
    response = client.post(url(concern, "acties/"), {"description": "Nog iets doen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "kan niet meer worden gewijzigd" in response.text


def test_meldcode_case_cannot_close_before_step_5(client, aandachtsfunctionaris, meldcode_case):
    client.force_login(aandachtsfunctionaris)
    response = client.post(url(meldcode_case, "afronden/"), {"feedback": "Opgelost"})
    assert response.status_code == 200
    assert "pas worden afgerond als stap 5" in response.text
    meldcode_case.refresh_from_db()
    assert meldcode_case.status != ConcernStatus.CLOSED
    assert "Opgelost</textarea>" in response.text  # typed text kept


def test_meldcode_decision_needs_steps_1_to_4_first(client, aandachtsfunctionaris, meldcode_case):
    client.force_login(aandachtsfunctionaris)
    today = timezone.localdate().isoformat()
    response = client.post(
        url(meldcode_case, "meldcode/"),
        {"step": 5, "occurred_on": today, "participants": "AF", "notes": "Besluit", "decision": "hulp"},
    )
    assert "Leg eerst stap 1, 2, 3, 4 vast" in response.text
    assert MeldcodeStep.objects.count() == 0


def test_meldcode_steps_then_decision_then_close(client, coordinator, aandachtsfunctionaris, meldcode_case, student):
    client.force_login(aandachtsfunctionaris)
    today = timezone.localdate().isoformat()
    base = {"occurred_on": today, "participants": "AF en mentor", "notes": "Vastgelegd"}
    for step, extra in [
        (1, {}),
        (2, {"veilig_thuis_consulted": "on"}),
        (3, {}),
        (4, {"acute_unsafety": "nee", "structural_unsafety": "ja"}),
        (5, {"decision": "melden_en_hulp"}),
    ]:
        response = client.post(url(meldcode_case, "meldcode/"), {"step": step, **base, **extra})
        assert response.status_code == 302, (step, response.text[:2000])
    steps = {s.step: s for s in MeldcodeStep.objects.all()}
    assert steps[2].veilig_thuis_consulted
    assert (steps[4].acute_unsafety, steps[4].structural_unsafety) == (False, True)
    assert steps[5].decision == "melden_en_hulp"
    response = client.post(url(meldcode_case, "afronden/"), {"feedback": "Er is hulp; dank voor je melding."})
    assert response.status_code == 302
    meldcode_case.refresh_from_db()
    assert meldcode_case.status == ConcernStatus.CLOSED
    sections = set(TimelineEvent.objects.filter(student=student).values_list("section", flat=True))
    assert sections == {"meldcode"}  # nothing of the case in other parts of the file


def test_weighing_needs_both_answers(client, aandachtsfunctionaris, meldcode_case):
    client.force_login(aandachtsfunctionaris)
    response = client.post(
        url(meldcode_case, "meldcode/"),
        {"step": 4, "occurred_on": timezone.localdate().isoformat(), "participants": "AF", "notes": "Gewogen"},
    )
    assert "Beantwoord bij het wegen beide vragen." in response.text


def test_meldcode_case_cannot_be_assigned_to_a_mentor(client, coordinator, mentor, meldcode_case):
    client.force_login(coordinator)
    response = client.post(url(meldcode_case, "behandelaar/"), {"handler": f"user:{mentor.pk}"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text  # not even offered
    meldcode_case.refresh_from_db()
    assert meldcode_case.handler_id is None


def test_moving_a_concern_into_the_meldcode_routes_it_to_the_aandachtsfunctionaris(
    client, coordinator, concern, categories, aandachtsfunctionaris, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(concern, "categorie/"), {"category": categories["veiligheid"].pk, "home_situation": "on"}
        )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.is_meldcode, concern.handler_role, concern.home_situation) == (
        True,
        Role.AANDACHTSFUNCTIONARIS,
        True,
    )
    assert [m.to for m in mail.outbox] == [[aandachtsfunctionaris.email]]


def test_a_meldcode_case_never_leaves_the_meldcode(client, coordinator, meldcode_case, categories):
    client.force_login(coordinator)
    response = client.post(url(meldcode_case, "categorie/"), {"category": categories["gedrag"].pk})
    assert response.status_code == 200
    meldcode_case.refresh_from_db()
    assert meldcode_case.is_meldcode


def test_category_of_another_school_is_refused_in_triage(client, coordinator, concern, other_school):
    client.force_login(coordinator)
    foreign = route(other_school)["gedrag"]
    response = client.post(url(concern, "categorie/"), {"category": foreign.pk})
    assert response.status_code == 200
    assert "hoort niet bij de zorgroute van deze school" in response.text
