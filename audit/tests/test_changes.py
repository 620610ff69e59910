"""Who changed what: every service that takes an `actor` records it in the one change log.

Through the pages where a person does it (the request is what a user makes), else through
the service; each test checks the stored row: who, which object, which fields, old → new.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import HolidayPeriod, Role
from accounts.tests.factories import staff
from audit.models import Change
from audit.services import change_record, values_of

pytestmark = pytest.mark.django_db


def only_change(**filters) -> Change:
    return Change.objects.get(**filters)


# --- The mechanism --------------------------------------------------------------------------


def test_only_fields_that_changed_are_kept_and_nothing_is_written_without_a_change(school, beheerder):
    before = values_of(school, ["name", "region"])
    assert change_record(school=school, actor=beheerder, kind="x.same", obj=school, before=before, after=before) is None
    row = change_record(
        school=school, actor=beheerder, kind="x.renamed", obj=school, before=before, after={**before, "name": "Nieuw"}
    )
    assert row.changes == {"name": ["School A", "Nieuw"]}
    assert (row.object_type, row.object_id, row.actor, row.school) == ("accounts.school", school.pk, beheerder, school)
    assert Change.objects.count() == 1


def test_hidden_fields_keep_their_name_not_their_value(school, coordinator):
    row = change_record(
        school=school,
        actor=coordinator,
        kind="x.note",
        before={"note": "oud"},
        after={"note": "geheim"},
        hidden={"note"},
    )
    assert row.changes == {"note": None}
    assert "geheim" not in str(row.changes)


def test_values_are_stored_as_json_ids_and_iso_text(school_class, mentor):
    values = values_of(school_class, ["name", "mentors"])
    assert values == {"name": "2K1", "mentors": [mentor.pk]}
    row = change_record(
        school=school_class.school,
        actor=mentor,
        kind="x.moment",
        before={"at": datetime(2027, 3, 1, 8, 30), "day": date(2027, 3, 1), "hour": time(9)},
        after={},
    )
    assert row.changes == {"at": ["2027-03-01T08:30:00", None], "day": ["2027-03-01", None], "hour": ["09:00:00", None]}


# --- The school: settings, days off, absence thresholds --------------------------------------


def test_school_settings_change_records_who_and_what(client, beheerder, school):
    client.force_login(beheerder)
    client.post("/beheer/school/", {"school-name": "School A2", "school-region": "R", "school-holiday_region": "zuid"})
    row = only_change(kind="accounts.school_updated")
    assert row.actor == beheerder
    assert row.changes["name"] == ["School A", "School A2"]
    assert row.changes["region"][1] == "R"


def test_days_off_added_and_removed_are_recorded(client, beheerder, school):
    client.force_login(beheerder)
    client.post(
        "/beheer/school/", {"holiday-name": "Studiedag", "holiday-start": "12-03-2027", "holiday-end": "12-03-2027"}
    )
    holiday = HolidayPeriod.objects.get(school=school)
    added = only_change(kind="accounts.holiday_added")
    assert (added.actor, added.object_id) == (beheerder, holiday.pk)
    assert added.changes["start"] == [None, "2027-03-12"]

    client.post(f"/beheer/vrije-dagen/{holiday.pk}/verwijderen/")
    removed = only_change(kind="accounts.holiday_removed")
    assert removed.changes["name"] == ["Studiedag", None]
    assert not HolidayPeriod.objects.filter(pk=holiday.pk).exists()


def test_absence_thresholds_change_is_recorded(client, coordinator, school):
    client.force_login(coordinator)
    client.post(
        "/verzuim/drempels/",
        {"early_warning_hours": "4,5", "late_per_week": "3", "whole_day_minutes": "240", "lesson_minutes": "45"},
    )
    row = only_change(kind="absence.policy_saved")
    assert row.actor == coordinator
    assert row.changes["early_warning_minutes"][1] == 270


# --- Zorgroute, facilities, timetable, classes -------------------------------------------------


def test_a_zorgroute_category_change_is_recorded(beheerder, school):
    from concerns import services
    from concerns.tests.factories import ConcernCategoryFactory

    category = ConcernCategoryFactory(school=school, name="Gedrag")
    services.category_save(school=school, actor=beheerder, instance=category, name="Gedrag en werkhouding")
    row = only_change(kind="concerns.category_saved")
    assert (row.actor, row.object_id) == (beheerder, category.pk)
    assert row.changes == {"name": ["Gedrag", "Gedrag en werkhouding"]}


def test_a_facility_change_records_capacity_and_coaches(beheerder, coach, school):
    from referrals import services
    from referrals.models import Facility

    facility = services.facility_save(school=school, actor=beheerder, name="Viproom", kind="viproom", capacity=10)
    services.facility_save(
        school=school, actor=beheerder, instance=Facility.objects.get(pk=facility.pk), coaches=[coach], capacity=8
    )
    created, changed = Change.objects.filter(kind="referrals.facility_saved").order_by("pk")
    assert created.changes["name"] == [None, "Viproom"]
    assert changed.changes == {"capacity": [10, 8], "coaches": [[], [coach.pk]]}


def test_the_timetable_change_is_recorded(client, beheerder, school):
    client.force_login(beheerder)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
    for n, (s, e) in enumerate([("08:15", "09:00"), ("09:00", "09:45")]):
        data |= {f"form-{n}-starts_at": s, f"form-{n}-ends_at": e}
    client.post("/zorg/voorzieningen/lesrooster/", data)
    row = only_change(kind="referrals.lesson_hours_saved")
    assert row.changes == {"hours": [[], ["08:15-09:00", "09:00-09:45"]]}


def test_a_class_change_records_its_mentors(client, beheerder, school_class, mentor):
    other = staff(school_class.school, Role.MENTOR, name="Mentor Twee")
    client.force_login(beheerder)
    client.post(
        f"/leerlingen/klassen/{school_class.pk}/",
        {"name": "2K1", "year": school_class.year, "level": school_class.level, "mentors": [other.pk]},
    )
    row = only_change(kind="students.class_saved")
    assert row.changes == {"mentors": [[mentor.pk], [other.pk]]}


# --- Meetings --------------------------------------------------------------------------------


@pytest.fixture
def meeting(school, coordinator, mentor):
    from meetings.tests.factories import MeetingFactory

    return MeetingFactory(school=school, organiser=coordinator, participants=[coordinator, mentor])


def test_moving_and_cancelling_a_meeting_are_recorded(coordinator, meeting):
    from meetings import services

    local = timezone.localtime(meeting.starts_at)
    services.meeting_update(
        meeting=meeting,
        actor=coordinator,
        title=meeting.title,
        day=local.date() + timedelta(days=1),
        start_time=time(14),
        end_time=time(15),
        location=meeting.location,
    )
    moved = only_change(kind="meetings.meeting_updated")
    assert set(moved.changes) == {"starts_at", "ends_at"}
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    assert only_change(kind="meetings.meeting_cancelled").changes == {"status": ["planned", "cancelled"]}


def test_changing_who_takes_part_is_recorded(coordinator, mentor, meeting, school):
    from meetings import services

    newcomer = staff(school, Role.VERZUIMCOORDINATOR)
    services.meeting_set_participants(meeting=meeting, participants=[coordinator, newcomer], actor=coordinator)
    row = only_change(kind="meetings.meeting_participants")
    assert row.changes == {"participants": [sorted([coordinator.pk, mentor.pk]), sorted([coordinator.pk, newcomer.pk])]}


def test_changing_a_series_standing_participants_is_recorded(coordinator, mentor, school):
    from meetings import services
    from meetings.models import MeetingKind

    series = services.series_create(
        school=school,
        actor=coordinator,
        kind=MeetingKind.OT,
        title="OT",
        interval_weeks=6,
        weekday=0,
        start_time=time(14),
        end_time=time(15),
        starts_on=timezone.localdate() + timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=60),
        holiday_policy="skip",
        participants=[coordinator],
    )
    services.series_set_participants(series=series, participants=[coordinator, mentor], actor=coordinator)
    row = only_change(kind="meetings.series_participants")
    assert (row.actor, row.object_id) == (coordinator, series.pk)
    assert row.changes == {"participants": [[coordinator.pk], sorted([coordinator.pk, mentor.pk])]}


def test_taking_a_pupil_off_the_agenda_is_recorded_without_the_question(coordinator, meeting, student):
    from meetings import services
    from meetings.tests.factories import AgendaItemFactory

    item = AgendaItemFactory(meeting=meeting, student=student, question="Gaat het thuis goed?")
    services.agenda_item_remove(item=item, actor=coordinator)
    row = only_change(kind="meetings.agenda_item_removed")
    assert (row.student, row.actor) == (student, coordinator)
    assert row.changes == {"meeting": [meeting.pk, None], "question": None}


# --- A pupil's details, placements and visits ----------------------------------------------------


def test_a_guardians_change_keeps_which_fields_not_the_values(client, coordinator, student):
    guardian = student.guardians.get()
    client.force_login(coordinator)
    client.post(
        f"/leerlingen/{student.pk}/ouders/{guardian.pk}/",
        {
            "name": guardian.name,
            "relation": guardian.relation,
            "phone": "06-12345678",
            "email": "",
            "has_authority": "on",
        },
    )
    row = only_change(kind="students.guardian_updated")
    assert (row.student, row.actor) == (student, coordinator)
    assert row.changes == {"phone": None}


def test_a_goal_and_a_visits_note_and_times_are_recorded(coordinator, coach, student, school):
    from referrals import services
    from referrals.tests.factories import FacilityFactory, placed

    room = FacilityFactory(school=school, coaches=[coach])
    placement = placed(student, room, by=coordinator)
    goal = services.placement_goal_add(placement=placement, text="Zelf hulp vragen", actor=coordinator)
    assert only_change(kind="referrals.goal_added").changes == {"text": None}
    assert only_change(kind="referrals.goal_added").object_id == goal.pk

    # Three hours ago, but the visit and its correction within one day in Amsterdam (a visit
    # never crosses midnight): shortly after midnight, the evening before.
    local = timezone.localtime()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    at = local - timedelta(hours=3)
    if at.date() != local.date():
        at = midnight + timedelta(minutes=5) if local - midnight > timedelta(hours=1) else midnight - timedelta(hours=3)
    visit = services.visit_check_in(facility=room, student=student, actor=coach, at=at)
    services.visit_check_out(facility=room, student=student, actor=coach, at=at + timedelta(minutes=30))
    services.visit_set_note(visit=visit, note="Rustig gewerkt", actor=coach)
    assert only_change(kind="referrals.visit_note").changes == {"note": None}
    visit.refresh_from_db()
    services.visit_correct(
        visit=visit,
        checked_in_at=visit.checked_in_at,
        checked_out_at=visit.checked_in_at + timedelta(minutes=50),
        actor=coach,
        note="Rustig gewerkt",
    )
    corrected = only_change(kind="referrals.visit_corrected")
    assert set(corrected.changes) == {"checked_out_at"}
    assert corrected.actor == coach
