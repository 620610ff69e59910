"""Writes of the import pipeline. Each service owns its transaction.

upload.py: check an upload, the column-mapping step, the stored preview.
jobs.py:   confirm (stored first as a job), run the job all-or-nothing, the sweep, the purge.
"""

from .jobs import import_confirm, import_previews_purge, import_run, imports_sweep, queue_run
from .upload import Upload, import_check, import_map_columns, import_recheck

__all__ = [
    "Upload",
    "import_check",
    "import_confirm",
    "import_map_columns",
    "import_previews_purge",
    "import_recheck",
    "import_run",
    "imports_sweep",
    "queue_run",
]
