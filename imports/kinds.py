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
    file_label = _("Export uit het LVS (CSV)")
    file_help = _("UTF-8, met komma of puntkomma; datums als dd-mm-jjjj. Zie de kolommen hieronder.")
    missing_message = ""  # with %(columns)s
    empty_message = ""
    too_big_hint = ""  # after "the maximum is N MB."
    done_message = ""
    help_template = ""  # the columns and rules beside the upload form
    preview_template = ""  # extends imports/confirm.html
    done_template = ""  # extends imports/done.html
    confirm_form = None  # a Form class with the import's options (its cleaned_data are the options)

    def context(self, *, school):
        """What the steps look up (loaded once per file, not per line)."""
        return None

    def row(self, line):
        return line.values

    def plan(self, *, school, rows, options: dict):
        """What applying would do; the object has a `summary()` dict. No writes."""
        raise NotImplementedError

    def apply(self, *, school, rows, actor, options: dict) -> dict:
        """Write the rows. Runs inside the pipeline's transaction: all of it or nothing."""
        raise NotImplementedError

    def after_apply(self, *, batch) -> None:
        """Inside the same transaction, after the rows are written (e.g. queue follow-up work
        with on_commit)."""

    def preview_context(self, *, batch) -> dict:
        """Extra template context of the preview page."""
        return {}

    def preview(self, *, school, checked, the_plan) -> dict:
        """What the preview page shows besides the summary (JSON; holds personal data, so
        it is purged with the file)."""
        return {}


def register(kind: ImportKind) -> ImportKind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> ImportKind:
    return KINDS[code]
