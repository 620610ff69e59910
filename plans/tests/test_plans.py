"""The OPP: the six-week deadline, the talk with the parents, instemming (gezag under 18,
the pupil from 18), frozen versions, the next period, the yearly evaluation task."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans import selectors, services
from plans.models import Plan, PlanVersion, VersionState
from students.tests.factories import GuardianFactory, StudentFactory, born_years_ago
from students.timeline import timeline_events

from .factories import adoptable_draft

pytestmark = pytest.mark.django_db


def test_the_deadline_is_six_weeks_after_support_started_and_the_page_shows_it(client, coordinator, student):
    started = timezone.localdate() - timedelta(days=50)
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=started)
    assert plan.deadline == started + timedelta(weeks=6)
    client.force_login(coordinator)
    text = client.get(f"/opp/leerling/{student.pk}/").content.decode()
    assert plan.deadline.strftime("%d-%m-%Y") in text
    assert "termijn verstreken" in text
    assert selectors.plan_state(student=student).deadline_passed


def test_an_opp_in_time_is_not_overdue_and_one_past_six_weeks_is_a_task(coordinator, student, school_class):
    services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    late = StudentFactory(school_class=school_class)
    services.plan_start(student=late, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=43))
    overdue = [p.student for p in selectors.coordinator_tasks(school=student.school).overdue]
    assert overdue == [late]
    assert selectors.coordinator_task_count(school=student.school) == 1  # the home card's figure


def test_the_coordinator_starts_an_opp_through_the_page(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(
        f"/opp/leerling/{student.pk}/starten/", {"support_started_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    plan = Plan.objects.get(student=student)
    assert plan.versions.get().state == VersionState.DRAFT
    # A second start is refused with a message, nothing doubles.
    response = client.post(
        f"/opp/leerling/{student.pk}/starten/", {"support_started_on": timezone.localdate().isoformat()}, follow=True
    )
    assert "al een OPP" in response.content.decode()
    assert Plan.objects.count() == 1 and PlanVersion.objects.count() == 1


def test_instemming_needs_the_talk_with_the_parents_first(coordinator, student):
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    with pytest.raises(ValidationError, match="gesprek met de ouders"):
        services.plan_consent_record(
            version=plan.versions.get(),
            actor=coordinator,
            given_on=timezone.localdate(),
            guardian=student.guardians.get(),
        )


def _discussed(student, coordinator):
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    return services.plan_discussion_record(
        version=plan.versions.get(),
        actor=coordinator,
        discussed_on=timezone.localdate(),
        discussed_with="vader",
        parents_view="Vader wil eerst nadenken.",
    )


def test_a_guardian_without_gezag_cannot_agree_and_nothing_is_stored(client, coordinator, student):
    draft = _discussed(student, coordinator)
    stepfather = GuardianFactory(student=student, name="Stiefvader", has_authority=False)
    client.force_login(coordinator)
    response = client.post(
        f"/opp/versie/{draft.pk}/instemming/",
        {"giver": str(stepfather.pk), "consent_given_on": timezone.localdate().isoformat()},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Stiefvader heeft geen gezag en kan niet instemmen." in text
    draft.refresh_from_db()
    assert draft.consent_given_on is None


def test_a_guardian_of_another_pupil_cannot_agree(coordinator, student):
    draft = _discussed(student, coordinator)
    stranger = GuardianFactory(student=StudentFactory(school_class=student.school_class))
    with pytest.raises(ValidationError, match="hoort niet bij deze leerling"):
        services.plan_consent_record(version=draft, actor=coordinator, given_on=timezone.localdate(), guardian=stranger)


def test_under_18_the_pupil_cannot_agree_alone(coordinator, student):
    draft = _discussed(student, coordinator)
    with pytest.raises(ValidationError, match="jonger dan 18"):
        services.plan_consent_record(version=draft, actor=coordinator, given_on=timezone.localdate(), by_student=True)


def test_from_18_the_pupil_agrees_and_a_parent_cannot(coordinator, school_class):
    adult = StudentFactory(school_class=school_class, date_of_birth=born_years_ago(18, 10))
    mother = GuardianFactory(student=adult)
    draft = _discussed(adult, coordinator)
    with pytest.raises(ValidationError, match="18 of ouder"):
        services.plan_consent_record(version=draft, actor=coordinator, given_on=timezone.localdate(), guardian=mother)
    draft = services.plan_consent_record(
        version=draft, actor=coordinator, given_on=timezone.localdate(), by_student=True
    )
    assert draft.consent_by_student and draft.consent_giver_label == "de leerling zelf"


def test_a_guardian_with_gezag_agrees_and_it_is_on_the_timeline(client, coordinator, student):
    draft = _discussed(student, coordinator)
    client.force_login(coordinator)
    guardian = student.guardians.get()
    response = client.post(
        f"/opp/versie/{draft.pk}/instemming/",
        {"giver": str(guardian.pk), "consent_given_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.consent_by_guardian == guardian and draft.consent_recorded_by == coordinator
    kinds = list(timeline_events(student=student, sections={"traject"}).values_list("kind", flat=True))
    assert "plans.consent" in kinds and "plans.discussed" in kinds


def test_a_parent_agrees_online_through_the_service_for_the_portal(coordinator, student):
    draft = _discussed(student, coordinator)
    draft = services.plan_parent_agree(version=draft, guardian=student.guardians.get())
    assert draft.consent_online and draft.consent_given_on == timezone.localdate()
    assert draft.consent_recorded_by is None


def test_adopting_needs_the_talk_and_the_instemming(coordinator, student):
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    with pytest.raises(ValidationError) as caught:
        services.plan_adopt(version=plan.versions.get(), actor=coordinator)
    assert "niet met de ouders besproken" in str(caught.value)
    assert "instemming met het handelingsdeel ontbreekt" in str(caught.value)


def test_an_adopted_version_is_frozen(client, coordinator, student):
    _plan, draft = adoptable_draft(student, coordinator)
    adopted = services.plan_adopt(version=draft, actor=coordinator)
    with pytest.raises(ValidationError, match="vastgesteld"):
        services.plan_update(version=adopted, actor=coordinator, fields=("goals",), goals="Anders")
    with pytest.raises(ValidationError, match="vastgesteld"):
        services.plan_consent_record(
            version=adopted, actor=coordinator, given_on=timezone.localdate(), guardian=student.guardians.get()
        )
    # Not even the model lets it be rewritten.
    adopted.goals = "Stil herschreven"
    with pytest.raises(PermissionError):
        adopted.save()
    # The page refuses the edit form.
    client.force_login(coordinator)
    response = client.post(f"/opp/versie/{adopted.pk}/bewerken/", {"goals": "Via de pagina"})
    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.goals == "Elke dag de lessen Nederlands volgen."
    assert adopted.history.count() >= 4  # every step kept


def test_the_next_period_starts_a_draft_copied_from_the_adopted_version(coordinator, student):
    plan, draft = adoptable_draft(student, coordinator)
    services.plan_adopt(version=draft, actor=coordinator)
    new = services.plan_new_draft(plan=plan, actor=coordinator)
    assert new.number == 2 and new.state == VersionState.DRAFT
    assert new.goals == draft.goals and new.evaluation == "" and new.consent_given_on is None
    with pytest.raises(ValidationError, match="al een concept"):
        services.plan_new_draft(plan=plan, actor=coordinator)


def test_the_yearly_evaluation_task_appears_eleven_months_after_adoption(coordinator, student):
    plan, draft = adoptable_draft(student, coordinator)
    adopted = services.plan_adopt(version=draft, actor=coordinator)
    assert list(selectors.plans_evaluation_due(school=student.school)) == []
    PlanVersion.objects.filter(pk=adopted.pk).update(adopted_at=timezone.now() - timedelta(days=340))
    assert [p.pk for p in selectors.plans_evaluation_due(school=student.school)] == [plan.pk]
    # A new period adopted in time ends the task.
    new = services.plan_new_draft(plan=plan, actor=coordinator)
    services.plan_update(version=new, actor=coordinator, fields=("evaluation",), evaluation="Doelen gehaald.")
    services.plan_discussion_record(
        version=new, actor=coordinator, discussed_on=timezone.localdate(), discussed_with="moeder", parents_view=""
    )
    services.plan_consent_record(
        version=new, actor=coordinator, given_on=timezone.localdate(), guardian=student.guardians.get()
    )
    services.plan_adopt(version=new, actor=coordinator)
    assert list(selectors.plans_evaluation_due(school=student.school)) == []


def test_the_period_cannot_end_before_it_starts(client, coordinator, student):
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    draft = plan.versions.get()
    client.force_login(coordinator)
    response = client.post(
        f"/opp/versie/{draft.pk}/bewerken/",
        {"period_start": "2026-09-01", "period_end": "2026-08-01", "goals": "Mijn getypte doelen"},
    )
    text = response.content.decode()
    assert "De einddatum ligt vóór het begin van de periode." in text
    assert "Mijn getypte doelen" in text  # what was typed stays


def test_the_mentor_writes_only_the_mentors_part(client, coordinator, mentor, student):
    plan = services.plan_start(student=student, actor=coordinator, support_started_on=timezone.localdate())
    draft = plan.versions.get()
    client.force_login(mentor)
    response = client.post(
        f"/opp/versie/{draft.pk}/bewerken/",
        {"mentor_contribution": "Werkt goed in kleine groepjes.", "goals": "Door de mentor"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.mentor_contribution == "Werkt goed in kleine groepjes." and draft.goals == ""


def test_the_pdf_of_a_version_is_an_export_in_the_read_log(client, coordinator, student):
    from students.models import FileAccess

    _plan, draft = adoptable_draft(student, coordinator)
    client.force_login(coordinator)
    response = client.get(f"/opp/versie/{draft.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert FileAccess.objects.filter(student=student, section="opp export (pdf)").count() == 1
