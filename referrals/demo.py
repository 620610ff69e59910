"""Demo data of this app (see carecoord/demo.py). Idempotent."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.selectors import holiday_dates
from students.models import Consent, ConsentPurpose, Student, SupportStatus
from students.timeline import timeline_add_many

from .demo_coaching import seed_kansencoach
from .models import (
    DEFAULT_CAPACITY,
    ContactKind,
    EvaluationDecision,
    Facility,
    FacilityKind,
    Funder,
    GoalProgress,
    GroupContact,
    GroupFunding,
    IntakeParticipant,
    LessonHour,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementGoalResult,
    PlacementKind,
    PlacementSlot,
    Referral,
    ReferralState,
    ReferralTransition,
    Visit,
    VisitReason,
)
from .selectors import expected_blocks
from .services import DEFAULT_LESSON_HOURS

# --- Aanmeldingen en voorzieningen ---------------------------------------------------------
# Per school a viproom (~8 active placements of mixed kinds, a waiting list, open referrals,
# ended placements with outcomes, three weeks of visits) at the secondary schools; OBS De
# Aanloop has a kansencoach (seed 004) and SO De Bolster its SO+ group of four (seed 003),
# both on day parts. A school that already has facilities is left alone.

QUESTIONS = [
    "Durft de klas niet meer in door angst; zit sinds twee weken veel thuis.",
    "Loopt vast bij conflicten in de les; wordt vaak uitgestuurd.",
    "Veel verzuim in de eerste uren; thuis onrustig. Structuur aan het begin van de dag nodig.",
    "Haakt af bij wiskunde en Engels; wil wel, maar raakt overprikkeld in de grote klas.",
    "Na een periode thuis weer opbouwen naar volledig rooster.",
    "Somber, trekt zich terug. Mentor maakt zich zorgen over aanwezigheid.",
]
GOALS = [
    "Elke ochtend op tijd op school en inchecken",
    "Twee vakken weer in de eigen klas volgen",
    "Zelf aangeven wanneer een time-out nodig is",
    "Huiswerk bijhouden met een weekplanning",
    "Terug naar een volledig rooster in de klas",
    "Eén keer per week een gesprek met de mentor",
]
NOTES = ["", "", "", "Rustig gewerkt", "Goed gesprek gehad", "Moeite met concentratie", "Wiskunde afgemaakt", "Moe"]

# (kind, slots) of the viproom's active placements: full-time, check-in/out, specific hours.
VIPROOM_PLAN = [
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.CHECK_IN_OUT, [(d, 1) for d in range(5)]),
    (PlacementKind.CHECK_IN_OUT, [(d, 1) for d in range(5)]),
    (PlacementKind.CHECK_IN_OUT, [(0, 1), (2, 1), (4, 1)]),
    (PlacementKind.HOURS, [(0, 3), (0, 4), (2, 5), (3, 3)]),
    (PlacementKind.HOURS, [(1, 2), (3, 6), (3, 7)]),
]
ENDED_OUTCOMES = [
    Outcome.BACK_FULLY,
    Outcome.BACK_FULLY,
    Outcome.BACK_PARTLY,
    Outcome.OTHER_FACILITY,
    Outcome.AT_HOME,
]


# A primary or special school's day: the morning and the afternoon (accounts.words.DAY_PARTS).
DAY_PARTS_HOURS = [("08:30", "12:00"), ("13:00", "15:15")]


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class _Seeder:
    """Builds one school's facilities with their history, directly on the models (with
    back-dated times the services cannot write) and with the same timeline events."""

    def __init__(self, ctx, key, school):
        self.ctx, self.key, self.school = ctx, key, school
        self.rng = ctx.rng_for("referrals", key)
        self.today = ctx.today
        self.coordinator = ctx.users[f"zc_{key}"]
        self.events: list[dict] = []
        self.visits: list[Visit] = []
        self.hours = self._lesson_hours()
        start = self.today - timedelta(weeks=3)
        self.off = holiday_dates(school=school, start=start, end=self.today)
        self.school_days = [
            start + timedelta(days=n)
            for n in range((self.today - start).days + 1)
            if (start + timedelta(days=n)).weekday() < 5 and start + timedelta(days=n) not in self.off
        ]
        self.pool = [s for s in ctx.students.get(key, []) if s.is_active]
        self.rng.shuffle(self.pool)

    def _lesson_hours(self):
        if not LessonHour.objects.filter(school=self.school).exists():
            parse = lambda value: datetime.strptime(value, "%H:%M").time()  # noqa: E731
            hours = DAY_PARTS_HOURS if self.school.uses_day_parts else DEFAULT_LESSON_HOURS
            LessonHour.objects.bulk_create(
                LessonHour(school=self.school, number=n, starts_at=parse(s), ends_at=parse(e))
                for n, (s, e) in enumerate(hours, start=1)
            )
        return list(LessonHour.objects.filter(school=self.school).order_by("number"))

    def take(self, n):
        taken, self.pool = self.pool[:n], self.pool[n:]
        return taken

    def facility(self, name, kind, coaches, **extra):
        facility = Facility.objects.create(
            school=self.school, name=name, kind=kind, capacity=DEFAULT_CAPACITY[kind], **extra
        )
        facility.coaches.set(coaches)
        return facility

    # --- Referrals and placements ---------------------------------------------------------

    def referral(self, student, facility, created: date, path: list[tuple[str, date]], note="") -> Referral:
        created_at = _aware(created, time(10, self.rng.randrange(60)))
        referral = Referral.objects.create(
            school=self.school,
            student=student,
            facility=facility,
            question=self.rng.choice(QUESTIONS),
            involved_others=self.rng.choice(["moeder", "ouders, jeugdteam", "vader", ""]),
            created_by=self.coordinator,
            created_at=created_at,
        )
        mentors = list(student.school_class.mentors.all()) if student.school_class_id else []
        referral.involved.set(mentors[:1])
        ReferralTransition.objects.create(
            referral=referral, to_state=ReferralState.SUBMITTED, actor=self.coordinator, at=created_at
        )
        self.event(student, "referrals.referral_created", created_at, facility=facility.name, referral_id=referral.pk)
        state = ReferralState.SUBMITTED
        for to_state, day in path:
            at = _aware(day, time(14, 0))
            ReferralTransition.objects.create(
                referral=referral, from_state=state, to_state=to_state, actor=self.coordinator, at=at, note=note
            )
            self.event(
                student,
                "referrals.referral_state",
                at,
                facility=facility.name,
                referral_id=referral.pk,
                to=to_state,
                **{"from": state},
            )
            if to_state == ReferralState.INTAKE_PLANNED:
                referral.intake_at = _aware(day + timedelta(days=3), time(13, 30))
                referral.intake_participants = [
                    IntakeParticipant.PUPIL,
                    IntakeParticipant.PARENTS,
                    IntakeParticipant.MENTOR,
                    IntakeParticipant.COACH,
                ]
            if to_state == ReferralState.INTAKE_HELD:
                referral.intake_notes = "Leerling en ouders staan achter de aanmelding. Afspraken over start en doelen."
            if to_state == ReferralState.WAITING:
                referral.waitlisted_at = at
            if (
                to_state in (ReferralState.PLACED, ReferralState.WAITING, ReferralState.DECLINED)
                and not referral.decided_at
            ):
                referral.decided_at = at
            state = to_state
        referral.state = state
        referral.save()
        return referral

    def placement(self, student, facility, kind, slots, start: date, ended: date | None = None, outcome=""):
        path = [
            (ReferralState.INTAKE_PLANNED, start - timedelta(days=12)),
            (ReferralState.INTAKE_HELD, start - timedelta(days=8)),
            (ReferralState.PLACED, start - timedelta(days=1)),
        ]
        referral = self.referral(student, facility, start - timedelta(days=self.rng.randrange(14, 30)), path)
        placement = Placement.objects.create(
            school=self.school,
            student=student,
            facility=facility,
            referral=referral,
            kind=kind,
            subjects="wiskunde, Engels" if kind == PlacementKind.HOURS else "",
            start_on=start,
            planned_end_on=start + timedelta(weeks=18),
            next_evaluation_on=start + timedelta(weeks=6),
            created_by=self.coordinator,
            created_at=_aware(start - timedelta(days=1), time(14, 5)),
        )
        PlacementSlot.objects.bulk_create(PlacementSlot(placement=placement, weekday=d, hour=h) for d, h in slots)
        goals = PlacementGoal.objects.bulk_create(
            PlacementGoal(placement=placement, text=text, position=n)
            for n, text in enumerate(self.rng.sample(GOALS, 2))
        )
        self.event(
            student,
            "referrals.placement_started",
            placement.created_at,
            facility=facility.name,
            placement_id=placement.pk,
            plan=kind,
            start=start.isoformat(),
        )
        last_day = ended or self.today
        evaluation_day = start + timedelta(weeks=6)
        while evaluation_day < last_day:
            decision = (
                EvaluationDecision.END
                if ended and evaluation_day + timedelta(weeks=6) >= ended
                else (self.rng.choice([EvaluationDecision.CONTINUE, EvaluationDecision.ADJUST]))
            )
            evaluation = PlacementEvaluation.objects.create(
                placement=placement,
                held_on=evaluation_day,
                decision=decision,
                note="Besproken met leerling, ouders en mentor.",
                by=self.coordinator,
            )
            PlacementGoalResult.objects.bulk_create(
                PlacementGoalResult(
                    evaluation=evaluation,
                    goal=goal,
                    progress=self.rng.choice(GoalProgress.values),
                    decision=EvaluationDecision.CONTINUE,
                )
                for goal in goals
            )
            self.event(
                student,
                "referrals.placement_evaluated",
                _aware(evaluation_day, time(15)),
                facility=facility.name,
                placement_id=placement.pk,
                decision=decision,
            )
            placement.next_evaluation_on = evaluation_day + timedelta(weeks=6)
            evaluation_day += timedelta(weeks=6)
        if ended:
            placement.ended_on, placement.outcome, placement.next_evaluation_on = ended, outcome, None
            placement.outcome_note = {
                Outcome.BACK_FULLY: "Volgt weer het volledige rooster in de eigen klas.",
                Outcome.BACK_PARTLY: "Twee vakken nog met ondersteuning.",
                Outcome.OTHER_FACILITY: "Overgestapt naar de SO+-klas.",
                Outcome.AT_HOME: "Zit thuis; leerplicht en jeugdteam betrokken.",
            }.get(outcome, "")
            PlacementGoal.objects.filter(placement=placement).update(closed_on=ended)
            self.event(
                student,
                "referrals.placement_ended",
                _aware(ended, time(15, 30)),
                facility=facility.name,
                placement_id=placement.pk,
                outcome=outcome,
                date=ended.isoformat(),
            )
        placement.save()
        return placement

    # --- Visits -------------------------------------------------------------------------------

    def visit(self, placement, facility, student, start, end, by, **extra):
        now = timezone.now()
        if start >= now:
            return
        self.visits.append(
            Visit(
                facility=facility,
                student=student,
                placement=placement,
                checked_in_at=start,
                checked_in_by=by,
                checked_out_at=end if end <= now else None,  # someone is in the room right now
                checked_out_by=by if end <= now else None,
                note=self.rng.choice(NOTES),
                **extra,
            )
        )

    def visits_for(self, facility, placements, by, walk_ins=0):
        rng = self.rng
        for day in self.school_days:
            for placement in placements:
                if day < placement.start_on or rng.random() < 0.1:
                    continue  # not started yet, or absent
                for block in expected_blocks(placement, day, self.hours):
                    begin = block.start + timedelta(minutes=rng.randrange(-8, 6))
                    if placement.kind == PlacementKind.CHECK_IN_OUT:
                        finish = begin + timedelta(minutes=rng.randrange(5, 15))
                    else:
                        finish = block.end - timedelta(minutes=rng.randrange(0, 25))
                    self.visit(placement, facility, placement.student, begin, finish, by)
            for _ in range(rng.randrange(walk_ins + 1)):
                student = rng.choice(self.walk_in_pool)
                begin = _aware(day, time(rng.randrange(9, 15), rng.randrange(60)))
                self.visit(
                    None,
                    facility,
                    student,
                    begin,
                    begin + timedelta(minutes=rng.randrange(15, 50)),
                    by,
                    planned=False,
                    reason=rng.choice(VisitReason.values),
                )

    @staticmethod
    def aware(day: date, moment: time) -> datetime:
        return _aware(day, moment)

    def event(self, student, kind, occurred_at, **params):
        self.events.append(
            {"student": student, "kind": kind, "actor": self.coordinator, "occurred_at": occurred_at, "params": params}
        )

    def day_summaries(self):
        per_day: dict[tuple, list[Visit]] = {}
        for visit in self.visits:
            day = timezone.localtime(visit.checked_in_at).date()
            if visit.checked_out_at is not None and day < self.today:
                per_day.setdefault((visit.student_id, visit.facility_id, day), []).append(visit)
        for (_sid, _fid, day), rows in sorted(per_day.items(), key=lambda item: item[0][2]):
            self.events.append(
                {
                    "student": rows[0].student,
                    "kind": "referrals.visits_day",
                    "actor": None,
                    "occurred_at": max(v.checked_out_at for v in rows),
                    "params": {
                        "facility": rows[0].facility.name,
                        "facility_id": rows[0].facility_id,
                        "placement_id": next((v.placement_id for v in rows if v.placement_id), None),
                        "day": day.isoformat(),
                        "count": len(rows),
                        "minutes": sum(int((v.checked_out_at - v.checked_in_at).total_seconds() // 60) for v in rows),
                        "unplanned": sum(1 for v in rows if not v.planned),
                        "auto_closed": False,
                    },
                }
            )

    # --- The school ----------------------------------------------------------------------------

    def run(self):
        if self.school.is_primary:
            self.run_primary()
        else:
            self.run_secondary()

    def run_primary(self):
        """OBS De Aanloop: the kansencoach (two hours a week, parents' consent, no intake);
        SO De Bolster: the SO+ group of four with its ambulant worker, two pupils already
        gone on to a mainstream school (seed 003)."""
        rng, today = self.rng, self.today
        worker = self.ctx.users[f"worker_{self.key}"]
        members = []
        if self.key == "bolster":
            facility = self.facility("SO+ klas", FacilityKind.GROUP, [worker])
            pupils = [s for s in self.pool if s.school_class and s.school_class.name == "SO+"]
            self.pool = [s for s in self.pool if s not in pupils]
            for student in pupils[:4]:
                start = today - timedelta(days=rng.randrange(30, 60))
                members.append(self.placement(student, facility, PlacementKind.FULL_TIME, [], start))
            # Seed 003: the group is funded as a group, by the gemeente, for the school year.
            school_year = today.year if today.month >= 8 else today.year - 1
            GroupFunding.objects.create(
                facility=facility,
                funder=Funder.GEMEENTE,
                funder_name="Gemeente Dordrecht",
                starts_on=date(school_year, 8, 1),
                ends_on=date(school_year + 1, 7, 31),
                hours_per_week=Decimal("16.0"),
                worker=worker,
            )
            for n, day in enumerate(self.school_days[::3]):
                GroupContact.objects.create(
                    facility=facility,
                    worker=worker,
                    on=day,
                    minutes=rng.choice([30, 45, 60, 90]),
                    kind=[ContactKind.FAMILY, ContactKind.PARENTS, ContactKind.TEACHER][n % 3],
                    note=["Huisbezoek", "Gesprek over de thuissituatie", "Afstemming in de klas"][n % 3],
                )
            for student in pupils[4:6]:
                start = today - timedelta(days=rng.randrange(150, 200))
                self.placement(
                    student,
                    facility,
                    PlacementKind.FULL_TIME,
                    [],
                    start,
                    ended=start + timedelta(days=rng.randrange(90, 120)),
                    outcome=Outcome.TO_MAINSTREAM,
                )
        else:
            # Seed 004: a person, not a room; no board, no lesson hours (referrals/demo_coaching.py).
            facility = self.facility("Kansencoach", FacilityKind.KANSENCOACH, [worker])
            seed_kansencoach(self, facility, worker)
        prefetch_related_objects(members, "slots")
        self.visits_for(facility, members, worker)
        self._no_double_presence()
        Visit.objects.bulk_create(self.visits, batch_size=1000)
        self.day_summaries()
        timeline_add_many(self.events)
        self.support_statuses()

    def run_secondary(self):
        rng, today = self.rng, self.today
        coach = self.ctx.users[f"coach_{self.key}"]
        viproom = self.facility("Viproom", FacilityKind.VIPROOM, [coach])
        active = []
        for (kind, slots), student in zip(VIPROOM_PLAN, self.take(len(VIPROOM_PLAN)), strict=False):
            active.append(self.placement(student, viproom, kind, slots, today - timedelta(days=rng.randrange(10, 75))))
        groups = []

        # The waiting list, open referrals, a decline, and ended placements with outcomes.
        for n, student in enumerate(self.take(3)):
            created = today - timedelta(days=35 - n * 8)
            self.referral(
                student,
                viproom,
                created,
                [
                    (ReferralState.INTAKE_PLANNED, created + timedelta(days=2)),
                    (ReferralState.INTAKE_HELD, created + timedelta(days=6)),
                    (ReferralState.WAITING, created + timedelta(days=7)),
                ],
            )
        opening = self.take(3)
        if opening:
            self.referral(opening[0], viproom, today - timedelta(days=2), [])
        if len(opening) > 1:
            self.referral(
                opening[1],
                viproom,
                today - timedelta(days=6),
                [(ReferralState.INTAKE_PLANNED, today - timedelta(days=4))],
            )
        if len(opening) > 2:
            self.referral(
                opening[2],
                viproom,
                today - timedelta(days=20),
                [(ReferralState.DECLINED, today - timedelta(days=15))],
                note="Past beter bij het jeugdteam; doorverwezen.",
            )
        for outcome, student in zip(ENDED_OUTCOMES, self.take(len(ENDED_OUTCOMES)), strict=False):
            start = today - timedelta(days=rng.randrange(100, 160))
            self.placement(
                student,
                viproom,
                rng.choice([PlacementKind.FULL_TIME, PlacementKind.CHECK_IN_OUT]),
                [(d, 1) for d in range(5)],
                start,
                ended=start + timedelta(days=rng.randrange(45, 90)),
                outcome=outcome,
            )

        # Three weeks of visits, and the timeline summary of each pupil's day.
        prefetch_related_objects(active + [p for _f, members, _w in groups for p in members], "slots")
        placed_ids = {p.student_id for p in active} | {p.student_id for _f, ms, _w in groups for p in ms}
        self.walk_in_pool = [s for s in self.pool if s.pk not in placed_ids][:30]
        self.visits_for(viproom, active, coach, walk_ins=2 if self.walk_in_pool else 0)
        for facility, members, worker in groups:
            self.visits_for(facility, members, worker)
        self._no_double_presence()
        Visit.objects.bulk_create(self.visits, batch_size=1000)
        self.day_summaries()
        timeline_add_many(self.events)
        self.support_statuses()

    def _no_double_presence(self):
        """Walk-ins are drawn at random: drop one that overlaps the same pupil's other visit,
        and keep at most one visit open per pupil (the database allows no more)."""
        kept, by_student = [], {}
        far = timezone.now() + timedelta(days=1)
        for visit in sorted(self.visits, key=lambda v: v.checked_in_at):
            previous = by_student.get(visit.student_id)
            if previous is not None and visit.checked_in_at < (previous.checked_out_at or far):
                continue
            by_student[visit.student_id] = visit
            kept.append(visit)
        self.visits = kept

    def consent(self, student, purpose, given_on):
        giver = {"given_by_student": True}
        if not student.is_16_or_older(given_on):
            guardian = student.guardians.filter(has_authority=True).first()
            if guardian is None:
                return
            giver = {"given_by_guardian": guardian}
        Consent.objects.create(
            student=student, purpose=purpose, given_on=given_on, recorded_by=self.coordinator, **giver
        )
        self.events.append(
            {
                "student": student,
                "kind": "students.consent_given",
                "actor": self.coordinator,
                "occurred_at": _aware(given_on, time(11)),
                "params": {
                    "scope": str(ConsentPurpose(purpose).label),
                    "giver": "de leerling zelf" if "given_by_student" in giver else giver["given_by_guardian"].name,
                    "date": given_on.isoformat(),
                },
            }
        )

    def support_statuses(self):
        """What the mentor sees matches the trajectories: placed, referred, else not."""
        placed = Placement.objects.filter(school=self.school, ended_on__isnull=True).values("student_id")
        referred = Referral.objects.filter(school=self.school).open().values("student_id")
        pupils = Student.objects.filter(school=self.school)
        pupils.filter(pk__in=placed).update(support_status=SupportStatus.GEPLAATST)
        pupils.filter(pk__in=referred).exclude(pk__in=placed).update(support_status=SupportStatus.AANGEMELD)
        # The pupil demo hands out these two stages at random; without a trajectory they become 'in begeleiding'.
        pupils.filter(support_status__in=[SupportStatus.GEPLAATST, SupportStatus.AANGEMELD]).exclude(
            pk__in=placed
        ).exclude(pk__in=referred).update(support_status=SupportStatus.IN_BEGELEIDING)


# The worker of the primary schools' facility: (e-mail local part, name, what the login shows).
WORKERS = {
    "bolster": ("ambulant", "Yvonne Hendriks", "ambulant begeleider SO+ klas"),
    "aanloop": ("kansencoach", "Corrie Hensema", "kansencoach"),
}


def _worker(ctx, key, school):
    from accounts.demo import SCHOOLS

    local, name, what = WORKERS[key]
    user = ctx.user(f"{local}@{SCHOOLS[key][2]}", name)
    Membership.objects.get_or_create(user=user, school=school, role=Role.COACH)
    ctx.users[f"worker_{key}"] = user
    ctx.logins.append((user.email, f"{Role.COACH.label} ({what}) — {school.name}"))


def seed_trajecten(ctx):
    for key, school in ctx.schools.items():
        if key in WORKERS:
            _worker(ctx, key, school)
        if Facility.objects.filter(school=school).exists():
            continue
        with transaction.atomic():
            _Seeder(ctx, key, school).run()


def seed(ctx):
    seed_trajecten(ctx)
