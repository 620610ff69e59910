"""No-shows in the viproom: a placed pupil expected for a lesson hour who has not checked in
15 minutes after it began is recorded as "niet verschenen" for that hour — once (the
absence record's unique key) — in the pupil's absence, and the mentor(s) of the pupil's
class and the school's verzuimcoördinatoren get a task the same day (one per pupil per day).
Whether it counts towards the 16-hour signal is the school's choice (AbsencePolicy)."""

from datetime import datetime, timedelta

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


def _missed(facility, now) -> list[tuple]:
    """(placement, lesson hour) pairs of `facility` missed by `now` today."""
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
            if now < begins + NO_SHOW_AFTER:
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
    from absence.tasks import signals_compute_school
    from jobs.services import job_defer

    now = timezone.localtime(now or timezone.now())
    created_total = 0
    for facility in Facility.objects.filter(is_active=True).select_related("school"):
        missed = _missed(facility, now)
        if not missed:
            continue
        with transaction.atomic():
            existing = set(
                AbsenceRecord.objects.filter(
                    student_id__in={p.student_id for p, _h in missed},
                    date=now.date(),
                    kind=AbsenceKind.NO_SHOW,
                    source=AbsenceSource.VIPROOM,
                ).values_list("student_id", "lesson")
            )
            new = [(p, h) for p, h in missed if (p.student_id, h.number) not in existing]
            if not new:
                continue
            AbsenceRecord.objects.bulk_create(
                [
                    AbsenceRecord(
                        student_id=p.student_id,
                        school_id=facility.school_id,
                        date=now.date(),
                        lesson=h.number,
                        kind=AbsenceKind.NO_SHOW,
                        minutes=int(
                            (_aware(now.date(), h.ends_at) - _aware(now.date(), h.starts_at)).total_seconds() // 60
                        ),
                        source=AbsenceSource.VIPROOM,
                    )
                    for p, h in new
                ],
                ignore_conflicts=True,  # a second scheduler at the same moment
            )
            created_total += len(new)
            for placement, hour in new:
                _tell(placement, hour, facility, now.date())
            job_defer(signals_compute_school, facility.school_id)
    return created_total


def _tell(placement, hour, facility, day) -> None:
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
        )
