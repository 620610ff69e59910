"""The care work of the demo region, in proportion to its pupils (`manage.py seed_region`):
guardians, lesson hours, facilities with their coaches, referrals, placements with their
lesson hours, a school year's visits to the viproom, and ondersteuningsteam meetings every
six weeks with agenda items and agreements. Big tables (guardians, visits) go in with COPY,
the rest with bulk_create (a few thousand rows each).
"""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User

# Per school, out of 2,000 pupils.
REFERRALS = 60  # of which PLACED placed; the rest submitted, waiting or declined
PLACED = 40
AGENDA_ITEMS = 8
OT_WEEKS = 6


def _copy(table, columns, lines):
    from carecoord.demo_region import _copy as copy_lines

    return copy_lines(table, columns, lines)


def _school_days(first_day: date, today: date) -> list[date]:
    return [
        first_day + timedelta(days=i)
        for i in range((today - first_day).days)
        if (first_day + timedelta(days=i)).weekday() < 5
    ]


def seed_care(*, schools, pupils_by_school: dict[int, list[int]], rng: random.Random, log) -> dict:
    from meetings.models import AgendaItem, Agreement, Meeting, MeetingKind
    from referrals.models import (
        Facility,
        FacilityKind,
        LessonHour,
        Placement,
        PlacementKind,
        PlacementSlot,
        Referral,
        ReferralState,
    )
    from referrals.services import DEFAULT_LESSON_HOURS

    made = {}
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    first_day = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    school_days = _school_days(first_day, today)
    people = {}
    for user_id, school_id, role in Membership.objects.filter(school__in=schools).values_list(
        "user_id", "school_id", "role"
    ):
        people.setdefault((school_id, role), []).append(user_id)

    # Guardians: two per pupil, both with gezag (COPY: 200,000 rows).
    def guardians():
        for pupils in pupils_by_school.values():
            for n, pupil_id in enumerate(pupils):
                yield f"{pupil_id}\tOuder A van leerling {n}\tmoeder\t06-{n:08d}\touder.a.{pupil_id}@thuis.test\tt\t1\n"
                yield f"{pupil_id}\tOuder B van leerling {n}\tvader\t\t\tt\t2\n"

    made["guardians"] = _copy(
        "students_guardian", "student_id, name, relation, phone, email, has_authority, import_position", guardians()
    )
    log(f"{made['guardians']} guardians")

    LessonHour.objects.bulk_create(
        LessonHour(
            school=school,
            number=n,
            starts_at=datetime.strptime(start, "%H:%M").time(),
            ends_at=datetime.strptime(end, "%H:%M").time(),
        )
        for school in schools
        for n, (start, end) in enumerate(DEFAULT_LESSON_HOURS, start=1)
    )

    # A viproom per school (two coaches) and a small group (the third coach).
    facilities = {}
    for school in schools:
        coaches = people[(school.pk, Role.COACH)]
        viproom = Facility.objects.create(school=school, name="Viproom", kind=FacilityKind.VIPROOM, capacity=10)
        viproom.coaches.add(*coaches[:2])
        group = Facility.objects.create(school=school, name="Kleine groep", kind=FacilityKind.GROUP, capacity=4)
        group.coaches.add(*coaches[2:])
        facilities[school.pk] = (viproom, group)
    made["facilities"] = 2 * len(schools)

    # Referrals: PLACED placed (8 full-time, the rest check-in/check-out or lesson hours),
    # the others submitted, on the waiting list or declined.
    referrals = []
    for school in schools:
        coordinator = people[(school.pk, Role.ZORGCOORDINATOR)][0]
        chosen = rng.sample(pupils_by_school[school.pk], min(REFERRALS, len(pupils_by_school[school.pk])))
        viproom, group = facilities[school.pk]
        for n, pupil_id in enumerate(chosen):
            if n < PLACED:
                state = ReferralState.PLACED
            else:
                state = [ReferralState.SUBMITTED, ReferralState.WAITING, ReferralState.DECLINED][n % 3]
            created = now - timedelta(days=rng.randrange(30, 80))
            referrals.append(
                Referral(
                    school=school,
                    student_id=pupil_id,
                    facility=group if 4 <= n < 8 else viproom,
                    question="Rust en structuur in de les (regiodata).",
                    state=state,
                    decided_at=created + timedelta(days=10) if n < PLACED else None,
                    created_by_id=coordinator,
                    created_at=created,
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=5000)
    made["referrals"] = len(referrals)

    placements = []
    kinds = [PlacementKind.CHECK_IN_OUT, PlacementKind.HOURS]
    for n, referral in enumerate(
        Referral.objects.filter(school__in=schools, state=ReferralState.PLACED).order_by("school_id", "pk")
    ):
        index = n % PLACED
        placements.append(
            Placement(
                school_id=referral.school_id,
                student_id=referral.student_id,
                facility_id=referral.facility_id,
                referral=referral,
                kind=PlacementKind.FULL_TIME if index < 8 else kinds[index % 2],
                start_on=max(first_day, referral.decided_at.astimezone(tz).date()),
                evaluation_weeks=6,
                next_evaluation_on=today + timedelta(days=rng.randrange(-5, 40)),
                created_by_id=referral.created_by_id,
            )
        )
    Placement.objects.bulk_create(placements, batch_size=5000)
    placements = list(Placement.objects.filter(school__in=schools).order_by("pk"))
    PlacementSlot.objects.bulk_create(
        (
            PlacementSlot(placement=p, weekday=d, hour=1 + (p.pk + d) % 8)
            for p in placements
            if p.kind != PlacementKind.FULL_TIME
            for d in range(5)
        ),
        batch_size=10000,
    )
    made["placements"] = len(placements)
    log(f"{made['referrals']} referrals, {made['placements']} placements")

    # Visits: every placed pupil on most school days since the placement began (COPY).
    coach_of = {}
    for facility_pair in facilities.values():
        for facility in facility_pair:
            coach_of[facility.pk] = list(facility.coaches.values_list("pk", flat=True))

    def visits():
        for p in placements:
            for day in school_days:
                if day < p.start_on or rng.random() > 0.85:
                    continue
                begin = datetime(day.year, day.month, day.day, 8, 30, tzinfo=tz) + timedelta(
                    minutes=rng.randrange(0, 360)
                )
                end = begin + timedelta(minutes=rng.randrange(10, 200))
                coach = coach_of[p.facility_id][0]
                yield (
                    f"{p.facility_id}\t{p.student_id}\t{p.pk}\tt\t\t{begin.isoformat()}\t{coach}\t"
                    f"{end.isoformat()}\t{coach}\t\tf\n"
                )

    made["visits"] = _copy(
        "referrals_visit",
        "facility_id, student_id, placement_id, planned, reason, checked_in_at, checked_in_by_id, "
        "checked_out_at, checked_out_by_id, note, needs_correction",
        visits(),
    )
    log(f"{made['visits']} visits")

    # The ondersteuningsteam every six weeks since September (and the next one), with the
    # coordinators, the leerplicht and jeugdteam partners of the school, eight pupils on the
    # agenda and two agreements per discussed pupil.
    meetings = []
    for school in schools:
        coordinator = people[(school.pk, Role.ZORGCOORDINATOR)][0]
        day = first_day + timedelta(days=(1 - first_day.weekday()) % 7 + 14)  # a Tuesday in September
        while day <= today + timedelta(weeks=OT_WEEKS):
            starts = datetime(day.year, day.month, day.day, 14, 0, tzinfo=tz)
            meetings.append(
                Meeting(
                    school=school,
                    kind=MeetingKind.OT,
                    title="Ondersteuningsteam",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    location="Lokaal 1.12",
                    organiser_id=coordinator,
                )
            )
            day += timedelta(weeks=OT_WEEKS)
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    partners = {}
    for org_id, school_id in Organisation.schools.through.objects.filter(school__in=schools).values_list(
        "organisation_id", "school_id"
    ):
        partners.setdefault(school_id, []).append(org_id)
    partner_users = {}
    for user_id, org_id in User.objects.filter(organisation_id__isnull=False).values_list("pk", "organisation_id"):
        partner_users.setdefault(org_id, []).append(user_id)
    through = Meeting.participants.through
    participant_rows, items = [], []
    for meeting in Meeting.objects.filter(school__in=schools).order_by("pk"):
        people_in = set(people[(meeting.school_id, Role.ZORGCOORDINATOR)])
        for org_id in partners.get(meeting.school_id, [])[:3]:
            people_in.update(partner_users.get(org_id, [])[:1])
        participant_rows.extend(through(meeting_id=meeting.pk, user_id=u) for u in sorted(people_in))
        held = meeting.starts_at < now
        for position, pupil_id in enumerate(
            rng.sample(pupils_by_school[meeting.school_id], min(AGENDA_ITEMS, len(pupils_by_school[meeting.school_id])))
        ):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    student_id=pupil_id,
                    question="Wat heeft deze leerling nodig? (regiodata)",
                    position=position,
                    notes="Besproken in het OT." if held else "",
                    discussed_at=meeting.ends_at if held else None,
                    added_by_id=meeting.organiser_id,
                )
            )
    through.objects.bulk_create(participant_rows, batch_size=10000)
    AgendaItem.objects.bulk_create(items, batch_size=10000)
    agreements = []
    for item in AgendaItem.objects.filter(meeting__school__in=schools, discussed_at__isnull=False).select_related(
        "meeting"
    ):
        mentors = people[(item.meeting.school_id, Role.MENTOR)]
        for n in range(2):
            due = item.meeting.starts_at.astimezone(tz).date() + timedelta(weeks=2 + n * 2)
            agreements.append(
                Agreement(
                    school_id=item.meeting.school_id,
                    meeting_id=item.meeting_id,
                    item=item,
                    student_id=item.student_id,
                    description="Gesprek met ouders plannen" if n == 0 else "Terugkoppeling aan het OT",
                    owner_id=item.meeting.organiser_id if n == 0 else mentors[item.student_id % len(mentors)],
                    due_on=due,
                    done_at=now if due < today - timedelta(days=14) else None,
                    created_by_id=item.meeting.organiser_id,
                )
            )
    Agreement.objects.bulk_create(agreements, batch_size=10000)
    made["meetings"] = len(meetings)
    made["agenda items"] = len(items)
    made["agreements"] = len(agreements)
    log(f"{len(meetings)} meetings, {len(items)} agenda items, {len(agreements)} agreements")
    return made
