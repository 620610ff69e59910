"""Writes of the absence app: registrations, MAS steps, the school's thresholds and the LVS
import. Each service owns its transaction. The signal computation is in
absence/signal_service.py; its entry points are re-exported here."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School
from students.models import Student
from students.timeline import timeline_add

from .models import (
    AbsenceImport,
    AbsenceKind,
    AbsencePolicy,
    AbsenceRecord,
    AbsenceSource,
    EscalationStep,
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
    (after commit, in the background)."""
    from . import tasks

    with transaction.atomic():
        policy = AbsencePolicy.objects.select_for_update().filter(school=school).first() or AbsencePolicy(school=school)
        for name, value in fields.items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
        tasks.signals_compute_school.delay_on_commit(school.pk)
    return policy


# --- The LVS import -------------------------------------------------------------------------


def absence_import_check(*, school: School, data: bytes, filename: str, actor):
    """Read and check an uploaded absence export. Returns (import, parsed): the import row to
    confirm when every line is good, else None and the lines that are wrong."""
    from . import imports

    text, encoding = imports.decode(data)
    parsed = imports.parse(text, school=school, encoding=encoding)
    if parsed.errors:
        return None, parsed
    summary = imports.plan(school=school, rows=parsed.rows).summary()
    batch = AbsenceImport.objects.create(
        school=school, uploaded_by=actor, filename=filename[:200], content=text, summary=summary
    )
    return batch, parsed


def absence_import_confirm(*, batch: AbsenceImport, actor, complete: bool = False) -> dict:
    """Apply a checked import, once, all or nothing; then recompute the school's signals
    (after commit, in the background). The file is checked again: any bad line now aborts.
    `complete`: the file holds all of the school's absence of its period (see imports.plan)."""
    from . import imports, tasks

    with transaction.atomic():
        batch = AbsenceImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != AbsenceImport.Status.PREVIEW:
            raise ValidationError(_("Dit bestand is al ingelezen."))
        parsed = imports.parse(batch.content, school=batch.school)
        if parsed.errors:
            raise ValidationError(
                [_("Regel %(line)s: %(reason)s") % {"line": line, "reason": reason} for line, reason in parsed.errors]
            )
        summary = imports.apply(school=batch.school, rows=parsed.rows, actor=actor, complete=complete)
        batch.status = AbsenceImport.Status.APPLIED
        batch.summary = summary
        batch.content = ""  # the registrations are in; the file's personal data is not kept
        batch.save(update_fields=["status", "summary", "content"])
        tasks.signals_compute_school.delay_on_commit(batch.school_id)
    return summary
