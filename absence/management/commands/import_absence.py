from absence import services
from imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import absence registrations from an LVS export for one school, then recompute the "
        "school's signals. Every line is checked first; one bad line imports nothing. Columns: "
        "see absence/imports/."
    )
    kind_code = "absence"

    def add_options(self, parser):
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file holds all of the school's absence of its period: remove imported registrations not in it",
        )

    def options_for_kind(self, options):
        return {"complete": options["complete"]}

    def after_apply(self, *, school, summary):
        stats = services.signals_compute(school_ids=[school.pk])
        summary["signalled"] = stats["signalled"]
