"""Retention (issue 15, item 5): pupils who left longer ago than the school's terms lose
their care data in the nightly task, with every version of it; the dry run changes nothing;
only counts are kept."""

from datetime import date, timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from privacy import tasks
from privacy.models import RetentionCount, RetentionRun, RetentionTerm
from privacy.registry import Term, kinds
from privacy.services import retention_run
from records.models import Document
from students.models import FileAccess, Student

from .factories import left

pytestmark = pytest.mark.django_db

CARE_TERMS = {Term.ZORG, Term.VERZUIM}


def _rows(student):
    """{kind: ids of its rows about `student`}."""
    return {kind.code: set(kind.rows([student.pk]).values_list("pk", flat=True)) for kind in kinds()}


def _versions(kind, ids) -> int:
    return kind.model_class.history.model.objects.filter(id__in=ids).count() if kind.has_history else 0


def test_the_fixture_pupil_has_every_kind_of_record(world):
    empty = [code for code, ids in _rows(world["DAAN"]).items() if not ids]
    assert empty == []


def test_nightly_task_removes_the_care_data_of_pupils_who_left_three_years_ago(
    world, school, django_capture_on_commit_callbacks
):
    daan, sanne = world["DAAN"], world["SANNE"]
    left(daan, years_ago=3)
    before, kept_before = _rows(daan), _rows(sanne)
    stored = list(Document.objects.filter(student=daan, section="zorg").values_list("storage_name", flat=True))
    assert stored and all(storages["documents"].exists(name) for name in stored)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.retention_nightly()

    after = _rows(daan)
    for kind in kinds():
        if kind.term in CARE_TERMS:
            assert after[kind.code] == set(), kind.code
            # Not only the rows: every version of them, the deletion's own last version too.
            assert _versions(kind, before[kind.code]) == 0, kind.code
    # The Meldcode documentation has its longer term (5 years), the pupil's details too.
    for code in ("meldcode_meldingen", "meldcode_stappen", "meldcode_notities", "ouders", "leerling"):
        assert after[code] == before[code], code
    # The stored files of the documents are gone too.
    assert not any(storages["documents"].exists(name) for name in stored)
    # The pupil who is still at school keeps everything.
    assert _rows(sanne) == kept_before
    # Counts only: kind, number, date.
    run = RetentionRun.objects.get(school=school, dry_run=False)
    counts = {c.kind: c.number for c in run.counts.all()}
    assert counts["zorgmeldingen"] == 1 and counts["notities"] == 1 and counts["documenten"] == 1
    # Two placements: the viproom's and the kansencoach's coaching (privacy/tests/factories.py).
    assert counts["plaatsingen"] == 2 and counts["afspraken"] == 1 and counts["verzuim"] == 1
    assert counts["gesprekken_kansencoach"] == 1 and counts["voordrachten_kansencoach"] == 1
    assert "leerling" not in counts and "meldcode_meldingen" not in counts
    assert run.finished_at is not None
    assert {f.name for f in RetentionCount._meta.concrete_fields} == {
        "id",
        "run",
        "kind",
        "label",
        "number",
        "versions",
    }


def test_after_five_years_the_meldcode_documentation_goes_and_the_pupil_with_it(world, school):
    daan = world["DAAN"]
    left(daan, years_ago=6)
    # The reads of the file are older than their own term (5 years) as well.
    FileAccess._base_manager.filter(student=daan).update(accessed_at=timezone.now() - timedelta(days=6 * 366))
    before = _rows(daan)

    tasks.retention_nightly()

    assert not Student.objects.filter(pk=daan.pk).exists()
    for kind in kinds():
        assert not kind.model_class._base_manager.filter(pk__in=before[kind.code]).exists(), kind.code
        assert _versions(kind, before[kind.code]) == 0, kind.code
    assert Student.history.filter(id=daan.pk).count() == 0


def test_a_pupil_read_recently_keeps_their_details_until_the_reads_pass_their_term(world, school):
    daan = world["DAAN"]
    left(daan, years_ago=6)  # read (the fixture's read log row) today

    tasks.retention_nightly()

    assert Student.objects.filter(pk=daan.pk).exists()
    assert FileAccess.objects.filter(student=daan).exists()
    assert not daan.concerns.filter(is_meldcode=False).exists() and not daan.guardians.exists()


def test_the_read_log_goes_five_years_after_each_read_also_for_pupils_still_at_school(world, school):
    sanne = world["SANNE"]
    old = FileAccess.objects.get(student=sanne)
    FileAccess._base_manager.filter(pk=old.pk).update(accessed_at=timezone.now() - timedelta(days=5 * 366 + 8))
    recent = FileAccess.objects.create(
        user=old.user, student=sanne, school=sanne.school, section="dossier", request_id="r"
    )

    tasks.retention_nightly()

    assert list(FileAccess.objects.filter(student=sanne)) == [recent]
    assert Student.objects.filter(pk=sanne.pk).exists()


def test_the_dry_run_changes_nothing_and_counts_what_is_due(world, school):
    daan = world["DAAN"]
    left(daan, years_ago=3)
    before = _rows(daan)
    versions_before = {kind.code: _versions(kind, before[kind.code]) for kind in kinds()}

    run = retention_run(school=school, dry_run=True)

    assert _rows(daan) == before
    assert {kind.code: _versions(kind, before[kind.code]) for kind in kinds()} == versions_before
    counts = {c.kind: (c.number, c.versions) for c in run.counts.all()}
    assert counts["zorgmeldingen"][0] == 1 and counts["notities"] == (1, 2)
    assert "meldcode_meldingen" not in counts


def test_what_just_became_due_is_shown_for_a_week_before_it_is_removed(world, school):
    daan = world["DAAN"]
    daan.left_on = date.today() - timedelta(days=2 * 366)
    daan.save(update_fields=["left_on"])
    retention_run(school=school, dry_run=False)
    assert daan.concerns.filter(is_meldcode=False).exists()
    assert {c.kind for c in retention_run(school=school, dry_run=True).counts.all()} >= {"zorgmeldingen"}

    retention_run(school=school, dry_run=False, today=timezone.localdate() + timedelta(days=7))
    assert not daan.concerns.filter(is_meldcode=False).exists()


def test_a_term_just_shortened_removes_nothing_for_a_week(world, school, beheerder):
    daan = world["DAAN"]
    left(daan, years_ago=1)
    RetentionTerm.objects.create(school=school, term=Term.ZORG, months=6, changed_by=beheerder)

    retention_run(school=school, dry_run=False)
    assert daan.concerns.filter(is_meldcode=False).exists()

    RetentionTerm.objects.filter(school=school).update(changed_at=timezone.now() - timedelta(days=8))
    retention_run(school=school, dry_run=False)
    assert not daan.concerns.filter(is_meldcode=False).exists()


def test_another_school_keeps_its_pupils(world, school, other_school):
    left(world["DAAN"], years_ago=3)
    retention_run(school=other_school, dry_run=False)
    assert world["DAAN"].concerns.filter(is_meldcode=False).exists()
    assert not RetentionCount.objects.filter(run__school=other_school).exists()
