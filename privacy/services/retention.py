"""Retention (bewaartermijnen): remove what is due, keep only how much went.

What is due: a row of a kind of record (privacy/registry.py) whose pupil left longer ago
than the school's term for that kind (the read log: whose read is older than its term).
Each night, per school, a dry run reports what is due today (the beheerder sees it under
Beheer → Bewaartermijnen), and the removal takes what has been due for NOTICE_DAYS: so
everything removed was in a week of dry-run reports first, and a term that was just
shortened removes nothing until it has stood for NOTICE_DAYS.

Removal is real: the rows, their versions in the history tables (simple_history), and the
stored files of documents. A run keeps per kind only the number of rows and versions.
"""

import logging
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DEFAULT_MONTHS, MAX_MONTHS, RetentionCount, RetentionRun, RetentionTerm
from ..registry import Term, kinds

log = logging.getLogger(__name__)

# Days a row is shown as due in the nightly dry-run reports before it is removed.
NOTICE_DAYS = 7
# The terms that count from the day the pupil left (all but the read log's).
PUPIL_TERMS = (Term.ZORG, Term.MELDCODE, Term.VERZUIM, Term.LEERLING)


def term_months(*, school) -> dict[str, int]:
    """The school's terms in months: its own where set, else the documented default."""
    months = dict(DEFAULT_MONTHS)
    months.update(dict(RetentionTerm.objects.filter(school=school).values_list("term", "months")))
    return months


def retention_terms_save(*, school, actor, months: dict[str, int]) -> list[str]:
    """Set the school's terms (months per term). A term of zero or less, or above the
    maximum, is refused (nothing saved). Returns the terms that changed."""
    errors = {}
    for term, value in months.items():
        if term not in DEFAULT_MONTHS:
            errors[term] = _("Onbekende soort gegevens.")
        elif value is None or value < 1:
            errors[term] = _("Een bewaartermijn is minstens 1 maand.")
        elif value > MAX_MONTHS:
            errors[term] = _("Een bewaartermijn is hoogstens %(max)s maanden (20 jaar).") % {"max": MAX_MONTHS}
    if errors:
        raise ValidationError(errors)
    current = term_months(school=school)
    changed = [term for term, value in months.items() if current[term] != value]
    with transaction.atomic():
        for term in changed:
            row = RetentionTerm.objects.select_for_update().filter(school=school, term=term).first()
            row = row or RetentionTerm(school=school, term=term)
            row.months, row.changed_by, row.changed_at = months[term], actor, timezone.now()
            row._history_user = actor
            row.save()
    return changed


def retention_cutoffs(*, school, today: date, removal: bool) -> dict[str, date | None]:
    """Per term the last day that is due: a pupil who left on or before it (a read on or
    before it) is removed. For a removal, NOTICE_DAYS earlier, and None (nothing) for a
    term changed within NOTICE_DAYS."""
    months = term_months(school=school)
    day = today - timedelta(days=NOTICE_DAYS) if removal else today
    recently_changed = set()
    if removal:
        recently_changed = set(
            RetentionTerm.objects.filter(
                school=school, changed_at__gt=timezone.now() - timedelta(days=NOTICE_DAYS)
            ).values_list("term", flat=True)
        )
    cutoffs = {term: None if term in recently_changed else day - relativedelta(months=months[term]) for term in months}
    # The pupil's own details go only with the last of their care data: the longest term.
    pupil_cutoffs = [cutoffs[term] for term in PUPIL_TERMS]
    cutoffs[Term.LEERLING] = None if None in pupil_cutoffs else min(pupil_cutoffs)
    return cutoffs


def _due_rows(kind, school, cutoffs):
    from students.models import Student

    cutoff = cutoffs[kind.term]
    if cutoff is None:
        return None
    if kind.anchor:
        before = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min))
        rows = kind.model_class._base_manager.filter(school=school, **{f"{kind.anchor}__lt": before})
        return rows.filter(kind.where) if kind.where is not None else rows
    students = Student.objects.filter(school=school, left_on__isnull=False, left_on__lte=cutoff).values("pk")
    return kind.rows(students)


def _remove(kind, rows) -> tuple[int, int, list[str]]:
    """Delete `rows` of `kind` with their versions; (rows, versions, stored file names)."""
    model = kind.model_class
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0, 0, []
    files = []
    if kind.file_field:
        files = [
            name for name in model._base_manager.filter(pk__in=ids).values_list(kind.file_field, flat=True) if name
        ]
    if model._meta.label == "students.Student":
        removed = []
        for pk in ids:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).delete()
                removed.append(pk)
            except ProtectedError:
                # Still in the read log (read after leaving): the pupil's details stay
                # until those reads pass their own term.
                continue
        ids = removed
    else:
        model._base_manager.filter(pk__in=ids).delete()
    versions = 0
    if kind.has_history and ids:
        # The deletion itself wrote a last version ("-") of each row: those go too.
        versions, _per_model = model.history.model.objects.filter(id__in=ids).delete()
    return len(ids), versions, files


def _orphan_versions(kind, students) -> int:
    """Versions of rows of these pupils deleted earlier (by a user, or a cascade): the
    versions table is all that is left of them, and it goes too."""
    model = kind.model_class
    history = model.history.model.objects
    q = Q()
    for path in kind.student:
        if path and "__" not in path:
            q |= Q(**{f"{path}__in": students})
    if not q:
        return 0  # a child kind (a goal of a placement): its orphans went with the parent's
    if kind.where is not None:
        q &= kind.where
    orphans = history.filter(q).exclude(id__in=model._base_manager.values("pk"))
    count, _per_model = orphans.delete()
    return count


def retention_run(*, school, dry_run: bool, today: date | None = None, actor=None) -> RetentionRun:
    """One retention run at `school`: a dry run counts what is due today and changes nothing;
    a removal deletes what has been due for NOTICE_DAYS. Both record the counts per kind."""
    from students.models import Student

    today = today or timezone.localdate()
    cutoffs = retention_cutoffs(school=school, today=today, removal=not dry_run)
    files: list[str] = []
    with transaction.atomic():
        run = RetentionRun.objects.create(school=school, dry_run=dry_run, started_by=actor)
        counts = []
        for kind in kinds():
            rows = _due_rows(kind, school, cutoffs)
            if rows is None:
                continue
            if dry_run:
                number = rows.count()
                versions = (
                    kind.model_class.history.model.objects.filter(id__in=rows.values("pk")).count()
                    if kind.has_history and number
                    else 0
                )
            else:
                number, versions, stored = _remove(kind, rows)
                files.extend(stored)
                if kind.has_history and not kind.anchor and cutoffs[kind.term] is not None:
                    left = Student.objects.filter(
                        school=school, left_on__isnull=False, left_on__lte=cutoffs[kind.term]
                    ).values("pk")
                    versions += _orphan_versions(kind, left)
            if number or versions:
                counts.append(
                    RetentionCount(run=run, kind=kind.code, label=str(kind.label), number=number, versions=versions)
                )
        RetentionCount.objects.bulk_create(counts)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        if files:
            transaction.on_commit(lambda: _delete_files(files))
    return run


def _delete_files(names):
    from records.services import documents_storage

    storage = documents_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception as exc:  # the row is gone; a file left behind is logged by type only
            log.warning("retention: could not delete a stored file (%s)", type(exc).__name__)


def retention_nightly(*, today: date | None = None) -> int:
    """For every school: the dry-run report of tonight, then the removal of what has been
    due for NOTICE_DAYS. Returns the number of rows removed."""
    from accounts.models import School

    from .inzage import inzage_files_expire

    inzage_files_expire()
    removed = 0
    for school in School.objects.order_by("pk"):
        retention_run(school=school, dry_run=True, today=today)
        run = retention_run(school=school, dry_run=False, today=today)
        removed += sum(run.counts.values_list("number", flat=True))
    return removed
