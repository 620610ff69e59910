"""The groeidocument/OPP in the portal: the school shares a version (default not), the
parents read it, write "onze kijk" (the school sees it on the OPP and on the timeline) and
give instemming with the handelingsdeel through the plans service, with its rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from plans import services as plan_services
from plans.models import PlanVersion
from plans.tests.factories import adoptable_draft
from portal import services
from portal.models import OppView, Share
from students.models import FileAccess, TimelineEvent
from students.tests.factories import GuardianFactory, StudentFactory, born_years_ago

pytestmark = pytest.mark.django_db


def _draft(student, coordinator, *, discussed=True) -> PlanVersion:
    """A draft with content and (by default) the talk with the parents, no instemming yet."""
    plan = plan_services.plan_start(
        student=student, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=10)
    )
    draft = plan_services.plan_update(
        version=plan.versions.get(),
        actor=coordinator,
        fields=("educational_needs", "goals", "support"),
        educational_needs="Rust en structuur.",
        goals="Elke dag Nederlands volgen.",
        support="Twee keer per week de viproom.",
    )
    if discussed:
        draft = plan_services.plan_discussion_record(
            version=draft,
            actor=coordinator,
            discussed_on=timezone.localdate(),
            discussed_with="moeder, mentor",
            parents_view="",
        )
    return draft


def _share(coordinator, student, version, shared="1", **extra):
    staff = Client()
    staff.force_login(coordinator)
    return staff.post(f"/ouders/beheer/leerling/{student.pk}/delen/opp/{version.pk}/", {"shared": shared, **extra})


def _url(student, version, rest=""):
    return f"/ouders/kind/{student.pk}/opp/{version.pk}/{rest}"


@pytest.fixture
def draft(student, coordinator):
    return _draft(student, coordinator)


@pytest.fixture
def shared_draft(draft, student, coordinator):
    assert _share(coordinator, student, draft).status_code == 302
    return draft


# --- sharing ---------------------------------------------------------------------------------


@pytest.mark.denies("participant.read_opp_version")
def test_parent_cannot_see_an_unshared_version(parent_client, student, draft):
    assert "Rust en structuur" not in parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert parent_client.get(_url(student, draft)).status_code == 404
    assert parent_client.post(_url(student, draft, "instemmen/")).status_code == 404
    draft.refresh_from_db()
    assert draft.consent_given_on is None


def test_coordinator_shares_a_version_and_the_parent_reads_it(parent_client, student, draft, coordinator, parent):
    assert not Share.objects.exists()  # default: not shared
    _share(coordinator, student, draft)
    assert Share.objects.filter(object_id=draft.pk, shared_by=coordinator).exists()
    assert TimelineEvent.objects.filter(student=student, kind="portal.shared", actor=coordinator).exists()
    assert "Versie 1" in parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    response = parent_client.get(_url(student, draft))
    assert response.status_code == 200
    assert "Rust en structuur" in response.content.decode()
    assert FileAccess.objects.filter(student=student, user=parent, section="ouderportaal opp").count() == 1

    _share(coordinator, student, draft, shared="0")
    assert parent_client.get(_url(student, draft)).status_code == 404


def test_coordinator_shares_from_the_opp_version_page(client, coordinator, student, draft):
    client.force_login(coordinator)
    page = client.get(f"/opp/versie/{draft.pk}/").content.decode()
    assert "niet gedeeld met ouders" in page
    response = _share(coordinator, student, draft, next=f"/opp/versie/{draft.pk}/")
    assert response.status_code == 302 and response.url == f"/opp/versie/{draft.pk}/"
    assert "gedeeld met ouders" in client.get(f"/opp/versie/{draft.pk}/").content.decode()


@pytest.mark.denies("student.share_with_participants")
def test_mentor_cannot_share_a_version(client, mentor, student, draft):
    client.force_login(mentor)
    response = client.post(f"/ouders/beheer/leerling/{student.pk}/delen/opp/{draft.pk}/", {"shared": "1"})
    assert response.status_code == 403
    assert not Share.objects.exists()


@pytest.mark.denies("participant.read_opp_version")
def test_parent_gets_404_for_another_childs_opp(parent_client, student, school_class, coordinator):
    other = StudentFactory(school_class=school_class, first_name="Zus")
    GuardianFactory(student=other, name="Ouder Zus")
    other_draft = _draft(other, coordinator)
    _share(coordinator, other, other_draft)
    assert parent_client.get(_url(student, other_draft)).status_code == 404
    assert parent_client.get(_url(other, other_draft)).status_code == 404


# --- onze kijk ---------------------------------------------------------------------------------


def test_parent_writes_their_view_and_staff_see_it(parent_client, student, shared_draft, coordinator, parent):
    response = parent_client.post(_url(student, shared_draft), {"text": "Thuis gaat het beter met vaste tijden."})
    assert response.status_code == 302
    view = OppView.objects.get()
    assert view.version == shared_draft and view.participant.user == parent
    event = TimelineEvent.objects.get(student=student, kind="portal.opp_view_written")
    assert event.actor == parent and event.params["who"] == "ouder"

    parent_client.post(_url(student, shared_draft), {"text": "Aangevuld: ook huiswerkbegeleiding."})
    assert OppView.objects.get().text == "Aangevuld: ook huiswerkbegeleiding."
    assert OppView.history.count() == 2  # a change is a new version

    staff = Client()
    staff.force_login(coordinator)
    assert "Aangevuld: ook huiswerkbegeleiding." in staff.get(f"/opp/versie/{shared_draft.pk}/").content.decode()
    assert "Aangevuld: ook huiswerkbegeleiding." in staff.get(f"/ouders/beheer/leerling/{student.pk}/").content.decode()
    timeline = staff.get(f"/leerlingen/{student.pk}/").content.decode()
    assert "OPP versie 1 (ouderportaal)" in timeline


def test_mentor_reads_the_parents_view_on_the_opp(client, mentor, student, shared_draft, participant):
    services.opp_view_save(
        participant=participant, version=shared_draft, text="Onze kijk: rust.", actor=participant.user
    )
    client.force_login(mentor)
    page = client.get(f"/opp/versie/{shared_draft.pk}/").content.decode()
    assert "Onze kijk: rust." in page and "Delen met ouders" not in page


def test_no_view_on_an_adopted_version(participant, student, coordinator):
    _plan, draft = adoptable_draft(student, coordinator)
    adopted = plan_services.plan_adopt(version=draft, actor=coordinator)
    _share(coordinator, student, adopted)
    with pytest.raises(ValidationError, match="vastgesteld"):
        services.opp_view_save(participant=participant, version=adopted, text="Te laat", actor=participant.user)
    assert not OppView.objects.exists()


# --- instemming ---------------------------------------------------------------------------------


def test_parent_gives_instemming_from_the_portal(parent_client, student, shared_draft, guardian, parent):
    response = parent_client.post(_url(student, shared_draft, "instemmen/"))
    assert response.status_code == 302
    shared_draft.refresh_from_db()
    assert shared_draft.consent_given_on == timezone.localdate()
    assert shared_draft.consent_by_guardian == guardian and shared_draft.consent_online
    assert shared_draft.consent_recorded_by == parent
    event = TimelineEvent.objects.get(student=student, kind="plans.consent")
    assert event.actor == parent and event.params["online"] is True

    again = parent_client.post(_url(student, shared_draft, "instemmen/"), follow=True)
    assert "al ingestemd" in again.content.decode()


def test_instemming_waits_for_the_talk_with_the_parents(parent_client, student, coordinator):
    draft = _draft(student, coordinator, discussed=False)
    _share(coordinator, student, draft)
    page = parent_client.post(_url(student, draft, "instemmen/"), follow=True).content.decode()
    assert "bespreekt het plan eerst" in page
    draft.refresh_from_db()
    assert draft.consent_given_on is None


def test_adopted_version_cannot_be_changed_from_the_portal(parent_client, student, coordinator, participant):
    _plan, draft = adoptable_draft(student, coordinator)
    adopted = plan_services.plan_adopt(version=draft, actor=coordinator)
    _share(coordinator, student, adopted)
    page = parent_client.get(_url(student, adopted)).content.decode()
    assert "Ik stem in" not in page and "<textarea" not in page
    with pytest.raises(ValidationError):
        services.opp_agree(participant=participant, version=adopted, actor=participant.user)
    response = parent_client.post(_url(student, adopted), {"text": "Nog iets"})
    assert response.status_code == 200 and not OppView.objects.exists()


@pytest.mark.denies("participant.agree_plan")
def test_parent_cannot_give_instemming_once_the_pupil_is_18(parent_client, student, shared_draft):
    student.date_of_birth = born_years_ago(18, 2)
    student.save()
    page = parent_client.get(_url(student, shared_draft)).content.decode()
    assert "stemt zelf in" in page and "Ik stem in" not in page
    page = parent_client.post(_url(student, shared_draft, "instemmen/"), follow=True).content.decode()
    assert "18 jaar of ouder en stemt zelf in" in page
    shared_draft.refresh_from_db()
    assert shared_draft.consent_given_on is None


def test_pupil_of_18_gives_their_own_instemming(client, coordinator, school_class):
    pupil = StudentFactory(school_class=school_class, first_name="Fenna", date_of_birth=born_years_ago(18, 3))
    participant = services.participant_invite(student=pupil, actor=coordinator, email="fenna@thuis.test")
    draft = _draft(pupil, coordinator)
    _share(coordinator, pupil, draft)
    client.force_login(participant.user)
    client.post(_url(pupil, draft, "instemmen/"))
    draft.refresh_from_db()
    assert draft.consent_by_student and draft.consent_online


@pytest.mark.denies("participant.agree_plan")
def test_pupil_under_18_cannot_give_instemming(client, coordinator, school_class):
    pupil = StudentFactory(school_class=school_class, first_name="Fenna", date_of_birth=born_years_ago(16, 3))
    participant = services.participant_invite(student=pupil, actor=coordinator, email="fenna@thuis.test")
    draft = _draft(pupil, coordinator)
    _share(coordinator, pupil, draft)
    client.force_login(participant.user)
    page = client.post(_url(pupil, draft, "instemmen/"), follow=True).content.decode()
    assert "Tot je 18 bent" in page
    draft.refresh_from_db()
    assert draft.consent_given_on is None


@pytest.mark.denies("participant.read_opp_version")
def test_guardian_without_gezag_cannot_give_instemming(parent_client, student, shared_draft, guardian, participant):
    guardian.has_authority = False
    guardian.save()
    assert parent_client.post(_url(student, shared_draft, "instemmen/")).status_code == 404
    with pytest.raises(ValidationError):
        services.opp_agree(participant=participant, version=shared_draft, actor=participant.user)
    shared_draft.refresh_from_db()
    assert shared_draft.consent_given_on is None


@pytest.mark.denies("participant.write_opp_view")
def test_one_guardian_cannot_write_as_the_other(student, shared_draft, participant, coordinator):
    second = GuardianFactory(student=student, name="Tweede Ouder", email="tweede@thuis.test")
    other = services.participant_invite(student=student, actor=coordinator, guardian=second)
    with pytest.raises(ValidationError):
        services.opp_view_save(participant=other, version=shared_draft, text="Namens een ander", actor=participant.user)
    assert not OppView.objects.exists()
