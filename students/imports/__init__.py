"""The pupil import from the school's LVS: the column set and the row rules. Reading,
checking, the preview and confirming are the shared pipeline's (imports/).

Columns (first line; case, spaces, dots and underscores do not matter; the LVSs' own
spellings are aliases, see `columns.py`):

    leerlingnummer  voornaam  tussenvoegsel  achternaam  geboortedatum  klas  niveau  leerjaar
    ouder1_naam  ouder1_relatie  ouder1_telefoon  ouder1_email  ouder1_gezag
    ouder2_naam  ouder2_relatie  ouder2_telefoon  ouder2_email  ouder2_gezag

Required: leerlingnummer, voornaam, achternaam, geboortedatum (dd-mm-jjjj), klas (must
exist at the school). niveau and leerjaar, when filled, must match the class.

Every line is checked before anything is written; one bad line stops the whole import
and every bad line is reported with its line number. A re-import updates pupils by
leerlingnummer and never duplicates them. Pupils missing from the file are only marked
as left when the person importing confirms it.
"""

from django.utils.translation import gettext_lazy as _

from imports.kinds import ImportKind, register
from imports.reading import ImportFileError

from . import rules
from .apply import apply
from .columns import COLUMNS
from .forms import PupilConfirmForm
from .plan import Plan, plan
from .rules import Row

__all__ = ["COLUMNS", "PUPILS", "Plan", "Row", "apply", "plan"]


class PupilImport(ImportKind):
    code = "students"
    permission = "school.import_students"
    url_namespace = "students"
    columns = COLUMNS
    steps = rules.STEPS
    title = _("Leerlingen inlezen uit het LVS")
    back_label = _("Leerlingen")
    back_url = "students:list"
    missing_message = _(
        "De eerste regel mist de kolom(men): %(columns)s. Is dit een export van leerlingen, met kolomnamen op de eerste regel?"
    )
    empty_message = _("Het bestand bevat geen leerlingen (alleen een kopregel).")
    too_big_hint = _("Exporteer alleen de leerlingen van deze school.")
    done_message = _("De leerlingen zijn ingelezen.")
    help_template = "students/_import_help.html"
    preview_template = "students/import_confirm.html"
    done_template = "students/import_done.html"
    confirm_form = PupilConfirmForm

    def check_table(self, table, *, school):
        brin = table.meta.get("brin")
        if brin and school.brin_code and brin.upper() != school.brin_code.upper():
            raise ImportFileError(
                _("Dit Edexml-bestand is van school %(file)s, niet van %(school)s (%(brin)s). Er is niets ingelezen.")
                % {"file": brin, "school": school.name, "brin": school.brin_code}
            )

    def context(self, *, school, actor=None):
        return rules.Context.for_school(school)

    def row(self, line):
        return rules.row(line)

    def plan(self, *, school, rows, options):
        return plan(school=school, rows=rows, duplicates=options.get("duplicates"))

    def apply(self, *, school, rows, actor, options, progress=None):
        return apply(
            school=school,
            rows=rows,
            actor=actor,
            mark_missing_left=options.get("mark_missing_left", False),
            duplicates=options.get("duplicates"),
            progress=progress,
        )

    def preview(self, *, school, checked, the_plan):
        def person(student):
            return {
                "pk": student.pk,
                "number": student.student_number,
                "name": student.full_name,
                "born": student.date_of_birth.isoformat(),
                "klas": student.school_class.name if student.school_class_id else "",
                "left": bool(student.left_on),
            }

        return {
            "missing": [[s.sort_name, s.student_number] for s in the_plan.missing[:50]],
            "matched": [
                [row.student_number, student.student_number, student.full_name] for row, student in the_plan.matched
            ],
            "duplicates": [
                {
                    "line": row.line,
                    "number": row.student_number,
                    "name": " ".join(p for p in (row.first_name, row.tussenvoegsel, row.last_name) if p),
                    "born": row.date_of_birth.isoformat(),
                    "klas": row.school_class.name,
                    "candidates": [person(c) for c in candidates],
                }
                for row, candidates in the_plan.duplicates
            ],
            "flags": the_plan.flags,
        }


PUPILS = register(PupilImport())
