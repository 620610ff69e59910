"""No-shows in the viproom: a placed pupil expected for a lesson hour who has not checked in
15 minutes after it began is recorded as "niet verschenen" for that hour — once (the
absence record's unique key) — in the pupil's absence, and the mentor(s) of the pupil's
class and the school's verzuimcoördinatoren get a task the same day (one per pupil per day).
Whether it counts towards the 16-hour signal is the school's choice (AbsencePolicy)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from absence.models import AbsenceKind, AbsenceRecord, AbsenceSource
from accounts.selectors import holiday_dates
from carecoord import access
from carecoord.access.todo import may_receive_task, no_show_recipients
from todo.models import TaskKind
from todo.services import task_create

from ..models import Facility, Placement, PlacementKind, PlacementSlot, Visit
from ..selectors.timetable import day_bounds, lesson_hours

NO_SHOW_AFTER = timedelta(minutes=15)
# A check-in shortly before the hour counts for it (as on the board).
EARLY_SLACK = timedelta(minutes=15)


def _hours_expected(placement, weekday, hours):
    if placement.kind == PlacementKind.FULL_TIME:
        return hours
    wanted = {s.hour for s in placement.slots.all() if s.weekday == weekday}
    return [h for h in hours if h.number in wanted]


def _aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


def _missed(facility, now, not_before=NO_SHOW_AFTER) -> list[tuple]:
    """(placement, lesson hour) pairs of `facility` missed by `now` today: not checked in
    `not_before` after the hour began (the sweep waits 15 minutes; the coach's tap none)."""
    today = now.date()
    hours = lesson_hours(school=facility.school_id)
    if not hours or today.weekday() > 4 or holiday_dates(school=facility.school, start=today, end=today):
        return []
    placements = list(
        Placement.objects.active()
        .filter(facility=facility, start_on__lte=today)
        .select_related("student__school_class", "school")
        .prefetch_related(Prefetch("slots", queryset=PlacementSlot.objects.all()))
    )
    start, end = day_bounds(today)
    visits: dict[int, list] = {}
    for visit in Visit.objects.filter(facility=facility).filter(
        Q(checked_in_at__gte=start, checked_in_at__lt=end) | Q(checked_out_at__isnull=True)
    ):
        visits.setdefault(visit.student_id, []).append(visit)
    missed = []
    for placement in placements:
        for hour in _hours_expected(placement, today.weekday(), hours):
            begins, ends = _aware(today, hour.starts_at), _aware(today, hour.ends_at)
            if now < begins + not_before:
                continue
            covered = any(
                v.checked_in_at <= ends and (v.checked_out_at is None or v.checked_out_at >= begins - EARLY_SLACK)
                for v in visits.get(placement.student_id, [])
            )
            if not covered:
                missed.append((placement, hour))
    return missed


def no_shows_record(*, now=None) -> int:
    """Record every no-show of today up to `now`; returns how many were new. Idempotent:
    run every few minutes, by two schedulers at once, it records each hour once and gives
    each task once (unique keys)."""
    now = timezone.localtime(now or timezone.now())
    created_total = 0
    for facility in Facility.objects.filter(is_active=True).select_related("school"):
        missed = _missed(facility, now)
        if not missed:
            continue
        with transaction.atomic():
            created_total += _record(facility, missed, now.date())
    return created_total


def _record(facility, missed, day, actor=None) -> int:
    """Record (placement, lesson hour) pairs as no-shows of `day`, each once (the absence
    record's unique key), tell the mentor(s) and the verzuimcoördinatoren, and recompute the
    school's signals afterwards. In the caller's transaction; returns how many were new."""
    from absence.tasks import signals_compute_school
    from jobs.services import job_defer

    existing = set(
        AbsenceRecord.objects.filter(
            student_id__in={p.student_id for p, _h in missed},
            date=day,
            kind=AbsenceKind.NO_SHOW,
            source=AbsenceSource.VIPROOM,
        ).values_list("student_id", "lesson")
    )
    new = [(p, h) for p, h in missed if (p.student_id, h.number) not in existing]
    if not new:
        return 0
    AbsenceRecord.objects.bulk_create(
        [
            AbsenceRecord(
                student_id=p.student_id,
                school_id=facility.school_id,
                date=day,
                lesson=h.number,
                kind=AbsenceKind.NO_SHOW,
                minutes=int((_aware(day, h.ends_at) - _aware(day, h.starts_at)).total_seconds() // 60),
                source=AbsenceSource.VIPROOM,
                recorded_by=actor,  # the coach who tapped "Niet gekomen"; none for the sweep
            )
            for p, h in new
        ],
        ignore_conflicts=True,  # a second scheduler at the same moment
    )
    for placement, hour in new:
        _tell(placement, hour, facility, day, actor)
    job_defer(signals_compute_school, facility.school_id)
    return len(new)


def no_show_mark(*, facility, student, actor, now=None) -> bool:
    """The coach's "Niet gekomen" on the board: the pupil, placed here and expected in the
    lesson hour that has begun, did not come. Recorded through the same path as the
    automatic check (once per lesson hour: a second tap, or the 5-minute sweep after it,
    adds nothing; one task per pupil per day). Returns False when that hour was recorded
    already. Refused with the reason when the pupil is not placed here, not expected in a
    lesson hour that has begun, or checked in for it."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    with transaction.atomic():
        placement = (
            Placement.objects.active()
            .select_for_update(of=("self",))
            .filter(facility=facility, student=student, start_on__lte=day)
            .select_related("student__school_class", "school")
            .first()
        )
        if placement is None:
            raise ValidationError(
                _("%(name)s is niet geplaatst in %(facility)s.")
                % {"name": student.full_name, "facility": facility.name}
            )
        begun = [(p, h) for p, h in _missed(facility, now, not_before=timedelta(0)) if p.pk == placement.pk]
        if not begun:
            raise ValidationError(
                _("%(name)s wordt nu niet verwacht, of is voor dit lesuur ingecheckt.") % {"name": student.full_name}
            )
        # The lesson hour that has begun most recently: the one the coach is looking at.
        return _record(facility, [begun[-1]], day, actor) > 0


def _tell(placement, hour, facility, day, actor=None) -> None:
    """A task "Niet verschenen in de Viproom" for the mentor(s) and the verzuimcoördinatoren,
    one per pupil per day (a second missed hour adds no second task)."""
    student = placement.student
    title = _("Niet verschenen in de Viproom (%(facility)s, lesuur %(hour)s, %(date)s)") % {
        "facility": facility.name,
        "hour": hour.number,
        "date": day.strftime("%d-%m-%Y"),
    }
    for person in no_show_recipients(student):
        allowed, _reason = may_receive_task(person, facility.school, student)
        if not allowed:
            continue
        url = (
            reverse("absence:student", args=[student.pk])
            if access.can(person, "school.view_absence", facility.school)
            else ""
        )
        task_create(
            school=facility.school,
            assignee=person,
            student=student,
            title=title,
            due_on=day,
            key=f"noshow:{student.pk}:{day.isoformat()}:{person.pk}",
            kind=TaskKind.NO_SHOW,
            url=url,
            actor=actor,
        )
