"""The absence signal computation: reads every input set-based, feeds each pupil through the
pure rule in absence/signals.py, and stores what changed (timeline, one e-mail per rise).

Split from absence/services.py (which re-exports `signals_compute`) to keep each module
small; the rule itself is in absence/signals.py and docs/absence.md.
"""

import hashlib
from datetime import date, datetime, time
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import School
from carecoord.access.absence import absence_staff_by_school
from students.models import Student
from students.timeline import timeline_add_many

from . import signals
from .models import (
    AbsenceKind,
    AbsencePolicy,
    AbsenceRecord,
    AbsenceSignal,
    EscalationStep,
    MasDeadlines,
    MasStep,
    SignalLevel,
    hours,
)
from .selectors import signal_calendar

# The figures of a signal row, compared to decide whether it changed.
SIGNAL_FIELDS = [
    "school",
    "level",
    "level_since",
    "episode_start",
    "unauthorised_minutes",
    "authorised_minutes",
    "previous_minutes",
    "late_count",
    "late_max_week",
    "sent_out_count",
    "crossed_on",
    "absent_since",
    "next_step",
    "next_step_due",
]
_EMPTY = signals.Figures()
_DEFAULT_DEADLINES = signals.StepDeadlines()


def signals_compute(
    *,
    school_ids=None,
    student_ids=None,
    as_of: date | None = None,
    notify: bool = True,
) -> dict:
    """Compute the absence signal of the active pupils of `school_ids` (all schools when
    neither is given) or of just `student_ids`, as of `as_of` (today), and store what changed.

    Set-based, for a region's volume (50,000 pupils, millions of registrations): a fixed
    number of queries whatever the number of pupils. The database adds up the registrations
    per pupil and day; those totals are streamed in pupil order (a server-side cursor on
    PostgreSQL) through the pure computation in absence/signals.py; the changed signals are
    written with one upsert per 2,000. Each level change goes on the pupil's timeline; the
    school's coordinators get one e-mail per computation about the signals that rose
    (exactly once: the key names the changes, and the change is stored in the same
    transaction). The schools' rows are locked, so two computations of one school (an import
    and the nightly run) take turns and never report a change twice.
    """
    as_of = as_of or timezone.localdate()
    # Registrations from 1 August of the previous school year (an unreported crossing of
    # last year still counts) and the school weeks before it that its windows reach into.
    since = signals.history_start(as_of)
    stats = {"pupils": 0, "with_absence": 0, "changed": 0, "raised": 0, "signalled": 0}

    with transaction.atomic():
        if student_ids is not None:
            student_ids = list(student_ids)
            school_ids = set(Student.objects.filter(pk__in=student_ids).values_list("school_id", flat=True))
        schools = School.objects.select_for_update().order_by("pk")
        if school_ids is not None:
            schools = schools.filter(pk__in=list(school_ids))
        schools = {school.pk: school for school in schools}
        if not schools:
            return stats
        ids = list(schools)

        scope = Student.objects.filter(school_id__in=ids).active()
        existing = AbsenceSignal.objects.filter(school_id__in=ids)
        records = AbsenceRecord.objects.filter(school_id__in=ids, date__gte=since, date__lte=as_of)
        reports = EscalationStep.objects.filter(school_id__in=ids, step=MasStep.REPORT, on__lte=as_of)
        if student_ids is not None:
            scope = scope.filter(pk__in=student_ids)
            existing = existing.filter(student_id__in=student_ids)
            records = records.filter(student_id__in=student_ids)
            reports = reports.filter(student_id__in=student_ids)
        scope = dict(scope.values_list("pk", "school_id"))
        existing = {signal.student_id: signal for signal in existing}
        reported_on = dict(reports.values("student_id").annotate(last=Max("on")).values_list("student_id", "last"))
        thresholds = {
            policy.school_id: signals.Thresholds.of(policy)
            for policy in AbsencePolicy.objects.filter(school_id__in=ids)
        }
        # How many days each MAS step may take: the school's table (the defaults without one).
        deadlines = {
            table.school_id: signals.StepDeadlines.of(table) for table in MasDeadlines.objects.filter(school_id__in=ids)
        }
        # The latest registered day per school: a thuiszitter is absent on every school day
        # up to it (today's registrations are often not in yet).
        data_until = dict(
            AbsenceRecord.objects.filter(school_id__in=ids, date__lte=as_of)
            .values("school_id")
            .annotate(last=Max("date"))
            .values_list("school_id", "last")
        )
        # Whole weeks: the holidays up to the Sunday of as_of's week (issue 24).
        calendars = {pk: signal_calendar(school=school, start=since, end=as_of) for pk, school in schools.items()}

        # A no-show in the viproom counts as unauthorised unless the school switched that off.
        no_show_not_counted = list(
            AbsencePolicy.objects.filter(school_id__in=ids, no_show_counts=False).values_list("school_id", flat=True)
        )
        counts_as_unauthorised = Q(kind=AbsenceKind.UNAUTHORISED) | (
            Q(kind=AbsenceKind.NO_SHOW) & ~Q(school_id__in=no_show_not_counted)
        )
        daily = (
            records.values("student_id", "date")
            .annotate(
                unauthorised=Sum("minutes", filter=counts_as_unauthorised, default=0),
                authorised=Sum("minutes", filter=Q(kind=AbsenceKind.AUTHORISED), default=0),
                late=Count("pk", filter=Q(kind=AbsenceKind.LATE)),
                sent_out=Count("pk", filter=Q(kind=AbsenceKind.SENT_OUT)),
            )
            .order_by("student_id", "date")
            .values_list("student_id", "date", "unauthorised", "authorised", "late", "sent_out")
        )
        computed: dict[int, signals.Figures] = {}
        default = signals.Thresholds()
        for student_id, rows in groupby(_stream(daily), key=itemgetter(0)):
            school_id = scope.get(student_id)
            if school_id is None:
                continue  # left the school: handled below
            computed[student_id] = signals.pupil_figures(
                [row[1:] for row in rows],
                calendars[school_id],
                as_of=as_of,
                reported_on=reported_on.get(student_id),
                data_until=data_until.get(school_id),
                thresholds=thresholds.get(school_id, default),
            )

        upserts, events, raised = [], [], {}
        occurred_at = _occurred_at(as_of)
        for student_id in scope.keys() | existing.keys():
            school_id = scope.get(student_id)
            figures = computed.get(student_id, _EMPTY) if school_id is not None else _EMPTY
            old = existing.get(student_id)
            if old is None and figures.is_empty():
                continue
            row_school = school_id or old.school_id
            step_days = deadlines.get(row_school, _DEFAULT_DEADLINES)
            row = _signal_row(student_id, row_school, figures, old, as_of, step_days)
            if old is not None and all(getattr(old, f) == getattr(row, f) for f in _ATTRS):
                continue
            upserts.append(row)
            old_level = old.level if old else SignalLevel.NONE
            if row.level != old_level:
                events.append(_signal_event(row, old_level, occurred_at))
                if row.level > old_level:
                    raised.setdefault(row.school_id, []).append(row)
        AbsenceSignal.objects.bulk_create(
            upserts,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["student"],
            update_fields=[*SIGNAL_FIELDS, "updated_at"],
        )
        timeline_add_many(events)
        if notify:
            _notify_coordinators(schools, raised, as_of)

    stats.update(
        pupils=len(scope),
        with_absence=len(computed),
        changed=len(upserts),
        raised=sum(len(rows) for rows in raised.values()),
        signalled=sum(1 for f in computed.values() if f.level),
    )
    return stats


_ATTRS = [f if f != "school" else "school_id" for f in SIGNAL_FIELDS]


def _stream(queryset, chunk_size: int = 20_000):
    """The rows of a values_list queryset straight from the database cursor (server-side on
    PostgreSQL, `chunk_size` rows per fetch). Skips Django's per-value converters, which took
    a third of the computation's time at two school years of registrations; the values are
    plain ints and dates already (a date that a backend returns as text is parsed)."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            if isinstance(rows[0][1], str):
                rows = [(row[0], date.fromisoformat(row[1]), *row[2:]) for row in rows]
            yield from rows


def _signal_row(student_id, school_id, figures, old, as_of, deadlines) -> AbsenceSignal:
    old_level = old.level if old else SignalLevel.NONE
    level_since = as_of if old is None or figures.level != old_level else old.level_since
    if figures.level == SignalLevel.NONE:
        episode_start = None
    elif old_level == SignalLevel.NONE or old.episode_start is None:
        episode_start = figures.episode_start
    else:
        episode_start = old.episode_start
    step, due = signals.next_step(
        level=figures.level, crossed_on=figures.crossed_on, level_since=level_since, deadlines=deadlines
    )
    return AbsenceSignal(
        student_id=student_id,
        school_id=school_id,
        level=figures.level,
        level_since=level_since,
        episode_start=episode_start,
        unauthorised_minutes=figures.unauthorised_minutes,
        authorised_minutes=figures.authorised_minutes,
        previous_minutes=figures.previous_minutes,
        late_count=figures.late_count,
        late_max_week=figures.late_max_week,
        sent_out_count=figures.sent_out_count,
        crossed_on=figures.crossed_on,
        absent_since=figures.absent_since,
        next_step=step,
        next_step_due=due,
    )


def _occurred_at(day: date, at: time = time(6, 0)) -> datetime:
    """Now, or for an earlier day (the demo's history, a step recorded afterwards) that day."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, at))


def _signal_event(row: AbsenceSignal, old_level: int, occurred_at) -> dict:
    return {
        "student": Student(pk=row.student_id),
        "kind": "absence.signal",
        "occurred_at": occurred_at,
        "params": {
            "level": int(row.level),
            "previous": int(old_level),
            "hours": hours(row.unauthorised_minutes),
            "crossed_on": row.crossed_on,
            "absent_since": row.absent_since,
        },
    }


def _notify_coordinators(schools: dict, raised: dict, as_of: date) -> None:
    """One message per coordinator per school about the signals that rose in this
    computation: how many of each level and a link, never a pupil's name."""
    if not raised:
        return
    from notifications.services import notification_queue

    recipients = absence_staff_by_school(raised)
    for school_id, rows in raised.items():
        changes = ",".join(
            f"{r.student_id}:{r.level}:{r.level_since.isoformat()}" for r in sorted(rows, key=lambda r: r.student_id)
        )
        digest = hashlib.sha256(changes.encode()).hexdigest()[:20]
        counts = [(SignalLevel(level).label, sum(1 for r in rows if r.level == level)) for level in (3, 2, 1)]
        school = schools[school_id]
        link = settings.SITE_URL + reverse("absence:overview") + f"?school={school_id}"
        for user in recipients.get(school_id, []):
            notification_queue(
                key=f"absence.signals:{school_id}:{user.pk}:{digest}",
                recipient=user,
                kind="absence.signals",
                template="absence/email/signals",
                context={
                    "school": school,
                    "counts": [(label, n) for label, n in counts if n],
                    "total": len(rows),
                    "link": link,
                },
                school=school,
            )


def signals_compute_school(*, school_id: int) -> dict:
    return signals_compute(school_ids=[school_id])
