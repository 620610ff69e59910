"""Demo data of this app (see carecoord/demo.py). Idempotent."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import Membership, Role
from students.models import Consent, ConsentPurpose, Student, SupportStatus
from students.timeline import timeline_add_many

from .demo_build import DemoBuilder, _aware
from .demo_coaching import seed_kansencoach
from .models import (
    ContactKind,
    Facility,
    FacilityKind,
    Funder,
    GroupContact,
    GroupFunding,
    Outcome,
    Placement,
    PlacementKind,
    Referral,
    ReferralState,
    Visit,
)

# --- Aanmeldingen en voorzieningen ---------------------------------------------------------
# Per school a viproom (~8 active placements of mixed kinds, a waiting list, open referrals,
# ended placements with outcomes, three weeks of visits) at the secondary schools; OBS De
# Aanloop has a kansencoach (seed 004) and SO De Bolster its SO+ group of four (seed 003),
# both on day parts. A school that already has facilities is left alone.

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


class _Seeder(DemoBuilder):
    """Builds one school's facilities with their history, directly on the models (with
    back-dated times the services cannot write) and with the same timeline events."""

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
