"""Demo data of this app (see carecoord/demo.py). Idempotent.

The leader's dashboard and the funnel only show a figure from 5 pupils on: the referrals
demo ends a handful of placements, which would make every outcome "< 5". Here each
secondary school's viproom gets the placements it ended this school year and last school
year (seed 000: "de leerling met plezier naar school zien gaan"), so the demo leader sees
a return-to-class rate and last year beside this one."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from absence.signals import school_year_start
from referrals.models import Facility, FacilityKind, Outcome, Placement, Referral, ReferralState, ReferralTransition

QUESTION = "Terug naar de klas na een periode van uitval (afgerond traject)."
# Outcomes per school year, each group at least 5 so the demo shows figures, not "< 5".
THIS_YEAR = [Outcome.BACK_FULLY] * 9 + [Outcome.BACK_PARTLY] * 6 + [Outcome.OTHER_FACILITY] * 5
LAST_YEAR = [Outcome.BACK_FULLY] * 8 + [Outcome.BACK_PARTLY] * 5 + [Outcome.OTHER_SCHOOL] * 5


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _ended(ctx, key, school, viproom):
    rng = ctx.rng_for("outcomes", key)
    today = ctx.today
    this_start = school_year_start(today)
    placed = set(Placement.objects.filter(facility=viproom).values_list("student_id", flat=True))
    pool = [s for s in ctx.students.get(key, []) if s.pk not in placed]
    rng.shuffle(pool)
    coordinator = ctx.users[f"zc_{key}"]
    plans = [(this_start, max(today - timedelta(days=3), this_start), THIS_YEAR)]
    plans.append((this_start.replace(year=this_start.year - 1), this_start - timedelta(days=1), LAST_YEAR))
    for first, last, outcomes in plans:
        span = max((last - first).days, 1)
        for n, outcome in enumerate(outcomes):
            if not pool:
                return
            student = pool.pop()
            ended = first + timedelta(days=span * (n + 1) // (len(outcomes) + 1))
            start = ended - timedelta(days=rng.randrange(35, 100))
            asked = start - timedelta(days=rng.randrange(5, 25))
            referral = Referral.objects.create(
                school=school,
                student=student,
                facility=viproom,
                question=QUESTION,
                state=ReferralState.PLACED,
                created_by=coordinator,
                created_at=_aware(asked),
                decided_at=_aware(start - timedelta(days=2)),
            )
            ReferralTransition.objects.create(
                referral=referral,
                to_state=ReferralState.PLACED,
                actor=coordinator,
                at=_aware(start - timedelta(days=2)),
            )
            Placement.objects.create(
                school=school,
                student=student,
                facility=viproom,
                referral=referral,
                kind="full_time",
                start_on=start,
                ended_on=ended,
                outcome=outcome,
                created_by=coordinator,
                created_at=_aware(start),
            )


def seed(ctx):
    for key, school in ctx.schools.items():
        viproom = Facility.objects.filter(school=school, kind=FacilityKind.VIPROOM).order_by("pk").first()
        if viproom is None or Referral.objects.filter(school=school, question=QUESTION).exists():
            continue
        with transaction.atomic():
            _ended(ctx, key, school, viproom)
