from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from absence import imports, services
from accounts.models import School, User


class Command(BaseCommand):
    help = (
        "Import absence registrations from an LVS export (CSV) for one school, then recompute the "
        "school's signals. Every line is checked first; one bad line imports nothing. Columns: "
        "see absence/imports.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("brin", help="BRIN code of the school, e.g. 99WA")
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument("--as", dest="actor", required=True, help="e-mail of the person responsible")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file holds all of the school's absence of its period: remove imported registrations not in it",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")

    def handle(self, *args, brin, path, actor, complete, dry_run, **options):
        school = School.objects.filter(brin_code__iexact=brin).first()
        if school is None:
            raise CommandError(f"No school with BRIN code {brin}")
        user = User.objects.filter(email__iexact=actor).first()
        if user is None:
            raise CommandError(f"No user {actor}")
        try:
            text, encoding = imports.decode(path.read_bytes())
            parsed = imports.parse(text, school=school, encoding=encoding)
        except (OSError, imports.ImportFileError) as exc:
            raise CommandError(str(exc)) from exc
        if parsed.errors:
            for line, reason in parsed.errors:
                self.stderr.write(f"regel {line}: {reason}")
            raise CommandError(f"{len(parsed.errors)} bad line(s); nothing imported")
        if dry_run:
            summary = imports.plan(school=school, rows=parsed.rows, complete=complete).summary()
        else:
            summary = imports.apply(school=school, rows=parsed.rows, actor=user, complete=complete)
            stats = services.signals_compute(school_ids=[school.pk])
            summary["signalled"] = stats["signalled"]
        self.stdout.write(" ".join(f"{key}={value}" for key, value in summary.items()))
