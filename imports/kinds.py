"""What differs between the pupil import and the absence import: the column set, the row
rules, and what applying the rows means. Everything else (reading, checking, storing the
preview, confirming, the pages and the management command) is the pipeline's.

An app describes its import as a subclass of `ImportKind` and registers it from its
AppConfig.ready(); the pipeline finds it by `code`.
"""

from django.utils.translation import gettext_lazy as _

KINDS: dict[str, "ImportKind"] = {}


class ImportKind:
    code = ""  # e.g. "students"; stored on every ImportBatch
    permission = ""  # the carecoord.access action that may upload and confirm
    url_namespace = ""  # its pages are <namespace>:import_upload and <namespace>:import_confirm
    columns: list = []  # imports.columns.Column
    steps: list = []  # the row rules: step(line, context), in order

    title = ""  # "Leerlingen inlezen uit het LVS"
    back_label = ""  # breadcrumb to the app's list
    back_url = ""  # URL name of that list
    file_label = _("Export uit het LVS")
    file_help = _("CSV (komma, puntkomma of tab), Excel (.xlsx) of Edexml; datums als dd-mm-jjjj.")
    accept = ".csv,.txt,.xlsx,.xml,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/xml"
    missing_message = ""  # with %(columns)s
    empty_message = ""
    too_big_hint = ""  # after "the maximum is N MB."
    done_message = ""
    help_template = ""  # the columns and rules beside the upload form
    preview_template = ""  # extends imports/confirm.html
    done_template = ""  # extends imports/done.html
    confirm_form = None  # a Form class with the import's options (its cleaned_data are the options)

    def column_label(self, column, *, school) -> str:
        """A field's name on the column-mapping page, as `school` says it (the staff import:
        a primary school's groepen and leerkrachten)."""
        return column.label or column.name

    def check_table(self, table, *, school) -> None:
        """Refuse a file as a whole (raise ImportFileError), e.g. another school's Edexml."""

    def context(self, *, school, actor=None):
        """What the steps look up (loaded once per file, not per line). `actor` is the person
        who uploads or confirms the file (None where there is nobody, e.g. a benchmark): a
        line may be fine for one person and refused for another (the staff import: nobody
        gives themselves a role)."""
        return None

    def prepare(self, context, lines) -> None:
        """Before the steps: load into `context` what they look up about the file's own
        lines (e.g. the accounts of a staff list's addresses), in a fixed number of queries.
        `lines` are the file's `imports.checking.Line`s."""

    def row(self, line):
        return line.values

    def plan(self, *, school, rows, options: dict):
        """What applying would do; the object has a `summary()` dict. No writes."""
        raise NotImplementedError

    def apply(self, *, school, rows, actor, options: dict, progress=None) -> dict:
        """Write the rows. Runs inside the pipeline's transaction: all of it or nothing.
        `progress(stage, done, total)` may be called between steps."""
        raise NotImplementedError

    def after_apply(self, *, batch) -> None:
        """Inside the same transaction, after the rows are written (e.g. queue follow-up work
        with on_commit)."""

    def extra_urls(self, batch) -> dict:
        """URLs of the kind's own steps on a batch (e.g. mapping absence codes)."""
        return {}

    def preview_context(self, *, batch) -> dict:
        """Extra template context of the preview page."""
        return {}

    def preview(self, *, school, checked, the_plan) -> dict:
        """What the preview page shows besides the summary (JSON; holds personal data, so
        it is purged with the file)."""
        return {}

    def blockers(self, *, checked, options: dict) -> list[str]:
        """Why this checked file cannot be applied yet (e.g. an absence code nobody mapped).
        Shown on the preview, and checked again when the job runs. (What depends on the
        plan, such as an unresolved possible duplicate, the kind's `apply` refuses with a
        ValidationError.)"""
        return []


def register(kind: ImportKind) -> ImportKind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> ImportKind:
    return KINDS[code]
