"""Visits: check-in and check-out on the coach's board, corrections, and the end-of-day
work (closing what was left open, the day summaries on the timeline)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import change_record, values_of
from students.models import Student

from ..models import Facility, LessonHour, Placement, Visit
from .common import DEFAULT_DAY_END, _lock_facility, _names, _shown_time


def visit_check_in(
    *, facility: Facility, student, actor, reason: str = "", note: str = "", at: datetime | None = None
) -> Visit:
    """Check a pupil in. Planned: the pupil has an active placement here. Unplanned (a
    walk-in, time-out): needs a reason.

    Refused when the pupil is checked in anywhere already, or when the room is full: the
    number of pupils present never exceeds the capacity, also when twenty tablets tap at
    once (the facility row is locked while counting and inserting).
    """
    at = at or timezone.now()
    if student.school_id != facility.school_id:
        raise ValidationError(_("Deze leerling hoort niet bij deze school."))
    with transaction.atomic():
        # The facility's row first (its capacity as it is now: a beheerder may have changed
        # it), then the pupil's (always in this order, so no deadlock): a check-in at another
        # facility at the same moment waits here and then sees this visit. The pupil's row
        # comes with the id of their placement here, all the visit keeps of it: a check-in
        # is the board's most frequent write, and every query costs more in Python than in
        # the database.
        facility.capacity = (
            Facility.objects.select_for_update().filter(pk=facility.pk).values_list("capacity", flat=True).get()
        )
        placement_id = (
            Student.objects.select_for_update()
            .filter(pk=student.pk)
            .order_by()
            .annotate(
                placement_id=Subquery(
                    Placement.objects.active().filter(facility=facility, student=OuterRef("pk")).values("pk")[:1]
                )
            )
            .values_list("placement_id", flat=True)
            .get()
        )
        if placement_id is None and not reason:
            raise ValidationError(
                {
                    "reason": _("%(name)s is niet geplaatst in %(facility)s: geef een reden (binnenloper).")
                    % _names(student, facility)
                }
            )
        # Both refusals below from one query (a check-in is the board's most frequent write):
        # the pupil's open visit anywhere, and the open visits here (at most the capacity).
        open_visits = list(
            Visit.objects.open()
            .filter(Q(student=student) | Q(facility=facility))
            .values_list("student_id", "facility_id", "checked_in_at", "facility__name")
        )
        already = next((v for v in open_visits if v[0] == student.pk), None)
        if already is not None:
            raise ValidationError(
                _("%(name)s is al ingecheckt (sinds %(time)s, %(facility)s).")
                % {"name": student.full_name, "time": _shown_time(already[2]), "facility": already[3]}
            )
        present = sum(1 for v in open_visits if v[1] == facility.pk)
        if present >= facility.capacity:
            raise ValidationError(
                _("%(facility)s is vol: %(n)s van %(n)s plaatsen bezet.") % {"facility": facility.name, "n": present}
            )
        visit = Visit.objects.create(
            facility=facility,
            student=student,
            placement_id=placement_id,
            planned=not reason,
            reason=reason,
            note=note[:300],
            checked_in_at=at,
            checked_in_by=actor,
        )
    return visit


def visit_check_out(
    *, facility: Facility, student, actor, note: str | None = None, at: datetime | None = None
) -> Visit:
    """Check a pupil out of `facility`. Refused when they are not checked in there."""
    at = at or timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(facility=facility, student=student).open().first()
        if visit is None:
            raise ValidationError(_("%(name)s is niet ingecheckt in %(facility)s.") % _names(student, facility))
        visit.checked_out_at = max(at, visit.checked_in_at)
        visit.checked_out_by = actor
        if note is not None:
            visit.note = note[:300]
        visit.save(update_fields=["checked_out_at", "checked_out_by", "note"])
    return visit


def visit_set_note(*, visit: Visit, note: str, actor) -> Visit:
    """The coach's short note on a visit (the change log keeps who wrote it, not the text)."""
    before = {"note": visit.note}
    visit.note = note.strip()[:300]
    with transaction.atomic():
        visit.save(update_fields=["note"])
        _record(visit, actor, "referrals.visit_note", before, {"note": visit.note})
    return visit


def _record(visit: Visit, actor, kind: str, before: dict, after: dict) -> None:
    change_record(
        school=visit.facility.school_id,
        student=visit.student,
        actor=actor,
        kind=kind,
        obj=visit,
        before=before,
        after=after,
        hidden={"note"},
    )


def visit_correct(*, visit: Visit, checked_in_at: datetime, checked_out_at: datetime, actor, note=None) -> Visit:
    """Correct the times of a visit (e.g. one closed by the end-of-day task)."""
    if checked_out_at < checked_in_at:
        raise ValidationError({"checked_out_at": _("Uitchecken kan niet voor inchecken.")})
    if timezone.localtime(checked_in_at).date() != timezone.localtime(checked_out_at).date():
        raise ValidationError({"checked_out_at": _("In- en uitchecken vallen op dezelfde dag.")})
    if checked_out_at > timezone.now():
        raise ValidationError({"checked_out_at": _("Dit tijdstip ligt in de toekomst.")})
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("facility", "student").get(pk=visit.pk)
        if visit.checked_out_at is None:
            raise ValidationError(_("Dit bezoek loopt nog: check de leerling eerst uit."))
        before = values_of(visit, VISIT_FIELDS)
        visit.checked_in_at = checked_in_at
        visit.checked_out_at = checked_out_at
        visit.needs_correction = False
        if note is not None:
            visit.note = note[:300]
        visit.save(update_fields=["checked_in_at", "checked_out_at", "needs_correction", "note"])
        _record(visit, actor, "referrals.visit_corrected", before, values_of(visit, VISIT_FIELDS))
    return visit


VISIT_FIELDS = ("checked_in_at", "checked_out_at", "note")


def school_day_end(*, lesson_hours, day: date) -> datetime:
    """When the school day ends: after the last lesson hour (Europe/Amsterdam)."""
    end = max((h.ends_at for h in lesson_hours), default=DEFAULT_DAY_END)
    return timezone.make_aware(datetime.combine(day, end))


def visits_close_open(*, now: datetime | None = None) -> int:
    """Close visits still open after the end of their school day, at that end, flagged for
    the coach to correct. Idempotent: a closed visit is not touched again."""
    now = now or timezone.now()
    open_visits = list(Visit.objects.open().select_related("facility").order_by("pk"))
    school_ids = {v.facility.school_id for v in open_visits}
    hours: dict[int, list] = {}
    for hour in LessonHour.objects.filter(school_id__in=school_ids):
        hours.setdefault(hour.school_id, []).append(hour)
    closed = 0
    for visit in open_visits:
        day = timezone.localtime(visit.checked_in_at).date()
        end = school_day_end(lesson_hours=hours.get(visit.facility.school_id, []), day=day)
        if now < end:
            continue
        with transaction.atomic():
            updated = Visit.objects.filter(pk=visit.pk, checked_out_at__isnull=True).update(
                checked_out_at=max(end, visit.checked_in_at), needs_correction=True
            )
        closed += updated
    return closed


def visits_summarise_day(*, facility: Facility, day: date) -> int:
    """Write one timeline event per pupil for their visits to `facility` on `day` (count,
    time, unplanned), once. Returns the number of events written.

    Runs after the school day; the facility row is locked so two runs do not both write.
    """
    from students.models import TimelineEvent

    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    of_the_day = Visit.objects.filter(facility=facility, checked_in_at__gte=start, checked_in_at__lt=end)
    if not of_the_day.exists():
        return 0  # most facility-days: no lock needed
    with transaction.atomic():
        facility = _lock_facility(facility)
        visits = list(
            of_the_day.exclude(checked_out_at__isnull=True).select_related("student").order_by("checked_in_at")
        )
        if not visits:
            return 0
        done = set(
            TimelineEvent.objects.filter(
                kind="referrals.visits_day",
                student_id__in={v.student_id for v in visits},
                params__facility_id=facility.pk,
                params__day=day.isoformat(),
            ).values_list("student_id", flat=True)
        )
        per_student: dict[int, list[Visit]] = {}
        for visit in visits:
            if visit.student_id not in done:
                per_student.setdefault(visit.student_id, []).append(visit)
        from students.timeline import timeline_add_many

        timeline_add_many(
            [
                {
                    "student": rows[0].student,
                    "kind": "referrals.visits_day",
                    "occurred_at": max(v.checked_out_at for v in rows),
                    "params": {
                        "facility": facility.name,
                        "facility_id": facility.pk,
                        "placement_id": next((v.placement_id for v in rows if v.placement_id), None),
                        "day": day.isoformat(),
                        "count": len(rows),
                        "minutes": sum(v.minutes for v in rows),
                        "unplanned": sum(1 for v in rows if not v.planned),
                        "auto_closed": any(v.needs_correction for v in rows),
                    },
                }
                for rows in per_student.values()
            ]
        )
    return len(per_student)


def visits_end_of_day(*, now: datetime | None = None, days_back: int = 2) -> dict:
    """The scheduled end-of-day work: close what is still open after the school day, then
    write the day summaries of every facility whose day is over (catching up `days_back`
    days, for a worker that was down)."""
    now = now or timezone.now()
    closed = visits_close_open(now=now)
    summaries = 0
    today = timezone.localtime(now).date()
    facilities = list(Facility.objects.all())
    hours: dict[int, list] = {}
    for hour in LessonHour.objects.filter(school_id__in={f.school_id for f in facilities}):
        hours.setdefault(hour.school_id, []).append(hour)
    for facility in facilities:
        for back in range(days_back, -1, -1):
            day = today - timedelta(days=back)
            if now < school_day_end(lesson_hours=hours.get(facility.school_id, []), day=day):
                continue
            summaries += visits_summarise_day(facility=facility, day=day)
    return {"closed": closed, "summaries": summaries}
