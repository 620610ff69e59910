"""The pipeline every import shares: row rules as steps with per-line errors, the stored
preview, and applying all of it or nothing. A tiny import kind (classes from a file) keeps
these tests about the pipeline, not about pupils or absence."""

import contextlib
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from imports import checking, kinds, services
from imports.columns import Column
from imports.kinds import ImportKind
from imports.models import ImportBatch
from imports.reading import ImportFileError, read_table
from students.models import SchoolClass

pytestmark = pytest.mark.django_db


def name(line, context):
    value = line.get("klas")
    line.values["name"] = value
    if not value:
        line.problem("klas ontbreekt")
    elif value in context["seen"]:
        line.problem(f"klas {value} staat ook op regel {context['seen'][value]}")
    else:
        context["seen"][value] = line.number


def year(line, context):
    value = line.get("leerjaar")
    if not value.isdigit() or not 1 <= int(value) <= 8:
        line.problem(f"leerjaar '{value}' moet 1 tot en met 8 zijn")
    else:
        line.values["year"] = int(value)


def skip_comments(line, context):
    if line.get("klas").startswith("#"):
        line.problems.clear()
        line.values["skip"] = True


@dataclass
class Plan:
    new: int

    def summary(self):
        return {"new": self.new}


class ClassImport(ImportKind):
    code = "test-classes"
    permission = "school.import_students"  # the coordinator's, who confirms here: a job runs only for who may
    columns = [Column("klas", required=True, aliases=("groep",)), Column("leerjaar", required=True)]
    steps = [name, year, skip_comments]
    missing_message = "De eerste regel mist de kolom(men): %(columns)s."
    empty_message = "Geen klassen."

    def context(self, *, school, actor=None):
        return {"seen": {}}

    def plan(self, *, school, rows, options):
        return Plan(len(rows))

    def apply(self, *, school, rows, actor, options, progress=None):
        for values in rows:
            SchoolClass.objects.create(school=school, name=values["name"], year=values["year"], level="havo")
            if values["name"] == options.get("fail_at"):
                raise RuntimeError("the database went away halfway")  # after some rows were written
        return {"new": len(rows)}


@pytest.fixture(autouse=True)
def kind():
    the_kind = kinds.register(ClassImport())
    yield the_kind
    kinds.KINDS.pop(the_kind.code)


def test_every_step_runs_on_every_line_and_bad_lines_are_reported_with_their_numbers(kind, school):
    table = read_table(b"Groep;leerjaar\n1A;1\n;9\n1A;x\n# a comment line;\n2B;2\n")
    checked = checking.check(kind, table, school=school)
    assert [row["name"] for row in checked.rows] == ["1A", "2B"]
    assert checked.errors == [
        (3, "klas ontbreekt; leerjaar '9' moet 1 tot en met 8 zijn"),
        (4, "klas 1A staat ook op regel 2; leerjaar 'x' moet 1 tot en met 8 zijn"),
    ]
    assert checking.error_messages(checked.errors)[0] == _("Regel %(line)s: %(reason)s") % {
        "line": 3,
        "reason": checked.errors[0][1],
    }


def test_a_file_without_a_required_column_or_without_lines_is_refused(kind, school):
    with pytest.raises(ImportFileError, match="mist de kolom\\(men\\): leerjaar"):
        checking.check(kind, read_table(b"klas;niveau\n1A;havo\n"), school=school)
    with pytest.raises(ImportFileError, match="Geen klassen"):
        checking.check(kind, read_table(b"klas;leerjaar\n"), school=school)


def check(kind, coordinator, data: bytes):
    return services.import_check(
        kind=kind, school=coordinator.memberships.first().school, data=data, filename="k.csv", actor=coordinator
    )


def test_a_file_with_bad_lines_stores_nothing(kind, school, coordinator):
    result = check(kind, coordinator, b"klas;leerjaar\n1A;1\n1B;0\n")
    assert result.batch is None and len(result.errors) == 1
    assert not ImportBatch.objects.exists()


def test_the_preview_is_stored_with_the_file_and_applied_once(kind, school, coordinator):
    batch = check(kind, coordinator, b"klas;leerjaar\n1A;1\n1B;1\n").batch
    assert (batch.status, batch.summary, bytes(batch.content)[:5]) == ("preview", {"new": 2}, b"klas;")
    assert not SchoolClass.objects.exists()  # nothing written before confirming
    batch = services.import_confirm(batch=batch, actor=coordinator, options={})
    assert batch.status == "applied" and bytes(batch.content) == b"" and batch.preview == {}
    assert SchoolClass.objects.count() == 2
    with pytest.raises(ValidationError, match="al ingelezen"):
        services.import_confirm(batch=batch, actor=coordinator, options={})
    assert services.import_run(batch_id=batch.pk) is None  # a second run of the job does nothing
    assert SchoolClass.objects.count() == 2


def test_a_failure_halfway_through_applying_leaves_nothing_written_and_the_job_for_the_sweep(kind, school, coordinator):
    batch = check(kind, coordinator, b"klas;leerjaar\n1A;1\n1B;1\n1C;1\n").batch
    batch = services.import_confirm(batch=batch, actor=coordinator, options={"fail_at": "1B"})
    assert not SchoolClass.objects.exists()  # 1A was written, then rolled back with the rest
    assert batch.status == "running" and batch.attempts == 1  # stored: the sweep tries again
    for _attempt in range(services.jobs.MAX_ATTEMPTS):
        with contextlib.suppress(RuntimeError):
            services.import_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "3 keer afgebroken" in batch.errors[0]
    assert bytes(batch.content) == b""
    assert not SchoolClass.objects.exists()


def test_lines_that_became_wrong_after_the_preview_fail_the_job_and_write_nothing(kind, school, coordinator):
    batch = check(kind, coordinator, b"klas;leerjaar\n1A;1\n1B;1\n").batch
    kind.steps = [*ClassImport.steps, lambda line, context: line.problem("nu fout")]
    try:
        batch = services.import_confirm(batch=batch, actor=coordinator, options={})
    finally:
        kind.steps = ClassImport.steps
    assert batch.status == "failed"
    assert batch.errors[0].startswith("Regel 2")
    assert not SchoolClass.objects.exists()
