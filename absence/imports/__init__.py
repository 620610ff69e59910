"""The absence import from the school's LVS (an export of absence registrations): the
column set and the row rules. Reading, checking, the preview and confirming are the
shared pipeline's (imports/).

Columns (first line; case, spaces and underscores do not matter):

    leerlingnummer  datum  soort  lesuur  minuten  uren

Required: leerlingnummer (a pupil of this school), datum (dd-mm-jjjj, not in the future),
soort. Optional: lesuur (1-20; empty: not per lesson), minuten (whole minutes) or uren
(e.g. 1,5; minuten wins when both are filled). Without minuten and uren a line with a
lesuur counts one lesson (the school's lesson length, default 50 minutes); a late arrival
may have no minutes at all.

soort (the usual LVS names are understood):
    ongeoorloofd  ongeoorloofd afwezig, spijbelen, o
    geoorloofd    geoorloofd afwezig, ziek, dokter, tandarts, (bijzonder) verlof, g
    te laat       te_laat, laat, tl
    verwijderd    uitgestuurd, uit de les verwijderd, v

Re-import is idempotent: for every pupil and date in the file, that pupil's imported
registrations of that day become exactly the file's lines (keyed by pupil, date, lesuur and
soort). So importing the same file twice changes nothing, a corrected export (spijbelen
changed into ziek) replaces the old registration, and days not in the file are left
alone — unless the person importing confirms that the file holds all of the school's
absence of its period (first to last date in the file): then imported registrations of
that period that are not in the file are removed as well. Registrations entered by hand
are never touched by an import.
"""

from datetime import date

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imports.forms import ConfirmForm
from imports.kinds import ImportKind, register
from imports.reading import ImportFileError

from ..models import CodeTarget
from . import rules
from .columns import COLUMNS
from .plan import Plan, apply, plan

__all__ = ["ABSENCE", "COLUMNS", "Plan", "apply", "plan"]


class AbsenceConfirmForm(ConfirmForm):
    complete = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if self.batch.preview.get("blockers"):
            raise forms.ValidationError(self.batch.preview["blockers"])
        return cleaned


class CodesForm(forms.Form):
    """How each LVS code in the file counts; saved for the school."""

    def __init__(self, *args, codes: list, has_column: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = codes
        self.has_column = has_column
        for raw, code, count, target, _source in codes:
            self.fields[f"code_{code}"] = forms.ChoiceField(
                label=raw,
                choices=[("", _("— kies —")), *CodeTarget.choices],
                initial=target,
                required=False,
                help_text=ngettext("%(n)s regel", "%(n)s regels", count) % {"n": count},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.has_column:
            for name, value in list(cleaned.items()):
                if value == CodeTarget.BY_COLUMN:
                    self.add_error(name, _("Dit bestand heeft geen kolom Geoorloofd; kies geoorloofd of ongeoorloofd."))
        return cleaned

    def targets(self) -> dict:
        return {
            code: (raw, self.cleaned_data[f"code_{code}"])
            for raw, code, _count, _target, _source in self.codes
            if self.cleaned_data.get(f"code_{code}")
        }


class AbsenceImport(ImportKind):
    code = "absence"
    permission = "school.import_absence"
    url_namespace = "absence"
    columns = COLUMNS
    steps = rules.STEPS
    title = _("Verzuim inlezen uit het LVS")
    back_label = _("Verzuim")
    back_url = "absence:overview"
    file_label = _("Verzuimexport uit het LVS")
    file_help = _("CSV (komma, puntkomma of tab) of Excel (.xlsx); datums als dd-mm-jjjj. Zie de kolommen hiernaast.")
    accept = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    missing_message = _(
        "De eerste regel mist de kolom(men): %(columns)s. Is dit een verzuimexport, met kolomnamen op de eerste regel?"
    )
    empty_message = _("Het bestand bevat geen verzuimregels (alleen een kopregel).")
    too_big_hint = _("Exporteer een kortere periode.")
    done_message = _("Het verzuim is ingelezen. De signalen worden opnieuw berekend.")
    help_template = "absence/_import_help.html"
    preview_template = "absence/import_confirm.html"
    done_template = "absence/import_done.html"
    confirm_form = AbsenceConfirmForm

    def check_table(self, table, *, school):
        if table.format == "edexml":
            raise ImportFileError(
                _(
                    "Een Edexml-bestand bevat leerlingen, geen verzuim. Lees het in bij Leerlingen inlezen; "
                    "exporteer het verzuim uit het LVS als CSV of Excel."
                )
            )

    def context(self, *, school, actor=None):
        return rules.Context.for_school(school)

    def row(self, line):
        return rules.row(line)

    def plan(self, *, school, rows, options):
        return plan(school=school, rows=rows, complete=options.get("complete", False))

    def apply(self, *, school, rows, actor, options, progress=None):
        return apply(school=school, rows=rows, actor=actor, complete=options.get("complete", False), progress=progress)

    def preview(self, *, school, checked, the_plan):
        codes = checked.notes.get("codes", {})
        unmapped = sorted((code for code, entry in codes.items() if not entry[2]), key=lambda c: codes[c][0].lower())
        mapped = sorted((code for code, entry in codes.items() if entry[2]), key=lambda c: codes[c][0].lower())
        return {
            # [the code as the LVS writes it, as compared, lines, target ("" unmapped), source]
            "codes": [[codes[c][0], c, codes[c][1], codes[c][2], codes[c][3]] for c in unmapped + mapped],
            "restored": checked.notes.get("restored", 0),
        }

    def blockers(self, *, checked, options):
        unmapped = checked.notes.get("unmapped", {})
        if not unmapped:
            return []
        listed = ", ".join(
            ngettext("%(code)s (%(n)s regel)", "%(code)s (%(n)s regels)", n) % {"code": raw, "n": n}
            for raw, n in sorted(unmapped.values())
        )
        return [_("Kies eerst hoe deze codes meetellen: %(codes)s.") % {"codes": listed}]

    def extra_urls(self, batch):
        return {"codes": reverse("absence:import_codes", args=[batch.pk])}

    def preview_context(self, *, batch):
        summary = batch.summary
        return {
            "period": [date.fromisoformat(summary[k]) if summary.get(k) else None for k in ("first", "last")],
            "codes_form": CodesForm(
                codes=batch.preview.get("codes", []), has_column=bool(batch.columns.get("geoorloofd"))
            ),
            "unmapped": [c for c in batch.preview.get("codes", []) if not c[3]],
        }

    def after_apply(self, *, batch):
        from jobs.services import job_defer

        from .. import tasks

        # The signals follow the new registrations: stored with them, queued after commit,
        # swept if the broker is away (a lost queue message only delays it).
        job_defer(tasks.signals_compute_school, batch.school_id)


ABSENCE = register(AbsenceImport())
