"""The kansencoach as a person (seed 004, issue 25): nomination by a teacher, blocked without
parental consent, started without intake once consent exists; conversations; hours against
the budget; and who is refused what."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord import access
from carecoord.testing import query_count
from referrals import services
from referrals.models import (
    CoachingConversation,
    CoachingNomination,
    ConversationKind,
    FacilityKind,
    NominationState,
    Outcome,
    Placement,
    PlacementKind,
    Referral,
)
from referrals.selectors.coaching import coaching_hours, week_start
from referrals.tests.factories import FacilityFactory, lesson_hours
from students.models import ConsentPurpose, SupportStatus, TimelineEvent
from students.tests.factories import ConsentFactory, PartnerLinkFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kansencoach(school, coach):
    return FacilityFactory(
        school=school, name="Kansencoach", kind=FacilityKind.KANSENCOACH, capacity=6, coaches=[coach]
    )


def _consent(student, coordinator):
    return ConsentFactory(student=student, purpose=ConsentPurpose.KANSENCOACH, recorded_by=coordinator)


def _nominate(student, facility, by):
    return services.coaching_nominate(student=student, facility=facility, reason="Stil en teruggetrokken.", actor=by)


def _started(student, facility, coordinator, mentor):
    _consent(student, coordinator)
    return services.coaching_start(nomination=_nominate(student, facility, mentor), actor=coordinator)


# --- Nomination ---------------------------------------------------------------------------


def test_mentor_can_nominate_a_pupil_of_their_own_class(client, mentor, student, kansencoach):
    client.force_login(mentor)
    response = client.post(
        "/zorg/kansencoach/voordragen/",
        {
            "student": student.pk,
            "facility": kansencoach.pk,
            "reason": "Huilt vaak in de klas; thuis is veel aan de hand.",
        },
    )
    assert response.status_code == 302
    nomination = CoachingNomination.objects.get()
    assert (nomination.student, nomination.facility, nomination.nominated_by) == (student, kansencoach, mentor)
    assert nomination.state == NominationState.OPEN and nomination.placement is None
    assert TimelineEvent.objects.filter(student=student, kind="referrals.coaching_nominated").exists()
    # The teacher sees the state of what they nominated.
    page = client.get("/zorg/kansencoach/voordragen/").content.decode()
    assert "Jansen, Daan" in page and "voorgedragen" in page


@pytest.mark.denies("student.nominate_for_coaching")
def test_mentor_cannot_nominate_a_pupil_of_another_school(client, mentor, student, other_student, kansencoach):
    client.force_login(mentor)
    assert client.get(f"/zorg/kansencoach/voordragen/?leerling={other_student.pk}").status_code == 404
    reason = "Deze reden blijft staan."
    response = client.post(
        "/zorg/kansencoach/voordragen/", {"student": other_student.pk, "facility": kansencoach.pk, "reason": reason}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "kies een leerling van je eigen school" in text
    assert reason in text  # what was typed stays
    assert "Mila" not in text
    assert not CoachingNomination.objects.exists()
    assert not access.can(mentor, "student.nominate_for_coaching", other_student)


def test_the_service_refuses_a_pupil_of_another_school(coordinator, other_student, kansencoach):
    with pytest.raises(ValidationError) as exc:
        _nominate(other_student, kansencoach, coordinator)
    assert "alleen leerlingen van je eigen school" in str(exc.value)
    assert not CoachingNomination.objects.exists()


@pytest.mark.denies("student.nominate_for_coaching")
def test_mentor_cannot_nominate_a_pupil_of_another_class(client, school, mentor, kansencoach):
    elsewhere = StudentFactory(school=school, first_name="Lotte", last_name="Mulder")
    client.force_login(mentor)
    assert client.get(f"/zorg/kansencoach/voordragen/?leerling={elsewhere.pk}").status_code == 404
    assert not access.can(mentor, "student.nominate_for_coaching", elsewhere)


@pytest.mark.denies("school.nominate_for_coaching")
def test_coach_cannot_nominate(client, coach, kansencoach):
    client.force_login(coach)
    assert client.get("/zorg/kansencoach/voordragen/").status_code == 403


def test_a_pupil_is_nominated_once(coordinator, mentor, student, kansencoach):
    _nominate(student, kansencoach, mentor)
    with pytest.raises(ValidationError, match="al voorgedragen"):
        _nominate(student, kansencoach, coordinator)


# --- Start: consent, no intake --------------------------------------------------------------


def test_start_is_refused_without_parental_consent_and_the_nomination_waits(
    client, coordinator, mentor, student, kansencoach
):
    nomination = _nominate(student, kansencoach, mentor)
    client.force_login(coordinator)
    response = client.post(f"/zorg/kansencoach/voordracht/{nomination.pk}/starten/", follow=True)
    assert "geen toestemming gegeven voor de kansencoach" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.OPEN
    assert not Placement.objects.exists()


def test_coach_does_not_see_a_nomination_before_the_parents_agreed(client, coach, mentor, student, kansencoach):
    nomination = _nominate(student, kansencoach, mentor)
    client.force_login(coach)
    assert client.get(nomination.get_absolute_url()).status_code == 404
    assert "Daan" not in client.get(f"/zorg/kansencoach/{kansencoach.pk}/").content.decode()


def test_coach_starts_without_referral_or_intake_once_consent_exists(
    client, coach, coordinator, mentor, student, kansencoach
):
    nomination = _nominate(student, kansencoach, mentor)
    _consent(student, coordinator)
    client.force_login(coach)
    assert "Jansen, Daan" in client.get(f"/zorg/kansencoach/{kansencoach.pk}/").content.decode()
    response = client.post(f"/zorg/kansencoach/voordracht/{nomination.pk}/starten/")
    placement = Placement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/zorg/kansencoach/begeleiding/{placement.pk}/"
    assert placement.kind == PlacementKind.COACHING and placement.referral is None
    assert placement.facility == kansencoach and placement.start_on == timezone.localdate()
    assert not placement.slots.exists() and not Referral.objects.exists()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.STARTED and nomination.placement == placement
    assert nomination.started_by == coach
    student.refresh_from_db()
    assert student.support_status == SupportStatus.GEPLAATST
    assert TimelineEvent.objects.filter(student=student, kind="referrals.placement_started").exists()
    # The pupil file's placement link leads the coach to the conversations.
    assert client.get(f"/zorg/plaatsingen/{placement.pk}/")["Location"].endswith(f"/begeleiding/{placement.pk}/")


@pytest.mark.denies("nomination.start")
def test_mentor_cannot_start_their_own_nomination(client, coordinator, mentor, student, kansencoach):
    nomination = _nominate(student, kansencoach, mentor)
    _consent(student, coordinator)
    client.force_login(mentor)
    assert client.get(nomination.get_absolute_url()).status_code == 200
    assert client.post(f"/zorg/kansencoach/voordracht/{nomination.pk}/starten/").status_code == 403
    assert not Placement.objects.exists()


@pytest.mark.denies("nomination.withdraw")
def test_coach_cannot_withdraw_a_nomination(client, coach, coordinator, mentor, student, kansencoach):
    nomination = _nominate(student, kansencoach, mentor)
    _consent(student, coordinator)
    client.force_login(coach)
    assert client.post(f"/zorg/kansencoach/voordracht/{nomination.pk}/intrekken/").status_code == 403
    client.force_login(mentor)
    client.post(f"/zorg/kansencoach/voordracht/{nomination.pk}/intrekken/")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN


def test_the_board_keeps_working_with_a_coaching_placement(client, school, coordinator, mentor, student, kansencoach):
    lesson_hours(school)
    _started(student, kansencoach, coordinator, mentor)
    client.force_login(coordinator)
    response = client.get(f"/zorg/bord/{kansencoach.pk}/")
    assert response.status_code == 200
    assert client.get(f"/leerlingen/{student.pk}/").status_code == 200


# --- Conversations --------------------------------------------------------------------------


def test_coach_records_a_conversation(client, coach, coordinator, mentor, student, kansencoach):
    placement = _started(student, kansencoach, coordinator, mentor)
    client.force_login(coach)
    today = timezone.localdate()
    response = client.post(
        f"/zorg/kansencoach/begeleiding/{placement.pk}/",
        {"held_on": today.isoformat(), "minutes": "30", "kind": ConversationKind.PARENTS, "note": "Moeder kwam langs."},
    )
    assert response.status_code == 302
    conversation = CoachingConversation.objects.get()
    assert (conversation.minutes, conversation.kind, conversation.by) == (30, ConversationKind.PARENTS, coach)
    event = TimelineEvent.objects.get(student=student, kind="referrals.coaching_conversation")
    assert "Moeder" not in str(event.params)  # kind and minutes only on the timeline
    assert conversation.history.count() == 1


@pytest.mark.parametrize(
    ("minutes", "days", "message"),
    [
        ("-20", 0, "minstens 1"),
        ("0", 0, "minstens 1"),
        ("45", -1, "niet in de toekomst"),
    ],
)
def test_bad_conversation_input_is_refused_and_kept(
    client, coach, coordinator, mentor, student, kansencoach, minutes, days, message
):
    placement = _started(student, kansencoach, coordinator, mentor)
    client.force_login(coach)
    day = timezone.localdate() - timedelta(days=days)
    response = client.post(
        f"/zorg/kansencoach/begeleiding/{placement.pk}/",
        {"held_on": day.isoformat(), "minutes": minutes, "kind": ConversationKind.PUPIL, "note": "Typte dit al"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text and "Typte dit al" in text and f'value="{minutes}"' in text
    assert not CoachingConversation.objects.exists()


@pytest.mark.denies("coaching.log_conversation")
def test_coordinator_reads_but_does_not_record_the_coachs_conversations(
    client, coordinator, mentor, student, kansencoach
):
    placement = _started(student, kansencoach, coordinator, mentor)
    client.force_login(coordinator)
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 200
    response = client.post(
        f"/zorg/kansencoach/begeleiding/{placement.pk}/",
        {"held_on": timezone.localdate().isoformat(), "minutes": "30", "kind": ConversationKind.PUPIL},
    )
    assert response.status_code == 403
    assert not CoachingConversation.objects.exists()


@pytest.mark.denies("coaching.view")
def test_mentor_cannot_read_the_conversations_even_of_their_own_pupil(
    client, coach, coordinator, mentor, student, kansencoach
):
    # Domain: the mentor sees their pupils' support status, not the details.
    placement = _started(student, kansencoach, coordinator, mentor)
    services.coaching_conversation_add(
        placement=placement, held_on=timezone.localdate(), minutes=30, kind=ConversationKind.PUPIL, actor=coach
    )
    client.force_login(mentor)
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 404
    assert not CoachingConversation.objects.visible_to(mentor).exists()
    assert not access.can(mentor, "coaching.view", placement)


def test_mentor_of_another_class_sees_not_even_the_nomination(
    client, school, coordinator, mentor, student, kansencoach
):
    other_mentor = staff(school, Role.MENTOR, email="m2@a.test")
    nomination = _nominate(student, kansencoach, mentor)
    client.force_login(other_mentor)
    assert client.get(nomination.get_absolute_url()).status_code == 404


@pytest.mark.denies("coaching.view")
def test_partner_without_consent_gets_404_and_with_consent_no_conversations(
    client, coordinator, mentor, student, kansencoach, organisation, partner_user
):
    placement = _started(student, kansencoach, coordinator, mentor)
    PartnerLinkFactory(student=student, organisation=organisation, linked_by=coordinator)
    client.force_login(partner_user)
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 404
    # With consent for their organisation the partner sees the placement, not the coach's notes.
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 403
    assert not CoachingConversation.objects.visible_to(partner_user).exists()
    assert not CoachingNomination.objects.visible_to(partner_user).exists()


def test_coordinator_of_another_school_gets_404(client, coordinator, other_coordinator, mentor, student, kansencoach):
    placement = _started(student, kansencoach, coordinator, mentor)
    client.force_login(other_coordinator)
    assert client.get(f"/zorg/kansencoach/{kansencoach.pk}/").status_code == 404
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 404
    assert client.get(placement.nomination.get_absolute_url()).status_code == 404


@pytest.mark.denies("facility.view_caseload")
def test_school_leader_sees_no_caseload(client, schoolleider, kansencoach):
    client.force_login(schoolleider)
    assert client.get(f"/zorg/kansencoach/{kansencoach.pk}/").status_code == 403


# --- Hours against the budget ---------------------------------------------------------------


def test_hours_used_this_week_and_per_week_against_the_budget(client, coach, coordinator, mentor, student, kansencoach):
    placement = _started(student, kansencoach, coordinator, mentor)
    placement.start_on = timezone.localdate() - timedelta(days=30)
    placement.save()
    today = timezone.localdate()
    for minutes, day in [(90, today), (45, week_start(today)), (30, week_start(today) - timedelta(days=3))]:
        services.coaching_conversation_add(
            placement=placement, held_on=day, minutes=minutes, kind=ConversationKind.PUPIL, actor=coach
        )
    weeks = coaching_hours(facility=kansencoach)
    this_week = weeks[-1]
    expected = 135 if today != week_start(today) else 135  # both dates fall in this week
    assert this_week.minutes == expected and this_week.over_budget is True  # 2 h = 120 min
    assert weeks[-2].minutes == 30 and weeks[-2].over_budget is False
    assert this_week.budget_hours == Decimal("2")
    client.force_login(coordinator)
    page = client.get(f"/zorg/kansencoach/{kansencoach.pk}/").content.decode()
    assert "135 minuten van 2 uur" in page and "boven het budget" in page
    assert "<svg" in page and "Uren kansencoach per week" in page
    # The chart's coordinates stay numbers in Dutch ("220.0", not "220,0").
    assert not re.search(r' (x|y|y1|y2|width|height)="\d+,\d', page)


def test_budget_below_zero_is_refused_and_the_input_kept(client, coordinator, kansencoach):
    client.force_login(coordinator)
    response = client.post(
        f"/zorg/voorzieningen/{kansencoach.pk}/wijzigen/",
        {"name": "Juf Corrie", "kind": FacilityKind.KANSENCOACH, "capacity": "6", "hours_per_week": "-1"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "kan niet onder nul zijn" in text and "Juf Corrie" in text
    kansencoach.refresh_from_db()
    assert kansencoach.hours_per_week == Decimal("2") and kansencoach.name == "Kansencoach"


# --- The end ------------------------------------------------------------------------------


def test_coach_ends_the_coaching_with_an_outcome(client, coach, coordinator, mentor, student, kansencoach):
    placement = _started(student, kansencoach, coordinator, mentor)
    client.force_login(coach)
    response = client.post(
        f"/zorg/kansencoach/begeleiding/{placement.pk}/afsluiten/",
        {
            "ended_on": timezone.localdate().isoformat(),
            "outcome": Outcome.BACK_FULLY,
            "note": "Weer vrij in zijn hoofd.",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == timezone.localdate() and placement.outcome == Outcome.BACK_FULLY
    assert TimelineEvent.objects.filter(student=student, kind="referrals.placement_ended").exists()
    # The coach's access ends with the coaching.
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/").status_code == 404


@pytest.mark.denies("coaching.end")
def test_coach_of_another_facility_cannot_end_it(client, school, coordinator, mentor, student, kansencoach):
    placement = _started(student, kansencoach, coordinator, mentor)
    other_coach = staff(school, Role.COACH, email="c2@a.test")
    assert not access.can(other_coach, "coaching.end", placement)
    client.force_login(other_coach)
    assert client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/afsluiten/").status_code == 404


def test_caseload_query_count_does_not_grow_with_pupils(client, school, school_class, coordinator, mentor, kansencoach):
    def add(n):
        for _i in range(n):
            pupil = StudentFactory(school_class=school_class)
            placement = _started(pupil, kansencoach, coordinator, mentor)
            services.coaching_conversation_add(
                placement=placement, held_on=timezone.localdate(), minutes=20, kind=ConversationKind.PUPIL, actor=coach
            )
            _nominate(StudentFactory(school_class=school_class), kansencoach, mentor)

    coach = kansencoach.coaches.get()
    add(1)
    client.force_login(coordinator)
    few = query_count(client, f"/zorg/kansencoach/{kansencoach.pk}/")
    add(4)
    assert query_count(client, f"/zorg/kansencoach/{kansencoach.pk}/") == few


def test_ib_er_of_a_primary_school_sees_the_caseload_and_the_hours(client, coach):
    from accounts.models import SchoolType
    from accounts.tests.factories import SchoolFactory
    from students.tests.factories import SchoolClassFactory

    po = SchoolFactory(name="OBS De Aanloop", brin_code="99XX", school_type=SchoolType.PO)
    ib = staff(po, Role.INTERN_BEGELEIDER, email="ib@po.test")
    teacher = staff(po, Role.MENTOR, email="juf@po.test")
    corrie = staff(po, Role.COACH, email="corrie@po.test")
    facility = FacilityFactory(school=po, name="Juf Corrie", kind=FacilityKind.KANSENCOACH, coaches=[corrie])
    pupil = StudentFactory(
        school_class=SchoolClassFactory(school=po, name="Groep 5", year=5, level="po", mentors=[teacher])
    )
    placement = _started(pupil, facility, ib, teacher)
    services.coaching_conversation_add(
        placement=placement, held_on=timezone.localdate(), minutes=45, kind=ConversationKind.PARENTS, actor=corrie
    )
    client.force_login(ib)
    page = client.get(f"/zorg/kansencoach/{facility.pk}/").content.decode()
    assert pupil.sort_name in page and "45 minuten van 2 uur" in page and "Groep" in page
    # The coach of the viproom at School A sees nothing of it.
    client.force_login(coach)
    assert client.get(f"/zorg/kansencoach/{facility.pk}/").status_code == 404
