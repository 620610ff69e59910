from imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import pupils from an LVS export for one school. Every line is checked first; "
        "one bad line imports nothing. See students/imports/ for the columns."
    )
    kind_code = "students"

    def add_options(self, parser):
        parser.add_argument(
            "--mark-missing-left", action="store_true", help="mark active pupils not in the file as left"
        )

    def options_for_kind(self, options):
        return {"mark_missing_left": options["mark_missing_left"]}
