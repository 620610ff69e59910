"""Writes of the absence app: registrations, MAS steps and the school's thresholds. Each
service owns its transaction. The signal computation is in absence/signal_service.py (its
entry points are re-exported here); the LVS import in absence/imports/."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from students.models import Student
from students.timeline import timeline_add

from .models import (
    AbsenceKind,
    AbsencePolicy,
    AbsenceRecord,
    AbsenceSource,
    EscalationStep,
    MasDeadlines,
    MasStep,
)
from .signal_service import _occurred_at, signals_compute, signals_compute_school

__all__ = ["signals_compute", "signals_compute_school"]


def _recompute_pupil(student: Student) -> None:
    """After a manual change: this pupil's signal now, in the caller's transaction."""
    signals_compute(student_ids=[student.pk])


# --- Registrations by hand -----------------------------------------------------------------


def absence_record_add(*, student: Student, on: date, kind: str, minutes: int, lesson: int = 0, actor) -> AbsenceRecord:
    """Register absence by hand (e.g. a pupil sent home, a day the LVS missed). The pupil's
    signal is recomputed at once."""
    if on > timezone.localdate():
        raise ValidationError({"on": _("Verzuim kan niet in de toekomst liggen.")})
    if kind in (AbsenceKind.UNAUTHORISED, AbsenceKind.AUTHORISED) and not minutes:
        raise ValidationError({"minutes": _("Vul in hoeveel minuten de leerling afwezig was.")})
    with transaction.atomic():
        if AbsenceRecord.objects.filter(
            student=student, date=on, lesson=lesson, kind=kind, source=AbsenceSource.MANUAL
        ).exists():
            raise ValidationError(_("Dit verzuim (zelfde datum, lesuur en soort) is al geregistreerd."))
        record = AbsenceRecord.objects.create(
            student=student,
            school_id=student.school_id,
            date=on,
            lesson=lesson,
            kind=kind,
            minutes=minutes,
            source=AbsenceSource.MANUAL,
            recorded_by=actor,
        )
        timeline_add(
            student=student,
            kind="absence.recorded",
            actor=actor,
            date=on,
            absence_kind=kind,
            minutes=minutes,
            lesson=lesson,
        )
        _recompute_pupil(student)
    return record


def absence_record_remove(*, record: AbsenceRecord, actor) -> None:
    """Remove a registration entered by hand (imported ones are corrected in the LVS)."""
    if record.source != AbsenceSource.MANUAL:
        raise ValidationError(_("Geïmporteerd verzuim pas je aan in het LVS en lees je opnieuw in."))
    with transaction.atomic():
        student = record.student
        timeline_add(
            student=student,
            kind="absence.record_removed",
            actor=actor,
            date=record.date,
            absence_kind=record.kind,
            minutes=record.minutes,
        )
        record.delete()
        _recompute_pupil(student)


# --- MAS steps ----------------------------------------------------------------------------


def escalation_step_add(
    *, student: Student, step: int, on: date, who: str, outcome: str, actor, concern=None
) -> EscalationStep:
    """Record a MAS step (date, who, outcome) on the pupil's timeline, optionally for a
    zorgmelding about this pupil. A report to leerplicht resolves a pending statutory
    signal, so the signal is recomputed at once."""
    step = MasStep(step)
    if concern is not None and (concern.student_id != student.pk or concern.is_meldcode):
        raise ValidationError({"concern": _("Deze zorgmelding hoort niet bij deze leerling.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("Leg een stap vast als hij gezet is; de datum ligt nu in de toekomst.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Beschrijf kort de uitkomst.")})
    with transaction.atomic():
        record = EscalationStep.objects.create(
            student=student,
            school_id=student.school_id,
            step=step,
            on=on,
            who=who.strip() or actor.name,
            outcome=outcome.strip(),
            recorded_by=actor,
            concern=concern,
        )
        timeline_add(
            student=student,
            kind="absence.step",
            actor=actor,
            # A step recorded afterwards goes on the timeline on the day it was taken.
            occurred_at=_occurred_at(on, time(12, 0)),
            step=int(step),
            date=on,
            who=record.who,
            outcome=record.outcome[:300],
        )
        _recompute_pupil(student)
    return record


# --- The school's thresholds ----------------------------------------------------------------


def absence_policy_save(*, school: School, actor, **fields) -> AbsencePolicy:
    """Change the school's early-warning thresholds; every pupil's signal is recomputed
    (after commit, in the background). Who changed which threshold is kept."""
    from audit.services import change_record, values_of
    from jobs.services import job_defer

    from . import tasks

    with transaction.atomic():
        policy = AbsencePolicy.objects.select_for_update().filter(school=school).first() or AbsencePolicy(school=school)
        before = values_of(policy, fields)  # a school without a row had the defaults
        for name, value in fields.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
        change_record(school=school, actor=actor, kind="absence.policy_saved", obj=policy, before=before, after=fields)
        job_defer(tasks.signals_compute_school, school.pk)  # stored, queued after commit, swept
    return policy


def mas_deadlines_save(*, school: School, actor, **fields) -> MasDeadlines:
    """Change the school's table of MAS step deadlines (days per step). Every pupil's
    signal is recomputed after commit, in the background, so the due dates on the overview
    and in "Mijn taken" follow. Who changed which deadline is kept."""
    from audit.services import change_record, values_of
    from jobs.services import job_defer

    from . import tasks

    with transaction.atomic():
        table = MasDeadlines.objects.select_for_update().filter(school=school).first() or MasDeadlines(school=school)
        before = values_of(table, fields)  # a school without a row had the defaults
        for name, value in fields.items():
            setattr(table, name, value)
        table.full_clean()
        table.save()
        change_record(
            school=school, actor=actor, kind="absence.mas_deadlines_saved", obj=table, before=before, after=fields
        )
        job_defer(tasks.signals_compute_school, school.pk)  # stored, queued after commit, swept
    return table
