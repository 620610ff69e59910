"""The shape of every import's management command:

    manage.py import_<kind> <BRIN> <file> --as <e-mail> [--dry-run] [the kind's options]

Every line is checked first (the same checks and the school's saved column mapping as the
upload page); one bad line imports nothing and every bad line is printed with its number.
What the upload page would ask (an unmapped absence code, a possible duplicate pupil)
stops the command with the question: answer it once on the upload page. Without --dry-run
the rows are applied in one transaction. The last line of output is the summary.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import School, User

from . import checking, kinds, reading
from .models import ColumnMapping


class ImportCommand(BaseCommand):
    kind_code = ""

    def add_arguments(self, parser):
        parser.add_argument("brin", help="BRIN code of the school, e.g. 99WA")
        parser.add_argument("path", type=Path, help="the LVS export")
        parser.add_argument("--as", dest="actor", required=True, help="e-mail of the person responsible (timeline)")
        parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
        self.add_options(parser)

    def add_options(self, parser):
        """The kind's own options (e.g. --mark-missing-left)."""

    def options_for_kind(self, options: dict) -> dict:
        return {}

    def after_apply(self, *, school, summary: dict) -> None:
        """Work after the import, e.g. recomputing signals; may add to `summary`."""

    def handle(self, *args, brin, path, actor, dry_run, **options):
        kind = kinds.get(self.kind_code)
        school = School.objects.filter(brin_code__iexact=brin).first()
        if school is None:
            raise CommandError(f"No school with BRIN code {brin}")
        user = User.objects.filter(email__iexact=actor).first()
        if user is None:
            raise CommandError(f"No user {actor}")
        saved = ColumnMapping.objects.filter(school=school, kind=kind.code).first()
        try:
            table = reading.read_table(path.read_bytes(), filename=path.name)
            checked = checking.check(kind, table, school=school, actor=user, mapping=saved.columns if saved else None)
        except (OSError, reading.ImportFileError) as exc:
            raise CommandError(str(exc)) from exc
        if checked.errors:
            for line, reason in checked.errors:
                self.stderr.write(f"regel {line}: {reason}")
            raise CommandError(f"{len(checked.errors)} bad line(s); nothing imported")
        kind_options = self.options_for_kind(options)
        blockers = kind.blockers(checked=checked, options=kind_options)
        if blockers:
            # E.g. absence codes nobody mapped: map them once on the upload page.
            raise CommandError("; ".join(blockers))
        if dry_run:
            summary = kind.plan(school=school, rows=checked.rows, options=kind_options).summary()
        else:
            try:
                with transaction.atomic():
                    summary = kind.apply(school=school, rows=checked.rows, actor=user, options=kind_options)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.after_apply(school=school, summary=summary)
        self.stdout.write(" ".join(f"{key}={value}" for key, value in summary.items()))
