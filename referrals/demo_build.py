"""The building blocks of the referrals demo (referrals/demo.py): facilities, referrals with
their path, placements with plans, goals and evaluations, visits, consent and timeline events,
written directly on the models with back-dated times the services cannot write."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.selectors import holiday_dates

from .models import (
    DEFAULT_CAPACITY,
    EvaluationDecision,
    Facility,
    GoalProgress,
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


# A primary or special school's day: the morning and the afternoon (accounts.words.DAY_PARTS).
DAY_PARTS_HOURS = [("08:30", "12:00"), ("13:00", "15:15")]


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class DemoBuilder:
    """One school's referral building blocks; referrals/demo.py:_Seeder runs them per school."""

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
