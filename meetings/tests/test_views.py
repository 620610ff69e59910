"""Meeting pages: who sees what (a partner only consented pupils), planning, the agenda,
minutes and agreements, bad input, the feed."""

from datetime import time, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import query_count
from meetings import services
from meetings.models import AgendaItem, Agreement, CalendarFeed, Meeting, MeetingKind
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from students.models import Consent, ConsentPurpose, TimelineEvent
from students.tests.factories import ConsentFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(meeting, student, unconsented_student, coordinator, consented_partner):
    """Two pupils on the agenda: `student` (consent for the jeugdteam) and `unconsented_student`."""
    a = AgendaItemFactory(meeting=meeting, student=student, question="Vraag over Daan", notes="Besproken: Daan")
    b = AgendaItemFactory(
        meeting=meeting, student=unconsented_student, question="Vraag over Sanne", notes="Besproken: Sanne"
    )
    AgreementFactory(meeting=meeting, item=a, owner=consented_partner, description="Afspraak over Daan")
    AgreementFactory(meeting=meeting, item=b, owner=coordinator, description="Afspraak over Sanne")
    return a, b


# --- Who sees what ------------------------------------------------------------------------------


def test_coordinator_sees_every_item_and_the_consent_warning(client, coordinator, meeting, agenda):
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url())
    assert "Daan Jansen" in page.text and "Sanne Geheim" in page.text
    assert page.text.count('data-testid="consent-warning"') == 2  # leerplicht lacks consent for both
    warnings = [v.lacking for v in page.context["page"].items]
    assert [[p.email for p in w] for w in warnings] == [
        ["lp@leerplicht.test"],
        ["lp@leerplicht.test", "partner@jeugdteam.test"],
    ]


def test_partner_sees_only_the_consented_pupil_on_the_page(client, consented_partner, meeting, agenda):
    client.force_login(consented_partner)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "Daan Jansen" in page.text and "Besproken: Daan" in page.text and "Afspraak over Daan" in page.text
    assert "Sanne" not in page.text
    assert "consent-warning" not in page.text  # warnings are for the coordinator


def test_reading_the_agenda_is_logged_per_visible_pupil(client, consented_partner, meeting, agenda, student):
    from students.models import FileAccess

    client.force_login(consented_partner)
    client.get(meeting.get_absolute_url())
    client.get(f"{meeting.get_absolute_url()}verslag/")
    rows = FileAccess.objects.filter(user=consented_partner)
    assert sorted((r.student_id, r.section) for r in rows) == [(student.pk, "overleg"), (student.pk, "overleg verslag")]


def test_partner_sees_only_the_consented_pupil_in_the_printable_minutes(client, consented_partner, meeting, agenda):
    client.force_login(consented_partner)
    minutes = client.get(f"{meeting.get_absolute_url()}verslag/")
    assert "Daan Jansen" in minutes.text and "Afspraak over Daan" in minutes.text
    assert "Sanne" not in minutes.text
    assert "meetings/print.css" in minutes.text


def test_partner_without_any_consent_sees_the_meeting_but_no_pupils(client, leerplicht, meeting, agenda):
    client.force_login(leerplicht)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "Daan" not in page.text and "Sanne" not in page.text


def test_ot_consent_covers_every_partner_in_an_ot_meeting_only(
    client, leerplicht, meeting, unconsented_student, coordinator, school
):
    ConsentFactory(student=unconsented_student, purpose=ConsentPurpose.OT_BESPREKING, recorded_by=coordinator)
    AgendaItemFactory(meeting=meeting, student=unconsented_student)
    short_line = MeetingFactory(
        school=school, organiser=coordinator, kind=MeetingKind.KORTE_LIJN, participants=[leerplicht]
    )
    AgendaItemFactory(meeting=short_line, student=unconsented_student)
    client.force_login(leerplicht)
    assert "Sanne Geheim" in client.get(meeting.get_absolute_url()).text
    assert "Sanne Geheim" not in client.get(short_line.get_absolute_url()).text


def test_withdrawn_consent_hides_the_pupil_at_once(client, consented_partner, meeting, agenda, student):
    client.force_login(consented_partner)
    assert "Daan Jansen" in client.get(meeting.get_absolute_url()).text
    Consent.objects.filter(student=student).update(withdrawn_at=timezone.now(), withdrawn_by="moeder")
    page = client.get(meeting.get_absolute_url())
    assert "Daan" not in page.text


def test_partner_who_does_not_take_part_gets_404(client, partner_user, coordinator, school):
    other = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator])
    client.force_login(partner_user)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(f"{other.get_absolute_url()}verslag/").status_code == 404


def test_coordinator_of_another_school_gets_404(client, other_coordinator, meeting):
    client.force_login(other_coordinator)
    assert client.get(meeting.get_absolute_url()).status_code == 404


@pytest.mark.denies("meeting.manage")
def test_staff_participant_sees_all_items_but_cannot_manage(client, mentor, meeting, agenda):
    meeting.participants.add(mentor)
    client.force_login(mentor)
    page = client.get(meeting.get_absolute_url())
    assert "Daan Jansen" in page.text and "Sanne Geheim" in page.text
    assert client.get(f"{meeting.get_absolute_url()}wijzigen/").status_code == 403
    assert client.post(f"{meeting.get_absolute_url()}annuleren/").status_code == 403


def test_mentor_who_does_not_take_part_gets_404(client, mentor, meeting):
    client.force_login(mentor)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_partner_cannot_add_to_the_agenda(client, consented_partner, meeting, student):
    client.force_login(consented_partner)
    response = client.post(f"{meeting.get_absolute_url()}agenda/", {"student": student.pk})
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_my_meetings_lists_only_the_partners_own_meetings(client, consented_partner, meeting, coordinator, school):
    MeetingFactory(school=school, organiser=coordinator, title="Niet voor mij", participants=[coordinator])
    client.force_login(consented_partner)
    page = client.get("/overleg/")
    assert "Ondersteuningsteam" in page.text
    assert "Niet voor mij" not in page.text
    assert [m.participant_count for m in page.context["page"]] == [3]
    assert "Agendapunten" not in page.text  # not even how many pupils are on the agenda


# --- Agreements -----------------------------------------------------------------------------------


def test_partner_can_mark_their_own_agreement_done(client, consented_partner, meeting, agenda, student):
    agreement = Agreement.objects.get(owner=consented_partner)
    client.force_login(consented_partner)
    assert "Afspraak over Daan" in client.get("/overleg/afspraken/").text
    response = client.post(f"/overleg/afspraken/{agreement.pk}/afgerond/")
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.done_by == consented_partner
    assert TimelineEvent.objects.filter(student=student, kind="meetings.agreement_done").count() == 1


@pytest.mark.denies("agreement.mark_done")
def test_participant_cannot_mark_someone_elses_agreement_done(client, mentor, meeting, agenda):
    meeting.participants.add(mentor)
    agreement = Agreement.objects.get(description="Afspraak over Sanne")
    client.force_login(mentor)
    assert client.post(f"/overleg/afspraken/{agreement.pk}/afgerond/").status_code == 403
    agreement.refresh_from_db()
    assert agreement.done_at is None


def test_partner_cannot_mark_an_agreement_about_an_unconsented_pupil(client, leerplicht, meeting, agenda):
    agreement = Agreement.objects.get(description="Afspraak over Sanne")
    client.force_login(leerplicht)
    assert client.post(f"/overleg/afspraken/{agreement.pk}/afgerond/").status_code == 404


def test_coordinator_records_an_agreement_on_an_item(client, coordinator, consented_partner, meeting, agenda, student):
    item = agenda[0]
    client.force_login(coordinator)
    due = (timezone.localdate() + timedelta(days=21)).isoformat()
    response = client.post(
        f"{meeting.get_absolute_url()}agenda/{item.pk}/afspraken/",
        {f"a{item.pk}-description": "Huisbezoek", f"a{item.pk}-owner": consented_partner.pk, f"a{item.pk}-due_on": due},
    )
    assert response.status_code == 302
    assert Agreement.objects.filter(item=item, description="Huisbezoek", owner=consented_partner).exists()
    event = TimelineEvent.objects.get(student=student, kind="meetings.agreement_made")
    # The agreement's text stays in the meeting; the timeline names the meeting and the owner.
    assert "what" not in event.params
    assert event.params["meeting_id"] == meeting.pk


def test_an_agreement_for_a_partner_without_consent_is_refused_and_kept(
    client, coordinator, leerplicht, meeting, agenda
):
    item = agenda[0]
    client.force_login(coordinator)
    response = client.post(
        f"{meeting.get_absolute_url()}agenda/{item.pk}/afspraken/",
        {
            f"a{item.pk}-description": "Verzuimgesprek",
            f"a{item.pk}-owner": leerplicht.pk,
            f"a{item.pk}-due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "geen toestemming vastgelegd voor deze leerling" in response.text
    assert 'value="Verzuimgesprek"' in response.text  # what was typed stays
    assert not Agreement.objects.filter(description="Verzuimgesprek").exists()


def test_open_agreements_carry_over_to_the_next_meeting_of_the_series(client, coordinator, school, student):
    series = services.series_create(
        school=school,
        actor=coordinator,
        kind=MeetingKind.OT,
        title="OT",
        interval_weeks=2,
        weekday=timezone.localdate().weekday() if timezone.localdate().weekday() < 5 else 0,
        start_time=time(23, 0),
        end_time=time(23, 30),
        starts_on=timezone.localdate() + timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=60),
        holiday_policy="skip",
        participants=[coordinator],
    )
    first, second, third = list(series.meetings.order_by("starts_at"))[:3]
    item = AgendaItemFactory(meeting=first, student=student)
    open_one = AgreementFactory(meeting=first, item=item, owner=coordinator, description="Nog te doen")
    done_one = AgreementFactory(meeting=first, item=item, owner=coordinator, description="Al gedaan")
    done_one.done_at = first.starts_at - timedelta(days=1)
    done_one.save()
    client.force_login(coordinator)
    carried = client.get(second.get_absolute_url()).context["page"].carried_over
    assert carried == [open_one]
    assert client.get(third.get_absolute_url()).context["page"].carried_over == [open_one]
    assert client.get(first.get_absolute_url()).context["page"].carried_over == []


# --- Agenda, suggestions, minutes ---------------------------------------------------------------------


def test_suggestions_include_agreements_due_and_can_be_added(client, coordinator, meeting, student, school):
    earlier = MeetingFactory(school=school, organiser=coordinator, starts_at=timezone.now() - timedelta(days=30))
    item = AgendaItemFactory(meeting=earlier, student=student)
    AgreementFactory(meeting=earlier, item=item, owner=coordinator, due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(coordinator)
    suggestions = client.get(meeting.get_absolute_url()).context["page"].suggestions
    assert [s.student.pk for s in suggestions] == [student.pk]
    assert "Afspraak verlopen sinds" in suggestions[0].reason
    response = client.post(
        f"{meeting.get_absolute_url()}agenda/", {"student": student.pk, "reason": suggestions[0].reason}
    )
    assert response.status_code == 302
    assert client.get(meeting.get_absolute_url()).context["page"].suggestions == []  # on the agenda now
    assert TimelineEvent.objects.filter(student=student, kind="meetings.on_agenda").count() == 1


def test_a_registered_provider_adds_suggestions(client, coordinator, meeting, student):
    from meetings import suggestions

    def open_referrals(school, meeting):
        return [suggestions.Suggestion(student, "Aanmelding open", "referrals")]

    suggestions.register_suggestion_provider(open_referrals)
    try:
        client.force_login(coordinator)
        found = client.get(meeting.get_absolute_url()).context["page"].suggestions
    finally:
        suggestions._PROVIDERS.remove(open_referrals)
    assert [(s.student.pk, s.reason) for s in found] == [(student.pk, "Aanmelding open")]


def test_meeting_page_query_count_is_flat_in_the_number_of_suggestions(client, coordinator, meeting, school):
    # A region school has a hundred or more suggestions (the page shows 15): the providers
    # read ids and reasons, and the pupils are loaded in one query.
    earlier = MeetingFactory(school=school, organiser=coordinator, starts_at=timezone.now() - timedelta(days=30))

    def suggest(n):
        for _ in range(n):
            item = AgendaItemFactory(meeting=earlier, student=StudentFactory(school=school))
            AgreementFactory(meeting=earlier, item=item, owner=coordinator, due_on=timezone.localdate())

    client.force_login(coordinator)
    suggest(2)
    few = query_count(client, meeting.get_absolute_url())
    suggest(20)
    assert query_count(client, meeting.get_absolute_url()) == few
    response = client.get(meeting.get_absolute_url())
    assert len(response.context["page"].suggestions) == 22
    assert response.text.count('data-testid="suggestion"') == 15
    assert "En nog 7 suggesties" in response.text


def test_ot_consent_suggests_the_pupil_for_the_ot(client, coordinator, meeting, unconsented_student):
    ConsentFactory(student=unconsented_student, purpose=ConsentPurpose.OT_BESPREKING, recorded_by=coordinator)
    client.force_login(coordinator)
    found = client.get(meeting.get_absolute_url()).context["page"].suggestions
    assert [s.student.pk for s in found] == [unconsented_student.pk]


def test_adding_the_same_pupil_twice_gives_a_message(client, coordinator, meeting, student):
    client.force_login(coordinator)
    client.post(f"{meeting.get_absolute_url()}agenda/", {"student": student.pk})
    page = client.post(f"{meeting.get_absolute_url()}agenda/", {"student": student.pk}, follow=True)
    assert "staat al op de agenda" in page.text
    assert AgendaItem.objects.count() == 1


def test_a_pupil_of_another_school_cannot_be_added(client, coordinator, meeting, other_student):
    client.force_login(coordinator)
    assert client.post(f"{meeting.get_absolute_url()}agenda/", {"student": other_student.pk}).status_code == 404


def test_pupil_search_finds_pupils_of_the_school(client, coordinator, meeting, student, other_student):
    client.force_login(coordinator)
    response = client.get(f"{meeting.get_absolute_url()}agenda/zoeken/?q=Jans", HTTP_HX_REQUEST="true")
    assert "Daan Jansen" in response.text
    assert "<html" not in response.text
    assert "Mila" not in client.get(f"{meeting.get_absolute_url()}agenda/zoeken/?q=Mila").text


def test_minutes_put_besproken_on_the_pupils_timeline_once(client, coordinator, meeting, agenda, student):
    item = agenda[0]
    client.force_login(coordinator)
    for notes in ("Eerste versie", "Tweede versie"):
        client.post(
            f"{meeting.get_absolute_url()}agenda/{item.pk}/",
            {f"m{item.pk}-question": "Q", f"m{item.pk}-notes": notes, f"m{item.pk}-decision": "Besluit"},
        )
    item.refresh_from_db()
    assert item.notes == "Tweede versie"
    events = TimelineEvent.objects.filter(student=student, kind="meetings.discussed")
    assert events.count() == 1
    file = client.get(student.get_absolute_url())
    assert "Besproken in Ondersteuningsteam op" in file.text
    assert "Overleggen en afspraken" in file.text  # the file panel


def test_partner_sees_overleg_on_the_consented_pupils_timeline(
    client, coordinator, consented_partner, meeting, agenda, student
):
    services.agenda_item_update(item=agenda[0], actor=coordinator, notes="Besproken")
    client.force_login(consented_partner)
    assert "Besproken in Ondersteuningsteam op" in client.get(student.get_absolute_url()).text


def test_meeting_page_query_count_is_flat(client, coordinator, consented_partner, meeting, school, school_class):
    client.force_login(coordinator)
    for _ in range(2):
        item = AgendaItemFactory(meeting=meeting, student=StudentFactory(school_class=school_class))
        AgreementFactory(meeting=meeting, item=item, owner=coordinator)
    few = query_count(client, meeting.get_absolute_url())
    for _ in range(10):
        item = AgendaItemFactory(meeting=meeting, student=StudentFactory(school_class=school_class))
        AgreementFactory(meeting=meeting, item=item, owner=consented_partner)
        AgreementFactory(meeting=meeting, item=item, owner=coordinator)
        meeting.participants.add(staff(school, Role.MENTOR))
    assert query_count(client, meeting.get_absolute_url()) == few
    partner_client = Client()
    partner_client.force_login(consented_partner)
    partner_few = query_count(partner_client, meeting.get_absolute_url())
    AgendaItemFactory(meeting=meeting, student=StudentFactory(school_class=school_class))
    assert query_count(partner_client, meeting.get_absolute_url()) == partner_few


def test_list_query_count_is_flat(client, coordinator, school):
    client.force_login(coordinator)
    MeetingFactory.create_batch(2, school=school, organiser=coordinator, participants=[coordinator])
    few = query_count(client, "/overleg/")
    MeetingFactory.create_batch(20, school=school, organiser=coordinator, participants=[coordinator])
    assert query_count(client, "/overleg/") == few


# --- Planning and bad input ------------------------------------------------------------------------------


def _form(**extra):
    day = timezone.localdate() + timedelta(days=10)
    return {
        "kind": "ot",
        "title": "Ondersteuningsteam",
        "day": day.isoformat(),
        "start_time": "14:00",
        "end_time": "15:30",
        "location": "Lokaal 12",
        "online_link": "",
    } | extra


def test_coordinator_plans_a_meeting(client, coordinator, consented_partner):
    client.force_login(coordinator)
    response = client.post("/overleg/nieuw/", _form(participants=[coordinator.pk, consented_partner.pk]))
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert set(meeting.participants.all()) == {coordinator, consented_partner}
    assert timezone.localtime(meeting.starts_at).hour == 14


def test_a_meeting_in_the_past_is_refused_and_the_input_kept(client, coordinator):
    client.force_login(coordinator)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.post("/overleg/nieuw/", _form(day=yesterday, location="Lokaal 99", participants=[coordinator.pk]))
    assert "ligt in het verleden" in page.text
    assert 'value="Lokaal 99"' in page.text
    assert not Meeting.objects.exists()


def test_an_end_before_the_start_is_refused(client, coordinator):
    client.force_login(coordinator)
    page = client.post("/overleg/nieuw/", _form(start_time="15:00", end_time="14:00"))
    assert "De eindtijd ligt vóór (of op) de begintijd." in page.text
    assert not Meeting.objects.exists()


def test_a_participant_of_another_school_is_refused_by_name(client, coordinator, other_coordinator):
    client.force_login(coordinator)
    page = client.post("/overleg/nieuw/", _form(participants=[coordinator.pk, other_coordinator.pk]))
    assert "Zorg Coördinator B werkt niet op of met School A" in page.text
    assert not Meeting.objects.exists()


def test_a_series_without_dates_gives_a_clear_message(client, coordinator):
    client.force_login(coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post(
        "/overleg/reeksen/nieuw/",
        {
            "kind": "ot",
            "title": "OT",
            "interval_weeks": 6,
            "weekday": (tomorrow.weekday() + 2) % 5,
            "start_time": "14:00",
            "end_time": "15:00",
            "starts_on": tomorrow.isoformat(),
            "ends_on": tomorrow.isoformat(),
            "holiday_policy": "skip",
            "participants": [coordinator.pk],
        },
    )
    assert "Deze reeks levert geen datums op" in page.text
    assert not Meeting.objects.exists()


def test_series_preview_shows_the_dates_without_saving(client, coordinator):
    client.force_login(coordinator)
    start = timezone.localdate() + timedelta(days=1)
    data = {
        "kind": "korte_lijn",
        "title": "Korte lijn",
        "interval_weeks": 1,
        "weekday": 3,
        "start_time": "08:30",
        "end_time": "09:15",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=27)).isoformat(),
        "holiday_policy": "skip",
        "participants": [coordinator.pk],
    }
    page = client.post("/overleg/reeksen/nieuw/", data | {"preview": "1"})
    assert len(page.context["preview"]) == 4
    assert not Meeting.objects.exists()
    created = client.post("/overleg/reeksen/nieuw/", data)
    assert created.status_code == 302
    assert Meeting.objects.count() == 4


def test_stopping_a_series_cancels_the_coming_meetings_only(client, coordinator, school):
    series = services.series_create(
        school=school,
        actor=coordinator,
        kind=MeetingKind.KORTE_LIJN,
        title="Korte lijn",
        interval_weeks=1,
        weekday=2,
        start_time=time(8, 30),
        end_time=time(9, 0),
        starts_on=timezone.localdate() + timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=30),
        holiday_policy="skip",
        participants=[coordinator],
    )
    past = MeetingFactory(
        school=school, organiser=coordinator, series=series, starts_at=timezone.now() - timedelta(days=7)
    )
    client.force_login(coordinator)
    client.post(f"/overleg/reeksen/{series.pk}/stoppen/")
    assert set(series.meetings.values_list("status", flat=True)) == {"cancelled", "planned"}
    assert list(series.meetings.planned()) == [past]


@pytest.mark.denies("school.plan_meetings")
def test_mentor_cannot_plan_meetings(client, mentor):
    client.force_login(mentor)
    assert client.get("/overleg/nieuw/").status_code == 403
    assert client.get("/overleg/reeksen/nieuw/").status_code == 403
    assert client.get("/overleg/reeksen/").status_code == 403


@pytest.mark.denies("school.list_meetings")
def test_staff_of_another_school_have_no_meeting_lists_here(school, other_coordinator, mentor):
    """ "Mijn overleggen" is there for everyone with a role at the school (it lists only their
    own meetings); the rule refuses everyone else. No request reaches it: the current school
    is always one where the user has a role."""
    from carecoord import access

    assert not access.can(other_coordinator, "school.list_meetings", school)
    assert access.can(mentor, "school.list_meetings", school)


# --- The calendar feed ------------------------------------------------------------------------------------


def test_the_feed_works_without_login_and_names_no_pupils(client, consented_partner, meeting, agenda):
    token = services.feed_create(user=consented_partner)
    response = Client().get(f"/overleg/agenda/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [meeting.ical_uid]
    for name in ("Daan", "Jansen", "Sanne", "Geheim"):
        assert name not in response.content.decode()


def test_the_feed_shows_a_move_with_a_higher_sequence_and_a_cancellation(coordinator, consented_partner, meeting):
    token = services.feed_create(user=consented_partner)
    local = timezone.localtime(meeting.starts_at)
    services.meeting_update(
        meeting=meeting,
        actor=coordinator,
        title=meeting.title,
        day=local.date() + timedelta(days=1),
        start_time=time(10, 0),
        end_time=time(11, 0),
        location=meeting.location,
    )
    event = icalendar.Calendar.from_ical(Client().get(f"/overleg/agenda/{token}.ics").content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == meeting.ical_uid
    assert timezone.localtime(event.decoded("dtstart")).hour == 10
    services.meeting_cancel(meeting=Meeting.objects.get(pk=meeting.pk), actor=coordinator)
    event = icalendar.Calendar.from_ical(Client().get(f"/overleg/agenda/{token}.ics").content).walk("VEVENT")[0]
    assert (event["SEQUENCE"], str(event["STATUS"])) == (2, "CANCELLED")


def test_a_revoked_or_replaced_feed_link_stops_working(client, consented_partner, meeting):
    old = services.feed_create(user=consented_partner)
    new = services.feed_create(user=consented_partner)
    assert Client().get(f"/overleg/agenda/{old}.ics").status_code == 404
    assert Client().get(f"/overleg/agenda/{new}.ics").status_code == 200
    client.force_login(consented_partner)
    client.post("/overleg/agenda-abonnement/", {"action": "revoke"})
    assert Client().get(f"/overleg/agenda/{new}.ics").status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_page_shows_a_new_link_once(client, consented_partner):
    client.force_login(consented_partner)
    page = client.post("/overleg/agenda-abonnement/", {"action": "create"})
    assert "/overleg/agenda/" in page.context["feed_url"]
    token = page.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get().token_hash == services.feed_token_hash(token)
    assert token not in client.get("/overleg/agenda-abonnement/").text


def test_a_deactivated_users_feed_stops(consented_partner, meeting):
    token = services.feed_create(user=consented_partner)
    consented_partner.is_active = False
    consented_partner.save()
    assert Client().get(f"/overleg/agenda/{token}.ics").status_code == 404


def test_the_feed_of_a_partner_drops_meetings_of_a_school_they_no_longer_work_with(
    consented_partner, organisation, meeting, school
):
    token = services.feed_create(user=consented_partner)
    organisation.schools.remove(school)
    cal = icalendar.Calendar.from_ical(Client().get(f"/overleg/agenda/{token}.ics").content)
    assert cal.walk("VEVENT") == []


def test_partner_does_not_see_why_a_pupil_was_suggested(client, coordinator, consented_partner, meeting, agenda):
    """The suggestion reason may name a concern or a referral (not the partner's sections)."""
    item = agenda[0]
    type(item).objects.filter(pk=item.pk).update(reason="Zorgmelding Thuissituatie (in behandeling)")
    client.force_login(coordinator)
    assert "Zorgmelding Thuissituatie" in client.get(meeting.get_absolute_url()).text
    client.force_login(consented_partner)
    page = client.get(meeting.get_absolute_url())
    assert "Vraag over Daan" in page.text
    assert "Zorgmelding Thuissituatie" not in page.text
